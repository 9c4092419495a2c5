// A browser scenario in report.html and report.md: the Web Vitals table, the step chart and
// table, the first failure's files linked (only inside the run directory), target text escaped.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Results, ScenarioResult } from '../../core/results.js'
import { evaluate } from '../../gates/evaluate.js'
import { resolveGates } from '../../gates/presets.js'
import { browserFigures } from '../../scenarios/figures.js'
import { html } from '../../reports/html.js'
import { markdown } from '../../reports/markdown.js'

const summary = (p50: number, p95: number, max: number) => ({ count: 4, min: p50, mean: p50, p50, p90: p95, p95, p99: p95, max })

function browserResults(over: { path?: string } = {}): Results {
  const s: ScenarioResult = {
    name: 'shop',
    engine: 'browser',
    kind: 'browser',
    status: 'measured',
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 10_000,
    profile: {},
    coordinatedOmission: 'not-applicable',
    requests: 4,
    errors: 1,
    iterations: 4,
    droppedIterations: 0,
    vusMax: 2,
    bytesReceived: 0,
    statuses: {},
    latency: null,
    histogram: null,
    steps: [],
    timeline: [],
    topErrors: [{ step: 'pay', kind: 'check', message: '<img src=x onerror=alert(1)> not visible', count: 1 }],
    browser: {
      file: 'shop.spec.ts',
      tests: ['shop'],
      browsers: 1,
      chromium: '156',
      interruptedIterations: 0,
      iterationDuration: summary(1800, 2400, 2500),
      iterationHistogram: null,
      steps: [
        { name: 'open', title: 'Open <b>shop</b>', count: 4, errors: 0, duration: summary(900, 1300, 1400), histogram: null },
        { name: 'pay', title: 'pay', count: 4, errors: 1, duration: summary(400, 700, 800), histogram: null },
      ],
      webVitals: {
        lcp: { p75: 1900, samples: 4 },
        inp: { p75: 320, samples: 4 },
        cls: { p75: 0.02, samples: 4 },
        fcp: { p75: 700, samples: 4 },
        ttfb: { p75: 80, samples: 4 },
      },
      pageViews: 4,
      pageRequests: 12,
      pageRequestsFailed: 0,
      pageRequestsBlocked: 0,
      memory: { launchedMiB: 90, peakMiB: 300, perUserMiB: 100, availableMiB: 8000 },
      firstFailure: {
        iteration: 3,
        test: 'shop',
        step: 'pay',
        message: 'not visible',
        screenshot: over.path ?? 'browser/shop/first-failure.png',
        trace: 'browser/shop/first-failure-trace.zip',
      },
    },
  }
  return {
    schemaVersion: 1,
    run: {
      id: 'r',
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:10Z',
      durationMs: 10_000,
      partial: false,
      environment: 'staging',
      target: 'http://127.0.0.1:1',
      command: 'golive loadtest',
      golive: '0',
      node: 'v20',
      host: { platform: 'linux', cpus: 2, memoryGiB: 8 },
    },
    figures: browserFigures(s),
    scenarios: [s],
    checks: [],
    gates: [],
  }
}

test('report.html: Web Vitals table with ratings, the step chart, the first failure linked, target text escaped', () => {
  const results = browserResults()
  const page = html.render({ results, scorecard: evaluate(results, resolveGates(['go-live'], [])) })
  assert.match(page, /Browser scenario <span class="name">shop<\/span>/)
  assert.match(page, /INP \(interaction to next paint\)<\/td><td>320 ms<\/td><td>4<\/td><td>≤ 200 ms<\/td><td><span class="tag warn">needs improvement/)
  assert.match(page, /LCP \(largest contentful paint\)<\/td><td>1\.9 s/)
  assert.match(page, /id="chart-b0-steps"/)
  assert.match(page, /"xNames":\["Open \\u003cb\\u003eshop\\u003c\/b\\u003e","pay"\]/)
  assert.match(page, /<a href="browser\/shop\/first-failure\.png">screenshot<\/a> · <a href="browser\/shop\/first-failure-trace\.zip">Playwright trace<\/a>/)
  assert.ok(!page.includes('<img src=x'), 'an error message is escaped')
  assert.ok(!page.includes('<b>shop</b>'), 'a step title is escaped')
})

test('report.html: a first-failure path outside the run directory is not linked', () => {
  const results = browserResults({ path: '../../etc/passwd' })
  const page = html.render({ results, scorecard: evaluate(results, []) })
  assert.match(page, /screenshot: not kept/)
  assert.ok(!page.includes('href="../'))
})

test('report.md: the browser scenario row counts iterations, not requests, and lists Web Vitals and steps', () => {
  const results = browserResults()
  const md = markdown.render({ results, scorecard: evaluate(results, []) })
  assert.match(md, /\| shop \(browser\) \| measured \| — \| 4 \| — \| 25 % \| 2 \| 1\.8 s \| 2\.4 s \|/)
  assert.match(md, /Web Vitals p75 over 4 page views: LCP 1\.9 s · INP 320 ms · CLS 0\.02/)
  assert.match(md, /\| pay \| 4 \| 1 \| 400 ms \| 700 ms \| 800 ms \|/)
})
