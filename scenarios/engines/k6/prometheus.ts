// A distributed k6 run (k6-operator, runners pushing to Prometheus remote write with trends as
// native histograms) read back as the ScenarioResult a local run gives, so `golive gate
// --prometheus` judges it like any other. Counters are summed over runners exactly; latency
// percentiles come from the merged native histograms (exact per bucket, so within a bucket's
// width, about 4 % at k6's default resolution), read at the run's last sample.

import { request } from 'undici'
import { UsageError } from '../../../core/errors.js'
import type { LatencySummary, ScenarioResult, StepResult } from '../../../core/results.js'
import { parseDuration } from '../../../core/units.js'
import { transportCode } from './error-codes.js'

export interface PrometheusRun {
  url: string
  testId: string
  scenario: string
  since?: string
  signal?: AbortSignal
}

type Vector = { metric: Record<string, string>; value: [number, string] }[]

export async function scenarioFromPrometheus(o: PrometheusRun): Promise<ScenarioResult> {
  const base = o.url.replace(/\/$/, '')
  const sinceMs = parseDuration(o.since ?? '24h')
  const sel = `testid="${o.testId.replace(/["\\]/g, '\\$&')}"`
  const api = async (path: string, params: Record<string, string>): Promise<unknown> => {
    let res
    try {
      res = await request(`${base}${path}`, {
        method: 'POST',
        body: new URLSearchParams(params).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        signal: o.signal,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      })
    } catch (e) {
      throw new UsageError(
        `cannot reach Prometheus at ${base} (${(e as Error).message})`,
        'check --prometheus: the URL of the Prometheus the k6 runners wrote to',
      )
    }
    const body = (await res.body.json().catch(() => null)) as { status?: string; data?: unknown; error?: string } | null
    if (res.statusCode !== 200 || body?.status !== 'success') {
      throw new UsageError(
        `Prometheus at ${base} refused ${params.query ?? path}: ${body?.error ?? `HTTP ${res.statusCode}`}`,
        'check --prometheus points at the Prometheus API (http://host:9090)',
      )
    }
    return body.data
  }

  // when did the run start and end? the first and last k6 sample of this testid within --since:
  // a coarse pass over the whole window, then a 1 s pass where the first sample must lie
  const now = Date.now() / 1000
  const span = sinceMs / 1000
  // three series k6 keeps sending until the end (timestamp() drops metric names, so one selector
  // over every k6_ metric would collide)
  const last = `max(${['k6_vus', 'k6_iterations_total', 'k6_http_reqs_total'].map((m) => `timestamp(${m}{${sel}})`).join(' or ')})`
  const pass = async (from: number, to: number, step: number) =>
    (
      (await api('/api/v1/query_range', { query: last, start: String(from), end: String(to), step: String(step) })) as {
        result: { values: [number, string][] }[]
      }
    ).result[0]?.values ?? []
  const coarseStep = Math.max(1, Math.ceil(span / 10_000))
  const coarse = await pass(now - span, now, coarseStep)
  if (coarse.length === 0) {
    throw new UsageError(
      `Prometheus at ${base} has no k6 samples with testid=${o.testId} in the last ${o.since ?? '24h'}`,
      'check --testid (golive k6 operator printed it), --since, and that the runners reached the remote-write URL',
    )
  }
  const end = Math.max(...coarse.map((p) => Number(p[1])))
  const firstSeen = Number(coarse[0]![0])
  const fine = coarseStep > 1 ? await pass(firstSeen - coarseStep, firstSeen, 1) : coarse
  const start = Number((fine[0] ?? coarse[0]!)[0]) - 1
  const durationS = Math.max(1, end - start)
  // at `end` an instant selector returns each series' final, cumulative sample
  const q = async (query: string): Promise<Vector> => ((await api('/api/v1/query', { query, time: String(end) })) as { result: Vector }).result
  const num = (v: Vector) => Number(v[0]?.value[1] ?? 0)
  const byName = (v: Vector) => new Map(v.map((r) => [r.metric.name ?? '', Number(r.value[1])]))

  const scen = `${sel},scenario="${o.scenario.replace(/["\\]/g, '\\$&')}"`
  const [reqs, failed, passedChecks, failedChecks, iterations, dropped, bytes, vus] = await Promise.all([
    q(`sum by (name, method, status, error_code) (k6_http_reqs_total{${scen}})`),
    q(`sum by (name) (k6_golive_failed_requests_total{${scen}})`),
    q(`sum by (name) (k6_golive_checks_passed_total{${scen}})`),
    q(`sum by (name) (k6_golive_checks_failed_total{${scen}})`),
    q(`sum(k6_iterations_total{${scen}})`),
    q(`sum(k6_dropped_iterations_total{${scen}})`),
    q(`sum(k6_data_received_total{${sel}})`),
    q(`max_over_time(sum(k6_vus{${sel}})[${Math.ceil(durationS)}s:1s])`),
  ])
  const latency = await latencyBy(q, `k6_http_req_duration_seconds{${scen},status!="0"}`, null)
  const stepLatency = await latencyBy(q, `k6_http_req_duration_seconds{${scen},status!="0"}`, 'name')

  const steps = new Map<string, StepResult>()
  for (const r of reqs) {
    const name = r.metric.name ?? '(unnamed)'
    let s = steps.get(name)
    if (!s) {
      s = {
        name,
        method: r.metric.method ?? '?',
        requests: 0,
        errors: 0,
        statuses: {},
        checks: { passed: 0, failed: 0 },
        latency: stepLatency.get(name) ?? null,
        histogram: null,
      }
      steps.set(name, s)
    }
    const n = Number(r.value[1])
    const status = r.metric.status === '0' ? transportCode(r.metric.error_code) : (r.metric.status ?? '?')
    s.requests += n
    s.statuses[status] = (s.statuses[status] ?? 0) + n
  }
  for (const [name, n] of byName(failed)) if (steps.has(name)) steps.get(name)!.errors = n
  for (const [name, n] of byName(passedChecks)) if (steps.has(name)) steps.get(name)!.checks.passed = n
  for (const [name, n] of byName(failedChecks)) if (steps.has(name)) steps.get(name)!.checks.failed = n
  const all = [...steps.values()]
  const statuses: Record<string, number> = {}
  for (const s of all) for (const [k, v] of Object.entries(s.statuses)) statuses[k] = (statuses[k] ?? 0) + v
  return {
    name: o.scenario,
    engine: 'k6 (Prometheus)',
    status: 'measured',
    startedAt: new Date(start * 1000).toISOString(),
    durationMs: Math.round(durationS * 1000),
    profile: { source: 'prometheus', testid: o.testId },
    coordinatedOmission: 'not-applicable',
    requests: all.reduce((a, s) => a + s.requests, 0),
    errors: all.reduce((a, s) => a + s.errors, 0),
    iterations: num(iterations),
    droppedIterations: num(dropped),
    vusMax: num(vus),
    bytesReceived: num(bytes),
    statuses,
    latency: latency.get('') ?? null,
    histogram: null,
    steps: all,
    timeline: [],
    topErrors: [],
    engineDetails: { version: `Prometheus ${base}, testid ${o.testId}` },
  }
}

