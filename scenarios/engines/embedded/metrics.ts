// What one worker measured, in deltas sent to the main thread each second: per-step counters
// and HDR histograms, and one bucket per second for the timeline. Deltas, so that a crash
// loses at most the last second and every thread's histograms merge exactly.

import { createHistogram, encodeHistogram, recordMs, type Histogram } from '../../../core/histogram.js'
import type { ScenarioPlan } from '../../compile.js'
import { FlowTotals, type FlowDelta } from '../../flow-totals.js'

export interface StepDelta {
  name: string
  requests: number
  errors: number
  statuses: Record<string, number>
  checksPassed: number
  checksFailed: number
  /** body bytes on the wire, and after decoding (see StepResult) */
  bytes: number
  bytesDecoded: number
  h2: number
  h1: number
  hist: string | null
}

export interface SecondDelta {
  t: number
  requests: number
  errors: number
  activeMax: number
  hist: string | null
  /** per step, in plan order: only for a live run (--dashboard, --out-metrics) */
  steps?: { requests: number; errors: number; hist: string | null }[]
}

export interface ErrorDelta {
  step: string
  kind: 'transport' | 'status' | 'check'
  message: string
  count: number
}

export interface TickMessage {
  type: 'tick'
  steps: StepDelta[]
  seconds: SecondDelta[]
  iterations: number
  dropped: number
  bytes: number
  errors: ErrorDelta[]
  active: number
  /** every second before this one is in this or an earlier tick (Infinity: the last tick) */
  through: number
  /** journeys, groups, custom metrics */
  flow?: FlowDelta
}

class StepCounter {
  requests = 0
  errors = 0
  statuses: Record<string, number> = {}
  checksPassed = 0
  checksFailed = 0
  bytes = 0
  bytesDecoded = 0
  h2 = 0
  h1 = 0
  hist: Histogram = createHistogram('fast')
  constructor(readonly name: string) {}
}

interface StepSecond {
  requests: number
  errors: number
  hist: Histogram
}
interface Second {
  requests: number
  errors: number
  activeMax: number
  hist: Histogram
  steps?: StepSecond[]
}

export class WorkerMetrics {
  private steps: StepCounter[]
  private seconds = new Map<number, Second>()
  private errors = new Map<string, ErrorDelta>()
  iterations = 0
  dropped = 0
  bytes = 0
  active = 0
  /** iterations per journey, group durations, custom metrics */
  readonly flow: FlowTotals
  /** per step: do its requests count in the timeline? (not setup, teardown, before, after) */
  private readonly inTimeline: boolean[]

  /** perStep: also split each second by step, for the live stream (costs a histogram record per response) */
  constructor(
    stepNames: string[],
    private readonly startMs: () => number,
    plan?: Pick<ScenarioPlan, 'steps' | 'flow'>,
    private readonly perStep = false,
  ) {
    this.steps = stepNames.map((n) => new StepCounter(n))
    this.inTimeline = stepNames.map((_, i) => (plan?.steps[i]?.phase ?? 'journey') === 'journey')
    this.flow = new FlowTotals(plan?.flow ?? { groups: [], metrics: [] })
  }

  private second(now: number): Second {
    const t = Math.max(0, Math.floor((now - this.startMs()) / 1000))
    let s = this.seconds.get(t)
    if (!s) {
      s = { requests: 0, errors: 0, activeMax: this.active, hist: createHistogram('fast') }
      if (this.perStep) s.steps = this.steps.map(() => ({ requests: 0, errors: 0, hist: createHistogram('fast') }))
      this.seconds.set(t, s)
    }
    return s
  }

