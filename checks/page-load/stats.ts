// From the runs of a page to its figures: the median and the worst of each metric. Pure, so
// the tests (and a re-scoring from results.json) use the same code as a live run.

import type { Figure, Unit } from '../../core/results.js'

export interface RunMetrics {
  ttfb_ms: number | null
  fcp_ms: number | null
  lcp_ms: number | null
  cls: number | null
  dcl_ms: number | null
  load_ms: number | null
  bytes: number
  requests: number
  console_errors: number
  failed_requests: number
}

export const METRICS: { key: keyof RunMetrics; unit?: Unit; digits: number }[] = [
  { key: 'ttfb_ms', unit: 'ms', digits: 1 },
  { key: 'fcp_ms', unit: 'ms', digits: 1 },
  { key: 'lcp_ms', unit: 'ms', digits: 1 },
  { key: 'cls', digits: 4 },
  { key: 'dcl_ms', unit: 'ms', digits: 1 },
  { key: 'load_ms', unit: 'ms', digits: 1 },
  { key: 'bytes', unit: 'B', digits: 0 },
  { key: 'requests', unit: 'count', digits: 0 },
  { key: 'console_errors', unit: 'count', digits: 0 },
  { key: 'failed_requests', unit: 'count', digits: 0 },
]

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits

/** Median and worst (the highest: every metric here is better lower) over the runs. */
export function summarizeRuns(runs: RunMetrics[]): {
  median: Partial<Record<keyof RunMetrics, number>>
  worst: Partial<Record<keyof RunMetrics, number>>
  samples: Partial<Record<keyof RunMetrics, number>>
} {
  const med: Partial<Record<keyof RunMetrics, number>> = {}
  const worst: Partial<Record<keyof RunMetrics, number>> = {}
  /** how many runs measured each metric: what its median rests on */
  const samples: Partial<Record<keyof RunMetrics, number>> = {}
  for (const m of METRICS) {
    const values = runs.map((r) => r[m.key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    if (values.length === 0) continue
    med[m.key] = round(median(values)!, m.digits)
    worst[m.key] = round(Math.max(...values), m.digits)
    samples[m.key] = values.length
  }
  return { median: med, worst, samples }
}

/** page.<name>.<metric> (the median) and page.<name>.<metric>_worst; a metric no run measured is absent. */
export function pageFigures(name: string, runs: RunMetrics[]): Record<string, Figure> {
  const { median: med, worst, samples } = summarizeRuns(runs)
  const figures: Record<string, Figure> = {}
  for (const m of METRICS) {
    if (med[m.key] === undefined) continue
    const n = { samples: samples[m.key]! }
    figures[`page.${name}.${m.key}`] = m.unit ? { value: med[m.key]!, unit: m.unit, ...n } : { value: med[m.key]!, ...n }
    figures[`page.${name}.${m.key}_worst`] = m.unit ? { value: worst[m.key]!, unit: m.unit, ...n } : { value: worst[m.key]!, ...n }
  }
  if (runs.length > 0) figures[`page.${name}.runs`] = { value: runs.length, unit: 'count' }
  return figures
}

/** CLS as Chromium defines it: the largest session window of layout shifts without recent input
 *  (shifts less than 1 s apart, a window at most 5 s long). `shifts` are [startTime ms, value]. */
export function cumulativeLayoutShift(shifts: [number, number][]): number {
  let best = 0,
    current = 0,
    start = 0,
    last = 0
  for (const [t, v] of [...shifts].sort((a, b) => a[0] - b[0])) {
    if (current > 0 && (t - last >= 1000 || t - start >= 5000)) current = 0
    if (current === 0) start = t
    current += v
    last = t
    best = Math.max(best, current)
  }
  return best
}
