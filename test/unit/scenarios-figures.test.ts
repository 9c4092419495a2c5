import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { scenarioFigures } from '../../scenarios/figures.js'
import { evaluate } from '../../gates/evaluate.js'
import { parseGate } from '../../gates/parse.js'
import type { LatencySummary, Results, ScenarioResult, StepResult } from '../../core/results.js'

const LAT: LatencySummary = { count: 200, min: 2.5, mean: 40.1, p50: 31, p90: 80, p95: 120.5, p99: 300, max: 912 }

function stepResult(name: string, over: Partial<StepResult> = {}): StepResult {
  return { name, method: 'GET', requests: 0, errors: 0, statuses: {}, checks: { passed: 0, failed: 0 }, latency: null, histogram: null, ...over }
}
function scenario(over: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    name: 'checkout',
    engine: 'embedded',
    status: 'measured',
    startedAt: '2024-01-01T00:00:00Z',
    durationMs: 10_000,
    profile: {},
    coordinatedOmission: 'not-applicable',
    requests: 200,
    errors: 5,
    iterations: 40,
    droppedIterations: 3,
    vusMax: 12,
    bytesReceived: 123_456,
    statuses: { 200: 195, 500: 5 },
    latency: LAT,
    histogram: null,
    steps: [
      stepResult('browse', { requests: 120, errors: 0, checks: { passed: 240, failed: 1 }, latency: { ...LAT, p50: 10, p95: 20, p99: 30, max: 40 } }),
      stepResult('login', { method: 'POST', requests: 80, errors: 5, checks: { passed: 75, failed: 6 }, latency: LAT }),
      stepResult('never', { requests: 0 }),
    ],
    timeline: [],
    topErrors: [],
    ...over,
  }
}
function results(r: ScenarioResult): Results {
  return {
    schemaVersion: 1,
    run: {
      id: 'r',
      startedAt: r.startedAt,
      finishedAt: r.startedAt,
      durationMs: r.durationMs,
      partial: false,
      environment: 'staging',
      target: 'https://staging.example.com',
      command: 'golive loadtest',
      golive: '0.1.0',
      node: 'v20',
      host: { platform: 'linux', cpus: 2, memoryGiB: 4 },
    },
    figures: scenarioFigures(r),
    scenarios: [r],
    checks: [],
    gates: [],
  }
}

describe('scenarioFigures', () => {
  it('names every figure load.<scenario>.<name>, with its unit', () => {
    const f = scenarioFigures(scenario())
    assert.deepEqual(f, {
      'load.checkout.requests': { value: 200, unit: 'count' },
      'load.checkout.errors': { value: 5, unit: 'count' },
      'load.checkout.error_rate': { value: 2.5, unit: '%' },
      'load.checkout.rps': { value: 20, unit: 'rps' },
      'load.checkout.iterations': { value: 40, unit: 'count' },
      'load.checkout.dropped_iterations': { value: 3, unit: 'count' },
      'load.checkout.vus_max': { value: 12, unit: 'count' },
      'load.checkout.bytes_received': { value: 123_456, unit: 'B' },
      'load.checkout.checks_failed': { value: 7, unit: 'count' },
      'load.checkout.latency_min': { value: 2.5, unit: 'ms' },
      'load.checkout.latency_mean': { value: 40.1, unit: 'ms' },
      'load.checkout.latency_p50': { value: 31, unit: 'ms' },
      'load.checkout.latency_p90': { value: 80, unit: 'ms' },
      'load.checkout.latency_p95': { value: 120.5, unit: 'ms' },
      'load.checkout.latency_p99': { value: 300, unit: 'ms' },
      'load.checkout.latency_max': { value: 912, unit: 'ms' },
      'load.checkout.step.browse.requests': { value: 120, unit: 'count' },
      'load.checkout.step.browse.error_rate': { value: 0, unit: '%' },
      'load.checkout.step.browse.latency_p50': { value: 10, unit: 'ms' },
      'load.checkout.step.browse.latency_p95': { value: 20, unit: 'ms' },
      'load.checkout.step.browse.latency_p99': { value: 30, unit: 'ms' },
      'load.checkout.step.browse.latency_max': { value: 40, unit: 'ms' },
      'load.checkout.step.login.requests': { value: 80, unit: 'count' },
      'load.checkout.step.login.error_rate': { value: 6.25, unit: '%' },
      'load.checkout.step.login.latency_p50': { value: 31, unit: 'ms' },
      'load.checkout.step.login.latency_p95': { value: 120.5, unit: 'ms' },
      'load.checkout.step.login.latency_p99': { value: 300, unit: 'ms' },
      'load.checkout.step.login.latency_max': { value: 912, unit: 'ms' },
      'load.checkout.step.never.requests': { value: 0, unit: 'count' },
    })
  })

  it('error rates are percentages rounded to 4 decimals; rps to 2', () => {
    const f = scenarioFigures(scenario({ requests: 3, errors: 1, durationMs: 7_000 }))
    assert.equal(f['load.checkout.error_rate']?.value, 33.3333)
    assert.equal(f['load.checkout.rps']?.value, 0.43)
  })

  it('no requests: no error_rate (0 of 0 is not 0 %), for the scenario and for a step', () => {
    const f = scenarioFigures(scenario({ requests: 0, errors: 0, latency: null, steps: [stepResult('idle')] }))
    assert.equal(f['load.checkout.requests']?.value, 0)
    assert.ok(!('load.checkout.error_rate' in f))
    assert.ok(!('load.checkout.step.idle.error_rate' in f))
    assert.equal(f['load.checkout.step.idle.requests']?.value, 0)
  })

  it('no response arrived: no latency figures at all', () => {
    // every request failed at the transport level: requests and errors counted, nothing timed
    const f = scenarioFigures(scenario({ requests: 10, errors: 10, latency: null, steps: [stepResult('down', { requests: 10, errors: 10 })] }))
    assert.deepEqual(
      Object.keys(f).filter((k) => k.includes('latency')),
      [],
    )
    assert.equal(f['load.checkout.error_rate']?.value, 100)
    assert.equal(f['load.checkout.step.down.error_rate']?.value, 100)
  })

  it('so a gate on a missing latency figure fails as missing, not as a pass', () => {
    const r = scenario({ requests: 0, errors: 0, latency: null, steps: [] })
    const card = evaluate(results(r), [parseGate('load.checkout.latency_p95 < 500ms', 'config'), parseGate('load.checkout.error_rate < 1%', 'config')])
    assert.deepEqual(
      card.rows.map((row) => [row.figure, row.outcome]),
      [
        ['load.checkout.latency_p95', 'missing'],
        ['load.checkout.error_rate', 'missing'],
      ],
    )
    assert.equal(card.verdict, 'no-go')
  })

  it('with latency measured, the same gate is judged on the figure', () => {
    const card = evaluate(results(scenario()), [parseGate('load.checkout.latency_p95 < 500ms', 'config')])
    assert.equal(card.rows[0]?.outcome, 'pass')
    assert.equal(card.verdict, 'go')
  })
})
