// Is latency rising steadily across a step? A queue that is still filling when the step ends
// passes a p95 threshold and still means the system is not keeping up. Theil–Sen (the median of
// the pairwise slopes) reads the trend of the per-second medians: one slow second on a loaded
// machine moves it little, a steady climb moves it fully.

/** Median of the slopes between every pair of points (x ascending); null with fewer than 2. */
export function theilSen(points: { x: number; y: number }[]): number | null {
  const slopes: number[] = []
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]!.x - points[i]!.x
      if (dx !== 0) slopes.push((points[j]!.y - points[i]!.y) / dx)
    }
  }
  return median(slopes)
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** How far the trend carries latency across the window, against where it started: rising when
 *  the climb over the window is at least `ratio` of the starting level and `minMs` in all. */
export interface Rise {
  slopeMsPerS: number
  riseMs: number
  baseMs: number
  rising: boolean
}

export function latencyRise(points: { x: number; y: number }[], ratio = 0.5, minMs = 10): Rise | null {
  const slope = theilSen(points)
  if (slope === null) return null
  const span = points[points.length - 1]!.x - points[0]!.x
  // the starting level: the median of the first half's values (robust to a slow first second)
  const base = median(points.slice(0, Math.max(1, points.length >> 1)).map((p) => p.y)) ?? 0
  const rise = slope * span
  return { slopeMsPerS: slope, riseMs: rise, baseMs: base, rising: rise >= Math.max(minMs, ratio * base) }
}
