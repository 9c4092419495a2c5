// The live stream's parts: seconds published once and whole when every source has them, the
// metric samples made of them, the remote-write and OTLP encodings, and the command-line forms.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { createHistogram, recordMs } from '../../core/histogram.js'
import { LiveHub, type LiveEvent, type LiveSecond } from '../../core/live.js'
import { UsageError } from '../../core/errors.js'
import { clearSecrets, redact } from '../../core/redact.js'
import { LiveSeconds } from '../../scenarios/engines/live-seconds.js'
import { takeDashboard, liveOptions } from '../../cli/live/index.js'
import { parseOutMetrics } from '../../cli/live/metrics-out.js'
import { readWriteRequest, writeRequest } from '../../cli/live/prometheus-rw.js'
import { exportRequest } from '../../cli/live/otlp.js'
import { SeriesBuilder } from '../../cli/live/series.js'
import { dashboardPage } from '../../reports/live.js'
import { readExportRequest } from '../support/otlp-receiver.js'

const hist = (...ms: number[]) => {
  const h = createHistogram()
  for (const m of ms) recordMs(h, m)
  return h
}

test('a second is published once every source has passed it, in order, whole; the rest at the end', () => {
  const events: LiveEvent[] = []
  const live = new LiveSeconds('checkout', ['home', 'pay'], 2, (e) => events.push(e))
  live.epochMs = 1_000_000
  live.add(0, null, 3, 1, hist(10, 20, 30))
  live.add(0, 'home', 2, 0, hist(10, 20))
  live.add(0, 'pay', 1, 1, hist(30))
  live.active(0, 0, 2)
  live.complete(0, 1)
  assert.equal(events.length, 0, 'worker 1 has not passed second 0')
  live.add(0, null, 1, 0, hist(40))
  live.add(0, 'home', 1, 0, hist(40))
  live.active(1, 0, 3)
  live.add(1, null, 5, 0, null)
  live.complete(1, 1)
  assert.equal(events.length, 1)
  const s = events[0] as LiveSecond
  assert.deepEqual(
    { t: s.t, at: s.at, requests: s.requests, errors: s.errors, active: s.active, max: s.latency?.max },
    { t: 0, at: 1_000_000, requests: 4, errors: 1, active: 5, max: 40 },
  )
  assert.deepEqual(
    s.steps.map((x) => [x.name, x.requests, x.errors, x.latency?.max]),
    [
      ['home', 3, 0, 40],
      ['pay', 1, 1, 30],
    ],
  )
  // a delta for a second already published is counted late, not published again
  live.add(0, null, 2, 0, null)
  live.end()
  assert.deepEqual(
    events.slice(1).map((e) => (e.type === 'second' ? [e.type, e.t, e.requests] : e)),
    [['second', 1, 5], { type: 'scenario-end', scenario: 'checkout', requests: 9, errors: 1, late: 2 }],
  )
})

test('k6-style samples: one request at a time, latency only with a response, errors apart', () => {
  const events: LiveEvent[] = []
  const live = new LiveSeconds('s', ['a'], 1, (e) => events.push(e))
  live.request(0, 'a', 12, 1)
  live.request(0, 'a', null, 3)
  live.request(0, '(unnamed)', 50, 1)
  live.error(0, 'a')
  live.end()
  const s = events[0] as LiveSecond
  assert.equal(s.requests, 5)
  assert.equal(s.errors, 1)
  assert.equal(s.latency?.max, 50)
  assert.deepEqual(
    s.steps.map((x) => [x.name, x.requests, x.errors]),
    [
      ['a', 4, 1],
      ['(unnamed)', 1, 0],
    ],
  )
})

test('the hub switches a failing subscriber off, says so once, and the others go on', () => {
  const warned: string[] = []
  const hub = new LiveHub((l) => warned.push(l))
  let got = 0
  hub.subscribe(() => {
    throw new Error('boom')
  })
  hub.subscribe(() => {
    got++
  })
  for (let i = 0; i < 3; i++) hub.publish({ type: 'scenario-end', scenario: 'x', requests: 0, errors: 0, late: 0 })
  assert.equal(got, 3)
  assert.deepEqual(warned, ['golive: a live output failed and was switched off: boom'])
})

