import { test } from 'node:test'
import assert from 'node:assert/strict'
import { html } from '../../reports/html.js'
import { histogramBuckets } from '../../reports/html/scenarios.js'
import { readTimeline } from '../../reports/html/timeline.js'
import { scriptJson } from '../../reports/html/text.js'
import { createHistogram, encodeHistogram, recordMs } from '../../core/histogram.js'
import { fixture, goFixture } from '../support/report-fixture.js'

/** The page without its inlined library and chart script: what the renderer wrote from data. */
function ours(page: string): string {
  return page.replace(/<script>[\s\S]*?<\/script>/g, '<script>…</script>').replace(/<style>[\s\S]*?<\/style>/, '<style>…</style>')
}

test('report.html: one self-contained page, verdict first, NO-GO with the failed blockers listed', () => {
  const page = html.render(fixture())
  assert.match(page, /^<!doctype html>/)
  assert.match(page, /<header class="verdict no-go" id="verdict" data-verdict="no-go">\s*<h1>NO-GO<\/h1>/)
  assert.ok(page.indexOf('id="verdict"') < page.indexOf('id="blockers"') && page.indexOf('id="blockers"') < page.indexOf('id="scorecard"'))
  assert.match(page, /Partial run: interrupted by SIGINT/)
  // the blockers: fail, missing and skipped under a blocker level
  const blockers = /<section class="blockers"[\s\S]*?<\/section>/.exec(page)![0]
  for (const f of ['load.checkout.latency_p95', 'headers.server', 'headers.hsts_max_age', 'backup-restore.restore_seconds']) assert.ok(blockers.includes(f), f)
  assert.ok(!blockers.includes('load.checkout.error_rate'), 'a warning is not a blocker')
  // nothing to fetch: no src= or href= to the network, the library is inline
  assert.doesNotMatch(ours(page), /\s(src|href)="(https?:)?\/\//)
  assert.match(page, /uPlot/)
  assert.equal(html.fileName, 'report.html')
})

test('report.html: GO banner', () => {
  const page = html.render(goFixture())
  assert.match(page, /data-verdict="go">\s*<h1>GO<\/h1>/)
  assert.doesNotMatch(page, /id="blockers"/)
})

test('every string from the target is escaped: no tag, handler or escape sequence survives', () => {
  const page = ours(html.render(fixture()))
  assert.doesNotMatch(page, /<script>alert/)
  assert.doesNotMatch(page, /<img/)
  assert.doesNotMatch(page, /<b>/)
  assert.doesNotMatch(page, /\u001b/)
  assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
  assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'))
  assert.ok(page.includes('https://staging.example.com/&lt;b&gt;'))
  // the only scripts are the two inlined ones (plus the JSON data block)
  const scripts = html.render(fixture()).match(/<script[^>]*>/g)!
  assert.deepEqual(scripts, ['<script type="application/json" id="golive-charts">', '<script>', '<script>'])
})

test('the CSP allows exactly the two inlined scripts, by hash', () => {
  const page = html.render(fixture())
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!.replace(/&apos;/g, "'")
  assert.match(csp, /default-src 'none'/)
  assert.equal(csp.match(/'sha256-[A-Za-z0-9+/=]+'/g)!.length, 2)
  assert.doesNotMatch(csp, /unsafe-inline'[^;]*;?\s*$|script-src[^;]*unsafe-inline/)
})

test('chart data cannot close its script element', () => {
  const s = scriptJson([{ label: '</script><script>alert(1)</script>', x: '\u2028' }])
  assert.doesNotMatch(s, /</)
  assert.deepEqual(JSON.parse(s), [{ label: '</script><script>alert(1)</script>', x: '\u2028' }])
})

test('charts only for what was measured: no timeline, no histogram → no scenario charts', () => {
  const page = html.render(fixture())
  const data = JSON.parse(/<script type="application\/json" id="golive-charts">([\s\S]*?)<\/script>/.exec(page)![1]!)
  assert.deepEqual(data, [])
  const input = fixture()
  input.results.scenarios[0]!.timeline = [
    { t: 0, requests: 10, errors: 1, active: 5, p50: 10, p95: 20, max: 30 },
    { t: 1, requests: 12, errors: 0, active: 5, p50: 11, p95: 21, max: 31 },
  ]
  const h = createHistogram()
  for (let i = 1; i <= 1000; i++) recordMs(h, i)
  input.results.scenarios[0]!.histogram = encodeHistogram(h)
  const withData = JSON.parse(/id="golive-charts">([\s\S]*?)<\/script>/.exec(html.render(input))![1]!) as {
    id: string
    series: { label: string; values: (number | null)[] }[]
  }[]
  assert.deepEqual(
    withData.map((c) => c.id),
    ['s0-latency', 's0-throughput', 's0-histogram'],
  )
  // errors are markers only where there were errors
  assert.deepEqual(withData[0]!.series.find((s) => s.label === 'errors/s')!.values, [1, null])
})

test('histogram buckets hold every request exactly once, log-spaced', () => {
  const h = createHistogram()
  for (let i = 0; i < 900; i++) recordMs(h, 5 + (i % 10))
  for (let i = 0; i < 100; i++) recordMs(h, 800 + i)
  const b = histogramBuckets(encodeHistogram(h))!
  assert.equal(
    b.counts.reduce((a, c) => a + c, 0),
    1000,
  )
  assert.equal(b.counts.length, b.names.length)
  assert.ok(b.counts[0]! > 0 && b.counts.at(-1)! > 0)
  assert.equal(histogramBuckets(null), null)
  assert.equal(histogramBuckets('not base64 at all'), null)
})

test('timelines are read generically: seconds, ms offsets, ISO times, marks', () => {
  assert.deepEqual(
    readTimeline([
      { t: 2, state: 'b' },
      { t: 1, state: 'a' },
    ]).map((e) => [e.t, e.label]),
    [
      [1, 'a'],
      [2, 'b'],
    ],
  )
  assert.deepEqual(
    readTimeline([{ atMs: 1500, outcome: 'ok' }]).map((e) => [e.t, e.label]),
    [[1.5, 'ok']],
  )
  const iso = readTimeline([
    { at: '2026-12-01T10:00:05Z', event: 'firing' },
    { at: '2026-12-01T10:00:00Z', event: 'pending' },
    { at: '2026-12-01T10:00:07Z', event: 'fault', mark: true },
  ])
  assert.deepEqual(
    iso.map((e) => [e.t, e.label, e.mark]),
    [
      [0, 'pending', false],
      [5, 'firing', false],
      [7, 'fault', true],
    ],
  )
  // entries without a time are left out, not guessed
  assert.deepEqual(readTimeline([{ state: 'x' }, 'text', null]), [])
})

test('a check with a timeline in its evidence gets a chart and a table of changes; a hostile label stays text', () => {
  const input = goFixture()
  input.results.checks.push({
    id: 'failover',
    status: 'measured',
    figures: {},
    startedAt: input.results.run.startedAt,
    durationMs: 1000,
    evidence: {
      timeline: [
        { t: 0, outcome: 'ok' },
        { t: 1, outcome: '<img src=x onerror=alert(1)>' },
        { t: 2, outcome: 'ok' },
      ],
    },
  })
  const page = html.render(input)
  assert.match(page, /id="chart-c4-timeline"/)
  assert.doesNotMatch(ours(page), /<img/)
  assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'))
})

test('timelines are found nested in the evidence; a numeric one (drill buckets) becomes lines with its …At marks', () => {
  const input = goFixture()
  input.results.checks.push({
    id: 'rolling-restart',
    status: 'measured',
    figures: {},
    startedAt: input.results.run.startedAt,
    durationMs: 1000,
    evidence: {
      target: 'x',
      deploy: {
        faultAt: 1,
        faultDoneAt: 2.5,
        endAt: 4,
        timeline: [
          { t: 0, read: 2, readFailed: 0, p95ms: 5 },
          { t: 0.5, read: 2, readFailed: 1, p95ms: null },
        ],
      },
    },
  })
  const page = html.render(input)
  const charts = JSON.parse(/id="golive-charts">([\s\S]*?)<\/script>/.exec(page)![1]!) as {
    id: string
    series: { label: string; right?: boolean; values: (number | null)[] }[]
    marks: unknown[]
    y2Label?: string
  }[]
  const c = charts.find((x) => x.id === 'c4-timeline-0')!
  assert.deepEqual(
    c.series.map((s) => [s.label, s.right ?? false, s.values]),
    [
      ['read', false, [2, 2]],
      ['readFailed', false, [0, 1]],
      ['p95ms', true, [5, null]],
    ],
  )
  assert.deepEqual(c.marks, [
    { x: 1, label: 'fault' },
    { x: 2.5, label: 'faultDone' },
  ])
  assert.equal(c.y2Label, 'ms')
  assert.match(page, /<h4 class="name">deploy<\/h4>/)
})
