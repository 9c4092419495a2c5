// Merges the workers' per-second deltas into one scenario: exact HDR merges, summed counters.

import { createHistogram, decodeHistogram, encodeHistogram, mergeInto, percentileMs, summarize, type Histogram } from '../../../core/histogram.js'
import type { ScenarioError, StepResult, TimelinePoint } from '../../../core/results.js'
import type { TickMessage } from './metrics.js'
import { FlowTotals } from '../../flow-totals.js'
import type { PlanFlow } from '../../compile-flow.js'

interface StepTotals {
  name: string
  method: string
  requests: number
  errors: number
  statuses: Record<string, number>
  checksPassed: number
  checksFailed: number
  hist: Histogram
  bytes: number
  bytesDecoded: number
  h2: number
  h1: number
  phase?: 'setup' | 'teardown' | 'before' | 'after'
}

export class Aggregate {
  readonly steps: StepTotals[]
  // the few long-lived totals record fast (32-bit counts); a second's latencies stay packed (a soak
  // keeps thousands), and its first delta is adopted as decoded rather than added into an empty one
  readonly all: Histogram = createHistogram('fast')
  private seconds = new Map<number, { requests: number; errors: number; active: number; hist: Histogram | null }>()
  private errors = new Map<string, ScenarioError>()
  /** active users per worker, latest report */
  private activeByWorker = new Map<number, number>()
  iterations = 0
  dropped = 0
  bytes = 0
  readonly flow: FlowTotals

  /** steps with a phase (setup, teardown, before, after) are kept out of the scenario's totals */
  constructor(steps: { name: string; method: string; phase?: string }[], flow?: PlanFlow) {
    this.steps = steps.map(({ phase, ...s }) => ({
      ...s,
      ...(phase && phase !== 'journey' ? { phase: phase as StepTotals['phase'] } : {}),
      requests: 0,
      errors: 0,
      statuses: {},
      checksPassed: 0,
      checksFailed: 0,
      hist: createHistogram('fast'),
      bytes: 0,
      bytesDecoded: 0,
      h2: 0,
      h1: 0,
    }))
    this.flow = new FlowTotals(flow ?? { groups: [], metrics: [] })
  }

  add(worker: number, m: TickMessage): void {
    m.steps.forEach((d, i) => {
      const s = this.steps[i]!
      s.requests += d.requests
      s.errors += d.errors
      s.checksPassed += d.checksPassed
      s.checksFailed += d.checksFailed
      s.bytes += d.bytes
      s.bytesDecoded += d.bytesDecoded
      s.h2 += d.h2
      s.h1 += d.h1
      for (const [k, v] of Object.entries(d.statuses)) s.statuses[k] = (s.statuses[k] ?? 0) + v
      if (d.hist) {
        // decode once, add twice
        const h = decodeHistogram(d.hist, 'fast')
        mergeInto(s.hist, h)
        if (!s.phase) mergeInto(this.all, h)
      }
    })
    for (const d of m.seconds) {
      let s = this.seconds.get(d.t)
      if (!s) {
        s = { requests: 0, errors: 0, active: 0, hist: null }
        this.seconds.set(d.t, s)
      }
      s.requests += d.requests
      s.errors += d.errors
      s.active += d.activeMax
      if (d.hist) {
        if (s.hist) mergeInto(s.hist, d.hist)
        else {
          s.hist = decodeHistogram(d.hist)
          s.hist.autoResize = true
        }
      }
    }
    for (const e of m.errors) {
      const key = `${e.step}\u0000${e.kind}\u0000${e.message}`
      const have = this.errors.get(key)
      if (have) have.count += e.count
      else this.errors.set(key, { ...e })
    }
    if (m.flow) this.flow.absorb(m.flow)
    this.iterations += m.iterations
    this.dropped += m.dropped
    this.bytes += m.bytes
    this.activeByWorker.set(worker, m.active)
  }

  get requests(): number {
    return this.steps.reduce((a, s) => a + (s.phase ? 0 : s.requests), 0)
  }
  get errorCount(): number {
    return this.steps.reduce((a, s) => a + (s.phase ? 0 : s.errors), 0)
  }
  get active(): number {
    let n = 0
    for (const v of this.activeByWorker.values()) n += v
    return n
  }

  /** the last complete second, for the progress line */
  lastSecond(): { requests: number; p95: number | null; errors: number } | null {
    const t = Math.max(-1, ...this.seconds.keys())
    const s = this.seconds.get(t)
    // the progress line asks every tick: one percentile, not a whole summary
    return s ? { requests: s.requests, errors: s.errors, p95: s.hist?.totalCount ? percentileMs(s.hist, 95) : null } : null
  }

  /** the seconds from..to-1 together: counts summed, latencies merged exactly (HDR) */
  window(from: number, to: number): { requests: number; errors: number; activeMax: number; latency: ReturnType<typeof summarize>; seconds: TimelinePoint[] } {
    const h = createHistogram()
    let requests = 0,
      errors = 0,
      activeMax = 0
    const seconds: TimelinePoint[] = []
    for (let t = from; t < to; t++) {
      const s = this.seconds.get(t)
      seconds.push(this.second(t))
      if (!s) continue
      requests += s.requests
      errors += s.errors
      activeMax = Math.max(activeMax, s.active)
      if (s.hist) mergeInto(h, s.hist)
    }
    return { requests, errors, activeMax, latency: summarize(h), seconds }
  }

  /** one second of the timeline (an empty one when nothing happened in it) */
  second(t: number): TimelinePoint {
    const s = this.seconds.get(t)
    const l = s?.hist ? summarize(s.hist) : null
    return { t, requests: s?.requests ?? 0, errors: s?.errors ?? 0, active: s?.active ?? 0, p50: l?.p50 ?? null, p95: l?.p95 ?? null, max: l?.max ?? null }
  }

  timeline(): TimelinePoint[] {
    return [...this.seconds.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([t, s]) => {
        const l = s.hist ? summarize(s.hist) : null
        return { t, requests: s.requests, errors: s.errors, active: s.active, p50: l?.p50 ?? null, p95: l?.p95 ?? null, max: l?.max ?? null }
      })
  }

  stepResults(): StepResult[] {
    return this.steps.map((s) => ({
      name: s.name,
      method: s.method,
      requests: s.requests,
      errors: s.errors,
      statuses: s.statuses,
      checks: { passed: s.checksPassed, failed: s.checksFailed },
      latency: summarize(s.hist),
      histogram: s.hist.totalCount ? encodeHistogram(s.hist) : null,
      bytes: s.bytes,
      bytesDecoded: s.bytesDecoded,
      protocols: protocols(s.h2, s.h1),
      ...(s.phase ? { phase: s.phase } : {}),
    }))
  }

  topErrors(n = 10): ScenarioError[] {
    return [...this.errors.values()].sort((a, b) => b.count - a.count).slice(0, n)
  }

  peakActive(): number {
    let peak = 0
    for (const s of this.seconds.values()) peak = Math.max(peak, s.active)
    return Math.max(peak, this.active)
  }
}

/** responses by protocol, as results.json records them: { h2: n, 'http/1.1': m } */
export function protocols(h2: number, h1: number): Record<string, number> {
  const p: Record<string, number> = {}
  if (h2) p.h2 = h2
  if (h1) p['http/1.1'] = h1
  return p
}
