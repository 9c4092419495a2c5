// The text of a detail's value by its declared unit, shared by every renderer (HTML wraps it in
// markup, Markdown escapes it into a cell). Reports format by unit and never by which check made
// the detail; a 'figure' value is looked up in the scorecard. Also the times of a timeline,
// read from its declared time key and unit (no guessing among field names).

import type { DetailHeading, DetailUnit, DetailValue, ScorecardRow, TimelineDetail } from '../core/results.js'
import { formatValue } from '../core/units.js'
import { expectedText } from './format.js'
import { readRow, type RowReading } from './outcome.js'

/** The unit of a cell: the row's own (heading.unitKey) when it names a known one, else the heading's. */
export function cellUnit(h: DetailHeading, row: Record<string, DetailValue>): DetailUnit | undefined {
  const own = h.unitKey ? row[h.unitKey] : undefined
  return typeof own === 'string' && own !== '' ? (own as DetailUnit) : h.unit
}

export function valueText(v: DetailValue | undefined, unit?: DetailUnit): string {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (typeof v === 'string') return v
  switch (unit) {
    case 'ms':
      return formatValue(v, 'ms')
    case 's':
      return formatValue(v, 's')
    case 'bytes':
      return formatValue(v, 'B')
    case 'percent':
      return formatValue(v, '%')
    case 'count':
      return formatValue(v, 'count')
    default:
      return formatValue(v)
  }
}

/** A 'figure' cell: the gate on that figure (expected, and the verdict read), or null for none. */
export function gateOf(figure: DetailValue | undefined, rows: readonly ScorecardRow[]): { expected: string; reading: RowReading } | null {
  if (typeof figure !== 'string') return null
  const row = rows.find((r) => r.figure === figure)
  return row ? { expected: expectedText(row), reading: readRow(row) } : null
}

export interface TimelineEntry {
  t: number
  label: string
  event: Record<string, DetailValue>
}

/** Seconds of a time in the timeline's declared unit; for 'iso', from `originMs`. */
export function secondsOf(v: DetailValue | number | string | undefined, unit: TimelineDetail['unit'], originMs: number): number | null {
  if (unit === 'iso') {
    const ms = typeof v === 'string' ? Date.parse(v) : NaN
    return Number.isNaN(ms) ? null : (ms - originMs) / 1000
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return null
  return unit === 'ms' ? v / 1000 : v
}

/** The events with their time in seconds (ISO times from the first event), sorted; an event
 *  without a readable time under the declared key is left out. */
export function timelineEntries(d: TimelineDetail): { entries: TimelineEntry[]; marks: { t: number; label: string }[] } {
  const origin =
    d.unit === 'iso'
      ? Math.min(...d.events.map((e) => (typeof e[d.timeKey] === 'string' ? Date.parse(e[d.timeKey] as string) : NaN)).filter((n) => !Number.isNaN(n)))
      : 0
  const entries = d.events
    .slice(0, 100_000)
    .flatMap((e) => {
      const t = secondsOf(e[d.timeKey], d.unit, origin)
      if (t === null) return []
      const label = d.labelKey !== undefined && e[d.labelKey] !== undefined && e[d.labelKey] !== null ? String(e[d.labelKey]) : 'event'
      return [{ t: round3(t), label, event: e }]
    })
    .sort((a, b) => a.t - b.t)
  const marks = (d.marks ?? []).flatMap((m) => {
    const t = secondsOf(m.at, d.unit, origin)
    return t === null ? [] : [{ t: round3(t), label: m.label }]
  })
  return { entries, marks }
}

/** The entries whose label differs from the one before: what changed, not every sample. */
export function changesOf(entries: TimelineEntry[]): TimelineEntry[] {
  let previous: string | null = null
  return entries.filter((e) => {
    const changed = e.label !== previous
    previous = e.label
    return changed
  })
}

/** An event's other fields, key=value, for the table of changes. */
export function eventRest(d: TimelineDetail, e: Record<string, DetailValue>): string {
  return Object.entries(e)
    .filter(([k]) => k !== d.timeKey && k !== d.labelKey)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ')
}

/** Is there anything to show? null, {}, [] and '' are not evidence. */
export function hasEvidence(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return false
  if (Array.isArray(v)) return v.length > 0
  if (typeof v === 'object') return Object.keys(v).length > 0
  return true
}

export const round3 = (n: number) => Math.round(n * 1000) / 1000
