// A table detail's `chart` hint (core/results.ts DetailChart) as a chart spec: points or lines
// per series key over the rows, or a lane per row with a point per key at its value. Nothing
// here knows which check made the table: keys, labels and marks come from the hint.

import type { DetailChart, ScorecardRow, TableDetail } from '../../core/results.js'
import { formatValue } from '../../core/units.js'
import { COLORS, type ChartSeries, type ChartSpec } from './chart-spec.js'
import { chartBox } from './scenarios.js'

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const round3 = (n: number) => Math.round(n * 1000) / 1000

/** The chart of a table, pushed to `charts`, and its box; '' when there is nothing to draw. */
export function tableChartHtml(d: TableDetail, id: string, rows: readonly ScorecardRow[], charts: ChartSpec[]): string {
  const c = d.chart
  if (!c || d.rows.length === 0 || c.series.length === 0) return ''
  const label = (key: string, own?: string) => own ?? d.headings.find((h) => h.key === key)?.label ?? key
  const spec = c.kind === 'lanes' ? lanesSpec(d, c, id, label) : xySpec(d, c, id, label, rows)
  if (!spec) return ''
  charts.push(spec)
  return chartBox(id, c.title)
}

function xySpec(d: TableDetail, c: DetailChart, id: string, label: (key: string, own?: string) => string, rows: readonly ScorecardRow[]): ChartSpec | null {
  const palette = [COLORS.max, COLORS.p50, COLORS.p95, COLORS.other, COLORS.users, COLORS.requests, COLORS.warn, COLORS.bad]
  const xs = c.xKey ? d.rows.map((r) => num(r[c.xKey!])) : d.rows.map((_, i) => i)
  const keep = xs.map((x, i) => (x === null ? -1 : i)).filter((i) => i >= 0)
  if (keep.length === 0) return null
  const order = c.xKey ? [...keep].sort((a, b) => xs[a]! - xs[b]!) : keep
  const series: ChartSeries[] = c.series.slice(0, 8).map((s, i) => ({
    label: label(s.key, s.label),
    values: order.map((r) => num(d.rows[r]![s.key])),
    color: palette[i % palette.length]!,
    ...(c.kind === 'points' ? { style: 'points' as const } : {}),
    ...(s.right ? { right: true } : {}),
  }))
  const targets = (c.targets ?? []).flatMap((t) => {
    const row = rows.find((r) => r.figure === t.figure && r.unit === 'ms')
    const ms = row ? targetMs(row.expected) : null
    return ms === null ? [] : [{ y: ms, label: `${t.label} ${formatValue(ms, 'ms')}` }]
  })
  return {
    id,
    x: order.map((r) => round3(xs[r]!)),
    xLabel: c.xLabel ?? '',
    yLabel: c.yLabel ?? '',
    ...(c.y2Label ? { y2Label: c.y2Label } : {}),
    ...(c.xKey ? {} : { xNames: order.map((_, i) => `${c.xLabel ?? ''} ${i + 1}`.trim()) }),
    series,
    ...(targets.length ? { targets } : {}),
    marks: (c.marks ?? []).map((m) => ({ x: round3(m.at), label: m.label })),
  }
}

function lanesSpec(d: TableDetail, c: DetailChart, id: string, label: (key: string, own?: string) => string): ChartSpec | null {
  const palette = [COLORS.warn, COLORS.bad, COLORS.other, COLORS.ok, COLORS.requests, COLORS.users]
  const stages = c.series.slice(0, 8)
  const laneRows = d.rows.filter((r) => stages.some((s) => num(r[s.key]) !== null)).slice(0, 20)
  if (laneRows.length === 0) return null
  // one point per (lane, stage): x = the stage's value, y = the lane
  const points: { t: number; lane: number; stage: number }[] = []
  laneRows.forEach((r, lane) => {
    if (c.origin) points.push({ t: 0, lane, stage: -1 })
    stages.forEach((s, stage) => {
      const t = num(r[s.key])
      if (t !== null) points.push({ t: round3(t), lane, stage })
    })
  })
  points.sort((a, b) => a.t - b.t)
  const series: ChartSeries[] = [
    ...(c.origin ? [{ label: c.origin, color: COLORS.max, style: 'points' as const, values: points.map((p) => (p.stage === -1 ? p.lane : null)) }] : []),
    ...stages.map((s, i) => ({
      label: label(s.key, s.label),
      color: palette[i % palette.length]!,
      style: 'points' as const,
      values: points.map((p) => (p.stage === i ? p.lane : null)),
    })),
  ]
  return {
    id,
    x: points.map((p) => p.t),
    xLabel: c.xLabel ?? '',
    yLabel: c.yLabel ?? '',
    lanes: laneRows.map((r) => String(c.laneKey ? (r[c.laneKey] ?? '?') : '?')),
    height: Math.max(150, 70 + laneRows.length * 36),
    series,
    marks: (c.marks ?? []).map((m) => ({ x: round3(m.at), label: m.label })),
  }
}

/** The target of a gate in ms, from its expected text ('< 2.5 s'). */
function targetMs(expected: string): number | null {
  const m = /([\d.]+)\s*(ms|s)\b/.exec(expected)
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : null
}