test('samples: per-second gauges, running totals as counters, latency in seconds, none without responses', () => {
  const b = new SeriesBuilder('t1')
  const sec = (t: number, requests: number, latency: LiveSecond['latency']): LiveSecond => ({
    type: 'second',
    scenario: 's',
    t,
    at: 5000 + t * 1000,
    requests,
    errors: 1,
    active: 2,
    latency,
    steps: [{ name: 'home', requests, errors: 1, latency }],
  })
  b.samples(sec(0, 10, { p50: 5, p90: 9, p95: 10, p99: 12, max: 20 }))
  const two = b.samples(sec(1, 4, null))
  const v = (name: string, labels: Record<string, string>) => two.find((x) => x.name === name && JSON.stringify(x.labels) === JSON.stringify(labels))
  assert.equal(v('golive_rps', { testid: 't1', scenario: 's' })?.value, 4)
  assert.equal(v('golive_requests_total', { testid: 't1', scenario: 's' })?.value, 14)
  assert.equal(v('golive_requests_total', { testid: 't1', scenario: 's' })?.startMs, 5000)
  assert.equal(v('golive_step_errors_total', { testid: 't1', scenario: 's', step: 'home' })?.value, 2)
  assert.equal(v('golive_users', { testid: 't1', scenario: 's' })?.value, 2)
  assert.ok(!two.some((x) => x.name.includes('latency')), 'a second without responses has no latency samples')
  const first = new SeriesBuilder('t').samples(sec(0, 10, { p50: 5, p90: 9, p95: 10, p99: 12, max: 20 }))
  assert.equal(first.find((x) => x.name === 'golive_latency_p95_seconds')?.value, 0.01)
  assert.equal(first.find((x) => x.name === 'golive_step_latency_max_seconds')?.value, 0.02)
})

test('remote write: one series per name and labels, labels sorted by name, samples oldest first', () => {
  const at = (name: string, labels: Record<string, string>, value: number, timeMs: number) => ({
    name,
    labels,
    value,
    timeMs,
    kind: 'gauge' as const,
    unit: '',
  })
  const body = writeRequest([
    at('golive_rps', { testid: 'x', scenario: 's' }, 2, 2000),
    at('golive_rps', { testid: 'x', scenario: 's' }, 1, 1000),
    at('golive_step_rps', { testid: 'x', step: 'a', scenario: 's' }, 7, 1000),
  ])
  // Snappy's block format: a varint of the uncompressed length first (not the framing format's stream identifier)
  assert.notEqual(body[0], 0xff)
  const w = readWriteRequest(body)
  assert.equal(w.timeseries.length, 2)
  assert.deepEqual(
    w.timeseries[0]!.labels.map((l) => l.name),
    ['__name__', 'scenario', 'testid'],
  )
  assert.deepEqual(w.timeseries[0]!.samples, [
    { value: 1, timestamp: 1000 },
    { value: 2, timestamp: 2000 },
  ])
  assert.deepEqual(w.timeseries[1]!.labels, [
    { name: '__name__', value: 'golive_step_rps' },
    { name: 'scenario', value: 's' },
    { name: 'step', value: 'a' },
    { name: 'testid', value: 'x' },
  ])
})

test('OTLP JSON passes the strict reader: gauges, cumulative monotonic sums, nanosecond strings', () => {
  const samples = new SeriesBuilder('t').samples({
    type: 'second',
    scenario: 's',
    t: 0,
    at: 1_700_000_000_123,
    requests: 3,
    errors: 0,
    active: 1,
    latency: { p50: 1, p90: 2, p95: 3, p99: 4, max: 5 },
    steps: [],
  })
  const points = readExportRequest(JSON.parse(exportRequest(samples)))
  assert.equal(points.length, samples.length)
  const total = points.find((p) => p.name === 'golive_requests_total')!
  assert.equal(total.kind, 'sum')
  assert.equal(total.timeNs, 1_700_000_000_123_000_000n)
  assert.equal(points.find((p) => p.name === 'golive_rps')!.kind, 'gauge')
  assert.throws(() => readExportRequest({ resourceMetrics: [{ resource: { attributes: [] }, scopeMetrics: [] }] }), /no service\.name/)
})

