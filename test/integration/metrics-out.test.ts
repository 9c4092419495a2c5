// --out-metrics against real receivers: Debian's Prometheus with its remote-write receiver (the
// series queryable afterwards, with the testid label, and agreeing with results.json: the sum of
// the per-second counts is the run's total, per scenario and per step, and each second's p95 is
// the timeline's), both engines; OTLP/HTTP JSON against a loopback receiver that checks every
// request strictly (Debian's Prometheus 2.42 has no OTLP receiver); and outputs that refuse or
// never answer: warnings, the same verdict, a bounded end, credentials never shown.

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Results, Scorecard } from '../../core/results.js'
import { findK6 } from '../../scenarios/engines/k6/index.js'
import { golive } from '../support/cli.js'
import { startLatencyServer, type LatencyServer } from '../support/latency-server.js'
import { prometheusPath, startPrometheus, type PrometheusServer } from '../support/prometheus-server.js'
import { startOtlpReceiver } from '../support/otlp-receiver.js'
import { freePort } from '../support/tls-lab.js'

const PASSWORD = 'rw-pass-7f3a9c'
const SCENARIO = `name: two-steps
profile: { model: closed, vus: 3, duration: 6s }
steps:
  - name: home
    path: /
  - name: item
    path: /item?id=1
`

const promBin = prometheusPath()
let k6 = false
let dir: string
let server: LatencyServer
let prom: PrometheusServer | null = null

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'golive-metrics-out-'))
  writeFileSync(join(dir, 'two-steps.yaml'), SCENARIO)
  // every 25th answer a 503: the error series have something to count
  server = await startLatencyServer(
    [
      { ms: 15, share: 90 },
      { ms: 80, share: 10 },
    ],
    25,
  )
  if (promBin) prom = await startPrometheus(promBin)
  try {
    findK6()
    k6 = true
  } catch (e) {
    if (process.env.CI) throw e
  }
})

