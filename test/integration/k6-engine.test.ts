// The k6 engine with the real k6 binary, on loopback only: both engines agree with each other and
// with a server whose latency we set, and k6's threshold exit code agrees with golive's verdict.
// These are timings, so the file runs alone (test/solo.txt); what k6 runs and writes without a
// timing to assert (shipped scenarios, build, segments, a crash, split runners) is k6-runs.test.ts.
// Without k6 these tests skip locally and fail under CI (`.ci/run` installs k6).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import type { ScenarioResult } from '../../core/results.js'
import { compileScenario } from '../../scenarios/compile.js'
import { EmbeddedRun } from '../../scenarios/engines/embedded/run.js'
import { K6Run } from '../../scenarios/engines/k6/index.js'
import { startLatencyServer } from '../support/latency-server.js'
import { golive } from '../support/cli.js'
import { k6Suite, readResults, truthScenario } from '../support/k6.js'

const suite = k6Suite()
const { needK6, configFor } = suite

const BANDS = [
  { ms: 10, share: 80 },
  { ms: 200, share: 17 },
  { ms: 1000, share: 3 },
]

test('both engines agree on p95 within 10 %, and with what the server served', async (t) => {
  if (!needK6(t)) return
  const results: Record<string, { engine: ScenarioResult; served: number }> = {}
  for (const engine of ['embedded', 'k6'] as const) {
    const server = await startLatencyServer(BANDS)
    try {
      const plan = compileScenario(truthScenario, { file: 'truth' })
      const target = { origin: server.url, basePath: '', headers: [] as [string, string][] }
      const r =
        engine === 'k6'
          ? await new K6Run(plan, { target, runDir: join(suite.work, 'agree'), thresholds: {}, file: 'truth' }).run()
          : await new EmbeddedRun(plan, { target }).run()
      assert.equal(r.status, 'measured', r.reason ?? '')
      assert.equal(r.requests, server.served(), `${engine}: every request the server answered is counted once`)
      results[engine] = { engine: r, served: server.truth()!.p95 }
    } finally {
      await server.close()
    }
  }
  const e = results.embedded!,
    k = results.k6!
  for (const [name, r] of Object.entries(results)) {
    const p95 = r.engine.latency!.p95
    assert.ok(Math.abs(p95 - r.served) <= r.served * 0.1, `${name}: p95 ${p95} ms vs served ${r.served} ms`)
  }
  t.diagnostic(`p95: embedded ${e.engine.latency!.p95} ms (served ${e.served} ms), k6 ${k.engine.latency!.p95} ms (served ${k.served} ms)`)
  const diff = Math.abs(e.engine.latency!.p95 - k.engine.latency!.p95)
  assert.ok(
    diff <= Math.min(e.engine.latency!.p95, k.engine.latency!.p95) * 0.1,
    `embedded p95 ${e.engine.latency!.p95} ms vs k6 p95 ${k.engine.latency!.p95} ms`,
  )
})

test("k6's threshold exit code agrees with golive's verdict", async (t) => {
  if (!needK6(t)) return
  const server = await startLatencyServer(BANDS)
  try {
    for (const [gate, code, k6Code] of [
      ['load.*.latency_p95 < 50ms', 1, 99],
      ['load.*.latency_p95 < 1s', 0, 0],
    ] as const) {
      const dir = configFor(server.url, gate)
      const r = await golive(['loadtest', '--engine', 'k6', '--out', join(dir, 'out')], { cwd: dir })
      assert.equal(r.code, code, `${gate}: golive exit ${r.code}\n${r.stderr}`)
      const s = readResults(join(dir, 'out')).scenarios[0]!
      assert.deepEqual(s.engineDetails?.exitCodes, [k6Code], `${gate}: k6 exit`)
      // the config's gate next to the go-live preset's (max < 2 s, errors < 0.1 %)
      assert.ok(
        s.engineDetails?.thresholds?.http_req_duration?.includes(gate.includes('50ms') ? 'p(95)<50' : 'p(95)<1000'),
        JSON.stringify(s.engineDetails?.thresholds),
      )
    }
  } finally {
    await server.close()
  }
})
