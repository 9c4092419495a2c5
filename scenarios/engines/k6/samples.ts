// k6's raw samples (`k6 run --out json`, one JSON object a line) folded into the figures the
// embedded engine reports: per-step HDR histograms of http_req_duration, statuses, errors,
// checks, and a per-second timeline. Every sample is kept (in histograms, not averages), so the
// samples of several k6 processes merge exactly.

import { createHistogram, encodeHistogram, mergeInto, recordMs, summarize, type Histogram } from '../../../core/histogram.js'
import type { ScenarioError, ScenarioResult, StepResult, TimelinePoint } from '../../../core/results.js'
import { transportCode } from './error-codes.js'
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
  /** k6 reports data_received per iteration, not per request: only decoded sizes are per step */
  bytesDecoded: number | null
  protocols: Record<string, number>
  /** setup, teardown, before, after: outside the scenario's totals */
  phase?: 'setup' | 'teardown' | 'before' | 'after'
}
interface Second {
  requests: number
  errors: number
  active: number
  hist: Histogram
}

// the metrics read (and the ones golive's k6 output writes); with a plain k6's --out json, every other line
// is skipped before JSON.parse (k6 writes ~14 lines a request)
export const WANTED: ReadonlySet<string> = new Set([
  'http_req_duration',
  'golive_errors',
  'golive_error_messages',
  'golive_checks_passed',
  'golive_checks_failed',
  'golive_epoch',
  'golive_refused',
  'golive_bytes_decoded',
  'iterations',
  'dropped_iterations',
  'data_received',
  'vus',
  'golive_journey',
  'golive_group_duration',
  'golive_metric_trend',
  'golive_metric_counter',
  'golive_metric_rate',
  'golive_idle_iterations',
])
const PREFIX = '{"metric":"'
/** seconds whose histograms stay 32-bit behind the newest (secondAt) */
const OPEN_SECONDS = 3

interface Point {
  metric: string
  type: string
  data: { time: string; value: number; tags?: Record<string, string> | null }
}

/** Told of every sample that counts, with its second: the live stream (k6/live.ts) */
export interface SampleTap {
  epoch(ms: number): void
  request(t: number, step: string, ms: number | null, count: number): void
  error(t: number, step: string): void
  vus(t: number, users: number): void
}

export type Totals = Pick<
  ScenarioResult,
  | 'requests'
  | 'errors'
  | 'iterations'
  | 'droppedIterations'
  | 'vusMax'
  | 'bytesReceived'
  | 'statuses'
  | 'latency'
  | 'histogram'
  | 'steps'
  | 'timeline'
  | 'topErrors'
>

export class K6Samples {
  private readonly steps = new Map<string, StepTotals>()
  private readonly seconds = new Map<number, Second>()
  private readonly messages = new Map<string, ScenarioError>()
  private readonly all = createHistogram('fast')
  /** the run's time origin (the setup() marker), ms since the epoch */
  private epochMs: number | null = null
  private lastVus = 0
  iterations = 0
  dropped = 0
  bytes = 0
  vusMax = 0
  lines = 0
  /** set for a live run (--dashboard, --out-metrics) */
  tap: SampleTap | null = null
  readonly flow: FlowTotals

  constructor(steps: { name: string; method: string; phase?: string }[], flow?: PlanFlow) {
    for (const s of steps) {
      const st = this.step(s.name, s.method)
      if (s.phase && s.phase !== 'journey') st.phase = s.phase as StepTotals['phase']
    }
    this.flow = new FlowTotals(flow ?? { groups: [], metrics: [] })
  }

  /** One line of k6's JSON output. Lines that are not wanted Points cost a prefix test. */
  line(text: string): void {
    if (!text.startsWith(PREFIX)) return
    const end = text.indexOf('"', PREFIX.length)
    if (!WANTED.has(text.slice(PREFIX.length, end))) return
    let p: Point
    try {
      p = JSON.parse(text) as Point
    } catch {
      return
    } // a line cut off by a killed k6
    if (p.type !== 'Point') return
    this.lines++
    this.point(p.metric, Date.parse(p.data.time), p.data.value, p.data.tags ?? {})
  }

