// Server figures: what the system did while golive loaded it. Before any load, prepareServer
// asks Prometheus to evaluate every query once (a bad PromQL or an unreachable Prometheus is a
// config problem, said before the first request) and reads pg_stat_statements once. After the
// scenarios, serverResult evaluates each query over each scenario's steady window
// (server.<scenario>.<name>: the maximum, <name>_mean: the mean) and dbResult turns the two
// pg_stat_statements reads around each window into the top statements (db.<scenario>.*).
// Measurement only: gates judge the figures (the system preset).

import type { ServerConfig } from '../core/config.js'
import type { CheckResult, Figure } from '../core/results.js'
import { parseDuration, round } from '../core/units.js'
import { serverQueries, type NamedQuery } from './server/presets.js'
import { checkQuery, expandQuery, PromError, scrapeIntervalS, windowStats, type WindowStats } from './server/prometheus.js'
import { readStatements, statementsDelta, StatementsError, where, type StatementSnapshot, type StatementsWindow } from './server/statements.js'

export { readStatements, type StatementSnapshot } from './server/statements.js'

/** A scenario's steady window in wall-clock time, and the pg_stat_statements reads at its ends. */
export interface LoadWindow {
  scenario: string
  fromMs: number
  toMs: number
  /** how the window was chosen, for the evidence: 'the peak hold, 5–30 s' */
  basis: string
  statements?: { before?: StatementSnapshot; after?: StatementSnapshot; error?: string }
}

export interface ServerSetup {
  timeoutMs: number
  prometheus?: { url: string; scrapeS: number; queries: (NamedQuery & { expanded: string })[] }
  postgres?: { url: string }
}

export interface SetupProblem { path: string; problem: string; fix: string }

const TOP_STATEMENTS = 10

export async function prepareServer(cfg: ServerConfig, signal?: AbortSignal): Promise<{ setup: ServerSetup; problems: SetupProblem[] }> {
  const timeoutMs = parseDuration(cfg.timeout ?? '10s')
  const setup: ServerSetup = { timeoutMs }
  const problems: SetupProblem[] = []
  const queries = serverQueries(cfg.presets ?? [], cfg.queries ?? {})
  if (queries.length && !cfg.prometheus) {
    problems.push({ path: 'server.prometheus', problem: 'server queries need a Prometheus to ask', fix: "set server.prometheus to the URL of the Prometheus that scrapes the system, e.g. 'http://127.0.0.1:9090'" })
  }
  if (cfg.prometheus && !queries.length) {
    problems.push({ path: 'server', problem: 'a Prometheus but nothing to ask it', fix: "add presets: ['node'] or queries: { name: 'PromQL' } to server" })
  }
  if (cfg.prometheus && queries.length) {
    const url = cfg.prometheus
    const scrapeS = await scrapeIntervalS(url, timeoutMs, signal)
    const expanded = queries.map((q) => ({ ...q, expanded: expandQuery(q.query, scrapeS) }))
    setup.prometheus = { url, scrapeS, queries: expanded }
    for (const q of expanded) {
      try { await checkQuery(url, q.expanded, timeoutMs, signal) } catch (e) {
        const err = e as PromError
        if (err.kind === 'unreachable') {
          problems.push({ path: 'server.prometheus', problem: `Prometheus does not answer: ${err.message}`, fix: 'start Prometheus, or set server.prometheus to the URL its API answers at (http://host:9090)' })
          break
        }
        const path = q.preset ? 'server.presets' : `server.queries.${q.name}`
        problems.push({ path, problem: `Prometheus refused the query ${q.name} (${q.expanded}): ${err.message}`, fix: q.preset ? `report it: the ${q.preset} preset's ${q.name} query should parse; meanwhile override it in server.queries.${q.name}` : `fix the PromQL of server.queries.${q.name} (try it in Prometheus's expression browser)` })
      }
    }
  }
  if (cfg.postgres) {
    setup.postgres = { url: cfg.postgres }
    try { await readStatements(cfg.postgres, timeoutMs) } catch (e) {
      problems.push({ path: 'server.postgres', problem: (e as Error).message, fix: e instanceof StatementsError && /not (installed|loaded)/.test(e.message) ? 'enable pg_stat_statements (docs/server.md), or remove server.postgres' : 'check server.postgres (host, port, database, a role with pg_read_all_stats), or remove it' })
    }
  }
  return { setup, problems }
}

/** A pg_stat_statements read during the run; a failure is kept as the window's error, not thrown. */
export async function snapshotStatements(setup: ServerSetup): Promise<{ snapshot?: StatementSnapshot; error?: string }> {
  if (!setup.postgres) return {}
  try { return { snapshot: await readStatements(setup.postgres.url, setup.timeoutMs) } } catch (e) { return { error: (e as Error).message } }
}

const span = (w: LoadWindow) => `${new Date(w.fromMs).toISOString()} – ${new Date(w.toMs).toISOString()} (${round((w.toMs - w.fromMs) / 1000, 1)} s, ${w.basis})`

/** Every query over every window: the 'server' result. A query with no answer leaves its figures
 *  out and says why (noData): a gate on them fails as missing. */