/** Latency from merged native histograms: quantiles, mean and count, per label (or overall). */
async function latencyBy(q: (query: string) => Promise<Vector>, series: string, by: string | null): Promise<Map<string, LatencySummary>> {
  const agg = `sum${by ? ` by (${by})` : ''} (${series})`
  const [count, sum, ...quantiles] = await Promise.all([
    q(`histogram_count(${agg})`),
    q(`histogram_sum(${agg})`),
    ...[0, 0.5, 0.9, 0.95, 0.99, 1].map((p) => q(`histogram_quantile(${p}, ${agg})`)),
  ])
  const key = (r: Vector[number]) => (by ? (r.metric[by] ?? '') : '')
  const pick = (v: Vector | undefined, k: string) => Number(v?.find((r) => key(r) === k)?.value[1] ?? NaN)
  const out = new Map<string, LatencySummary>()
  for (const r of count!) {
    const k = key(r)
    const n = Number(r.value[1])
    if (!(n > 0)) continue
    const ms = (s: number) => Math.round(s * 1e6) / 1e3
    const [min, p50, p90, p95, p99, max] = quantiles.map((v) => ms(pick(v, k)))
    out.set(k, { count: n, min: min!, mean: ms(pick(sum, k) / n), p50: p50!, p90: p90!, p95: p95!, p99: p99!, max: max! })
  }
  return out
}
