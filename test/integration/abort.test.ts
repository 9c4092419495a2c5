// Stop on a breach: a server that turns slow 5 s after its first request, a p95 gate with
// abort: { after: '3s' }. On both engines the run stops within after + 2 s of the moment the
// server turned slow; its results are complete (not partial) and marked aborted with the gate.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive } from '../support/cli.js'
import { findK6 } from '../../scenarios/engines/k6/binary.js'

const FAST_MS = 5,
  SLOW_MS = 600,
  SLOW_AFTER_MS = 5000,
  AFTER_S = 3

async function turnsSlow() {
  let first = 0,
    slowSince = 0,
    last = 0,
    served = 0
  const server = createServer((req, res) => {
    const now = performance.now()
    first ||= now
    last = now
    const slow = now - first >= SLOW_AFTER_MS
    if (slow) slowSince ||= now
    req.resume()
    setTimeout(
      () => {
        served++
        res.end('ok')
      },
      slow ? SLOW_MS : FAST_MS,
    )
  })
  // the run's connections closing: the moment its users were stopped (cut off mid-request)
  let closed = 0
  server.on('connection', (sock) =>
    sock.on('close', () => {
      closed = performance.now()
    }),
  )
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** seconds from the switch to slow to the last request the run sent */
    stoppedAfterS: () => (last - slowSince) / 1000,
    /** seconds from the switch to slow to the last of the run's connections closing */
    closedAfterS: () => (closed - slowSince) / 1000,
    slowSince: () => slowSince,
    served: () => served,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

function project(url: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'golive-abort-'))
  writeFileSync(
    join(dir, 'slow.yaml'),
    'name: slow\nprofile: { model: closed, vus: 5, duration: 40s }\nthinkTime: 200ms\nsteps:\n  - { name: root, path: / }\n',
  )
  writeFileSync(
    join(dir, 'golive.config.yaml'),
    `environments:
  local:
    baseUrl: ${url}
    scenarios: [./slow.yaml]
    gates:
      - { figure: load.slow.latency_p95, op: '<', target: 200ms, abort: { after: ${AFTER_S}s } }
`,
  )
  return dir
}

for (const engine of ['embedded', 'k6'] as const) {
  let skip: string | false = false
  if (engine === 'k6')
    try {
      findK6()
    } catch {
      skip = 'k6 is not installed (npm run install-k6)'
    }
  test(`abort (${engine}): a p95 breached for ${AFTER_S} s stops the run within after + 2 s of the breach`, { timeout: 120_000, skip }, async (t) => {
    const server = await turnsSlow()
    const dir = project(server.url)
    try {
      const res = await golive(['loadtest', '--env', 'local', '--engine', engine, '--out', join(dir, 'run')], { cwd: dir, timeoutMs: 100_000 })
      assert.ok(server.slowSince() > 0, `the server turned slow:\n${res.stderr}`)
      const r = JSON.parse(readFileSync(join(dir, 'run', 'results.json'), 'utf8'))
      const s = r.scenarios[0]
      assert.equal(s.status, 'measured', `complete, not partial: ${s.reason}\n${res.stderr}`)
      assert.equal(r.run.partial, false)
      assert.ok(s.aborted, `marked aborted:\n${res.stderr}`)
      assert.match(s.aborted.gate, /load\.slow\.latency_p95 < 200ms/)
      assert.equal(s.aborted.by, engine === 'k6' ? 'k6-threshold' : 'timeline')
      assert.match(s.reason, /^ABORTED at/)
      const after = server.stoppedAfterS()
      const closed = server.closedAfterS()
      t.diagnostic(
        `${engine}: last request ${after.toFixed(2)} s, connections closed ${closed.toFixed(2)} s after the switch to slow; aborted ${JSON.stringify(s.aborted)}; ran ${s.durationMs} ms`,
      )
      assert.ok(after <= AFTER_S + 2, `the last request ${after.toFixed(2)} s after the breach (at most ${AFTER_S + 2} s)`)
      assert.ok(closed <= AFTER_S + 2, `the users stopped ${closed.toFixed(2)} s after the breach (at most ${AFTER_S + 2} s)`)
      assert.ok(s.durationMs < 20_000, `stopped early: ${s.durationMs} ms of a 40 s profile`)
      if (engine === 'embedded') {
        // judged on whole seconds: breached from the second the server turned slow in
        assert.ok(s.aborted.atS - s.aborted.breachedFromS >= AFTER_S + 1, JSON.stringify(s.aborted))
        assert.ok(closed >= AFTER_S, `not before the breach lasted ${AFTER_S} s: ${closed.toFixed(2)} s`)
      }
      // the overall p95 breached too: no-go, and the report says it stopped
      assert.equal(res.code, 1)
      assert.match(readFileSync(join(dir, 'run', 'report.html'), 'utf8'), /ABORTED at/)
    } finally {
      await server.close()
    }
  })
}
