// When users start and stop. Closed model: hold the user count the stages ask for. Open model:
// start journeys at the stages' rate, each on an idle user, dropping (and counting) a journey
// when every allowed user is busy. Users are split over worker threads by id, arrivals by index,
// so W threads together run exactly the plan.

import { levelAt, type Stage } from '../../stages.js'

/** Ids of this worker's users among 1..max: user i belongs to worker (i - 1) mod W. */
export function ownIds(max: number, worker: number, workers: number): number[] {
  const ids: number[] = []
  for (let i = worker + 1; i <= max; i += workers) ids.push(i)
  return ids
}

/** How many of this worker's users should be running at time t (ms) in the closed model. */
export function closedTarget(stages: Stage[], t: number, ids: number[]): number {
  const total = Math.floor(levelAt(stages, t) + 1e-9)
  let n = 0
  while (n < ids.length && ids[n]! <= total) n++
  return n
}

/**
 * Start time (ms) of the k-th journey (k = 0, 1, …) in the open model: the time at which the
 * integral of the (piecewise-linear) rate reaches k. Null when it falls after the last stage.
 */
export function arrivalTime(stages: Stage[], k: number): number | null {
  let start = 0
  let before = 0
  for (const s of stages) {
    const d = s.durationMs / 1000
    const r0 = s.from,
      r1 = s.to
    const inStage = ((r0 + r1) / 2) * d
    if (k < before + inStage || (k === before && inStage > 0)) {
      const need = k - before
      const a = (r1 - r0) / (2 * d)
      // solve a·τ² + r0·τ = need for τ in [0, d]
      const tau = Math.abs(a) < 1e-12 ? need / r0 : (-r0 + Math.sqrt(r0 * r0 + 4 * a * need)) / (2 * a)
      return start + tau * 1000
    }
    before += inStage
    start += s.durationMs
  }
  return null
}
