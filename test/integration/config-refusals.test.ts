// A typo in a config fails before the first request: a misspelled check setting and a gate on a
// figure nothing makes are exit 2 with one message, and the target (a server that counts every
// request) sees none. The same config with the typo fixed does reach it, so the count can fail.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive } from '../support/cli.js'

let server: Server
let requests = 0
let url = ''
const dir = mkdtempSync(join(tmpdir(), 'golive-refusals-'))

before(async () => {
  server = createServer((_req, res) => {
    requests++
    res.end('ok')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  writeFileSync(join(dir, 'tiny.yaml'), 'name: tiny\nprofile: { model: closed, vus: 1, duration: 1s }\nthinkTime: 100ms\nsteps:\n  - { name: root, path: / }\n')
})
after(async () => {
  await new Promise<void>((r) => server.close(() => r()))
  rmSync(dir, { recursive: true, force: true })
})

function config(name: string, body: string): string {
  writeFileSync(join(dir, name), `environments:\n  s:\n    baseUrl: ${url}\n    scenarios: [./tiny.yaml]\n${body}`)
  return name
}

const run = (args: string[]) => golive([...args, '--out', join(dir, 'runs')], { cwd: dir, timeoutMs: 60_000 })

describe('refused before the first request', () => {
  test('golive run: a misspelled check setting (headers: { httpPrt: 18401 })', async () => {
    const file = config('typo-setting.yaml', '    checks:\n      headers: { httpPrt: 18401 }\n')
    const r = await run(['run', '--config', file])
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, /typo-setting\.yaml: environments\.s\.checks\.headers\.httpPrt: unknown setting \(did you mean httpPort\?\)/)
    assert.match(r.stderr, /fix: rename 'httpPrt' to 'httpPort'/)
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
    assert.equal(requests, 0)
  })

  test('golive loadtest: a gate on load.*.latency_p59', async () => {
    const file = config('typo-gate.yaml', "gates:\n  rules: ['load.*.latency_p59 < 500ms']\n")
    const r = await run(['loadtest', '--config', file])
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, /typo-gate\.yaml: gates\.rules\[0\]: no check or scenario makes load\.\*\.latency_p59; did you mean latency_p50 or latency_p99\?/)
    assert.equal(requests, 0)
  })

  test("golive run: an environment's gate on a check figure its check does not make", async () => {
    const file = config('typo-check-gate.yaml', "    gates: ['headers.grdae >= A']\n")
    const r = await run(['run', '--config', file])
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, /environments\.s\.gates\[0\]: the headers check makes no headers\.grdae; did you mean grade\?/)
    assert.equal(requests, 0)
  })

  test('the same config with the gate spelled right does reach the server', async () => {
    const file = config('fixed.yaml', "gates:\n  rules: ['load.*.latency_p99 < 5s']\n")
    const r = await run(['loadtest', '--config', file])
    assert.ok(r.code === 0 || r.code === 1, r.stderr)
    assert.ok(requests > 0, 'the counting server counted the load test')
  })
})
