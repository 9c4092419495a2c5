// The checks' details: what they build from their own data validates against results.schema.json
// and renders through the generic renderers (a 'figure' column shows its gate, a drill's probe
// timeline its declared series and fault marks), with no report code naming the check.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { tlsDetails } from '../../checks/tls.js'
import { alertDetails } from '../../checks/alerts.js'
import { pageLoadDetails } from '../../checks/page-load/details.js'
import { experimentDetails } from '../../checks/drill/details.js'
import { auditAssets } from '../../checks/page-load/assets.js'
import { validateResults } from '../../core/read-results.js'
import { html } from '../../reports/html.js'
import { markdown } from '../../reports/markdown.js'
import type { CheckResult, Detail } from '../../core/results.js'
import { goFixture } from '../support/report-fixture.js'

function withCheck(id: string, details: Detail[]) {
  const input = goFixture()
  const c: CheckResult = { id, status: 'measured', figures: {}, evidence: { any: 'thing' }, details, startedAt: '2024-05-14T10:00:00.000Z', durationMs: 1 }
  input.results.checks = [c]
  return input
}

const charts = (page: string) =>
  JSON.parse(/id="golive-charts">([\s\S]*?)<\/script>/.exec(page)![1]!) as {
    id: string
    x: number[]
    series: { label: string; right?: boolean; values: (number | null)[] }[]
    marks: { x: number; label: string }[]
    y2Label?: string
  }[]

test('tls: grade caps, protocols and the certificate as details', () => {
  const d = tlsDetails(
    { caps: [{ rule: 'no-hsts', grade: 'A', why: 'no HSTS <b>header</b>' }], warnings: [{ rule: 'no-tls13', grade: 'A-', why: 'TLS 1.3 is not supported' }] },
    { protocols: { 'TLSv1.2': true, 'TLSv1.3': false } as never, certificate: { subject: 'CN=<x>', daysToExpiry: 40 } as never },
  )
  const input = withCheck('tls', d)
  assert.equal(validateResults(JSON.parse(JSON.stringify(input.results))), null)
  const page = html.render(input)
  assert.match(page, /<h4 class="name">Grade caps<\/h4>/)
  assert.match(page, /<td><span class="target-text">no-hsts<\/span><\/td><td><span class="target-text">cap<\/span><\/td><td><strong>A<\/strong><\/td>/)
  assert.ok(page.includes('no HSTS &lt;b&gt;header&lt;/b&gt;'))
  assert.match(page, /TLSv1\.3<\/span><\/td><td><span class="bad">no<\/span>/)
  assert.ok(page.includes('CN=&lt;x&gt;'))
})

test('page-load: a figure column shows the gate on each metric, read from the scorecard', () => {
  const d = pageLoadDetails({ version: 'Chromium 120', runsPerPage: 3, throttling: null }, [
    {
      name: 'home',
      url: 'http://h/<i>',
      median: { lcp_ms: 1800, cls: 0.05, bytes: 4096 },
      worst: { lcp_ms: 3100 },
      runs: [{ lcp_ms: 1800 }, { error: 'net::ERR <b>' }],
      consoleErrors: ['<img src=x>'],
      failedRequests: [],
      audit: { audit: auditAssets([]), run: 1 },
    },
  ])
  const input = withCheck('page-load', d)
  input.scorecard.rows.push({
    gate: 'page-load.page.*.lcp_ms < 2.5s',
    figure: 'page-load.page.home.lcp_ms',
    op: '<',
    expected: '2.5 s',
    actual: '1.8 s',
    actualValue: 1800,
    unit: 'ms',
    level: 'blocker',
    outcome: 'pass',
    why: 'ok',
  })
  assert.equal(validateResults(JSON.parse(JSON.stringify(input.results))), null)
  const page = html.render(input)
  assert.match(page, /<td><span class="target-text">LCP<\/span><\/td><td>1\.8 s<\/td><td>3\.1 s<\/td><td>&lt; 2\.5 s <span class="tag good">PASS<\/span><\/td>/)
  assert.match(page, /<td><span class="target-text">CLS<\/span><\/td><td>0\.05<\/td>/)
  assert.match(page, /<td><span class="target-text">bytes<\/span><\/td><td>4 KiB<\/td>/)
  assert.ok(page.includes('No asset needs a fix.'))
  assert.doesNotMatch(page.replace(/<script>[\s\S]*?<\/script>/g, ''), /<img src=x>|<b>|<i>/)
  const md = markdown.render(input)
  assert.match(md, /^\| LCP \| 1\.8 s \| 3\.1 s \| &lt; 2\.5 s PASS \|$/m)
})

test('alerts: each drill a timeline in seconds after the trigger, the deadline marked', () => {
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
    ['NoRule: no rule defines it'],
  )
  const input = withCheck('alerts', d)
  assert.equal(validateResults(JSON.parse(JSON.stringify(input.results))), null)
  const page = html.render(input)
  const c = charts(page).find((x) => x.id === 'c0-timeline-0')!
  assert.deepEqual(c.x, [0, 5, 35, 36, 40])
  assert.deepEqual(c.marks, [{ x: 60, label: 'deadline' }])
  assert.match(page, /<td><span class="target-text">NoRule<\/span><\/td><td>—<\/td>/)
})

test('a drill experiment: probe counts per interval as declared series (ms on the right), fault marks', () => {
  const d = experimentDetails({
    name: 'app-crash',
    faultAt: 1,
    faultDoneAt: 2.5,
    timeline: [
      { t: 0, read: 2, readFailed: 0, write: 1, writeFailed: 0, p95ms: 5 },
      { t: 0.5, read: 2, readFailed: 1, write: 1, writeFailed: 1, p95ms: null },
    ],
    actions: {
      fault: [{ action: 'kill-app1', provider: 'staging', startedAt: 1, endedAt: 2.5, seconds: 1.5, status: 'succeeded', ok: true }],
      rollback: [{ action: 'heal', provider: 'staging', startedAt: 4, endedAt: 4.2, seconds: 0.2, status: 'failed', ok: false, error: '<boom>' }],
    },
    writes: { sent: 2, acknowledged: 1, lost: 0 },
  })
  const input = withCheck('failover', d)
  assert.equal(validateResults(JSON.parse(JSON.stringify(input.results))), null)
  const page = html.render(input)
  const c = charts(page).find((x) => x.id === 'c0-timeline-0')!
  assert.deepEqual(
    c.series.map((s) => [s.label, s.right ?? false, s.values]),
    [
      ['read', false, [2, 2]],
      ['readFailed', false, [0, 1]],
      ['write', false, [1, 1]],
      ['writeFailed', false, [0, 1]],
      ['p95ms', true, [5, null]],
    ],
  )
  assert.deepEqual(c.marks, [
    { x: 1, label: 'fault' },
    { x: 2.5, label: 'faultDone' },
  ])
  assert.equal(c.y2Label, 'ms')
  assert.match(page, /<h4 class="name">app-crash<\/h4>/)
  assert.ok(page.includes('&lt;boom&gt;'))
})
