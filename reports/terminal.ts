// The report a person reads in the terminal: the verdict first, then what needs attention, then
// one line per source. It fits the width it is given (the caller passes the terminal's; 100 when
// unknown) and never exceeds it. `verbose` shows every scorecard row in full. Colour only when
// asked for; cli-table3's own styling is always off, so color:false output carries no ANSI.

import type { CheckResult, ScenarioResult, ScorecardRow } from '../core/results.js'
import type { Figure } from '../core/results.js'
import { singleLine } from './escape.js'
import { actualText, count, duration, errorRate, expectedText, latency, rps } from './format.js'
import { bodyBytes, protocolText } from './step-columns.js'
import { readRow, type RowState, type Tone } from './outcome.js'
import { fittedTable, type Column } from './terminal-table.js'
import { displayWidth, fit, padEnd } from './terminal-width.js'
import { formatValue } from '../core/units.js'
import type { RenderOptions, ReportInput, Reporter } from './types.js'

type Paint = (tone: Tone | 'bold', text: string) => string

const SGR: Record<Tone | 'bold', string> = { good: '32', bad: '31', warn: '33', muted: '90', bold: '1' }

const SYMBOLS: Record<RowState, string> = {
  pass: '✔',
  fail: '✖',
  warn: '▲',
  missing: '?',
  skipped: '↷',
  error: '!',
  'not-run': '·',
  off: '○',
}

/** Longest target text shown in a cell; the full text stays in results.json. */
const MAX_TEXT = 200
export const DEFAULT_WIDTH = 100

/** Flags shown after a row's label (e.g. a figure whose interval straddles the target):
 *  one entry each, returning the flag text or null. */
export const ROW_FLAGS: ((row: ScorecardRow) => string | null)[] = []

const STEP_COLUMNS: Column<ScenarioResult['steps'][number]>[] = [
  { head: 'step', cell: (s) => clean(s.name), wrap: true, min: 14 },
  { head: 'requests', cell: (s) => count(s.requests) },
  { head: 'errors', cell: (s) => count(s.errors) },
  { head: 'p50', cell: (s) => latency(s.latency?.p50), drop: 2 },
  { head: 'p95', cell: (s) => latency(s.latency?.p95) },
  { head: 'p99', cell: (s) => latency(s.latency?.p99), drop: 1 },
  { head: 'max', cell: (s) => latency(s.latency?.max), drop: 3 },
  // bodies and protocols: wire → decoded bytes, and h2 / http/1.1 (the first to go when narrow)
  { head: 'body', cell: (s) => clean(bodyBytes(s)), drop: 5 },
  { head: 'http', cell: (s) => clean(protocolText(s)), drop: 4 },
]

/** the body and http columns only when some step recorded them (older results have neither) */
function stepColumns(steps: ScenarioResult['steps']): Column<ScenarioResult['steps'][number]>[] {
  const bodies = steps.some((st) => st.bytes !== undefined || st.bytesDecoded !== undefined)
  const protocols = steps.some((st) => Object.keys(st.protocols ?? {}).length > 0)
  return STEP_COLUMNS.filter((c) => (c.head !== 'body' || bodies) && (c.head !== 'http' || protocols))
}

type ErrorRow = ScenarioResult['topErrors'][number]
const ERROR_COLUMNS: Column<ErrorRow>[] = [
  { head: 'step', cell: (e) => clean(e.step), wrap: true, min: 10 },
  { head: 'kind', cell: (e) => e.kind, drop: 1 },
  { head: 'count', cell: (e) => count(e.count) },
  { head: 'error', cell: (e) => clean(e.message), wrap: true, min: 16 },
]

