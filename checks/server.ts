// Server figures: what the system did while golive loaded it. Before any load, prepareServer
// asks Prometheus to evaluate every query once (a bad PromQL or an unreachable Prometheus is a
// config problem, said before the first request) and reads pg_stat_statements once. After the
// scenarios, serverResult evaluates each query over each scenario's steady window
// (server.<scenario>.<name>: the maximum, <name>_mean: the mean) and dbResult turns the two
// pg_stat_statements reads around each window into the top statements (db.<scenario>.*).
// serverPort gives a drill the same queries over each experiment's fault window.
// Measurement only: gates judge the figures (the system preset).

import type { ServerConfig } from '../core/config.js'
import type { ServerPort } from '../core/check.js'
import type { CheckResult, Detail, Figure } from '../core/results.js'
import { detailUnit, headings, kvDetail, listDetail, tableDetail } from '../core/details.js'
import { parseDuration, round } from '../core/units.js'
import { serverQueries, type NamedQuery } from './server/presets.js'
import { checkQuery, expandQuery, type PromError, scrapeIntervalS, windowStats, type WindowStats } from './server/prometheus.js'
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

export interface SetupProblem {
  path: string
  problem: string
  fix: string
}

const TOP_STATEMENTS = 10

export async function prepareServer(cfg: ServerConfig, signal?: AbortSignal): Promise<{ setup: ServerSetup; problems: SetupProblem[] }> {
  const timeoutMs = parseDuration(cfg.timeout ?? '10s')
  const setup: ServerSetup = { timeoutMs }
  const problems: SetupProblem[] = []
  const queries = serverQueries(cfg.presets ?? [], cfg.queries ?? {})
  if (queries.length && !cfg.prometheus) {
    problems.push({
      path: 'server.prometheus',
      problem: 'server queries need a Prometheus to ask',
      fix: "set server.prometheus to the URL of the Prometheus that scrapes the system, e.g. 'http://127.0.0.1:9090'",
    })
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
      try {
        await checkQuery(url, q.expanded, timeoutMs, signal)
      } catch (e) {
        const err = e as PromError
        if (err.kind === 'unreachable') {
          problems.push({
            path: 'server.prometheus',
            problem: `Prometheus does not answer: ${err.message}`,
            fix: 'start Prometheus, or set server.prometheus to the URL its API answers at (http://host:9090)',
          })
          break
        }
        const path = q.preset ? 'server.presets' : `server.queries.${q.name}`
        problems.push({
          path,
          problem: `Prometheus refused the query ${q.name} (${q.expanded}): ${err.message}`,
          fix: q.preset
            ? `report it: the ${q.preset} preset's ${q.name} query should parse; meanwhile override it in server.queries.${q.name}`
            : `fix the PromQL of server.queries.${q.name} (try it in Prometheus's expression browser)`,
        })
      }
    }
  }
  if (cfg.postgres) {
    setup.postgres = { url: cfg.postgres }
    try {
      await readStatements(cfg.postgres, timeoutMs)
    } catch (e) {
      problems.push({
        path: 'server.postgres',
        problem: (e as Error).message,
        fix:
          e instanceof StatementsError && /not (installed|loaded)/.test(e.message)
            ? 'enable pg_stat_statements (docs/server.md), or remove server.postgres'
            : 'check server.postgres (host, port, database, a role with pg_read_all_stats), or remove it',
      })
    }
  }
  return { setup, problems }
}

