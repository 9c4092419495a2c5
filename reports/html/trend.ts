// The trend across the last runs of the environment (history store): one chart per unit (ms,
// s, %) with a line per figure, and the grades as a table, since a line cannot say A+.

import { formatValue } from '../../core/units.js'
import { trendRows } from '../trend.js'
import type { HistoryRun } from '../types.js'
import { COLORS, type ChartSpec } from './chart-spec.js'
import { chartBox } from './scenarios.js'
import { esc, table } from './text.js'

const PALETTE = [COLORS.p95, COLORS.errors, COLORS.p50, COLORS.users, COLORS.other, COLORS.max, COLORS.bars]
const UNIT_WORDS: Record<string, string> = { ms: 'milliseconds', s: 'seconds', '%': 'percent' }

export function trendSection(history: HistoryRun[] | undefined, charts: ChartSpec[]): string {
  if (!history || history.length < 2) return ''
  const rows = trendRows(history)
  if (rows.length === 0) return ''
  const names = history.map((r) => r.startedAt.slice(5, 16).replace('T', ' '))
  const out = [`<section id="trend"><h2>Trend: last ${history.length} runs of ${esc(history.at(-1)!.environment)}</h2>`]
  const units = [...new Set(rows.filter((r) => r.unit && r.unit in UNIT_WORDS).map((r) => r.unit!))]
  for (const unit of units) {
    const id = `trend-${unit === '%' ? 'pct' : unit}`
    const series = rows
      .filter((r) => r.unit === unit)
      .map((r, i) => ({
        label: r.figure,
        color: PALETTE[i % PALETTE.length]!,
        values: r.values.map((v) => (typeof v === 'number' ? v : null)),
      }))
    charts.push({ id, x: history.map((_, i) => i), xNames: names, xLabel: 'run', yLabel: unit, series })
    out.push(chartBox(id, `${UNIT_WORDS[unit]} over the last ${history.length} runs`))
  }
  out.push(
    table(
      ['figure', ...names, 'trend'],
      rows.map((r) => [`<code>${esc(r.figure)}</code>`, ...r.values.map((v) => esc(v === null ? '—' : formatValue(v, r.unit))), esc(r.spark)]),
      'trend',
    ),
  )
  out.push('</section>')
  return out.join('\n')
}
