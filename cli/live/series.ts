// The per-second figures of the live stream as metric samples, the same for every metrics
// output (Prometheus remote write, OTLP): names, labels and units are documented in
// docs/recipes/metrics-out.md. Latencies in seconds (Prometheus' base unit); counters count
// from the scenario's start.

import type { LiveLatency, LiveSecond } from '../../core/live.js'

export interface MetricSample {
  name: string
  /** label name → value; testid, scenario and (step series) step */
  labels: Record<string, string>
  value: number
  /** epoch ms */
  timeMs: number
  kind: 'gauge' | 'counter'
  unit: string
  /** a counter's start (epoch ms) */
  startMs?: number
}

const QUANTILES: [keyof LiveLatency, string][] = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['max', 'max'],
]

/** Turns seconds into samples; keeps each scenario's and step's running totals. */
export class SeriesBuilder {
  private readonly totals = new Map<string, { requests: number; errors: number; startMs: number }>()

  constructor(private readonly testid: string) {}

  samples(s: LiveSecond): MetricSample[] {
    const out: MetricSample[] = []
    const base = { testid: this.testid, scenario: s.scenario }
    out.push({ name: 'golive_users', labels: base, value: s.active, timeMs: s.at, kind: 'gauge', unit: '{user}' })
    this.figures(out, 'golive_', base, s, s)
    for (const st of s.steps) this.figures(out, 'golive_step_', { ...base, step: st.name }, s, st)
    return out
  }

  private figures(
    out: MetricSample[],
    prefix: string,
    labels: Record<string, string>,
    s: LiveSecond,
    f: { requests: number; errors: number; latency: LiveLatency | null },
  ): void {
    const key = JSON.stringify(labels)
    let t = this.totals.get(key)
    if (!t) {
      t = { requests: 0, errors: 0, startMs: s.at }
      this.totals.set(key, t)
    }
    t.requests += f.requests
    t.errors += f.errors
    const at = { timeMs: s.at, labels }
    out.push(
      { ...at, name: `${prefix}rps`, value: f.requests, kind: 'gauge', unit: '{request}/s' },
      { ...at, name: `${prefix}errors_per_second`, value: f.errors, kind: 'gauge', unit: '{request}/s' },
      { ...at, name: `${prefix}requests_total`, value: t.requests, kind: 'counter', unit: '{request}', startMs: t.startMs },
      { ...at, name: `${prefix}errors_total`, value: t.errors, kind: 'counter', unit: '{request}', startMs: t.startMs },
    )
    if (f.latency) {
      for (const [k, n] of QUANTILES) out.push({ ...at, name: `${prefix}latency_${n}_seconds`, value: f.latency[k] / 1000, kind: 'gauge', unit: 's' })
    }
  }
}
