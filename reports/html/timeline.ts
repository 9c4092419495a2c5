// Timelines in the evidence of a results.json written before checks gave details (core/results.ts
// `details`): older runs, read by `golive report --from` and the trend pages. A current check
// declares its timeline's time key and unit (reports/html/details.ts draws it); for those older
// files, this reads the names their checks used:
//   time:  t / seconds (s), atMs / tMs / elapsedMs / offsetMs / ms (ms), or at / time / ts /
//          timestamp (ISO text or epoch ms); shown as seconds from the first entry
//   label: state / event / outcome / status / phase / kind / type / label / name / result
//   mark:  `mark: true` (or kind/type 'mark'): a vertical line across the chart
// A timeline without labels but with numbers (the drills' per-half-second probe buckets) is drawn
// as lines, with the holder's numeric `…At` fields as marks. Found up to three levels deep.

import { COLORS, type ChartSpec } from './chart-spec.js'
import { chartBox } from './scenarios.js'
import { clip, esc, isRecord, table } from './text.js'

const SECONDS_KEYS = ['t', 'seconds', 's', 'elapsedSeconds', 'atSeconds']
const MS_KEYS = ['atMs', 'tMs', 'elapsedMs', 'offsetMs', 'ms', 'timeMs']
const ABS_KEYS = ['at', 'time', 'ts', 'timestamp', 'when', 'startedAt']
const LABEL_KEYS = ['state', 'event', 'outcome', 'status', 'phase', 'kind', 'type', 'label', 'name', 'result']
const MAX_ROWS = 300

export interface TimelineEntry {
  t: number
  label: string
  mark: boolean
  raw: Record<string, unknown>
}

export function readTimeline(raw: unknown[]): TimelineEntry[] {
  const entries: { abs: number | null; rel: number | null; label: string; mark: boolean; raw: Record<string, unknown> }[] = []
  for (const e of raw.slice(0, 100_000)) {
    if (!isRecord(e)) continue
    let rel: number | null = null,
      abs: number | null = null
    for (const k of SECONDS_KEYS)
      if (typeof e[k] === 'number') {
        rel = e[k] as number
        break
      }
    if (rel === null)
      for (const k of MS_KEYS)
        if (typeof e[k] === 'number') {
          rel = (e[k] as number) / 1000
          break
        }
    if (rel === null) {
      for (const k of ABS_KEYS) {
        const v = e[k]
        if (typeof v === 'number') {
          abs = v > 1e11 ? v : v * 1000
          break
        }
        if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) {
          abs = Date.parse(v)
          break
        }
      }
    }
    if (rel === null && abs === null) continue
    const labelKey = LABEL_KEYS.find((k) => typeof e[k] === 'string' || typeof e[k] === 'boolean')
    const label = labelKey ? String(e[labelKey]) : 'event'
    const mark = e.mark === true || e.kind === 'mark' || e.type === 'mark'
    entries.push({ abs, rel, label, mark, raw: e })
  }
  const firstAbs = Math.min(...entries.filter((e) => e.abs !== null).map((e) => e.abs!))
  return entries.map((e) => ({ t: e.rel ?? (e.abs! - firstAbs) / 1000, label: e.label, mark: e.mark, raw: e.raw })).sort((a, b) => a.t - b.t)
}

/** Every `timeline` array in the evidence, with where it was and the object that held it. */
export function findTimelines(evidence: unknown, depth = 3, path: string[] = []): { path: string[]; holder: Record<string, unknown>; timeline: unknown[] }[] {
  if (!isRecord(evidence) || depth < 0) return []
  const found: { path: string[]; holder: Record<string, unknown>; timeline: unknown[] }[] = []
  if (Array.isArray(evidence.timeline)) found.push({ path, holder: evidence, timeline: evidence.timeline })
  for (const [k, v] of Object.entries(evidence)) if (k !== 'timeline' && isRecord(v)) found.push(...findTimelines(v, depth - 1, [...path, k]))
  return found.slice(0, 20)
}

