// The browser engine's pure parts: the memory fit check, p75, step keys, error texts, the
// figures of a browser scenario and which gates apply to which kind of scenario.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assertFits, BROWSER_MIB, USER_MIB } from '../../scenarios/engines/browser/memory.js'
import { p75 } from '../../scenarios/engines/browser/vitals.js'
import { errorText, stepKey } from '../../scenarios/engines/browser/run.js'
import { specName } from '../../scenarios/engines/browser/spec.js'
import { browserFigures } from '../../scenarios/figures.js'
import { expandFigure, sourceInRun } from '../../gates/figures.js'
import type { Results, ScenarioResult } from '../../core/results.js'

const perFive = (u: number) => Math.max(1, Math.ceil(u / 5))

test('assertFits: refuses with the numbers and the largest count that fits', () => {
  assert.deepEqual(assertFits('shop', 5, perFive, 10_000), { neededMiB: BROWSER_MIB + 5 * USER_MIB, availableMiB: 10_000 })
  assert.throws(
    () => assertFits('shop', 200, perFive, 7_900),
    (e: Error & { hint?: string }) => {
      assert.match(e.message, /200 browser users need about 30000 MiB \(40 browsers × 250 MiB \+ 200 users × 100 MiB/)
      assert.match(e.message, /7900 MiB available/)
      // 52 users: 11 browsers × 250 + 52 × 100 = 7950 > 7900; 51: 11 × 250 + 5100 = 7850
      assert.match(e.hint ?? '', /at most 51 browser users/)
      return true
    },
  )
})

test('p75 is the nearest-rank 75th percentile', () => {
  assert.equal(p75([]), null)
  assert.equal(p75([7]), 7)
  assert.equal(p75([4, 1, 3, 2]), 3)
  assert.equal(p75([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 8)
})

test('step keys, spec names and error texts', () => {
  assert.equal(stepKey('Add to cart'), 'add_to_cart')
  assert.equal(stepKey('log-in › 2FA!'), 'log-in_2fa')
  assert.equal(stepKey('***'), 'step')
  assert.equal(specName('/x/checkout.spec.ts'), 'checkout')
  assert.equal(specName('my.shop.test.mjs'), 'my_shop')
  const e = errorText(Object.assign(new Error('\u001b[31mexpect(received).toBe(expected)\u001b[39m\n\nExpected: 2'), { matcherResult: {} }))
  assert.deepEqual([e.message, e.kind], ['expect(received).toBe(expected)', 'check'])
  assert.equal(errorText('boom').kind, 'error')
})

const browserScenario = (over: Partial<ScenarioResult> = {}): ScenarioResult => ({
  name: 'shop',
  engine: 'browser',
  kind: 'browser',
  status: 'measured',
  startedAt: '',
  durationMs: 1000,
  profile: {},
  coordinatedOmission: 'not-applicable',
  requests: 10,
  errors: 2,
  iterations: 10,
  droppedIterations: 0,
  vusMax: 3,
  bytesReceived: 0,
  statuses: {},
  latency: null,
  histogram: null,
  steps: [],
  timeline: [],
  topErrors: [],
  browser: {
    file: 'shop.spec.ts',
    tests: ['t'],
    browsers: 1,
    chromium: null,
    interruptedIterations: 0,
    iterationDuration: { count: 10, min: 1, mean: 2, p50: 2, p90: 3, p95: 3, p99: 3, max: 3 },
    iterationHistogram: null,
    steps: [
      {
        name: 'open',
        title: 'Open',
        count: 10,
        errors: 0,
        duration: { count: 10, min: 1, mean: 2, p50: 2, p90: 3, p95: 3.5, p99: 3, max: 4 },
        histogram: null,
      },
    ],
    webVitals: {
      lcp: { p75: 1200, samples: 10 },
      inp: { p75: null, samples: 0 },
      cls: { p75: 0.05, samples: 10 },
      fcp: { p75: 800, samples: 10 },
      ttfb: { p75: 90, samples: 10 },
    },
    pageViews: 10,
    pageRequests: 30,
    pageRequestsFailed: 0,
    pageRequestsBlocked: 0,
    memory: { launchedMiB: 90, peakMiB: 300, perUserMiB: 70, availableMiB: 8000 },
  },
  ...over,
})

test('browser figures: iterations, failed share, step durations, Web Vitals p75 (none without samples)', () => {
  const f = browserFigures(browserScenario())
  assert.equal(f['load.shop.error_rate']?.value, 20)
  assert.equal(f['load.shop.iteration_duration_p95']?.value, 3)
  assert.equal(f['load.shop.step.open.duration_p95']?.value, 3.5)
  assert.equal(f['load.shop.step.open.duration_max']?.value, 4)
  assert.equal(f['load.shop.web_vitals.lcp_p75']?.value, 1200)
  assert.equal(f['load.shop.web_vitals.cls_p75']?.unit, undefined)
  assert.equal(f['load.shop.web_vitals.inp_p75'], undefined, 'no interaction, no INP figure')
  assert.equal(f['load.shop.latency_p95'], undefined)
})

test('gates: HTTP-only gates skip browser scenarios and Web Vitals gates skip HTTP ones; a missing INP is a row', () => {
  const b = browserScenario()
  const http = { ...browserScenario({ name: 'api', engine: 'embedded' }), kind: undefined, browser: undefined }
  const results = {
    scenarios: [b, http],
    checks: [],
    figures: { ...browserFigures(b), 'load.api.latency_p95': { value: 5, unit: 'ms' } },
  } as unknown as Results
  assert.deepEqual(expandFigure(results, 'load.*.latency_p95'), ['load.api.latency_p95'])
  assert.deepEqual(expandFigure(results, 'load.*.web_vitals.lcp_p75'), ['load.shop.web_vitals.lcp_p75'])
  assert.deepEqual(expandFigure(results, 'load.*.web_vitals.inp_p75'), ['load.shop.web_vitals.inp_p75'], 'expected, so it reads missing')
  const httpOnly = { ...results, scenarios: [http] } as Results
  assert.equal(sourceInRun(httpOnly, 'load.*.web_vitals.lcp_p75'), false, 'an HTTP-only run: not run')
  assert.equal(sourceInRun({ ...results, scenarios: [b] } as Results, 'load.*.latency_p95'), false)
})