  private point(metric: string, timeMs: number, value: number, tags: Record<string, string>): void {
    if (this.epochMs === null) this.tap?.epoch(timeMs)
    if (metric === 'golive_epoch') {
      this.epochMs ??= timeMs
      return
    }
    // k6 sends setup()'s marker before any executor starts; should it not, the first sample is t=0
    this.epochMs ??= timeMs
    switch (metric) {
      case 'http_req_duration': {
        const st = this.step(tags.name ?? '(unnamed)')
        // a setup/teardown/before/after request has its own figures, not the timeline's
        const sec = st.phase ? this.spare : this.second(timeMs)
        st.requests++
        sec.requests++
        // status 0: no response (refused, reset, timeout). No latency, as in the embedded engine
        const status = tags.status === '0' || tags.status === undefined ? transportCode(tags.error_code) : tags.status
        st.statuses[status] = (st.statuses[status] ?? 0) + 1
        if (tags.status !== '0' && tags.status !== undefined) {
          const proto = tags.proto === 'HTTP/2.0' ? 'h2' : tags.proto === 'HTTP/1.1' || tags.proto === 'HTTP/1.0' ? 'http/1.1' : (tags.proto ?? 'http/1.1')
          st.protocols[proto] = (st.protocols[proto] ?? 0) + 1
          recordMs(st.hist, value)
          if (!st.phase) {
            recordMs(this.all, value)
            recordMs(sec.hist, value)
          }
        }
        if (!st.phase) this.tap?.request(this.secondOf(timeMs), st.name, tags.status !== '0' && tags.status !== undefined ? value : null, 1)
        return
      }
      case 'golive_refused': {
        // a request never sent (outside the environment's hosts, or not a URL): a failed request with no
        // latency, as the embedded engine counts it
        const st = this.step(tags.name ?? '(unnamed)')
        st.requests += value
        if (!st.phase) this.second(timeMs).requests += value
        const code = tags.code ?? 'NOT_ALLOWED'
        st.statuses[code] = (st.statuses[code] ?? 0) + value
        if (!st.phase) this.tap?.request(this.secondOf(timeMs), st.name, null, value)
        return
      }
      case 'golive_errors':
        if (value) {
          const st = this.step(tags.name ?? '(unnamed)')
          st.errors++
          if (!st.phase) {
            this.second(timeMs).errors++
            this.tap?.error(this.secondOf(timeMs), st.name)
          }
        }
        return
      case 'golive_journey':
        this.flow.journey(tags.journey ?? '(unnamed)', value)
        return
      case 'golive_group_duration':
        this.flow.group(tags.group ?? '(unnamed)', value)
        return
      case 'golive_metric_trend':
        this.flow.metric(tags.metric ?? '(unnamed)', 'trend', value)
        return
      case 'golive_metric_counter':
        this.flow.metric(tags.metric ?? '(unnamed)', 'counter', value)
        return
      case 'golive_metric_rate':
        this.flow.metric(tags.metric ?? '(unnamed)', 'rate', value)
        return
      case 'golive_idle_iterations':
        this.idle += value
        return
      case 'golive_error_messages': {
        const kind = (tags.kind ?? 'check') as ScenarioError['kind']
        const key = `${tags.name}\u0000${kind}\u0000${tags.error}`
        const have = this.messages.get(key)
        if (have) have.count += value
        else this.messages.set(key, { step: tags.name ?? '(unnamed)', kind, message: tags.error ?? '', count: value })
        return
      }
      case 'golive_bytes_decoded': {
        const st = this.step(tags.name ?? '(unnamed)')
        st.bytesDecoded = (st.bytesDecoded ?? 0) + value
        return
      }
      case 'golive_checks_passed':
        this.step(tags.name ?? '(unnamed)').checksPassed += value
        return
      case 'golive_checks_failed':
        this.step(tags.name ?? '(unnamed)').checksFailed += value
        return
      case 'iterations':
        this.iterations += value
        return
      case 'dropped_iterations':
        this.dropped += value
        return
      case 'data_received':
        this.bytes += value
        return
      case 'vus': {
        const sec = this.second(timeMs)
        sec.active = Math.max(sec.active, value)
        this.vusMax = Math.max(this.vusMax, value)
        this.lastVus = value
        this.tap?.vus(this.secondOf(timeMs), value)
        return
      }
    }
  }

  /** counts of phase requests land here, outside the timeline */
  private readonly spare: Second = { requests: 0, errors: 0, active: 0, hist: createHistogram('fast') }
  /** iterations after a VU's teardown: k6 counts them, golive does not */
  private idle = 0

  private step(name: string, method = '?'): StepTotals {
    let s = this.steps.get(name)
    if (!s) {
      s = {
        name,
        method,
        requests: 0,
        errors: 0,
        statuses: {},
        checksPassed: 0,
        checksFailed: 0,
        hist: createHistogram('fast'),
        bytesDecoded: null,
        protocols: {},
      }
      this.steps.set(name, s)
    }
    return s
  }

  private second(timeMs: number): Second {
    return this.secondAt(this.secondOf(timeMs))
  }

  private secondOf(timeMs: number): number {
    return Math.max(0, Math.floor((timeMs - this.epochMs!) / 1000))
  }

  // A second's histogram is a 32-bit one while samples for it still come (k6 writes them a little
  // out of order), and packed once seconds OPEN_SECONDS later begin: a packed histogram's record
  // cost golive's main thread a fifth of its busy time at 10k req/s, a 32-bit one ~94 KB each
  // (an hour's seconds of them would not fit). Exact either way: packing adds the counts.
  private newest = -1
  private readonly pool: Histogram[] = []