/** Every timeline of an older result's evidence, drawn. */
export function legacyTimelines(evidence: unknown, id: string, charts: ChartSpec[]): string {
  return findTimelines(evidence)
    .map((f, i) => {
      const cid = f.path.length === 0 ? `${id}-timeline` : `${id}-timeline-${i}`
      const where = f.path.length ? f.path.join(' › ') : ''
      const numeric = numericTimeline(f.timeline)
      const body = numeric ? numericSection(numeric, f.holder, cid, charts) : timelineSection(f.timeline, cid, charts)
      return body && where ? `<h4 class="name">${esc(where)}</h4>\n${body}` : body
    })
    .join('\n')
}

interface NumericTimeline {
  x: number[]
  fields: string[]
  rows: Record<string, unknown>[]
}

/** Entries with a time, no label, and numbers besides the time: a counts-per-interval series. */
function numericTimeline(raw: unknown[]): NumericTimeline | null {
  const rows = raw.filter(isRecord).slice(0, 20_000)
  if (rows.length === 0 || rows.some((r) => LABEL_KEYS.some((k) => typeof r[k] === 'string'))) return null
  const timeKey = [...SECONDS_KEYS, ...MS_KEYS].find((k) => rows.every((r) => typeof r[k] === 'number'))
  if (!timeKey) return null
  const scale = MS_KEYS.includes(timeKey) ? 1000 : 1
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k !== timeKey && (typeof r[k] === 'number' || r[k] === null))))].slice(0, 8)
  if (fields.length === 0) return null
  const sorted = [...rows].sort((a, b) => (a[timeKey] as number) - (b[timeKey] as number))
  return { x: sorted.map((r) => round((r[timeKey] as number) / scale)), fields, rows: sorted }
}

function numericSection(n: NumericTimeline, holder: Record<string, unknown>, id: string, charts: ChartSpec[]): string {
  const isMs = (f: string) => /ms$|Ms$|latency|p\d\d/i.test(f)
  const palette = [COLORS.requests, COLORS.ok, COLORS.other, COLORS.users, COLORS.max]
  let next = 0,
    failed = 0
  const marks = Object.entries(holder)
    .filter(([k, v]) => /At$/.test(k) && typeof v === 'number' && Number.isFinite(v) && k !== 'endAt')
    .map(([k, v]) => ({ x: round(v as number), label: k.replace(/At$/, '') }))
  charts.push({
    id,
    x: n.x,
    xLabel: 'seconds',
    yLabel: 'count',
    ...(n.fields.some(isMs) ? { y2Label: 'ms' } : {}),
    series: n.fields.map((f) => ({
      label: f,
      values: n.rows.map((r) => (typeof r[f] === 'number' ? (r[f] as number) : null)),
      color: /fail|error|lost/i.test(f) ? (failed++ % 2 ? '#862e9c' : COLORS.bad) : isMs(f) ? COLORS.max : palette[next++ % palette.length]!,
      ...(isMs(f) ? { right: true } : {}),
    })),
    marks,
  })
  return chartBox(id, `Timeline: ${n.fields.join(', ')} per interval${marks.length ? ` (dashed: ${marks.map((m) => m.label).join(', ')})` : ''}`)
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
      id,
      x,
      xLabel: 'seconds',
      yLabel: '',
      lanes,
      height: Math.max(140, 60 + lanes.length * 32),
      series: lanes.map((lane, i) => ({
        label: lane,
        style: 'points' as const,
        color: pickColor(lane, palette[i % palette.length]!),
        values: points.map((e) => (e.label === lane ? i : null)),
      })),
      marks: entries.filter((e) => e.mark).map((e) => ({ x: round(e.t), label: e.label })),
    })
    out.push(chartBox(id, 'Timeline (seconds from the first event; dashed lines mark faults and recoveries)'))
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
  out.push(
    table(
      ['t (s)', 'event', 'details'],
      shown.map((e) => [
        esc(round(e.t).toFixed(3)),
        `<span class="target-text">${clip(e.label, 200)}</span>`,
        `<span class="target-text">${clip(details(e.raw), 400)}</span>`,
      ]),
      'timeline',
    ),
  )
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
