// What the database did over a window: two reads of pg_stat_statements and their difference.
// The statement text is PostgreSQL's own normalised form (constants replaced by $1, $2, ...);
// parameters are never stored by pg_stat_statements, so none can be shown. Utility statements
// (ALTER ROLE ... PASSWORD, SET) keep their literals in PostgreSQL 15, so only their count is
// kept. Only the statements of the URL's database. Read-only: golive never resets the statistics.

import pg from 'pg'

export interface Statement {
  key: string
  query: string
  calls: number
  totalMs: number
  maxMs: number
}
export type StatementSnapshot = Map<string, Statement>

/** Statements whose constants pg_stat_statements replaces with $n: their text may be shown. */
const NORMALISED = /^\s*(\(\s*)*(select|insert|update|delete|with|merge|values|table)\b/i
/** golive's own read of the view, left out of the figures */
const OWN = '/* golive server figures */'

export class StatementsError extends Error {}

export async function readStatements(url: string, timeoutMs: number): Promise<StatementSnapshot> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, query_timeout: timeoutMs })
  client.on('error', () => {})
  try {
    await client.connect()
  } catch (e) {
    throw new StatementsError(`cannot connect to PostgreSQL at ${where(url)}: ${(e as { code?: string }).code ?? (e as Error).message}`)
  }
  try {
    const rows = await client
      .query<{ userid: string; dbid: string; queryid: string | null; query: string | null; calls: string; total: number; max: number }>(
        // the view is the whole cluster's: only the URL's database (monitoring agents query others)
        `${OWN} SELECT userid::text, dbid::text, queryid::text, query, calls::text, total_exec_time AS total, max_exec_time AS max FROM pg_stat_statements ` +
          'WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())',
      )
      .catch((e: Error & { code?: string }) => {
        if (e.code === '42P01')
          throw new StatementsError(
            `pg_stat_statements is not installed in the database at ${where(url)}: CREATE EXTENSION pg_stat_statements there (it needs shared_preload_libraries = 'pg_stat_statements')`,
          )
        if (e.code === '55000')
          throw new StatementsError(
            `pg_stat_statements is not loaded at ${where(url)}: add shared_preload_libraries = 'pg_stat_statements' to postgresql.conf and restart PostgreSQL`,
          )
        throw new StatementsError(`reading pg_stat_statements at ${where(url)} failed: ${e.message}`)
      })
    const out: StatementSnapshot = new Map()
    for (const r of rows.rows) {
      if (r.queryid === null || r.query === null || r.query.startsWith(OWN)) continue
      const key = `${r.dbid}:${r.userid}:${r.queryid}`
      out.set(key, { key, query: r.query, calls: Number(r.calls), totalMs: Number(r.total), maxMs: Number(r.max) })
    }
    return out
  } finally {
    await client.end().catch(() => {})
  }
}

/** host:port/database of a URL, never its user or password */
export function where(url: string): string {
  try {
    const u = new URL(url)
    return `${u.hostname}:${u.port || 5432}${u.pathname || '/'}`
  } catch {
    return '(the configured URL)'
  }
}

export interface StatementDelta {
  query: string
  calls: number
  totalMs: number
  meanMs: number
  /** pg_stat_statements keeps no windowed maximum: this is the window's only when the statement
   *  first ran in it (maxInWindow), else the maximum since its statistics began */
  maxMs: number
  maxInWindow: boolean
}

export interface StatementsWindow {
  top: StatementDelta[]
  /** statements (normalised) with calls in the window */
  statements: number
  calls: number
  totalMs: number
  /** utility statements in the window: counted, their text not shown */
  utilityCalls: number
}

const round3 = (n: number) => Math.round(n * 1000) / 1000

/** What ran between two snapshots, the top `n` by total time. */
export function statementsDelta(before: StatementSnapshot, after: StatementSnapshot, n = 10): StatementsWindow {
  const all: StatementDelta[] = []
  let utilityCalls = 0
  for (const a of after.values()) {
    const b = before.get(a.key)
    const calls = a.calls - (b?.calls ?? 0)
    const totalMs = a.totalMs - (b?.totalMs ?? 0)
    // evicted and re-added (pg_stat_statements.max) or reset: not a delta we can trust
    if (calls <= 0 || totalMs < 0) continue
    if (!NORMALISED.test(a.query)) {
      utilityCalls += calls
      continue
    }
    all.push({
      query: a.query.trim().slice(0, 2000),
      calls,
      totalMs: round3(totalMs),
      meanMs: round3(totalMs / calls),
      maxMs: round3(a.maxMs),
      maxInWindow: b === undefined,
    })
  }
  all.sort((x, y) => y.totalMs - x.totalMs)
  return {
    top: all.slice(0, n),
    statements: all.length,
    calls: all.reduce((s, x) => s + x.calls, 0),
    totalMs: round3(all.reduce((s, x) => s + x.totalMs, 0)),
    utilityCalls,
  }
}
