// The capacity search's step judgement: the latency trend (Theil–Sen) and keep-up.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { latencyRise, theilSen } from '../../cli/capacity/slope.js'
import { judgeStep, stepGates } from '../../cli/capacity/step.js'
import { resolveGates } from '../../gates/index.js'
import type { ScenarioResult, TimelinePoint } from '../../core/results.js'

test('theilSen: the median pairwise slope ignores one outlier', () => {
  const pts = [0, 1, 2, 3, 4, 5].map((x) => ({ x, y: 20 + 2 * x }))
  pts[2]!.y = 500
  assert.equal(theilSen(pts), 2)
})

test('latencyRise: a flat noisy level is not rising; a filling queue is', () => {
  const flat = [21, 19, 24, 20, 22, 20].map((y, x) => ({ x, y }))
  assert.equal(latencyRise(flat)!.rising, false)
  const queue = [20, 60, 100, 140, 180].map((y, x) => ({ x, y }))
  const r = latencyRise(queue)!
  assert.equal(r.rising, true)
  assert.equal(r.slopeMsPerS, 40)
})

function step(rate: number, seconds: Partial<TimelinePoint>[], over: Partial<ScenarioResult> = {}): ScenarioResult {
  const timeline = seconds.map((s, t) => ({ t, requests: rate, errors: 0, active: 2, p50: 20, p95: 30, max: 40, ...s }))
  const requests = timeline.reduce((a, s) => a + s.requests, 0)
  return {
    name: 's',
    engine: 'embedded',
    status: 'measured',
    startedAt: new Date().toISOString(),
    durationMs: seconds.length * 1000,
    profile: {},
    coordinatedOmission: 'corrected',
    requests,
    errors: 0,
    iterations: requests,
    droppedIterations: 0,
    vusMax: 3,
    bytesReceived: 0,
    statuses: { 200: requests },
    latency: { count: requests, min: 10, mean: 20, p50: 20, p90: 28, p95: 30, p99: 35, max: 40 },
    histogram: null,
    steps: [],
    timeline,
    topErrors: [],
    ...over,
  }
}

test('judgeStep: holds when the rate is kept, breaks on a shortfall, drops, a rising median or a gate', () => {
  const gates = stepGates(resolveGates(['go-live'], []), 's')
  assert.deepEqual(gates.map((g) => g.figure).sort(), ['load.*.error_rate', 'load.*.latency_p95'])
  assert.equal(judgeStep(step(50, Array(5).fill({})), 50, 5000, gates).holds, true)
  const short = judgeStep(
    step(50, [{}, { requests: 45 }, { requests: 45 }, { requests: 45 }, { requests: 45 }], { iterations: 230, requests: 230 }),
    50,
    5000,
    gates,
  )
  assert.equal(short.holds, false)
  assert.match(short.why.join(), /below the 50.0 req\/s offered/)
  assert.match(judgeStep(step(50, Array(5).fill({}), { droppedIterations: 3 }), 50, 5000, gates).why.join(), /3 arrivals dropped/)
  assert.match(
    judgeStep(
      step(
        50,
        [20, 20, 60, 100, 140].map((p50) => ({ p50 })),
      ),
      50,
      5000,
      gates,
    ).why.join(),
    /latency rising/,
  )
  const slow = judgeStep(
    step(50, Array(5).fill({}), { latency: { count: 250, min: 10, mean: 300, p50: 300, p90: 600, p95: 700, p99: 800, max: 900 } }),
    50,
    5000,
    gates,
  )
  assert.match(slow.why.join(), /load\.s\.latency_p95 .*gate load\.\*\.latency_p95 < 500ms/)
})

test('capacityResult: the first step broke → max_rps 0 and headroom 0 (a failing gate, never not run); no step judged → unmeasured', async () => {
  const { capacityResult } = await import('../../cli/capacity/result.js')
  const settings = { stepRate: 10, maxRate: 100, stepDurationMs: 5000, timeLimitMs: 60_000, maxVUs: 100, envName: 'staging' }
  const broke = judgeStep(step(10, Array(5).fill({}), { droppedIterations: 2 }), 10, 5000, [])
  const r = capacityResult(
    { scenario: 's', steps: [broke], held: null, broke, stop: 'broke', stopDetail: 'x', gates: [], lastRun: null },
    { ...settings, launchLoad: { vus: 50 } },
    new Date(),
  )
  assert.equal(r.figures['s.max_rps']!.value, 0)
  assert.equal(r.figures['s.headroom']!.value, 0)
  const none = capacityResult(
    { scenario: 's', steps: [], held: null, broke: null, stop: 'interrupted', stopDetail: 'interrupted before the next step', gates: [], lastRun: null },
    settings,
    new Date(),
  )
  assert.equal(none.status, 'error')
  assert.deepEqual(Object.keys(none.figures), [])
  assert.match(none.unmeasured!['s.max_rps']!, /no step was judged/)
})
