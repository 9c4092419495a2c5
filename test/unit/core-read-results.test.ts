// The results schema refuses what no measurement produces: a crafted results.json with negative
// durations, latencies or rates, or absurd magnitudes, must not reach the gates.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { validateResults } from '../../core/read-results.js'
import { fixtureResults } from '../support/report-fixture.js'

test("a real run's shape is accepted", () => {
  assert.equal(validateResults(fixtureResults()), null)
})

test('negative or absurd durations, latencies and rates are refused, naming the place', () => {
  const cases: [string, (r: ReturnType<typeof fixtureResults>) => void, RegExp][] = [
    [
      'negative latency',
      (r) => {
        r.scenarios[0]!.latency!.p95 = -1e308
      },
      /\/scenarios\/0\/latency\/p95 must be >= 0/,
    ],
    [
      'negative step latency',
      (r) => {
        r.scenarios[0]!.steps[0]!.latency!.max = -5
      },
      /latency\/max must be >= 0/,
    ],
    [
      'absurd latency',
      (r) => {
        r.scenarios[0]!.latency!.p99 = 1e308
      },
      /must be <= 1000000000000000/,
    ],
    [
      'negative run duration',
      (r) => {
        r.run.durationMs = -1
      },
      /\/run\/durationMs must be >= 0/,
    ],
    [
      'negative check duration',
      (r) => {
        r.checks[0]!.durationMs = -1
      },
      /\/checks\/0\/durationMs/,
    ],
    [
      'negative ms figure',
      (r) => {
        r.figures['load.checkout.http_req_duration.p95'] = { value: -5, unit: 'ms' }
      },
      /value must be >= 0|must match/,
    ],
    [
      'negative rate figure',
      (r) => {
        r.figures['load.checkout.error_rate'] = { value: -3, unit: '%' }
      },
      /value must be >= 0|must match/,
    ],
    [
      'absurd count figure',
      (r) => {
        r.figures['tls.days_to_expiry'] = { value: -1e308, unit: 'count' }
      },
      /value must be >= -1000000000000000|must match/,
    ],
  ]
  for (const [what, spoil, message] of cases) {
    const r = fixtureResults()
    spoil(r)
    const problem = validateResults(r)
    assert.ok(problem, `${what} is refused`)
    assert.match(problem, message, what)
  }
  // a days-to-expiry below zero is a measurement (an expired certificate), not an absurdity
  const expired = fixtureResults()
  expired.figures['tls.days_to_expiry'] = { value: -3, unit: 'count' }
  assert.equal(validateResults(expired), null)
})
