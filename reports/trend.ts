// The trend view: chosen figures over the last N runs, as a sparkline a Markdown table or a
// terminal can show. Pure: the runs come in, rows go out; grades are shown as written.

import type { Figure } from '../core/results.js'
import { formatValue } from '../core/units.js'
import type { HistoryRun } from './types.js'

/** What a nightly reader watches: speed, errors, the grades, recovery. Patterns as in gates. */
export const TREND_FIGURES = [
  'load.*.latency_p95',
  'load.*.error_rate',
  'tls.grade',
  'headers.grade',
  'failover.rto_seconds',
  'backup-restore.projected_restore_seconds',
  'page-load.page.*.lcp_ms',
]

const BARS = '▁▂▃▄▅▆▇█'

export interface TrendRow {
  figure: string
  unit?: Figure['unit']
  /** one per run, oldest first; null where that run has no such figure */
  values: (number | string | null)[]
  spark: string
  first: string
  last: string
}

function matches(pattern: string, name: string): boolean {
  const p = pattern.split('.'),
    n = name.split('.')
  return p.length === n.length && p.every((seg, i) => seg === '*' || seg === n[i])
}

/** The trend rows for the figures any of `runs` has, in TREND_FIGURES order. */
export function trendRows(runs: HistoryRun[], patterns: readonly string[] = TREND_FIGURES, maxRows = 12): TrendRow[] {
  const rows: TrendRow[] = []
  for (const pattern of patterns) {
    const names = [...new Set(runs.flatMap((r) => Object.keys(r.figures).filter((n) => matches(pattern, n))))].sort()
    for (const figure of names) {
      const fs = runs.map((r) => r.figures[figure])
      const unit = fs.find(Boolean)?.unit
      const values = fs.map((f) => (f && f.value !== null && f.value !== undefined ? f.value : null))
      const shown = values.filter((v): v is number | string => v !== null)
      rows.push({
        figure,
        ...(unit ? { unit } : {}),
        values,
        spark: sparkline(values),
        first: shown.length ? formatValue(shown[0], unit) : '—',
        last: values.at(-1) !== null && values.at(-1) !== undefined ? formatValue(values.at(-1)!, unit) : '—',
      })
    }
  }
  return rows.slice(0, maxRows)
}

/** ▁…█ scaled from the smallest to the largest number; a gap for a missing value; text values
 *  (grades) are joined as written, since a bar cannot say A+. */
export function sparkline(values: (number | string | null)[]): string {
  if (values.some((v) => typeof v === 'string')) return values.map((v) => (v === null ? '·' : String(v))).join(' ')
  const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  if (nums.length === 0) return ''
  const lo = Math.min(...nums),
    hi = Math.max(...nums)
  return values
    .map((v) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return ' '
      const i = hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))
      return BARS[i]
    })
    .join('')
}
