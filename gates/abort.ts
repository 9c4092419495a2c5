// Stop on a breach: a blocker gate with `abort: { after: '30s' }` is judged on each second of a
// scenario's timeline while the run goes; breached for `after` on end, the run is stopped early
// (the engine's results stay complete, marked aborted with the gate and the moment). Pure: the
// caller feeds the seconds and stops the run.

import type { GateSpec, TimelinePoint } from '../core/results.js'
import { parseDuration } from '../core/units.js'
import { matchesFigure } from './figures.js'
import { OPERATORS } from './operators.js'
import { formatGate } from './parse.js'
import { align, parseTarget } from './target.js'

/** the figures a second of the timeline carries, and how to read each from it */
export const ABORT_FIGURES: Record<string, { unit: 'ms' | '%'; read: (s: TimelinePoint) => number | null }> = {
  latency_p50: { unit: 'ms', read: (s) => s.p50 },
  latency_p95: { unit: 'ms', read: (s) => s.p95 },
  latency_max: { unit: 'ms', read: (s) => s.max },
  error_rate: { unit: '%', read: (s) => (s.requests > 0 ? (s.errors / s.requests) * 100 : null) },
}

export interface Breach {
  /** the gate as written */
  gate: string
  figure: string
  /** seconds since the scenario started: when the breach began, and when the run was stopped */
  breachedFromS: number
  atS: number
  afterMs: number
  /** the figure in the last second judged, in its unit */
  value: number | null
  unit: 'ms' | '%'
}

interface Watched {
  gate: GateSpec
  text: string
  figure: string
  suffix: string
  afterMs: number
  since: number | null
}

export class AbortWatch {
  private readonly watched: Watched[]

  constructor(gates: GateSpec[], scenario: string) {
    this.watched = gates.flatMap((g) => {
      if (!g.abort || (g.level ?? 'blocker') !== 'blocker') return []
      const suffix = Object.keys(ABORT_FIGURES).find((k) => matchesFigure(g.figure, `load.${scenario}.${k}`))
      return suffix ? [{ gate: g, text: formatGate(g), figure: `load.${scenario}.${suffix}`, suffix, afterMs: parseDuration(g.abort.after), since: null }] : []
    })
  }

  get active(): boolean {
    return this.watched.length > 0
  }

  /** The gates watched, as written (for the engine's details). */
  gates(): string[] {
    return this.watched.map((w) => `${w.text} (abort after ${w.afterMs / 1000} s)`)
  }

  /** One complete second, in order. A second without a value (no response came back) does not
   *  end a breach: silence is no evidence of recovery. Returns the first gate breached for long enough. */
  second(s: TimelinePoint): Breach | null {
    for (const w of this.watched) {
      const f = ABORT_FIGURES[w.suffix]!
      const v = f.read(s)
      if (v === null) continue
      const a = align(parseTarget(w.gate.target), { value: v, unit: f.unit }, w.figure)
      const breached = a.ok && w.gate.op in OPERATORS && !OPERATORS[w.gate.op as keyof typeof OPERATORS].test(a.actual, a.target)
      if (!breached) {
        w.since = null
        continue
      }
      w.since ??= s.t
      // second t covers [t, t+1). The breach may have begun anywhere in its first second, so only
      // the whole seconds after it count: stopped once it has lasted `after` for certain (at most
      // a second more)
      if ((s.t - w.since) * 1000 >= w.afterMs) {
        return { gate: w.text, figure: w.figure, breachedFromS: w.since, atS: s.t + 1, afterMs: w.afterMs, value: Math.round(v * 1000) / 1000, unit: f.unit }
      }
    }
    return null
  }
}