test('--out-metrics: KIND=URL, credentials to a header and hidden, OTLP base URLs get /v1/metrics', () => {
  clearSecrets()
  try {
    const [rw, otlp, path] = parseOutMetrics([
      'prometheus-rw=https://user:p%40ss-word1@prom.example:9090/api/v1/write?api_key=k3y-value-9',
      'otlp=http://127.0.0.1:4318',
      'otlp=http://127.0.0.1:4318/custom/metrics',
    ])
    assert.equal(rw!.auth, `Basic ${Buffer.from('user:p@ss-word1').toString('base64')}`)
    assert.equal(rw!.url.username, '')
    assert.equal(rw!.display, 'prometheus-rw https://prom.example:9090/api/v1/write?api_key=<hidden>')
    assert.ok(!redact('p@ss-word1 k3y-value-9').includes('p@ss') && !redact('k3y-value-9').includes('k3y'))
    assert.equal(otlp!.url.href, 'http://127.0.0.1:4318/v1/metrics')
    assert.equal(path!.url.pathname, '/custom/metrics')
  } finally {
    clearSecrets()
  }
  for (const bad of ['prometheus=http://x', 'otlp', 'otlp=not a url', 'otlp=ftp://x/']) assert.throws(() => parseOutMetrics([bad]), UsageError, bad)
  // a password in a bad value is not echoed
  assert.throws(
    () => parseOutMetrics(['influx=http://u:hunter22@x/']),
    (e: Error) => !e.message.includes('hunter22'),
  )
})

test('--dashboard [PORT]: alone, with a port, with =; taken out before the other options are parsed', () => {
  assert.deepEqual(takeDashboard(['--vus', '3', '--dashboard']), { argv: ['--vus', '3'], port: 0 })
  assert.deepEqual(takeDashboard(['--dashboard', '5665', '-d', '5s']), { argv: ['-d', '5s'], port: 5665 })
  assert.deepEqual(takeDashboard(['--dashboard=8080']), { argv: [], port: 8080 })
  // a following option or value that is not a number is not the port
  assert.deepEqual(takeDashboard(['--dashboard', '--ci']), { argv: ['--ci'], port: 0 })
  assert.deepEqual(takeDashboard(['-s', 'load']), { argv: ['-s', 'load'], port: null })
  assert.throws(() => takeDashboard(['--dashboard=99999']), UsageError)
  assert.throws(() => takeDashboard(['--dashboard=']), UsageError)
  assert.throws(() => liveOptions({ 'dashboard-keep': true }, null), /--dashboard-keep needs --dashboard/)
})

test("the dashboard page: report.html's chart specs with a key per series, its scripts allowed by hash, events from its own origin", () => {
  const { html, csp } = dashboardPage({ target: 'http://127.0.0.1:1/<b>', environment: 'e', command: 'golive loadtest' })
  assert.match(csp, /connect-src 'self'/)
  assert.match(csp, /default-src 'none'/)
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>\n/g)].map((m) => m[1]!)
  assert.equal(scripts.length, 3)
  for (const s of scripts) assert.ok(csp.includes(`'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`))
  assert.ok(html.includes('http://127.0.0.1:1/&lt;b&gt;'))
  const config = JSON.parse(/<script type="application\/json" id="golive-live">([\s\S]*?)<\/script>/.exec(html)![1]!) as {
    templates: { id: string; series: { key?: string }[] }[]
  }
  assert.deepEqual(
    config.templates.map((t) => t.id),
    ['tmpl-latency', 'tmpl-throughput'],
  )
  assert.ok(config.templates.every((t) => t.series.every((s) => typeof s.key === 'string')))
})
