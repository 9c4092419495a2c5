// A load profile's curve, on its own so that the engine's threads (schedule.ts) read it without
// importing the scenario compiler and its validators.

/** A piecewise-linear curve over time: users (closed) or journeys started per second (open). */
export interface Stage {
  durationMs: number
  from: number
  to: number
}

/** The level of a curve at time t (ms): users for closed, starts per second for open. */
export function levelAt(stages: Stage[], t: number): number {
  let start = 0
  for (const s of stages) {
    if (t < start + s.durationMs) return s.from + (s.to - s.from) * ((t - start) / s.durationMs)
    start += s.durationMs
  }
  return 0
}