after(async () => {
  await prom?.stop()
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function read(out: string): { results: Results; scorecard: Scorecard; files: string } {
  const files = readdirSync(out)
    .filter((f) => !f.startsWith('.'))
    .map((f) => {
      try {
        return readFileSync(join(out, f), 'utf8')
      } catch {
        return ''
      }
    })
    .join('\n')
  return {
    results: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results,
    scorecard: JSON.parse(readFileSync(join(out, 'scorecard.json'), 'utf8')) as Scorecard,
    files,
  }
}

async function loadtest(name: string, extra: string[]) {
  const out = join(dir, name)
  const r = await golive(['loadtest', '-s', join(dir, 'two-steps.yaml'), '--target', server.url, '--out', out, ...extra], { cwd: dir, timeoutMs: 180_000 })
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}\n${r.stderr}`)
  return { ...r, ...read(out) }
}

const one = async (q: string) => {
  const rows = await prom!.query(q)
  assert.equal(rows.length, 1, `${q}: ${JSON.stringify(rows)}`)
  return rows[0]!.value
}

async function checkSeries(testid: string, results: Results, late: number): Promise<void> {
  const s = results.scenarios[0]!
  const sel = `testid="${testid}",scenario="two-steps"`
  assert.ok(s.requests > 50, `the run made ${s.requests} requests`)
  assert.ok(s.errors > 0, 'the server failed some requests')
  assert.equal((await one(`sum(sum_over_time(golive_rps{${sel}}[1h]))`)) + late, s.requests)
  assert.equal((await one(`sum(sum_over_time(golive_errors_per_second{${sel}}[1h]))`)) <= s.errors, true)
  if (late === 0) {
    assert.equal(await one(`sum(sum_over_time(golive_errors_per_second{${sel}}[1h]))`), s.errors)
    assert.equal(await one(`max(max_over_time(golive_requests_total{${sel}}[1h]))`), s.requests)
    assert.equal(await one(`max(max_over_time(golive_errors_total{${sel}}[1h]))`), s.errors)
  }
  // per step, with the step label
  const steps = await prom!.query(`sum by (step) (sum_over_time(golive_step_rps{${sel}}[1h]))`)
  assert.deepEqual(steps.map((r) => r.metric.step).sort(), ['home', 'item'])
  const stepSum = steps.reduce((a, r) => a + r.value, 0)
  assert.equal(stepSum + late, s.requests)
  if (late === 0) for (const st of s.steps) assert.equal(steps.find((r) => r.metric.step === st.name)!.value, st.requests, `step ${st.name}`)
  // one sample a second, as many as results.json's timeline has seconds
  assert.equal(await one(`count_over_time(golive_rps{${sel}}[1h])`), s.timeline.length)
  assert.equal(await one(`max_over_time(golive_users{${sel}}[1h])`), Math.max(...s.timeline.map((p) => p.active)))
  if (late === 0) {
    // the slowest request: the max of the per-second maxima
    assert.ok(Math.abs((await one(`max_over_time(golive_latency_max_seconds{${sel}}[1h])`)) * 1000 - s.latency!.max) < 1e-6)
    // each second's p95 is the timeline's p95 of that second (timestamps: second t of the run)
    const res = await fetch(`${prom!.url}/api/v1/query?query=${encodeURIComponent(`golive_latency_p95_seconds{${sel}}[1h]`)}`)
    const matrix = ((await res.json()) as { data: { result: { values: [number, string][] }[] } }).data.result
    assert.equal(matrix.length, 1)
    const got = matrix[0]!.values.map(([, v]) => Math.round(Number(v) * 1e6) / 1e3)
    assert.deepEqual(
      got,
      s.timeline.filter((p) => p.p95 !== null).map((p) => p.p95),
    )
  }
}

test('prometheus-rw: the per-second series land in a real Prometheus with the testid label and add up to results.json', async (t) => {
  if (!prom) {
    t.skip('Prometheus is not installed (apt-get install prometheus)')
    return
  }
  const url = `http://golive:${PASSWORD}@${prom.url.slice('http://'.length)}/api/v1/write`
  const r = await loadtest('embedded', ['--out-metrics', `prometheus-rw=${url}`, '--testid', 'rw-embedded'])
  assert.match(r.stderr, /metrics out prometheus-rw http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write: \d+ samples sent\n/)
  assert.doesNotMatch(r.stderr, /not sent|golive: metrics out/)
  for (const text of [r.stdout, r.stderr, r.files]) {
    assert.ok(!text.includes(PASSWORD) && !text.includes(Buffer.from(`golive:${PASSWORD}`).toString('base64')), 'the password was shown')
  }
  await checkSeries('rw-embedded', r.results, 0)
  assert.equal((await prom.query('count(golive_rps{testid="no-such-run"})')).length, 0)

  // the shipped Grafana dashboard: its variable finds the run, and every panel's query has data
  const dash = JSON.parse(readFileSync(new URL('../../docs/recipes/grafana-golive.json', import.meta.url), 'utf8')) as {
    panels: { title: string; targets: { expr: string }[] }[]
  }
  const labels = (await (await fetch(`${prom.url}/api/v1/label/testid/values?match[]=golive_rps`)).json()) as { data: string[] }
  assert.ok(labels.data.includes('rw-embedded'))
  for (const p of dash.panels) {
    for (const { expr } of p.targets) {
      const q = expr.replaceAll('$testid', 'rw-embedded').replaceAll('$scenario', '.*').replaceAll('$__range', '1h')
      const rows = await prom.query(q)
      assert.ok(rows.length > 0 && rows.every((x) => Number.isFinite(x.value)), `panel ${p.title}: ${q} has no data`)
    }
  }
  const total = await prom.query(`sum by (scenario) (max_over_time(golive_requests_total{testid=~"rw-embedded", scenario=~".*"}[1h]))`)
  assert.equal(total[0]!.value, r.results.scenarios[0]!.requests)
})

test('prometheus-rw with the k6 engine: the same series, adding up to its results.json', async (t) => {
  if (!prom) {
    t.skip('Prometheus is not installed (apt-get install prometheus)')
    return
  }
  if (!k6) {
    t.skip('k6 is not installed: npm run install-k6')
    return
  }
  const r = await loadtest('k6', ['--engine', 'k6', '--out-metrics', `prometheus-rw=${prom.url}/api/v1/write`, '--testid', 'rw-k6'])
  // k6 samples later than 2 s after their second are said, and are the only difference
  const late = Number(/metrics out: (\d+) k6 samples of two-steps came after/.exec(r.stderr)?.[1] ?? 0)
  assert.ok(late < r.results.scenarios[0]!.requests / 10, `${late} late samples`)
  await checkSeries('rw-k6', r.results, late)
})

