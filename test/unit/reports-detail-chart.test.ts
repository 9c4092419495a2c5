// A table detail's chart hint: report.html draws it with the shared chart code under the id
// '<check prefix>-<name>' (page-load's runs as points with their gate targets, alerts' drills as
// lanes, capacity's steps as lines), validates against results.schema.json, and an older
// results.json without details gets the same charts from its evidence's shapes.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { alertDetails } from '../../checks/alerts.js'
import { pageLoadDetails } from '../../checks/page-load/details.js'
import { validateResults } from '../../core/read-results.js'
import { html } from '../../reports/html.js'
import { markdown } from '../../reports/markdown.js'
import { legacyDetails } from '../../reports/legacy-details.js'
import type { CheckResult, Detail } from '../../core/results.js'
import { goFixture } from '../support/report-fixture.js'

interface Spec {
  id: string
  x: number[]
  xNames?: string[]
  lanes?: string[]
  series: { label: string; right?: boolean; values: (number | null)[] }[]
  marks?: { x: number; label: string }[]
  targets?: { y: number; label: string }[]
}
const charts = (page: string) => JSON.parse(/id="golive-charts">([\s\S]*?)<\/script>/.exec(page)![1]!) as Spec[]

function withCheck(id: string, details: Detail[] | undefined, evidence: unknown = { any: 'thing' }) {
  const input = goFixture()
  const c: CheckResult = {
    id,
    status: 'measured',
    figures: {},
    evidence,
    ...(details ? { details } : {}),
    startedAt: '2024-05-14T10:00:00.000Z',
    durationMs: 1,
  }
  input.results.checks = [c]
  return input
}

test('a named table with a points hint: a chart per page of runs, the gate targets drawn, the table kept', () => {
  const d = pageLoadDetails({ version: 'Chromium 120', runsPerPage: 2, throttling: null }, [
    {
      name: 'home',
      url: 'http://h/',
      median: {},
      worst: {},
      runs: [
        { ttfb_ms: 50, lcp_ms: 1800, load_ms: 2000 },
        { ttfb_ms: 60, lcp_ms: 2100, load_ms: 2600 },
      ],
      consoleErrors: [],
      failedRequests: [],
      audit: null,
    },
  ])
  const input = withCheck('page-load', d)
  input.scorecard.rows.push({
    gate: 'page-load.page.*.lcp_ms < 2.5s',
    figure: 'page-load.page.home.lcp_ms',
    op: '<',
    expected: '2.5 s',
    actual: '2.1 s',
    actualValue: 2100,
    unit: 'ms',
    level: 'blocker',
    outcome: 'pass',
    why: 'ok',
  })
  assert.equal(validateResults(JSON.parse(JSON.stringify(input.results))), null)
  const page = html.render(input)
  const c = charts(page).find((x) => x.id === 'c0-page0')!
  assert.deepEqual(c.xNames, ['run 1', 'run 2'])
  assert.deepEqual(
    c.series.map((s) => [s.label, s.values]),
    [
      ['TTFB', [50, 60]],
      ['FCP', [null, null]],
      ['LCP', [1800, 2100]],
      ['DOMContentLoaded', [null, null]],
      ['load', [2000, 2600]],
    ],
  )
  assert.deepEqual(c.targets, [{ y: 2500, label: 'LCP target 2.5 s' }])
  assert.match(page, /id="chart-c0-page0"/)
  assert.match(page, /<table class="page0">/)
  // text reports show the table only
  assert.match(markdown.render(input), /^\| 1 \| 50 ms \|/m)
})

test('a lanes hint: a lane per drilled alert, a point per stage, the deadline marked; the table keeps every alert', () => {
  const d = alertDetails(
    [
      {
        alertname: 'HighErrors',
        deadlineSeconds: 60,
        drill: {
          alertname: 'HighErrors',
          trigger: 't',
          resolve: 'r',
          pending: 5,
          firing: 35,
          alertmanager: 36,
          notify: 40,
          cleared: 8,
          errors: [],
          waitedSeconds: 90,
          interrupted: false,
        },
        problems: [],
      },
      { alertname: 'NoRule', deadlineSeconds: 60, problems: ['no rule defines it'] },
    ],
    [],
  )
  const input = withCheck('alerts', d)
  assert.equal(validateResults(JSON.parse(JSON.stringify(input.results))), null)
  const page = html.render(input)
  const c = charts(page).find((x) => x.id === 'c0-alerts')!
  assert.deepEqual(c.lanes, ['HighErrors'])
  assert.deepEqual(c.x, [0, 5, 35, 36, 40])
  assert.deepEqual(
    c.series.map((s) => s.label),
    ['triggered', 'pending', 'firing', 'in Alertmanager', 'notified'],
  )
  assert.deepEqual(c.marks, [{ x: 60, label: 'deadline' }])
  assert.equal([...page.matchAll(/<table class="alerts">[\s\S]*?<\/table>/g)][0]![0].match(/<tr>/g)!.length, 3)
})

test('an older result without details: alert drills and capacity steps are drawn from their evidence shapes', () => {
  const alerts = { alerts: [{ alertname: '<b>x</b>', deadlineSeconds: 300, problems: [], drill: { pending: 2, firing: 12, notify: 42, errors: [] } }] }
  let page = html.render(withCheck('whatever', undefined, alerts))
  const a = charts(page).find((x) => x.id === 'c0-alerts')!
  assert.deepEqual(a.lanes, ['<b>x</b>'])
  assert.deepEqual(a.marks, [])
  assert.match(page, /<table class="alerts">/)
  assert.ok(!page.includes('<b>x</b></span>'))
  const steps = {
    brokeAt: { rate: 30 },
    steps: [
      { rate: 20, p95: 300, achievedRps: 19, holds: true, why: [] },
      { rate: 10, p95: 120, achievedRps: 10, holds: true, why: [] },
      { rate: 30, p95: 900, achievedRps: 22, holds: false, why: ['p95 over'] },
    ],
  }
  page = html.render(withCheck('anything', undefined, steps))
  const s = charts(page).find((x) => x.id === 'c0-capacity')!
  assert.deepEqual(s.x, [10, 20, 30])
  assert.deepEqual(
    s.series.map((x) => [x.label, x.right ?? false, x.values]),
    [
      ['p95', false, [120, 300, 900]],
      ['achieved req/s', true, [10, 19, 22]],
    ],
  )
  assert.deepEqual(s.marks, [{ x: 30, label: 'broke' }])
  // an evidence of no known shape: no details
  assert.deepEqual(legacyDetails({ server: 'x', steps: [{ name: 'a' }] }), [])
})

test('results.schema.json refuses a chart hint of an unknown kind and a name that is not a plain token', () => {
  const d: Detail[] = [
    { kind: 'table', name: 'runs', headings: [{ key: 'x', label: 'x' }], rows: [{ x: 1 }], chart: { kind: 'points', title: 't', series: [{ key: 'x' }] } },
  ]
  const input = withCheck('made-up', d)
  assert.equal(validateResults(JSON.parse(JSON.stringify(input.results))), null)
  const bad = JSON.parse(JSON.stringify(input.results))
  bad.checks[0].details[0].chart.kind = 'pie'
  assert.notEqual(validateResults(bad), null)
  const badName = JSON.parse(JSON.stringify(input.results))
  badName.checks[0].details[0].name = '"><script>'
  assert.notEqual(validateResults(badName), null)
})
