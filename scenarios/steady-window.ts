// A scenario's steady window: where its profile holds its peak (after the ramp, before any ramp
// down and the graceful stop). Server figures are read over it, so the ramp's quiet seconds do
// not water down a mean.

import type { PlanProfile } from './compile.js'

export interface SteadyWindow {
  /** ms after the scenario's start */
  fromMs: number
  toMs: number
  basis: string
}

/** The span at the profile's peak level; a peak touched only for an instant (a spike with no
 *  hold): the whole profile, said so. */
export function steadyWindow(p: PlanProfile): SteadyWindow {
  const peak = Math.max(...p.stages.map((s) => Math.max(s.from, s.to)))
  let t = 0
  let from: number | null = null
  let to = 0
  for (const s of p.stages) {
    const start = t
    t += s.durationMs
    if (s.from === peak && s.to === peak) {
      from ??= start
      to = t
    } else if (s.to === peak) {
      from ??= t
      to = Math.max(to, t)
    } else if (s.from === peak) {
      from ??= start
      to = Math.max(to, start)
    }
  }
  const unit = p.model === 'closed' ? 'users' : 'journeys/s'
  if (from === null || to - from < 1000)
    return { fromMs: 0, toMs: p.totalMs, basis: `the whole profile (it holds its peak of ${peak} ${unit} for under a second)` }
  const s = (ms: number) => `${Math.round(ms / 100) / 10}`
  return { fromMs: from, toMs: to, basis: `the peak hold at ${peak} ${unit}, ${s(from)}–${s(to)} s` }
}