export const terminal: Reporter = {
  format: 'terminal',
  fileName: null,
  render(input: ReportInput, opts: RenderOptions = {}): string {
    const paint: Paint = opts.color === true ? (tone, text) => `\u001b[${SGR[tone]}m${text}\u001b[0m` : (_, text) => text
    const width = opts.width && opts.width > 0 ? Math.floor(opts.width) : DEFAULT_WIDTH
    const { results, scorecard } = input
    const out: string[] = []
    const line = (text: string, tone?: Tone | 'bold') => (tone ? paint(tone, fit(text, width)) : fit(text, width))

    const go = scorecard.verdict === 'go'
    const verdict = go ? 'GO' : 'NO-GO'
    out.push(`${paint(go ? 'good' : 'bad', paint('bold', verdict))}  ${fit(clean(scorecard.summary), width - verdict.length - 2)}`)
    if (results.run.partial || scorecard.partial) out.push(line(`PARTIAL RUN: ${clean(results.run.partialReason ?? 'the run did not finish')}`, 'warn'))
    const run = results.run
    out.push(line(`target ${clean(run.target)} · environment ${clean(run.environment)} · run ${clean(run.id)} · ${duration(run.durationMs)}`, 'muted'))

    if (opts.verbose) {
      for (const scenario of results.scenarios) out.push('', ...scenarioBlock(scenario, paint, width))
      if (results.checks.length > 0) out.push('', paint('bold', 'Checks'), checksTable(results.checks, paint, width))
      out.push('', paint('bold', 'Scorecard'), scorecardTable(scorecard.rows, paint, width))
    } else {
      out.push('', ...compactScorecard(scorecard.rows, paint, width))
      if (results.scenarios.length + results.checks.length > 0) out.push('', paint('bold', 'Sources'))
      for (const s of results.scenarios) out.push(...compactScenario(s, paint, width))
      for (const c of results.checks) out.push(compactCheck(c, paint, width))
    }

    if (input.files?.length) out.push('', paint('bold', 'Files'), ...input.files.map((f) => line(`  ${clean(f.label)}  ${clean(f.path)}`)))
    return out.join('\n') + '\n'
  },
}

// ---- compact (the default) ----

const ATTENTION: RowState[] = ['fail', 'missing', 'error', 'skipped', 'warn']

function compactScorecard(rows: ScorecardRow[], paint: Paint, width: number): string[] {
  if (rows.length === 0) return ['  no gates were evaluated']
  const readings = rows.map((row) => ({ row, r: readRow(row) }))
  // blocking first (bad tone), then warnings; within each, the order gates/ gave
  const attention = readings.filter((x) => ATTENTION.includes(x.r.state)).sort((a, b) => Number(a.r.tone !== 'bad') - Number(b.r.tone !== 'bad'))
  const out: string[] = []
  const labelW = Math.max(0, ...attention.map((x) => displayWidth(label(x.row, x.r))))
  const figureW = Math.min(Math.floor(width * 0.4), Math.max(0, ...attention.map((x) => displayWidth(clean(x.row.figure)))))
  for (const { row, r } of attention) {
    const head = `${padEnd(label(row, r), labelW)}  `
    const figure = `${padEnd(fit(clean(row.figure), figureW), figureW)}  `
    const vs = `${clean(actualText(row) ?? 'none')} vs ${clean(expectedText(row))}`
    const rest = fit(`${vs} · ${clean(row.why)}`, width - displayWidth(head) - displayWidth(figure))
    out.push(paint(r.tone, head) + figure + rest)
  }
  const group = (state: RowState, title: string, tone: Tone) => {
    const of = readings.filter((x) => x.r.state === state).map((x) => clean(x.row.figure))
    if (of.length) out.push(paint(tone, fit(`${SYMBOLS[state]} ${title} (${of.length}): ${of.join(', ')}`, width)))
  }
  group('pass', 'PASS', 'good')
  group('off', 'off', 'muted')
  const notRun = rows.filter((r) => r.outcome === 'not-run' && r.level !== 'off')
  if (notRun.length) out.push(paint('muted', fit(`· not run (${notRun.length}): ${notRunSummary(notRun)}`, width)))
  return out
}

function label(row: ScorecardRow, r: ReturnType<typeof readRow>): string {
  const flags = ROW_FLAGS.map((f) => f(row)).filter((f): f is string => Boolean(f))
  return [`${SYMBOLS[r.state]} ${r.label}`, ...flags].join(' ')
}

