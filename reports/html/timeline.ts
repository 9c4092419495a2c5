// A check's `evidence.timeline`, drawn whatever the check: failover probe outcomes with fault
// and recovery marks, alert states from triggered to resolved, … Each entry is an object with
// a time and a label; the names are read generically:
//   time:  t / seconds (s), atMs / tMs / elapsedMs / offsetMs / ms (ms), or at / time / ts /
//          timestamp (ISO text or epoch ms); shown as seconds from the first entry
//   label: state / event / outcome / status / phase / kind / type / label / name / result
//   mark:  `mark: true` (or kind/type 'mark'): a vertical line across the chart
// Lanes (one per label) hold a point per entry; the table lists the changes only.

import { COLORS, type ChartSpec } from './chart-spec.js'
import { chartBox } from './scenarios.js'
import { clip, esc, isRecord, table } from './text.js'

const SECONDS_KEYS = ['t', 'seconds', 's', 'elapsedSeconds', 'atSeconds']
const MS_KEYS = ['atMs', 'tMs', 'elapsedMs', 'offsetMs', 'ms', 'timeMs']
const ABS_KEYS = ['at', 'time', 'ts', 'timestamp', 'when', 'startedAt']
const LABEL_KEYS = ['state', 'event', 'outcome', 'status', 'phase', 'kind', 'type', 'label', 'name', 'result']
const MAX_ROWS = 300

export interface TimelineEntry { t: number; label: string; mark: boolean; raw: Record<string, unknown> }

export function readTimeline(raw: unknown[]): TimelineEntry[] {
  const entries: { abs: number | null; rel: number | null; label: string; mark: boolean; raw: Record<string, unknown> }[] = []
  for (const e of raw.slice(0, 100_000)) {
    if (!isRecord(e)) continue
    let rel: number | null = null, abs: number | null = null
    for (const k of SECONDS_KEYS) if (typeof e[k] === 'number') { rel = e[k] as number; break }
    if (rel === null) for (const k of MS_KEYS) if (typeof e[k] === 'number') { rel = (e[k] as number) / 1000; break }
    if (rel === null) {
      for (const k of ABS_KEYS) {
        const v = e[k]
        if (typeof v === 'number') { abs = v > 1e11 ? v : v * 1000; break }
        if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) { abs = Date.parse(v); break }
      }
    }
    if (rel === null && abs === null) continue
    const labelKey = LABEL_KEYS.find((k) => typeof e[k] === 'string' || typeof e[k] === 'boolean')
    const label = labelKey ? String(e[labelKey]) : 'event'
    const mark = e.mark === true || e.kind === 'mark' || e.type === 'mark'
    entries.push({ abs, rel, label, mark, raw: e })
  }
  const firstAbs = Math.min(...entries.filter((e) => e.abs !== null).map((e) => e.abs!))
  return entries
    .map((e) => ({ t: e.rel ?? (e.abs! - firstAbs) / 1000, label: e.label, mark: e.mark, raw: e.raw }))
    .sort((a, b) => a.t - b.t)
}

export function timelineSection(raw: unknown[], id: string, charts: ChartSpec[]): string {
  const entries = readTimeline(raw)
  if (entries.length === 0) return ''
  const points = entries.filter((e) => !e.mark)
  const lanes = [...new Set(points.map((e) => e.label))].slice(0, 12)
  const out: string[] = []
  const palette = [COLORS.ok, COLORS.bad, COLORS.warn, COLORS.requests, COLORS.other, COLORS.users, COLORS.max]
  if (lanes.length > 0) {
    const x = points.map((e) => round(e.t))
    charts.push({
      id: `${id}-timeline`, x, xLabel: 'seconds', yLabel: '', lanes, height: Math.max(140, 60 + lanes.length * 32),
      series: lanes.map((lane, i) => ({
        label: lane, style: 'points' as const, color: pickColor(lane, palette[i % palette.length]!),
        values: points.map((e) => (e.label === lane ? i : null)),
      })),
      marks: entries.filter((e) => e.mark).map((e) => ({ x: round(e.t), label: e.label })),
    })
    out.push(chartBox(`${id}-timeline`, 'Timeline (seconds from the first event; dashed lines mark faults and recoveries)'))
  }
  // the changes: an entry whose label differs from the one before, and every mark
  let previous: string | null = null
  const changes = entries.filter((e) => {
    if (e.mark) return true
    const changed = e.label !== previous
    previous = e.label
    return changed
  })
  const shown = changes.slice(0, MAX_ROWS)
  out.push(table(['t (s)', 'event', 'details'], shown.map((e) => [
    esc(round(e.t).toFixed(3)), `<span class="target-text">${clip(e.label, 200)}</span>`,
    `<span class="target-text">${clip(details(e.raw), 400)}</span>`,
  ]), 'timeline'))
  if (changes.length > shown.length) out.push(`<p class="muted">${changes.length - shown.length} more changes in results.json</p>`)
  return out.join('\n')
}

function details(raw: Record<string, unknown>): string {
  return Object.entries(raw)
    .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ')
}

function pickColor(label: string, fallback: string): string {
  if (/^(ok|up|pass|success|resolved|healthy|2\d\d)$/i.test(label)) return COLORS.ok
  if (/(error|fail|down|refused|timeout|firing|5\d\d)/i.test(label)) return COLORS.bad
  if (/(pending|degraded|warn)/i.test(label)) return COLORS.warn
  return fallback
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000
}
