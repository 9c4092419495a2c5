// Builders for a check's details (core/results.ts): what reports render, typed by kind. A check
// builds them from its own data next to its evidence; reports never learn which check made them.

import type { DetailChart, DetailHeading, DetailUnit, DetailValue, KvDetail, ListDetail, TableDetail, TimelineDetail, Unit } from './results.js'

/** A cell: primitives as they are, anything else as compact JSON text, undefined as null. */
export function cell(v: unknown): DetailValue {
  if (v === undefined || v === null) return null
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'string' || typeof v === 'boolean') return v
  try {
    return JSON.stringify(v) ?? null
  } catch {
    return String(v)
  }
}

function cells(row: Record<string, unknown>): Record<string, DetailValue> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cell(v)]))
}

/** Headings from a compact form: [key, label, unit?]. */
export function headings(...cols: [key: string, label: string, unit?: DetailUnit][]): DetailHeading[] {
  return cols.map(([key, label, unit]) => (unit ? { key, label, unit } : { key, label }))
}

/** A table; each row keeps only the fields its headings name (and their unitKey fields). */
export function tableDetail(
  heads: DetailHeading[],
  rows: object[],
  opts: { title?: string; note?: string; folded?: boolean; name?: string; chart?: DetailChart } = {},
): TableDetail {
  const keys = [...new Set(heads.flatMap((h) => (h.unitKey ? [h.key, h.unitKey] : [h.key])))]
  return { kind: 'table', ...opts, headings: heads, rows: rows.map((r) => Object.fromEntries(keys.map((k) => [k, cell((r as Record<string, unknown>)[k])]))) }
}

export function kvDetail(items: { label: string; value: unknown; unit?: DetailUnit }[], title?: string): KvDetail {
  return { kind: 'kv', ...(title ? { title } : {}), items: items.map((i) => ({ label: i.label, value: cell(i.value), ...(i.unit ? { unit: i.unit } : {}) })) }
}

export function listDetail(items: unknown[], title?: string): ListDetail {
  return { kind: 'list', ...(title ? { title } : {}), items: items.map((i) => (typeof i === 'string' ? i : String(cell(i) ?? ''))) }
}

export function timelineDetail(d: Omit<TimelineDetail, 'kind' | 'events'> & { events: Record<string, unknown>[] }): TimelineDetail {
  const { events, ...rest } = d
  return { kind: 'timeline', ...rest, events: events.map(cells) }
}

/** A figure's unit as a detail unit ('%' → 'percent', 'B' → 'bytes'; none → a plain number). */
export function detailUnit(u: Unit | string | undefined): DetailUnit {
  switch (u) {
    case 'ms':
    case 's':
    case 'count':
    case 'grade':
      return u
    case '%':
      return 'percent'
    case 'B':
      return 'bytes'
    default:
      return 'number'
  }
}
