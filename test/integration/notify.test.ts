// Verdict notifications against a loopback webhook receiver: what is posted (Slack's { text,
// blocks }), when (no-go by default, always on request), that credentials and the webhook's
// token stay out, and that a receiver that is down costs one warning line, not the exit code.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive } from '../support/cli.js'
import { startBareServer } from '../support/init-servers.js'
import { verdictMessage } from '../../cli/notify.js'

const SECRET = 'sekret-api-key-123'
const TOKEN_PATH = '/services/T000/B000/XXXXtoken'

async function receiver() {
  const posts: { method: string; url: string; type: string; body: { text: string; blocks: { type: string }[] } }[] = []
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (d) => {
      raw += d
    })
    req.on('end', () => {
      posts.push({ method: req.method!, url: req.url!, type: req.headers['content-type'] ?? '', body: JSON.parse(raw) })
      res.end('ok')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}${TOKEN_PATH}`, posts, close: () => new Promise<void>((r) => server.close(() => r())) }
}

function project(target: string, notify: Record<string, string>, rules: string[] = []): string {
  const cwd = mkdtempSync(join(tmpdir(), 'golive-notify-'))
  writeFileSync(
    join(cwd, 'first.ts'),
    "import { defineScenario } from 'golive'\n" +
      "export default defineScenario({ name: 'first', profile: { model: 'closed', vus: 2, duration: '2s' }, " +
      "steps: [{ name: 'home', path: '/', check: { status: 200 } }] })\n",
  )
  writeFileSync(
    join(cwd, 'golive.config.json'),
    JSON.stringify({
      defaultEnv: 't',
      environments: { t: { baseUrl: target, scenarios: ['./first.ts'], headers: { 'x-api-key': SECRET } } },
      gates: { presets: [], rules: ['load.*.error_rate < 1%', ...rules] },
      notify,
    }),
  )
  return cwd
}

test('no-go (the default): one POST with the verdict, the failing gate and the report path; secrets out', async () => {
  const [target, hook] = await Promise.all([startBareServer(), receiver()])
  try {
    const cwd = project(target.url, { webhook: hook.url }, ['load.*.requests > 1000000'])
    const r = await golive(['loadtest', '--duration', '2s', '--vus', '2'], { cwd })
    assert.equal(r.code, 1, r.stderr + r.stdout)
    assert.equal(hook.posts.length, 1)
    const { method, url, type, body } = hook.posts[0]!
    assert.equal(method, 'POST')
    assert.equal(url, TOKEN_PATH)
    assert.match(type, /^application\/json/)
    assert.match(body.text, /^NO-GO · t \(http:\/\/127\.0\.0\.1:\d+\)/)
    assert.match(body.text, /• FAIL load\.first\.requests: \d+ vs > 1000000/)
    assert.doesNotMatch(body.text, /error_rate/, 'only the failing gates are listed')
    assert.match(body.text, /report: .*report\.html$/m)
    assert.deepEqual(
      body.blocks.map((b) => b.type),
      ['header', 'section', 'section', 'context'],
    )
    assert.ok(!JSON.stringify(body).includes(SECRET))
    assert.ok(!(r.stderr + r.stdout).includes(TOKEN_PATH), 'the webhook token is never printed')
  } finally {
    await Promise.all([target.close(), hook.close()])
  }
})

test("on 'no-go' a go run posts nothing; on 'always' it posts GO", async () => {
  const [target, hook] = await Promise.all([startBareServer(), receiver()])
  try {
    const quiet = await golive(['loadtest', '--duration', '2s', '--vus', '2'], { cwd: project(target.url, { webhook: hook.url, on: 'no-go' }) })
    assert.equal(quiet.code, 0, quiet.stderr)
    assert.equal(hook.posts.length, 0)
    const loud = await golive(['loadtest', '--duration', '2s', '--vus', '2'], { cwd: project(target.url, { webhook: hook.url, on: 'always' }) })
    assert.equal(loud.code, 0, loud.stderr)
    assert.equal(hook.posts.length, 1)
    assert.match(hook.posts[0]!.body.text, /^GO · t /)
  } finally {
    await Promise.all([target.close(), hook.close()])
  }
})

test('a receiver that is down: one warning line, the exit code is the verdict', async () => {
  const [target, hook] = await Promise.all([startBareServer(), receiver()])
  const url = hook.url
  await hook.close() // nothing listens there now
  try {
    const r = await golive(['loadtest', '--duration', '2s', '--vus', '2'], { cwd: project(target.url, { webhook: url, on: 'always' }) })
    assert.equal(r.code, 0, r.stderr)
    const warnings = r.stderr.split('\n').filter((l) => /notification/.test(l))
    assert.equal(warnings.length, 1, r.stderr)
    assert.match(warnings[0]!, /^golive: warning: the verdict notification to 127\.0\.0\.1:\d+ failed \(.+\); the verdict stands$/)
    assert.ok(!r.stderr.includes(TOKEN_PATH))
  } finally {
    await target.close()
  }
})

test('message: credentials blanked, Slack control characters escaped in blocks', () => {
  const msg = verdictMessage(
    {
      environment: 'stage',
      target: `https://user:${SECRET}@staging.example.com`,
      report: null,
      partial: true,
      scorecard: { verdict: 'no-go', summary: `NO-GO: <!channel> ${SECRET}`, partial: true, counts: { pass: 0, fail: 1, warn: 0, off: 0 }, rows: [] },
    },
    [SECRET],
  )
  assert.ok(!JSON.stringify(msg).includes(SECRET))
  assert.match(msg.text, /^NO-GO · stage \(https:\/\/staging\.example\.com\) · PARTIAL RUN/)
  assert.match(JSON.stringify(msg.blocks), /&lt;!channel&gt;/)
})