function compactScenario(s: ScenarioResult, paint: Paint, width: number): string[] {
  const status = s.status === 'measured' ? '' : ` · ${s.status.toUpperCase()}`
  const dropped = s.droppedIterations > 0 ? ` · dropped ${count(s.droppedIterations)}` : ''
  const l = s.latency
  const b = s.browser
  // a browser scenario counts iterations (its errors are failed iterations) and Web Vitals
  const text = b
    ? `load.${clean(s.name)}  browser${status} · ${duration(s.durationMs)} · ${count(s.iterations)} iterations · failed ${errorRate(s.errors, s.iterations)}` +
      ` · iteration p95 ${latency(b.iterationDuration?.p95)} · LCP p75 ${latency(b.webVitals.lcp.p75)} · INP p75 ${latency(b.webVitals.inp.p75)}` +
      ` · CLS p75 ${b.webVitals.cls.p75 ?? '—'} · users ${count(s.vusMax)}`
    : `load.${clean(s.name)}  ${clean(s.engine)}${status} · ${duration(s.durationMs)} · ${count(s.requests)} req · ${rps(s.requests, s.durationMs)}` +
      ` · errors ${errorRate(s.errors, s.requests)}${dropped} · p95 ${latency(l?.p95)} · p99 ${latency(l?.p99)} · VUs ${count(s.vusMax)}`
  const lines = [fit(text, width)]
  if (b)
    for (const st of b.steps)
      if (st.duration)
        lines.push(
          fit(
            `  step ${clean(st.title)}: p50 ${latency(st.duration.p50)} · p95 ${latency(st.duration.p95)} · max ${latency(st.duration.max)}${st.errors ? ` · failed ${count(st.errors)}` : ''}`,
            width,
          ),
        )
  for (const a of b ? (s.artifacts ?? []) : []) lines.push(paint('muted', fit(`  ${clean(a.label)}: ${clean(a.path)}`, width)))
  if (s.reason) lines.push(paint('warn', fit(`  ${clean(s.reason)}`, width)))
  if (s.steps.length > 1) lines.push(indent(fittedTable(stepColumns(s.steps), s.steps, width - 2, paint)))
  for (const e of s.topErrors.slice(0, 3)) lines.push(paint('bad', fit(`  ${count(e.count)} × ${clean(e.step)}: ${e.kind} ${clean(e.message)}`, width)))
  return lines
}

function compactCheck(c: CheckResult, paint: Paint, width: number): string {
  if (c.status !== 'measured') {
    const tone: Tone = c.status === 'error' ? 'bad' : 'warn'
    return paint(tone, fit(`${clean(c.id)}  ${c.status.toUpperCase()} · ${clean(c.reason ?? '')}`, width))
  }
  const figures = Object.entries(c.figures).map(([k, f]) => `${clean(k)} ${figureText(f)}`)
  return fit(`${clean(c.id)}  ${duration(c.durationMs)}${figures.length ? ' · ' : ''}${figures.join(' · ')}`, width)
}

function figureText(f: Figure): string {
  return typeof f.value === 'number' ? clean(formatValue(f.value, f.unit)) : clean(String(f.value))
}

function indent(block: string): string {
  return block
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')
}

// ---- verbose: every row in full ----

function scenarioBlock(s: ScenarioResult, paint: Paint, width: number): string[] {
  const lines: string[] = []
  const status = s.status === 'measured' ? 'measured' : paint(s.status === 'error' ? 'bad' : 'warn', s.status)
  lines.push(`${paint('bold', fit(clean(s.name), width - 40))}  ${clean(s.engine)} · ${status} · ${duration(s.durationMs)}`)
  if (s.reason) lines.push(paint('warn', fit(`  ${clean(s.reason)}`, width)))
  const dropped = s.droppedIterations > 0 ? ` · dropped ${count(s.droppedIterations)}` : ''
  lines.push(
    fit(
      `  requests ${count(s.requests)} · iterations ${count(s.iterations)}${dropped} · ${rps(s.requests, s.durationMs)}` +
        ` · errors ${errorRate(s.errors, s.requests)} (${count(s.errors)}) · VUs max ${count(s.vusMax)}`,
      width,
    ),
  )
  const d = s.engineDetails
  if (d?.exitCodes)
    lines.push(
      paint('muted', fit(`  ${clean(s.engine)} ${clean(d.version ?? '')}, exit ${d.exitCodes.map((c) => (c === null ? 'killed' : c)).join(', ')}`, width)),
    )
  else if (d?.version) lines.push(paint('muted', fit(`  ${clean(d.version)}`, width)))
  for (const a of s.artifacts ?? []) lines.push(paint('muted', fit(`  ${clean(a.label)}: ${clean(a.path)}`, width)))
  const l = s.latency
  lines.push(fit(`  latency p50 ${latency(l?.p50)} · p95 ${latency(l?.p95)} · p99 ${latency(l?.p99)} · max ${latency(l?.max)}`, width))
  if (s.steps.length > 0) lines.push(fittedTable(stepColumns(s.steps), s.steps, width, paint))
  if (s.topErrors.length > 0) lines.push(fittedTable(ERROR_COLUMNS, s.topErrors, width, paint))
  return lines
}