test('otlp: OTLP/HTTP JSON that a strict receiver accepts, adding up to results.json, testid = the run id by default', async () => {
  const recv = await startOtlpReceiver()
  try {
    const r = await loadtest('otlp', ['--out-metrics', `otlp=${recv.url}`])
    assert.deepEqual(recv.errors, [])
    assert.ok(recv.requests >= 2, `${recv.requests} requests: sent while the run went, not only at the end`)
    assert.match(r.stderr, /metrics out otlp http:\/\/127\.0\.0\.1:\d+\/v1\/metrics: \d+ samples sent\n/)
    const s = r.results.scenarios[0]!
    const of = (name: string) => recv.points.filter((p) => p.name === name)
    assert.ok(recv.points.every((p) => p.attributes.testid === r.results.run.id && p.attributes.scenario === 'two-steps'))
    assert.equal(
      of('golive_rps').reduce((a, p) => a + p.value, 0),
      s.requests,
    )
    assert.equal(
      of('golive_errors_per_second').reduce((a, p) => a + p.value, 0),
      s.errors,
    )
    assert.equal(of('golive_rps').length, s.timeline.length)
    const totals = of('golive_requests_total')
    assert.ok(
      totals.every((p) => p.kind === 'sum' && p.startNs !== null),
      'the totals are cumulative sums',
    )
    assert.equal(Math.max(...totals.map((p) => p.value)), s.requests)
    for (const st of s.steps) {
      assert.equal(
        of('golive_step_rps')
          .filter((p) => p.attributes.step === st.name)
          .reduce((a, p) => a + p.value, 0),
        st.requests,
        st.name,
      )
    }
    assert.ok(of('golive_latency_p95_seconds').every((p) => p.kind === 'gauge' && p.unit === 's' && p.value > 0.01 && p.value < 5))
    // timestamps: second t of the run, in nanoseconds
    const started = Date.parse(s.startedAt)
    assert.ok(of('golive_rps').every((p) => Math.abs(Number(p.timeNs / 1_000_000n) - started) < s.durationMs + 5000))
  } finally {
    await recv.close()
  }
})

test('outputs that refuse or never answer: warnings, the same verdict, a bounded end, no credential shown', async () => {
  const closed = await freePort()
  // accepts, reads, never answers
  const hang: Server = createServer(() => {})
  await new Promise<void>((ok) => hang.listen(0, '127.0.0.1', () => ok()))
  const hangPort = (hang.address() as AddressInfo).port
  try {
    const started = Date.now()
    const r = await loadtest('failing', [
      '--out-metrics',
      `prometheus-rw=http://127.0.0.1:${closed}/api/v1/write`,
      '--out-metrics',
      `otlp=http://token-user:${PASSWORD}@127.0.0.1:${hangPort}/v1/metrics?api_key=${PASSWORD}x`,
    ])
    const took = Date.now() - started
    // 6 s of load; each request gives up after 5 s, the last flush after 10 s
    assert.ok(took < 6000 + 45_000, `took ${took} ms`)
    assert.match(r.stderr, /golive: metrics out prometheus-rw http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write: .*ECONNREFUSED.*; the run goes on/)
    assert.match(r.stderr, /golive: metrics out otlp http:\/\/127\.0\.0\.1:\d+\/v1\/metrics\?api_key=<hidden>: no answer in 5 s; the run goes on/)
    assert.match(r.stderr, /metrics out prometheus-rw .*: 0 samples sent, \d+ not sent/)
    for (const text of [r.stdout, r.stderr, r.files]) assert.ok(!text.includes(PASSWORD), 'a credential was shown')
    // the verdict is the gates', as without the outputs: the server's 503s (error rate) and the
    // preset's 100-user gate on the main scenario fail, nothing else
    assert.equal(r.scorecard.verdict, 'no-go')
    assert.equal(r.code, 1)
    assert.deepEqual(
      r.scorecard.rows
        .filter((x) => x.outcome !== 'pass' && x.outcome !== 'not-run')
        .map((x) => `${x.figure} ${x.outcome}`)
        .sort(),
      ['load.two-steps.error_rate fail', 'load.two-steps.vus_max fail'],
    )
  } finally {
    hang.closeAllConnections()
    await new Promise((ok) => hang.close(ok))
  }
})