/** A pg_stat_statements read during the run; a failure is kept as the window's error, not thrown. */
export async function snapshotStatements(setup: ServerSetup): Promise<{ snapshot?: StatementSnapshot; error?: string }> {
  if (!setup.postgres) return {}
  try {
    return { snapshot: await readStatements(setup.postgres.url, setup.timeoutMs) }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

const span = (w: LoadWindow) =>
  `${new Date(w.fromMs).toISOString()} – ${new Date(w.toMs).toISOString()} (${round((w.toMs - w.fromMs) / 1000, 1)} s, ${w.basis})`

interface Asked {
  q: NamedQuery & { expanded: string }
  stats: WindowStats | null
  why: string | null
  failed: boolean
}

/** Every query over one wall-clock window, reduced to max and mean; `over` names the window in
 *  the reasons ("s's window", "failover experiment app-crash's fault window"). */
async function askWindow(setup: ServerSetup, fromMs: number, toMs: number, over: string, signal?: AbortSignal): Promise<Asked[]> {
  const prom = setup.prometheus!
  const stepS = Math.max(1, Math.ceil(Math.max(1, (toMs - fromMs) / 1000) / 250))
  const out: Asked[] = []
  for (const q of prom.queries) {
    try {
      const stats = await windowStats(prom.url, q.expanded, fromMs / 1000, toMs / 1000, stepS, setup.timeoutMs, signal)
      out.push({
        q,
        stats,
        failed: false,
        why: stats
          ? null
          : `the query ${q.name} (${q.expanded}) returned nothing over ${over}${q.preset ? `: does Prometheus scrape what the ${q.preset} preset reads?` : ''}`,
      })
    } catch (e) {
      out.push({ q, stats: null, failed: true, why: `the query ${q.name} (${q.expanded}) failed: ${(e as Error).message}` })
    }
  }
  return out
}

/** One evidence row per query asked. */
const row = (a: Asked, extra: Record<string, unknown>) => ({
  ...extra,
  name: a.q.name,
  unit: a.q.unit ?? '',
  max: a.stats ? round(a.stats.max, 3) : null,
  mean: a.stats ? round(a.stats.mean, 3) : null,
  points: a.stats?.points ?? 0,
  series: a.stats?.series ?? 0,
  query: a.q.expanded,
  ...(a.q.preset ? { preset: a.q.preset } : {}),
  ...(a.why ? { note: a.why } : {}),
})

/** The figures of one query: `name` the maximum, `name_mean` the mean; or both in noData with why. */
function put(a: Asked, name: string, figures: Record<string, Figure>, noData: Record<string, string>): void {
  const unit = a.q.unit ? { unit: a.q.unit } : {}
  if (a.stats) {
    figures[name] = { value: round(a.stats.max, 3), ...unit, samples: a.stats.points }
    figures[`${name}_mean`] = { value: round(a.stats.mean, 3), ...unit, samples: a.stats.points }
  } else {
    noData[name] = a.why!
    noData[`${name}_mean`] = a.why!
  }
}

const shortWindow = (fromMs: number, toMs: number, scrapeS: number) =>
  (toMs - fromMs) / 1000 < 2 * scrapeS ? { note: `shorter than two scrape intervals (${scrapeS} s): the figures rest on one or two samples` } : {}

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
    for (const a of await askWindow(setup, w.fromMs, w.toMs, `${w.scenario}'s window ${span(w)}`, signal)) {
      if (a.failed) lastError = a.why!
      else answered++
      for (const name of [`${w.scenario}.${a.q.name}`, ...(single ? [a.q.name] : [])]) put(a, name, figures, noData)
      rows.push(row(a, { scenario: w.scenario }))
    }
  }
  const evidence = {
    prometheus: prom.url,
    scrapeIntervalS: prom.scrapeS,
    windows: windows.map((w) => ({
      scenario: w.scenario,
      from: new Date(w.fromMs).toISOString(),
      to: new Date(w.toMs).toISOString(),
      seconds: round((w.toMs - w.fromMs) / 1000, 1),
      basis: w.basis,
      ...shortWindow(w.fromMs, w.toMs, prom.scrapeS),
    })),
    queries: rows,
  }
  const details: Detail[] = [
    tableDetail(
      headings(['scenario', 'scenario'], ['from', 'from'], ['to', 'to'], ['seconds', 'seconds', 's'], ['basis', 'chosen as', 'text']),
      evidence.windows.map((w) => ({ ...w, basis: [w.basis, w.note].filter(Boolean).join('; ') })),
      { title: 'Windows' },
    ),
    tableDetail(
      [
        ...headings(['scenario', 'scenario'], ['name', 'figure']),
        { key: 'max', label: 'max', unitKey: 'unit' },
        { key: 'mean', label: 'mean', unitKey: 'unit' },
        ...headings(['points', 'points', 'count'], ['query', 'query', 'code'], ['note', 'note', 'text']),
      ],
      rows.map((r) => ({ ...r, unit: detailUnit(r.unit as string), note: r.max === null ? `no data${r.note ? `: ${String(r.note)}` : ''}` : (r.note ?? '') })),
      { title: 'Queries' },
    ),
  ]
  const base = {
    id: 'server',
    title: "Server figures from Prometheus over each scenario's steady window",
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
  }
  if (windows.length === 0) return { ...base, status: 'skipped', reason: 'no scenario ran: there is no load window to ask Prometheus about', figures, evidence }
  if (answered === 0)
    return { ...base, status: 'error', reason: `Prometheus at ${prom.url} answered no query: ${lastError}`, figures, noData, evidence, details }
  return { ...base, status: 'measured', figures, ...(Object.keys(noData).length ? { noData } : {}), evidence, details }
}

