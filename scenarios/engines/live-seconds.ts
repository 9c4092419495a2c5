// The live per-second stream of one scenario, shared by both engines: buckets per second (the
// scenario and each step), filled from several sources (embedded worker threads, k6 processes),
// and published once every source has said the second is complete, so each second is published
// once and whole. Only built when someone listens (--dashboard, --out-metrics): a run without
// them pays nothing.

import { createHistogram, mergeInto, recordMs, summarize, type Histogram } from '../../core/histogram.js'
import type { LiveEvent, LiveLatency, LiveSecond } from '../../core/live.js'

interface Counts {
  requests: number
  errors: number
  hist: Histogram | null
}
interface Bucket extends Counts {
  active: Map<number, number>
  steps: Map<string, Counts>
}

export class LiveSeconds {
  private readonly buckets = new Map<number, Bucket>()
  /** per source: every second before this one is complete */
  private readonly through: number[]
  /** every second before this one has been published */
  private next = 0
  private late = 0
  private requests = 0
  private errors = 0
  private ended = false
  /** epoch ms of second 0 */
  epochMs = Date.now()

  constructor(
    private readonly scenario: string,
    private readonly stepNames: string[],
    sources: number,
    private readonly emit: (e: LiveEvent) => void,
  ) {
    this.through = new Array<number>(sources).fill(0)
  }

  private bucket(t: number): Bucket | null {
    if (t < this.next) return null
    let b = this.buckets.get(t)
    if (!b) {
      b = { requests: 0, errors: 0, hist: null, active: new Map(), steps: new Map(this.stepNames.map((n) => [n, { requests: 0, errors: 0, hist: null }])) }
      this.buckets.set(t, b)
    }
    return b
  }

  private step(b: Bucket, name: string): Counts {
    let s = b.steps.get(name)
    if (!s) {
      s = { requests: 0, errors: 0, hist: null }
      b.steps.set(name, s)
    }
    return s
  }

  /** Counts already summed over a second by a source (the embedded engine's worker deltas). */
  add(t: number, step: string | null, requests: number, errors: number, hist: Histogram | null): void {
    const b = this.bucket(t)
    if (!b) {
      this.late += requests
      return
    }
    const c = step === null ? b : this.step(b, step)
    c.requests += requests
    c.errors += errors
    if (hist && hist.totalCount) mergeInto((c.hist ??= createHistogram()), hist)
  }

  /** One request (k6's samples): its latency when it had a response. Counts the scenario and its step. */
  request(t: number, step: string, ms: number | null, count = 1): void {
    const b = this.bucket(t)
    if (!b) {
      this.late += count
      return
    }
    const s = this.step(b, step)
    b.requests += count
    s.requests += count
    if (ms !== null) {
      recordMs((b.hist ??= createHistogram('fast')), ms)
      recordMs((s.hist ??= createHistogram('fast')), ms)
    }
  }

  /** A failed request (k6's golive_errors sample) */
  error(t: number, step: string): void {
    const b = this.bucket(t)
    if (!b) return
    b.errors++
    this.step(b, step).errors++
  }

  active(source: number, t: number, users: number): void {
    const b = this.bucket(t)
    if (b) b.active.set(source, Math.max(b.active.get(source) ?? 0, users))
  }

  /** The source has reported every second before `through`: publish what all sources have. */
  complete(source: number, through: number): void {
    this.through[source] = Math.max(this.through[source] ?? 0, through)
    this.publishBefore(Math.min(...this.through))
  }

  /** The scenario is over: publish every second left, then say so. */
  end(): void {
    if (this.ended) return
    this.ended = true
    this.publishBefore(Infinity)
    this.emit({ type: 'scenario-end', scenario: this.scenario, requests: this.requests, errors: this.errors, late: this.late })
  }

  private publishBefore(limit: number): void {
    if (limit <= this.next) return
    for (const t of [...this.buckets.keys()].filter((k) => k < limit).sort((a, b) => a - b)) {
      const b = this.buckets.get(t)!
      this.buckets.delete(t)
      this.requests += b.requests
      this.errors += b.errors
      let active = 0
      for (const v of b.active.values()) active += v
      this.emit({
        type: 'second',
        scenario: this.scenario,
        t,
        at: this.epochMs + t * 1000,
        requests: b.requests,
        errors: b.errors,
        active,
        latency: latencyOf(b.hist),
        steps: [...b.steps].map(([name, s]) => ({ name, requests: s.requests, errors: s.errors, latency: latencyOf(s.hist) })),
      } satisfies LiveSecond)
    }
    if (Number.isFinite(limit)) this.next = limit
  }
}

function latencyOf(h: Histogram | null): LiveLatency | null {
  const l = h ? summarize(h) : null
  return l ? { p50: l.p50, p90: l.p90, p95: l.p95, p99: l.p99, max: l.max } : null
}
