// The one action model end to end through `golive drill`: a dry run plans every provider's
// action and does nothing (the app sees no fault request, the shell line leaves no file); the
// real drill then runs the same actions, its fault a one-second maintenance window switched by
// http actions on a loopback app whose switch the test reads, and records each action's provider and status.

import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive } from '../support/cli.js'

// the truth: the app answers 503 while its maintenance switch is on
let maintenance = false
const switched: string[] = []
const app = createServer((req, res) => {
  if (req.url === '/admin/maintenance') {
    switched.push(`${req.method}`)
    maintenance = req.method === 'POST'
    res.writeHead(204).end()
    return
  }
  res.writeHead(maintenance ? 503 : 200, { 'content-type': 'text/plain' }).end(maintenance ? 'down\n' : 'ok\n')
})
const dir = mkdtempSync(join(tmpdir(), 'golive-drill-actions-'))
after(() => {
  app.close()
  rmSync(dir, { recursive: true, force: true })
})

async function project(): Promise<{ cwd: string; marker: string }> {
  if (!app.listening) await new Promise<void>((r) => app.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
  const marker = join(dir, 'rolled-back')
  writeFileSync(
    join(dir, 'golive.config.json'),
    JSON.stringify({
      environments: {
        s: {
          baseUrl: url,
          allowDrills: true,
          checks: {
            failover: {
              readPath: '/',
              write: false,
              readRps: 20,
              warmupSeconds: 0.5,
              minObserveSeconds: 3,
              recoverAfter: 10,
              deadlineSeconds: 20,
              rollbackTimeoutSeconds: 10,
              experiments: {
                maintenance: {
                  // a maintenance window of one second: on, wait, off (the steady state returns by itself)
                  fault: [
                    { http: { url: `${url}/admin/maintenance`, method: 'POST', status: 204 } },
                    { sleep: '1s' },
                    { http: `DELETE ${url}/admin/maintenance` },
                  ],
                  rollback: [{ http: `DELETE ${url}/admin/maintenance` }, `touch ${marker}`, { command: ['true'] }],
                },
              },
            },
          },
        },
      },
    }),
  )
  return { cwd: dir, marker }
}

test('golive drill --dry-run plans every action through the runner and does nothing', { timeout: 60_000 }, async () => {
  const { cwd, marker } = await project()
  const r = await golive(['drill', 'failover', '--dry-run'], { cwd })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /- POST http:\/\/127\.0\.0\.1:\d+\/admin\/maintenance: send POST .*, expecting 204/)
  assert.match(r.stdout, /- sleep:1s: wait 1 s/)
  assert.match(r.stdout, /- DELETE http:\/\/127\.0\.0\.1:\d+\/admin\/maintenance: send DELETE .*, expecting a 2xx/)
  assert.match(r.stdout, /- touch .*rolled-back: run \/bin\/sh -c 'touch /)
  assert.match(r.stdout, /- true: run \["true"\] \(no shell/)
  assert.deepEqual(switched, [], 'the app saw no fault request')
  assert.equal(existsSync(marker), false, 'the shell line did not run')
})

test('golive drill runs the same actions: http fault and rollback, shell and command, each recorded', { timeout: 90_000 }, async () => {
  const { cwd, marker } = await project()
  const r = await golive(['drill', 'failover', '--out', join(cwd, 'run')], { cwd })
  assert.equal(r.code, 0, r.stderr)
  const result = JSON.parse(r.stdout) as {
    status: string
    figures: Record<string, { value: number }>
    evidence: {
      experiments: Record<
        string,
        { actions: { fault: { provider: string; status: string; startedAt: number; endedAt: number }[]; rollback: { provider: string; status: string }[] } }
      >
    }
  }
  assert.equal(result.status, 'measured')
  assert.deepEqual(switched, ['POST', 'DELETE', 'DELETE'], 'the fault switched maintenance on and off, the rollback off again')
  assert.equal(existsSync(marker), true, 'the shell rollback ran')
  const actions = result.evidence.experiments.maintenance!.actions
  assert.deepEqual(
    actions.fault.map((a) => [a.provider, a.status]),
    [
      ['http', 'succeeded'],
      ['sleep', 'succeeded'],
      ['http', 'succeeded'],
    ],
  )
  assert.deepEqual(
    actions.rollback.map((a) => [a.provider, a.status]),
    [
      ['http', 'succeeded'],
      ['shell', 'succeeded'],
      ['command', 'succeeded'],
    ],
  )
  assert.ok(actions.fault[1]!.endedAt - actions.fault[1]!.startedAt >= 0.95, 'the sleep took its second')
  // maintenance answered 503 for its second: the probes saw it, and saw it end
  assert.ok(result.figures['maintenance.failed_requests']!.value > 0, JSON.stringify(result.figures))
  const rto = result.figures['maintenance.rto_seconds']!.value
  assert.ok(rto >= 0.9 && rto < 3, `rto ${rto} s for a one-second window`)
})