/** The server port a drill asks over each fault window (core/check.ts ServerPort). */
export function serverPort(setup: ServerSetup): ServerPort {
  const prom = setup.prometheus!
  return {
    async window(label, fromMs, toMs, signal) {
      const figures: Record<string, Figure> = {}
      const noData: Record<string, string> = {}
      const over = `${label} ${new Date(fromMs).toISOString()} – ${new Date(toMs).toISOString()} (${round((toMs - fromMs) / 1000, 1)} s)`
      const asked = await askWindow(setup, fromMs, toMs, over, signal)
      for (const a of asked) put(a, a.q.name, figures, noData)
      const evidence = {
        prometheus: prom.url,
        scrapeIntervalS: prom.scrapeS,
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        seconds: round((toMs - fromMs) / 1000, 1),
        ...shortWindow(fromMs, toMs, prom.scrapeS),
        queries: asked.map((a) => row(a, {})),
      }
      return { figures, noData, evidence }
    },
  }
}

/** The statements each window ran: the 'db' result (db.<scenario>.query_mean_ms_max, .calls). */
export function dbResult(setup: ServerSetup, windows: LoadWindow[]): CheckResult {
  const started = new Date()
  const figures: Record<string, Figure> = {}
  const noData: Record<string, string> = {}
  const scenarios: Record<string, unknown>[] = []
  const details: Detail[] = []
  for (const w of windows) {
    const s = w.statements
    const name = `${w.scenario}.query_mean_ms_max`
    if (!s?.before || !s.after) {
      noData[name] = `pg_stat_statements was not read at both ends of ${w.scenario}'s window: ${s?.error ?? 'no read'}`
      scenarios.push({ scenario: w.scenario, window: span(w), error: noData[name] })
      details.push(listDetail([noData[name]!], `Top statements: ${w.scenario}`))
      continue
    }
    const d: StatementsWindow = statementsDelta(s.before, s.after, TOP_STATEMENTS)
    figures[`${w.scenario}.calls`] = { value: d.calls, unit: 'count' }
    if (d.top.length) figures[name] = { value: Math.max(...d.top.map((t) => t.meanMs)), unit: 'ms', samples: d.top.reduce((a, t) => a + t.calls, 0) }
    else noData[name] = `no statement ran at ${where(setup.postgres!.url)} in ${w.scenario}'s window ${span(w)}`
    scenarios.push({
      scenario: w.scenario,
      window: span(w),
      statements: d.statements,
      calls: d.calls,
      totalMs: d.totalMs,
      utilityCalls: d.utilityCalls,
      top: d.top,
    })
    details.push(
      kvDetail(
        [
          { label: 'database', value: where(setup.postgres!.url) },
          { label: 'window', value: span(w) },
          { label: 'calls', value: d.calls, unit: 'count' },
          { label: 'statements', value: d.statements, unit: 'count' },
          { label: 'in all', value: d.totalMs, unit: 'ms' },
          ...(d.utilityCalls > 0 ? [{ label: 'utility calls (text not shown)', value: d.utilityCalls, unit: 'count' as const }] : []),
        ],
        `Top statements: ${w.scenario}`,
      ),
    )
    details.push(
      tableDetail(
        headings(
          ['query', 'statement (normalised)', 'code'],
          ['calls', 'calls', 'count'],
          ['totalMs', 'total', 'ms'],
          ['meanMs', 'mean', 'ms'],
          ['maxMs', 'max', 'ms'],
          ['since', 'max over', 'text'],
        ),
        d.top.map((t) => ({ ...t, since: t.maxInWindow ? 'the window' : 'since stats began' })),
        { ...(d.top.length ? {} : { note: 'No statement ran in the window.' }) },
      ),
    )
  }
  const base = {
    id: 'db',
    title: "What the database did: pg_stat_statements over each scenario's steady window",
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
  }
  const evidence = { database: where(setup.postgres!.url), scenarios }
  if (windows.length === 0)
    return { ...base, status: 'skipped', reason: 'no scenario ran: there is no load window to read pg_stat_statements over', figures, evidence }
  const measured = Object.keys(figures).length > 0
  return {
    ...base,
    status: measured ? 'measured' : 'error',
    ...(measured ? {} : { reason: Object.values(noData)[0] }),
    figures,
    ...(Object.keys(noData).length ? { noData } : {}),
    evidence,
    details,
  }
}