export async function serverResult(setup: ServerSetup, windows: LoadWindow[], signal?: AbortSignal): Promise<CheckResult> {
  const started = new Date()
  const prom = setup.prometheus!
  const figures: Record<string, Figure> = {}
  const noData: Record<string, string> = {}
  const single = windows.length === 1
  const rows: Record<string, unknown>[] = []
  let answered = 0
  let lastError = ''
  for (const w of windows) {
    const windowS = Math.max(1, (w.toMs - w.fromMs) / 1000)
    const stepS = Math.max(1, Math.ceil(windowS / 250))
    for (const q of prom.queries) {
      let stats: WindowStats | null = null
      let why: string | null = null
      try {
        stats = await windowStats(prom.url, q.expanded, w.fromMs / 1000, w.toMs / 1000, stepS, setup.timeoutMs, signal)
        answered++
        if (!stats) why = `the query ${q.name} (${q.expanded}) returned nothing over ${w.scenario}'s window ${span(w)}${q.preset ? `: does Prometheus scrape what the ${q.preset} preset reads?` : ''}`
      } catch (e) {
        lastError = (e as Error).message
        why = `the query ${q.name} (${q.expanded}) failed: ${lastError}`
      }
      const names = [`${w.scenario}.${q.name}`, ...(single ? [q.name] : [])]
      for (const name of names) {
        if (stats) {
          figures[name] = { value: round(stats.max, 3), ...(q.unit ? { unit: q.unit } : {}), samples: stats.points }
          figures[`${name}_mean`] = { value: round(stats.mean, 3), ...(q.unit ? { unit: q.unit } : {}), samples: stats.points }
        } else {
          noData[name] = why!
          noData[`${name}_mean`] = why!
        }
      }
      rows.push({ scenario: w.scenario, name: q.name, unit: q.unit ?? '', max: stats ? round(stats.max, 3) : null, mean: stats ? round(stats.mean, 3) : null, points: stats?.points ?? 0, series: stats?.series ?? 0, query: q.expanded, ...(q.preset ? { preset: q.preset } : {}), ...(why ? { note: why } : {}) })
    }
  }
  const evidence = {
    prometheus: prom.url, scrapeIntervalS: prom.scrapeS,
    windows: windows.map((w) => ({ scenario: w.scenario, from: new Date(w.fromMs).toISOString(), to: new Date(w.toMs).toISOString(), seconds: round((w.toMs - w.fromMs) / 1000, 1), basis: w.basis,
      ...((w.toMs - w.fromMs) / 1000 < 2 * prom.scrapeS ? { note: `shorter than two scrape intervals (${prom.scrapeS} s): the figures rest on one or two samples` } : {}) })),
    queries: rows,
  }
  const base = { id: 'server', title: 'Server figures from Prometheus over each scenario\'s steady window', startedAt: started.toISOString(), durationMs: Date.now() - started.getTime() }
  if (windows.length === 0) return { ...base, status: 'skipped', reason: 'no scenario ran: there is no load window to ask Prometheus about', figures, evidence }
  if (answered === 0) return { ...base, status: 'error', reason: `Prometheus at ${prom.url} answered no query: ${lastError}`, figures, noData, evidence }
  return { ...base, status: 'measured', figures, ...(Object.keys(noData).length ? { noData } : {}), evidence }
}

/** The statements each window ran: the 'db' result (db.<scenario>.query_mean_ms_max, .calls). */
export function dbResult(setup: ServerSetup, windows: LoadWindow[]): CheckResult {
  const started = new Date()
  const figures: Record<string, Figure> = {}
  const noData: Record<string, string> = {}
  const scenarios: Record<string, unknown>[] = []
  for (const w of windows) {
    const s = w.statements
    const name = `${w.scenario}.query_mean_ms_max`
    if (!s?.before || !s.after) {
      noData[name] = `pg_stat_statements was not read at both ends of ${w.scenario}'s window: ${s?.error ?? 'no read'}`
      scenarios.push({ scenario: w.scenario, window: span(w), error: noData[name] })
      continue
    }
    const d: StatementsWindow = statementsDelta(s.before, s.after, TOP_STATEMENTS)
    figures[`${w.scenario}.calls`] = { value: d.calls, unit: 'count' }
    if (d.top.length) figures[name] = { value: Math.max(...d.top.map((t) => t.meanMs)), unit: 'ms', samples: d.top.reduce((a, t) => a + t.calls, 0) }
    else noData[name] = `no statement ran at ${where(setup.postgres!.url)} in ${w.scenario}'s window ${span(w)}`
    scenarios.push({ scenario: w.scenario, window: span(w), statements: d.statements, calls: d.calls, totalMs: d.totalMs, utilityCalls: d.utilityCalls, top: d.top })
  }
  const base = { id: 'db', title: 'What the database did: pg_stat_statements over each scenario\'s steady window', startedAt: started.toISOString(), durationMs: Date.now() - started.getTime() }
  const evidence = { database: where(setup.postgres!.url), scenarios }
  if (windows.length === 0) return { ...base, status: 'skipped', reason: 'no scenario ran: there is no load window to read pg_stat_statements over', figures, evidence }
  const measured = Object.keys(figures).length > 0
  return { ...base, status: measured ? 'measured' : 'error', ...(measured ? {} : { reason: Object.values(noData)[0] }), figures, ...(Object.keys(noData).length ? { noData } : {}), evidence }
}
