// How much slower the system answers at peak load than at low load, from the per-second timeline
// both engines record: p95 at peak users ÷ p95 over the first seconds at low load (at most a
// quarter of the peak users). A profile that starts at its peak (a constant level, no ramp) has
// no low-load period: the figure is not measured, and the reason says so.

import type { Figure, ScenarioResult, TimelinePoint } from '../core/results.js'
import { round } from '../core/units.js'

/** low load: at most this share of the peak users */
export const LOW_SHARE = 0.25
/** requests the low-load seconds must hold, so one slow request is not the baseline */
export const MIN_LOW_REQUESTS = 20

export type Degradation =
  | { figure: Figure; evidence: { lowSeconds: number[]; lowP95: number; peakSeconds: number[]; peakP95: number; peakUsers: number } }
  | { reason: string }

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

export function degradation(r: Pick<ScenarioResult, 'timeline'>): Degradation {
  const points = r.timeline.filter((p) => p.requests > 0 && p.p95 !== null) as (TimelinePoint & { p95: number })[]
  if (points.length === 0) return { reason: 'the timeline has no second with a response' }
  const peakUsers = Math.max(...points.map((p) => p.active))
  // the leading seconds at low load (users still arriving)
  const low: typeof points = []
  for (const p of points) {
    if (p.active > peakUsers * LOW_SHARE) break
    low.push(p)
  }
  if (low.length === 0) {
    return {
      reason:
        `no low-load period to compare with: the first second already had ${points[0]!.active} of the peak ${peakUsers} users (a constant profile, no ramp); ` +
        `ramp up with stages (e.g. [{ duration: '10s', target: ${peakUsers} }, ...]) to measure degradation`,
    }
  }
  const lowRequests = low.reduce((a, p) => a + p.requests, 0)
  if (lowRequests < MIN_LOW_REQUESTS) {
    return {
      reason: `the low-load seconds (≤ ${LOW_SHARE * 100} % of the peak ${peakUsers} users) saw ${lowRequests} requests, fewer than ${MIN_LOW_REQUESTS}: a longer ramp gives a baseline`,
    }
  }
  const peak = points.filter((p) => p.active >= peakUsers)
  const lowP95 = median(low.map((p) => p.p95))
  const peakP95 = median(peak.map((p) => p.p95))
  if (!(lowP95 > 0)) return { reason: 'the p95 at low load is 0 ms: no ratio to take' }
  return {
    figure: { value: round(peakP95 / lowP95, 2), samples: peak.reduce((a, p) => a + p.requests, 0) + lowRequests },
    evidence: { lowSeconds: low.map((p) => p.t), lowP95, peakSeconds: peak.map((p) => p.t), peakP95, peakUsers },
  }
}
