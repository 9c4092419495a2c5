// What the flow adds to a run's measurements, the same for both engines: iterations per journey,
// group (transaction) durations and custom metric samples, in mergeable form (HDR histograms,
// sums), so worker threads and k6 processes merge exactly. Per-journey requests, errors and
// latency come from the journey's own steps at the end.

import { createHistogram, decodeHistogram, encodeHistogram, mergeInto, recordMs, summarize, type Histogram } from '../core/histogram.js'
import type { GroupResult, JourneyResult, MetricResult, StepResult } from '../core/results.js'
import type { MetricType, PlanFlow } from './compile-flow.js'

interface MetricTotals {
  type: MetricType
  count: number
  sum: number
  nonZero: number
  hist: Histogram
}

/** one worker's flow measurements since its last tick */
export interface FlowDelta {
  journeys: Record<string, number>
  groups: Record<string, string>
  metrics: Record<string, { type: MetricType; count: number; sum: number; nonZero: number; hist: string | null }>
}

export class FlowTotals {
  private readonly journeys = new Map<string, number>()
  private readonly groups = new Map<string, Histogram>()
  private readonly metrics = new Map<string, MetricTotals>()

  constructor(flow: Pick<PlanFlow, 'groups' | 'metrics'>) {
    for (const g of flow.groups) this.groups.set(g, createHistogram())
    for (const m of flow.metrics) this.metrics.set(m.name, { type: m.type, count: 0, sum: 0, nonZero: 0, hist: createHistogram() })
  }

  journey(name: string, n = 1): void {
    this.journeys.set(name, (this.journeys.get(name) ?? 0) + n)
  }

  group(name: string, ms: number): void {
    let h = this.groups.get(name)
    if (!h) {
      h = createHistogram()
      this.groups.set(name, h)
    }
    recordMs(h, ms)
  }

  /** a sample: a trend's value, a counter's increment, a rate's 0 or 1 */
  metric(name: string, type: MetricType, value: number): void {
    let m = this.metrics.get(name)
    if (!m) {
      m = { type, count: 0, sum: 0, nonZero: 0, hist: createHistogram() }
      this.metrics.set(name, m)
    }
    m.count++
    m.sum += value
    if (value !== 0) m.nonZero++
    // trend values go in the histogram as they are (recordMs keeps 3 significant digits)
    if (type === 'trend') recordMs(m.hist, value)
  }

  /** everything since the last delta, then reset (worker threads) */
  delta(): FlowDelta {
    const d: FlowDelta = { journeys: Object.fromEntries(this.journeys), groups: {}, metrics: {} }
    this.journeys.clear()
    for (const [k, h] of this.groups)
      if (h.totalCount) {
        d.groups[k] = encodeHistogram(h)
        h.reset()
      }
    for (const [k, m] of this.metrics) {
      if (!m.count) continue
      d.metrics[k] = { type: m.type, count: m.count, sum: m.sum, nonZero: m.nonZero, hist: m.hist.totalCount ? encodeHistogram(m.hist) : null }
      m.count = m.sum = m.nonZero = 0
      m.hist.reset()
    }
    return d
  }

  absorb(o: FlowDelta | FlowTotals): void {
    if (o instanceof FlowTotals) {
      for (const [k, n] of o.journeys) this.journey(k, n)
      for (const [k, h] of o.groups) {
        if (!this.groups.has(k)) this.groups.set(k, createHistogram())
        mergeInto(this.groups.get(k)!, h)
      }
      for (const [k, m] of o.metrics) this.addMetric(k, m.type, m.count, m.sum, m.nonZero, m.hist)
      return
    }
    for (const [k, n] of Object.entries(o.journeys)) this.journey(k, n)
    for (const [k, h] of Object.entries(o.groups)) {
      if (!this.groups.has(k)) this.groups.set(k, createHistogram())
      mergeInto(this.groups.get(k)!, h)
    }
    for (const [k, m] of Object.entries(o.metrics)) this.addMetric(k, m.type, m.count, m.sum, m.nonZero, m.hist ? decodeHistogram(m.hist) : null)
  }

  private addMetric(name: string, type: MetricType, count: number, sum: number, nonZero: number, hist: Histogram | null): void {
    let m = this.metrics.get(name)
    if (!m) {
      m = { type, count: 0, sum: 0, nonZero: 0, hist: createHistogram() }
      this.metrics.set(name, m)
    }
    m.count += count
    m.sum += sum
    m.nonZero += nonZero
    if (hist) mergeInto(m.hist, hist)
  }

  /** The results.json parts: journeys only for a mix; groups and metrics when declared. */
  results(flow: PlanFlow, steps: StepResult[], stepNames: string[]): { journeys?: JourneyResult[]; groups?: GroupResult[]; metrics?: MetricResult[] } {
    const out: { journeys?: JourneyResult[]; groups?: GroupResult[]; metrics?: MetricResult[] } = {}
    if (flow.mix) {
      out.journeys = flow.journeys.map((j) => {
        const names = j.steps.map((i) => stepNames[i]!)
        const own = steps.filter((s) => names.includes(s.name))
        const h = createHistogram()
        for (const s of own) if (s.histogram) mergeInto(h, s.histogram)
        return {
          name: j.name,
          weight: j.weight,
          iterations: this.journeys.get(j.name) ?? 0,
          requests: own.reduce((a, s) => a + s.requests, 0),
          errors: own.reduce((a, s) => a + s.errors, 0),
          latency: summarize(h),
          steps: names,
        }
      })
    }
    if (this.groups.size) {
      out.groups = [...this.groups].map(([name, h]) => ({
        name,
        count: h.totalCount,
        duration: summarize(h),
        histogram: h.totalCount ? encodeHistogram(h) : null,
      }))
    }
    if (this.metrics.size) {
      out.metrics = [...this.metrics].map(([name, m]) => ({
        name,
        type: m.type,
        count: m.count,
        sum: m.sum,
        nonZero: m.nonZero,
        ...(m.type === 'trend' ? { summary: summarize(m.hist), histogram: m.hist.totalCount ? encodeHistogram(m.hist) : null } : {}),
      }))
    }
    return out
  }
}
