// Integrity of a restore: every table's row count and a content checksum (order-independent: the
// sum of a 64-bit hash of each row's text), on the source as of the backup's snapshot and on the
// restored copy, compared. The comparison is a pure function.

import type pg from 'pg'

export interface TableSum {
  table: string
  rows: number
  sum: string
}

export interface Mismatch {
  table: string
  problem: string
}

/** Same text for the same row on both servers, whatever their settings. */
export const STABLE_SETTINGS = [
  "SET TimeZone = 'UTC'",
  "SET DateStyle = 'ISO, YMD'",
  "SET IntervalStyle = 'postgres'",
  'SET extra_float_digits = 3',
  "SET bytea_output = 'hex'",
]

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`

export async function tableSums(c: pg.ClientBase, only?: string[]): Promise<TableSum[]> {
  for (const s of STABLE_SETTINGS) await c.query(s)
  const tables = await c.query<{ s: string; t: string }>(`SELECT table_schema AS s, table_name AS t FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%' ORDER BY 1, 2`)
  const out: TableSum[] = []
  for (const { s, t } of tables.rows) {
    const name = `${s}.${t}`
    if (only && !only.includes(name)) continue
    const r = await c.query<{ n: string; h: string }>(
      `SELECT count(*)::text AS n, coalesce(sum(('x' || left(md5(x::text), 16))::bit(64)::bigint::numeric), 0)::text AS h FROM ${ident(s)}.${ident(t)} AS x`,
    )
    out.push({ table: name, rows: Number(r.rows[0]!.n), sum: r.rows[0]!.h })
  }
  return out
}

export function compareSums(
  source: readonly TableSum[],
  restored: readonly TableSum[],
): { mismatches: Mismatch[]; tablesVerified: number; rowsVerified: number; extra: string[] } {
  const byName = new Map(restored.map((t) => [t.table, t]))
  const mismatches: Mismatch[] = []
  let rowsVerified = 0
  for (const s of source) {
    const r = byName.get(s.table)
    if (!r) {
      mismatches.push({ table: s.table, problem: 'missing from the restored copy' })
      continue
    }
    rowsVerified += Math.min(s.rows, r.rows)
    if (s.rows !== r.rows) mismatches.push({ table: s.table, problem: `${s.rows} rows in the source, ${r.rows} restored` })
    else if (s.sum !== r.sum) mismatches.push({ table: s.table, problem: `same ${s.rows} rows, different content (checksum)` })
  }
  const names = new Set(source.map((t) => t.table))
  return { mismatches, tablesVerified: source.length, rowsVerified, extra: restored.filter((t) => !names.has(t.table)).map((t) => t.table) }
}
