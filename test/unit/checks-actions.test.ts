// The one action model (checks/actions/): every config form of every provider, one runner that
// records start, end, duration and status, a dry run down the same path that does nothing, the
// http provider's host rule, and the staging port's names kept equal to staging's own.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionSchema, parseAction, parseActions } from '../../checks/actions/parse.js'
import { fromJournal, runAction, runActions } from '../../checks/actions/run.js'
import type { ActionContext } from '../../checks/actions/model.js'
import type { StackPort } from '../../core/stack.js'
import { STACK_COMPONENTS, STACK_FAULTS } from '../../core/stack.js'
import { FAULTS } from '../../staging/native/faults.js'
import { COMPONENTS } from '../../staging/components.js'
import { configAjv } from '../../core/ajv-setup.js'

const drill = { bareShell: true }
const signal = () => new AbortController().signal

describe('action grammar', () => {
  it('reads every provider in every form', () => {
    assert.equal(parseAction('echo hi', 'x', drill).kind, 'shell')
    assert.deepEqual(parseAction({ shell: 'echo hi', timeout: '1m' }, 'x'), { kind: 'shell', command: 'echo hi', timeoutSeconds: 60, text: 'echo hi' })
    assert.deepEqual(parseAction({ command: ['kill', '-9', '42'] }, 'x'), {
      kind: 'command',
      argv: ['kill', '-9', '42'],
      timeoutSeconds: 300,
      text: 'kill -9 42',
    })
    assert.deepEqual(parseAction({ sleep: '1.5s' }, 'x'), { kind: 'sleep', seconds: 1.5, text: 'sleep:1.5s' })
    assert.deepEqual(parseAction('sleep:0.5', 'x'), { kind: 'sleep', seconds: 0.5, text: 'sleep:0.5' })
    assert.deepEqual(parseAction({ http: 'POST http://127.0.0.1:9/admin' }, 'x'), {
      kind: 'http',
      method: 'POST',
      url: 'http://127.0.0.1:9/admin',
      headers: {},
      expectStatus: [],
      timeoutSeconds: 300,
      text: 'POST http://127.0.0.1:9/admin',
    })
    const h = parseAction(
      { http: { url: 'http://127.0.0.1:9/m', method: 'put', body: { on: true }, status: 204, headers: { 'X-Token': 't' } }, timeoutSeconds: 5 },
      'x',
    )
    assert.deepEqual(h, {
      kind: 'http',
      method: 'PUT',
      url: 'http://127.0.0.1:9/m',
      headers: { 'x-token': 't', 'content-type': 'application/json' },
      body: '{"on":true}',
      expectStatus: [204],
      timeoutSeconds: 5,
      text: 'PUT http://127.0.0.1:9/m',
    })
    assert.equal(parseActions(['staging:stop-primary', 'sleep:1', 'staging:promote-replica'], 'x').length, 3)
  })
  it('names the setting and the fix when an action is wrong', () => {
    assert.throws(
      () => parseAction('kill-app1', 'checks.alerts.expected[0].trigger'),
      /expected\[0\]\.trigger: expected 'staging:<fault>'/,
      'no bare shell line where it is not allowed',
    )
    assert.throws(() => parseAction('staging:restart:app9', 'f'), /no such component; one of postgres-primary/)
    assert.throws(() => parseAction({ http: 'GET ftp://x/' }, 'f'), /f\.http\.url: expected an http/)
    assert.throws(() => parseAction({ http: { url: 'http://127.0.0.1/', verb: 'GET' } }, 'f'), /f\.http\.verb: not a setting of an http action/)
    assert.throws(() => parseAction({ shell: 'x', timout: 5 }, 'f'), /f\.timout: not a setting of a shell action/)
    assert.throws(() => parseAction({ command: ['x'], timeout: '2h' }, 'f', { maxTimeoutSeconds: 900 }), /f\.timeout: expected a duration .* at most 900 s/)
    assert.throws(() => parseAction({ run: 'x' }, 'f'), /needs one of command, shell, http or sleep/)
  })
  it('its schema fragment refuses a misspelled staging name at config load, and takes the valid forms', () => {
    const ajv = configAjv()
    const drillSchema = ajv.compile(actionSchema('d', drill))
    const alertSchema = ajv.compile(actionSchema('a', { list: false }))
    for (const ok of [
      'staging:kill-app1',
      'staging:restart:app2',
      'sleep:3',
      'systemctl restart app',
      ['staging:heal', { command: ['x'] }],
      { http: 'POST http://127.0.0.1/' },
    ])
      assert.equal(drillSchema(ok), true, JSON.stringify(ok))
    for (const bad of ['staging:explode', 'staging:restart:app9', 'sleep:soon', { cmd: 'x' }]) assert.equal(drillSchema(bad), false, JSON.stringify(bad))
    assert.equal(alertSchema('staging:error-burst'), true)
    assert.equal(alertSchema('kill-app1'), false, 'an alert takes no bare shell line')
    assert.equal(alertSchema(['staging:heal']), false, 'an alert takes one action')
  })
})