  private secondAt(t: number): Second {
    let s = this.seconds.get(t)
    if (!s) {
      s = { requests: 0, errors: 0, active: 0, hist: this.pool.pop() ?? createHistogram('fast') }
      this.seconds.set(t, s)
      if (t > this.newest) {
        for (let old = Math.max(0, this.newest - OPEN_SECONDS); old <= t - OPEN_SECONDS; old++) this.pack(old)
        this.newest = t
      }
    }
    return s
  }

  private readonly packed = new Set<number>()
  private pack(t: number): void {
    const s = this.seconds.get(t)
    if (!s || this.packed.has(t)) return
    const p = createHistogram()
    mergeInto(p, s.hist)
    s.hist.reset()
    this.pool.push(s.hist)
    s.hist = p
    this.packed.add(t)
  }

  /** Adds another process's samples (k6 --execution-segment): histograms bucket by bucket,
   *  counters summed, seconds aligned on each process's own start. */
  absorb(o: K6Samples): void {
    for (const os of o.steps.values()) {
      const s = this.step(os.name, os.method)
      if (s.method === '?') s.method = os.method
      s.requests += os.requests
      s.errors += os.errors
      s.checksPassed += os.checksPassed
      s.checksFailed += os.checksFailed
      for (const [k, v] of Object.entries(os.statuses)) s.statuses[k] = (s.statuses[k] ?? 0) + v
      for (const [k, v] of Object.entries(os.protocols)) s.protocols[k] = (s.protocols[k] ?? 0) + v
      if (os.bytesDecoded !== null) s.bytesDecoded = (s.bytesDecoded ?? 0) + os.bytesDecoded
      mergeInto(s.hist, os.hist)
    }
    mergeInto(this.all, o.all)
    for (const [t, os] of o.seconds) {
      const s = this.secondAt(t)
      s.requests += os.requests
      s.errors += os.errors
      s.active += os.active
      mergeInto(s.hist, os.hist)
    }
    for (const [k, e] of o.messages) {
      const have = this.messages.get(k)
      if (have) have.count += e.count
      else this.messages.set(k, { ...e })
    }
    this.flow.absorb(o.flow)
    this.idle += o.idle
    this.iterations += o.iterations
    this.dropped += o.dropped
    this.bytes += o.bytes
    this.lastVus += o.lastVus
    this.lines += o.lines
    // processes run side by side: their users add up second by second
    for (const s of this.seconds.values()) this.vusMax = Math.max(this.vusMax, s.active)
    this.vusMax = Math.max(this.vusMax, o.vusMax)
  }

  /** For the progress line: totals so far and the last complete second. */
  snapshot(): { requests: number; errors: number; active: number; rps: number | null; p95: number | null } {
    let requests = 0,
      errors = 0
    for (const s of this.steps.values()) {
      requests += s.requests
      errors += s.errors
    }
    const t = Math.max(-1, ...this.seconds.keys()) - 1
    const last = this.seconds.get(t)
    return { requests, errors, active: this.lastVus, rps: last?.requests ?? null, p95: last ? (summarize(last.hist)?.p95 ?? null) : null }
  }

  totals(): Totals {
    const steps: StepResult[] = [...this.steps.values()].map((s) => ({
      name: s.name,
      method: s.method,
      requests: s.requests,
      errors: s.errors,
      statuses: s.statuses,
      checks: { passed: s.checksPassed, failed: s.checksFailed },
      latency: summarize(s.hist),
      histogram: s.hist.totalCount ? encodeHistogram(s.hist) : null,
      ...(s.bytesDecoded !== null ? { bytesDecoded: s.bytesDecoded } : {}),
      protocols: s.protocols,
      ...(s.phase ? { phase: s.phase } : {}),
    }))
    const statuses: Record<string, number> = {}
    const own = steps.filter((s) => !s.phase)
    for (const s of own) for (const [k, v] of Object.entries(s.statuses)) statuses[k] = (statuses[k] ?? 0) + v
    const timeline: TimelinePoint[] = [...this.seconds.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([t, s]) => {
        const l = summarize(s.hist)
        return { t, requests: s.requests, errors: s.errors, active: s.active, p50: l?.p50 ?? null, p95: l?.p95 ?? null, max: l?.max ?? null }
      })
    return {
      requests: own.reduce((a, s) => a + s.requests, 0),
      errors: own.reduce((a, s) => a + s.errors, 0),
      iterations: this.iterations - this.idle,
      droppedIterations: this.dropped,
      vusMax: this.vusMax,
      bytesReceived: this.bytes,
      statuses,
      latency: summarize(this.all),
      histogram: this.all.totalCount ? encodeHistogram(this.all) : null,
      steps,
      timeline,
      topErrors: [...this.messages.values()].sort((a, b) => b.count - a.count).slice(0, 10),
    }
  }
}
