// The embedded engine against a server whose latency distribution and error ratio we set:
// the reported figures must match what the server served.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileScenario } from '../../scenarios/compile.js'
import { EmbeddedRun } from '../../scenarios/engines/embedded/run.js'
import { scenarioFigures } from '../../scenarios/figures.js'
import type { Scenario } from '../../scenarios/dsl.js'
import { startLatencyServer } from '../support/latency-server.js'

const BANDS = [
  { ms: 10, share: 80 },
  { ms: 200, share: 17 },
  { ms: 1000, share: 3 },
]

function getScenario(profile: Scenario['profile']): Scenario {
  return { name: 'truth', profile, steps: [{ name: 'get', path: '/' }] }
}

async function run(url: string, s: Scenario, workers = 1) {
  const u = new URL(url)
  const plan = compileScenario(s, { file: 'test' })
  return new EmbeddedRun(plan, { target: { origin: u.origin, basePath: '', headers: [] }, workers }).run()
}

/** client-side latency adds transport time: within [truth - 1 ms, truth × 1.10 + 10 ms] */
function near(actual: number, truth: number, label: string) {
  assert.ok(actual >= truth - 1 && actual <= truth * 1.1 + 10, `${label}: engine ${actual} ms vs served ${truth} ms`)
}

test('percentiles and max match the latency distribution the server served', async () => {
  const server = await startLatencyServer(BANDS)
  try {
    const r = await run(server.url, getScenario({ model: 'closed', vus: 20, duration: '5s' }))
    const truth = server.truth()!
    assert.equal(r.status, 'measured')
    assert.equal(r.requests, server.served(), 'every request the server answered is counted once')
    assert.ok(r.requests > 800, `enough samples: ${r.requests}`)
    // the bands put p50 at 10 ms, p95 at 200 ms, p99 and max at 1000 ms
    assert.ok(truth.p95 >= 199 && truth.p95 < 215, `served p95 ${truth.p95}`)
    near(r.latency!.p50, truth.p50, 'p50')
    near(r.latency!.p95, truth.p95, 'p95')
    near(r.latency!.p99, truth.p99, 'p99')
    near(r.latency!.max, truth.max, 'max')
    assert.equal(r.errors, 0)
    assert.equal(r.vusMax, 20)
    const f = scenarioFigures(r)
    assert.equal(f['load.truth.latency_p95']!.value, r.latency!.p95)
    assert.equal(f['load.truth.error_rate']!.value, 0)
    assert.equal(f['load.truth.step.get.latency_p95']!.unit, 'ms')
  } finally {
    await server.close()
  }
})

test('error rate matches a server that fails every 50th response', async () => {
  const server = await startLatencyServer([{ ms: 5, share: 100 }], 50)
  try {
    const r = await run(server.url, getScenario({ model: 'closed', vus: 10, duration: '3s' }))
    assert.equal(r.requests, server.served())
    assert.equal(r.errors, server.errors(), 'each 503 is one error')
    assert.ok(server.errors() >= 20, `enough errors served: ${server.errors()}`)
    const rate = (r.errors / r.requests) * 100
    assert.ok(Math.abs(rate - 2) <= 100 / r.requests + 0.01, `error rate ${rate} % vs 2 %`)
    assert.equal(r.statuses['503'], server.errors())
    assert.equal(scenarioFigures(r)['load.truth.error_rate']!.value, Math.round(rate * 1e4) / 1e4)
  } finally {
    await server.close()
  }
})

test('two worker threads together measure the same distribution, merged exactly', async () => {
  const server = await startLatencyServer(BANDS)
  try {
    const r = await run(server.url, getScenario({ model: 'closed', vus: 20, duration: '4s' }), 2)
    const truth = server.truth()!
    assert.equal(r.requests, server.served())
    assert.equal(r.steps[0]!.requests, r.requests)
    near(r.latency!.p95, truth.p95, 'p95 (2 workers)')
    near(r.latency!.p99, truth.p99, 'p99 (2 workers)')
    assert.equal(r.vusMax, 20, 'users split 10 + 10 over the workers')
    assert.equal(
      r.timeline.reduce((a, p) => a + p.requests, 0),
      r.requests,
      'the timeline accounts for every request',
    )
  } finally {
    await server.close()
  }
})

test('open model starts exactly rate × duration journeys, and drops (and counts) what the user cap cannot take', async () => {
  const fast = await startLatencyServer([{ ms: 5, share: 100 }])
  try {
    const r = await run(fast.url, getScenario({ model: 'open', rate: 40, duration: '3s', maxVUs: 50 }))
    assert.equal(r.iterations + r.droppedIterations, 120, 'arrivals at k/40 s for k = 0..119')
    assert.equal(r.droppedIterations, 0)
    assert.equal(r.coordinatedOmission, 'corrected')
  } finally {
    await fast.close()
  }
  const slow = await startLatencyServer([{ ms: 1000, share: 100 }])
  try {
    // 20 journeys/s of 1 s each need ~20 users; with 5 allowed, about 3 in 4 are dropped
    const r = await run(slow.url, getScenario({ model: 'open', rate: 20, duration: '2s', maxVUs: 5 }))
    assert.equal(r.iterations + r.droppedIterations, 40)
    assert.ok(r.droppedIterations >= 25 && r.droppedIterations <= 32, `dropped ${r.droppedIterations}`)
    assert.equal(r.vusMax, 5)
  } finally {
    await slow.close()
  }
})

test('ramping stages reach their targets and no more', async () => {
  const server = await startLatencyServer([{ ms: 20, share: 100 }])
  try {
    const r = await run(
      server.url,
      getScenario({
        model: 'closed',
        stages: [
          { duration: '2s', target: 30 },
          { duration: '1s', target: 30 },
          { duration: '1s', target: 0 },
        ],
      }),
    )
    assert.equal(r.vusMax, 30)
    const first = r.timeline[0]!,
      peak = Math.max(...r.timeline.map((p) => p.active))
    assert.ok(first.active < 30, `the first second ramps (active ${first.active})`)
    assert.equal(peak, 30)
  } finally {
    await server.close()
  }
})