describe('the action runner', () => {
  it('records provider, start, end, duration and status for each action; a fault stops at its first failure', async () => {
    const t0 = performance.now()
    const recs = await runActions(parseActions(['sleep:0.05', { command: ['true'] }, 'exit 3', 'echo never'], 'x', drill), { signal: signal() }, t0, {
      stopOnError: true,
      log: () => {},
      phase: 'fault',
    })
    assert.deepEqual(
      recs.map((r) => [r.provider, r.status]),
      [
        ['sleep', 'succeeded'],
        ['command', 'succeeded'],
        ['shell', 'failed'],
      ],
    )
    assert.ok(recs[0]!.seconds >= 0.04 && recs[0]!.endedAt >= recs[0]!.startedAt + 0.04, JSON.stringify(recs[0]))
    assert.ok(recs[1]!.startedAt >= recs[0]!.endedAt)
    assert.match(recs[2]!.error!, /'exit 3' exited 3/)
  })
  it('a rollback runs every action whatever happened before, and is not cut by an interrupt it was not given', async () => {
    const recs = await runActions(parseActions(['exit 1', 'echo back'], 'x', drill), { signal: signal() }, performance.now(), {
      stopOnError: false,
      log: () => {},
      phase: 'rollback',
    })
    assert.deepEqual(
      recs.map((r) => r.ok),
      [false, true],
    )
    assert.equal(recs[1]!.output, 'back')
  })
  it('kills a command at its time limit, with its process group', async () => {
    const r = await runAction(parseAction({ shell: 'sleep 30 & sleep 30', timeoutSeconds: 0.3 }, 'x'), { signal: signal() })
    assert.equal(r.status, 'failed')
    assert.match(r.error!, /did not finish within 0\.3 s \(killed\)/)
    assert.ok(r.seconds < 5, `${r.seconds}`)
  })
  it('a dry run goes down the same path and does nothing: each action says what it would do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-actions-'))
    const marker = join(dir, 'touched')
    const acted: string[] = []
    const stack: StackPort = {
      fault: async (_d, n) => {
        acted.push(n)
        return 'done'
      },
      component: async (_d, a, c) => {
        acted.push(`${a} ${c}`)
        return 'done'
      },
      describe: (d) => `the stack in ${d}`,
      primaryDatabase: () => null,
    }
    try {
      const c: ActionContext = {
        signal: signal(),
        dry: true,
        stack,
        stagingDir: '/st',
        mayRequest: (u) => (u.hostname === '127.0.0.1' ? null : `refused: ${u.hostname}`),
      }
      const recs = await runActions(
        parseActions([`touch ${marker}`, 'staging:kill-app1', 'staging:restart:app1', 'sleep:600', { http: 'POST http://db.example.com/x' }], 'x', drill),
        c,
        performance.now(),
        { stopOnError: true, log: () => {}, phase: 'fault' },
      )
      assert.deepEqual(
        recs.map((r) => r.status),
        ['planned', 'planned', 'planned', 'planned', 'planned'],
      )
      assert.equal(existsSync(marker), false, 'the shell line did not run')
      assert.deepEqual(acted, [], 'the stack was not touched')
      assert.match(recs[0]!.output!, /run \/bin\/sh -c 'touch .*touched' \(at most 300 s\)/)
      assert.equal(recs[1]!.output, 'apply the staging fault kill-app1 (the stack in /st)')
      assert.equal(recs[2]!.output, 'restart the staging component app1 (the stack in /st)')
      assert.ok(recs[3]!.seconds < 1, 'a planned sleep does not wait')
      assert.match(recs[4]!.output!, /would be refused: db\.example\.com/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
  it('staging actions go through the port; without one they fail saying so', async () => {
    const calls: string[] = []
    const stack: StackPort = {
      fault: async (d, n) => {
        calls.push(`${d}:${n}`)
        return `${n} applied`
      },
      component: async (d, a, c) => {
        calls.push(`${d}:${a}:${c}`)
        return 'ok'
      },
      describe: () => 'x',
      primaryDatabase: () => null,
    }
    const r = await runAction(parseAction('staging:heal', 'x'), { signal: signal(), stack, stagingDir: '/st' })
    assert.equal(r.output, 'heal applied')
    await runAction(parseAction('staging:stop:edge', 'x'), { signal: signal(), stack, stagingDir: '/st' })
    assert.deepEqual(calls, ['/st:heal', '/st:stop:edge'])
    const none = await runAction(parseAction('staging:heal', 'x'), { signal: signal() })
    assert.match(none.error!, /staging actions need golive's staging stack/)
  })
  it('http: sends the request with the environment headers, checks the status, refuses a host the rules do not allow', async () => {
    const seen: { method?: string; url?: string; auth?: string; body: string }[] = []
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (d) => {
        body += d
      })
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body })
        res.writeHead(req.url === '/bad' ? 500 : 204).end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      const c: ActionContext = {
        signal: signal(),
        mayRequest: (u) => (u.hostname === '127.0.0.1' ? null : `refused: ${u.hostname} is not loopback`),
        headersFor: () => ({ authorization: 'Bearer s3cret' }),
      }
      const ok = await runAction(parseAction({ http: { url: `${base}/maint`, method: 'POST', body: 'on', status: 204 } }, 'x'), c)
      assert.equal(ok.status, 'succeeded', ok.error ?? '')
      assert.deepEqual(seen[0], { method: 'POST', url: '/maint', auth: 'Bearer s3cret', body: 'on' })
      const bad = await runAction(parseAction({ http: `GET ${base}/bad` }, 'x'), c)
      assert.match(bad.error!, /answered 500, expected a 2xx/)
      const far = await runAction(parseAction({ http: 'GET http://example.com/' }, 'x'), c)
      assert.match(far.error!, /refused: example\.com is not loopback/)
      assert.equal(seen.length, 2, 'the refused request was never sent')
    } finally {
      server.close()
    }
  })
  it('reads actions an older golive wrote into a drill journal', () => {
    assert.deepEqual(fromJournal({ kind: 'command', command: 'systemctl start app', timeoutSeconds: 300, text: 'systemctl start app' }), {
      kind: 'shell',
      command: 'systemctl start app',
      timeoutSeconds: 300,
      text: 'systemctl start app',
    })
    assert.deepEqual(fromJournal({ kind: 'command', argv: ['./heal.sh'], timeoutMs: 60_000 }), {
      kind: 'command',
      argv: ['./heal.sh'],
      timeoutSeconds: 60,
      text: './heal.sh',
    })
    assert.deepEqual(fromJournal({ kind: 'staging', fault: 'heal', stateDir: '/st' }), { kind: 'staging', name: 'heal', text: 'staging:heal' })
  })
})

describe('the staging port', () => {
  it("core's names of faults and components are staging's own", () => {
    assert.deepEqual([...STACK_FAULTS].sort(), Object.keys(FAULTS).sort())
    assert.deepEqual([...STACK_COMPONENTS].sort(), COMPONENTS.map((c) => c.name).sort())
  })
})