  /** a response arrived: its latency counts; `failed` when its status or a check failed */
  response(
    step: number,
    status: number,
    ms: number,
    failed: boolean,
    checksPassed: number,
    checksFailed: number,
    bytes: number,
    decodedBytes: number | null,
    proto: 'h2' | 'http/1.1',
  ): void {
    const c = this.steps[step]!
    c.requests++
    c.bytes += bytes
    // a body golive did not decode to its end counts its wire size (docs/http.md)
    c.bytesDecoded += decodedBytes ?? bytes
    if (proto === 'h2') c.h2++
    else c.h1++
    c.statuses[status] = (c.statuses[status] ?? 0) + 1
    c.checksPassed += checksPassed
    c.checksFailed += checksFailed
    recordMs(c.hist, ms)
    this.bytes += bytes
    if (failed) c.errors++
    if (!this.inTimeline[step]) return
    const s = this.second(Date.now())
    s.requests++
    recordMs(s.hist, ms)
    if (failed) s.errors++
    const ss = s.steps?.[step]
    if (ss) {
      ss.requests++
      recordMs(ss.hist, ms)
      if (failed) ss.errors++
    }
  }

  /** no response (refused, reset, timeout): counted as a failed request, with no latency */
  transportError(step: number, code: string, bytes = 0): void {
    const c = this.steps[step]!
    c.bytes += bytes
    c.bytesDecoded += bytes
    this.bytes += bytes
    c.requests++
    c.errors++
    c.statuses[code] = (c.statuses[code] ?? 0) + 1
    if (!this.inTimeline[step]) return
    const s = this.second(Date.now())
    s.requests++
    s.errors++
    const ss = s.steps?.[step]
    if (ss) {
      ss.requests++
      ss.errors++
    }
  }

  /** a step failed a check before sending (a hook threw, a when could not be read): a failed
   *  request never sent, with no latency, and a failed check */
  unsent(step: number, code: string): void {
    this.transportError(step, code)
    this.steps[step]!.checksFailed++
  }

  error(step: string, kind: ErrorDelta['kind'], message: string): void {
    const key = `${step}\u0000${kind}\u0000${message}`
    const e = this.errors.get(key)
    if (e) e.count++
    else if (this.errors.size < 200) this.errors.set(key, { step, kind, message, count: 1 })
  }

  setActive(n: number): void {
    this.active = n
    const s = this.second(Date.now())
    if (n > s.activeMax) s.activeMax = n
  }

  /** Everything since the last flush; seconds before `now`'s second (or all, when final). */
  flush(final: boolean): TickMessage {
    const nowT = Math.floor((Date.now() - this.startMs()) / 1000)
    const seconds: SecondDelta[] = []
    for (const [t, s] of [...this.seconds].sort((a, b) => a[0] - b[0])) {
      if (!final && t >= nowT) continue
      seconds.push({
        t,
        requests: s.requests,
        errors: s.errors,
        activeMax: s.activeMax,
        hist: s.hist.totalCount ? encodeHistogram(s.hist) : null,
        ...(s.steps
          ? { steps: s.steps.map((x) => ({ requests: x.requests, errors: x.errors, hist: x.hist.totalCount ? encodeHistogram(x.hist) : null })) }
          : {}),
      })
      this.seconds.delete(t)
    }
    const steps = this.steps.map((c): StepDelta => {
      const d = {
        name: c.name,
        requests: c.requests,
        errors: c.errors,
        statuses: c.statuses,
        checksPassed: c.checksPassed,
        checksFailed: c.checksFailed,
        bytes: c.bytes,
        bytesDecoded: c.bytesDecoded,
        h2: c.h2,
        h1: c.h1,
        hist: c.hist.totalCount ? encodeHistogram(c.hist) : null,
      }
      c.requests = c.errors = c.checksPassed = c.checksFailed = c.bytes = c.bytesDecoded = c.h2 = c.h1 = 0
      c.statuses = {}
      c.hist.reset()
      return d
    })
    const msg: TickMessage = {
      type: 'tick',
      steps,
      seconds,
      iterations: this.iterations,
      dropped: this.dropped,
      bytes: this.bytes,
      errors: [...this.errors.values()],
      active: this.active,
      through: final ? Infinity : nowT,
      flow: this.flow.delta(),
    }
    this.iterations = this.dropped = this.bytes = 0
    this.errors.clear()
    return msg
  }
}