function checksTable(checks: CheckResult[], paint: Paint, width: number): string {
  const tone = (c: CheckResult): Tone | null => (c.status === 'error' ? 'bad' : c.status === 'skipped' ? 'warn' : null)
  return fittedTable<CheckResult>(
    [
      { head: 'check', cell: (c) => clean(c.id) },
      { head: 'status', cell: (c) => (tone(c) ? paint(tone(c)!, c.status.toUpperCase()) : c.status) },
      { head: 'reason', cell: (c) => clean(c.reason ?? ''), wrap: true, min: 16 },
    ],
    checks,
    width,
    paint,
  )
}

function scorecardTable(all: ScorecardRow[], paint: Paint, width: number): string {
  if (all.length === 0) return '  no gates were evaluated'
  // preset gates on checks this run did not include: one line, not a row each
  const notRun = all.filter((r) => r.outcome === 'not-run')
  const rows = all.filter((r) => r.outcome !== 'not-run')
  const footer = notRun.length ? `\n${paint('muted', fit(`  not run (${notRun.length}): ${notRunSummary(notRun)}`, width))}` : ''
  if (rows.length === 0) return footer.slice(1)
  // gate and figure stay whole where they can (a cut figure path is useless); free text wraps
  const columns: Column<ScorecardRow>[] = [
    {
      head: '',
      cell: (row) => {
        const r = readRow(row)
        return paint(r.tone, label(row, r))
      },
    },
    { head: 'gate', cell: (row) => clean(row.gate), wrap: true, min: 20, keepWords: true },
    { head: 'figure', cell: (row) => clean(row.figure), wrap: true, min: 20, drop: 1, keepWords: true },
    { head: 'expected', cell: (row) => clean(expectedText(row)) },
    { head: 'actual', cell: (row) => clean(actualText(row) ?? '—'), wrap: true, min: 10 },
    { head: 'level', cell: (row) => row.level, drop: 2 },
    { head: 'why', cell: (row) => clean(row.why), wrap: true, min: 16 },
  ]
  return fittedTable(columns, rows, width, paint) + footer
}

/** Text from the target: no escapes or control characters, one line, bounded length. */
function clean(text: string): string {
  const line = singleLine(text)
  if (line.length <= MAX_TEXT) return line
  // by code point, so a cut never splits a surrogate pair
  return `${Array.from(line)
    .slice(0, MAX_TEXT - 1)
    .join('')}…`
}

/** One short line for the gates that did not run: a source with one gate by its figure, a
 *  source with several by name and count, the regression gates (no baseline) together. */
function notRunSummary(rows: ScorecardRow[]): string {
  const groups = new Map<string, string[]>()
  for (const r of rows) {
    const [first, second] = r.figure.split('.')
    const key = r.op === 'rise<' || r.op === 'drop<' ? 'vs baseline' : first === 'load' ? `load.${second}` : first!
    groups.set(key, [...(groups.get(key) ?? []), key === 'vs baseline' ? `${r.figure} vs baseline` : r.figure])
  }
  return [...groups.entries()]
    .map(([key, figs]) => clean(figs.length === 1 ? figs[0]! : `${key === 'vs baseline' ? 'regressions vs baseline' : key} (${figs.length} gates)`))
    .join(', ')
}
