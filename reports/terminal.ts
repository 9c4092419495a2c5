// The report a person reads in the terminal: the verdict first, then what was measured, then the
// scorecard row by row. Colour only when asked for; cli-table3's own styling is always off, so
// color:false output carries no ANSI at all (CI logs, pipes, files).

import Table from 'cli-table3'
import type { CheckResult, ScenarioResult, ScorecardRow } from '../core/results.js'
import { singleLine } from './escape.js'
import { actualText, count, duration, errorRate, expectedText, latency, rps } from './format.js'
import { bodyBytes, protocolText } from './step-columns.js'
import { readRow, type RowState, type Tone } from './outcome.js'
import type { RenderOptions, ReportInput, Reporter } from './types.js'

type Paint = (tone: Tone | 'bold', text: string) => string

const SGR: Record<Tone | 'bold', string> = { good: '32', bad: '31', warn: '33', muted: '90', bold: '1' }

const SYMBOLS: Record<RowState, string> = {
  pass: '✔', fail: '✖', warn: '▲', missing: '?', skipped: '↷', error: '!', 'not-run': '·', off: '○',
}

/** Longest target text shown in a cell; the full text stays in results.json. */
const MAX_TEXT = 200
/** Widest a free-text column grows before it wraps. */
const WRAP_AT = 48

export const terminal: Reporter = {
  format: 'terminal',
  fileName: null,
  render(input: ReportInput, opts: RenderOptions = {}): string {
    const paint: Paint = opts.color === true ? (tone, text) => `\u001b[${SGR[tone]}m${text}\u001b[0m` : (_, text) => text
    const { results, scorecard } = input
    const out: string[] = []

    const go = scorecard.verdict === 'go'
    out.push(`${paint(go ? 'good' : 'bad', paint('bold', go ? 'GO' : 'NO-GO'))}  ${clean(scorecard.summary)}`)
    if (results.run.partial || scorecard.partial) {
      out.push(paint('warn', `PARTIAL RUN: ${clean(results.run.partialReason ?? 'the run did not finish')}`))
    }
    const run = results.run
    out.push(paint('muted', `target ${clean(run.target)} · environment ${clean(run.environment)} · run ${clean(run.id)} · ${duration(run.durationMs)}`))

    for (const scenario of results.scenarios) out.push('', ...scenarioBlock(scenario, paint))
    if (results.checks.length > 0) out.push('', paint('bold', 'Checks'), checksTable(results.checks, paint))
    out.push('', paint('bold', 'Scorecard'), scorecardTable(scorecard.rows, paint))

    if (input.files?.length) {
      out.push('', paint('bold', 'Files'), ...input.files.map((f) => `  ${clean(f.label)}  ${clean(f.path)}`))
    }
    return out.join('\n') + '\n'
  },
}

function scenarioBlock(s: ScenarioResult, paint: Paint): string[] {
  const lines: string[] = []
  const status = s.status === 'measured' ? 'measured' : paint(s.status === 'error' ? 'bad' : 'warn', s.status)
  lines.push(`${paint('bold', clean(s.name))}  ${clean(s.engine)} · ${status} · ${duration(s.durationMs)}`)
  if (s.reason) lines.push(`  ${paint('warn', clean(s.reason))}`)
  const dropped = s.droppedIterations > 0 ? ` · dropped ${count(s.droppedIterations)}` : ''
  lines.push(
    `  requests ${count(s.requests)} · iterations ${count(s.iterations)}${dropped} · ${rps(s.requests, s.durationMs)}` +
      ` · errors ${errorRate(s.errors, s.requests)} (${count(s.errors)}) · VUs max ${count(s.vusMax)}`,
  )
  const d = s.engineDetails
  if (d?.exitCodes) lines.push(paint('muted', `  ${clean(s.engine)} ${clean(d.version ?? '')}, exit ${d.exitCodes.map((c) => (c === null ? 'killed' : c)).join(', ')}`))
  else if (d?.version) lines.push(paint('muted', `  ${clean(d.version)}`))
  for (const a of s.artifacts ?? []) lines.push(paint('muted', `  ${clean(a.label)}: ${clean(a.path)}`))
  const l = s.latency
  lines.push(`  latency p50 ${latency(l?.p50)} · p95 ${latency(l?.p95)} · p99 ${latency(l?.p99)} · max ${latency(l?.max)}`)

  if (s.steps.length > 0) {
    const t = table(['step', 'requests', 'errors', 'p50', 'p95', 'p99', 'max', 'body', 'http'], paint)
    for (const step of s.steps) {
      const sl = step.latency
      const errors = step.errors > 0 ? paint('bad', count(step.errors)) : count(step.errors)
      t.push([clean(step.name), count(step.requests), errors, latency(sl?.p50), latency(sl?.p95), latency(sl?.p99), latency(sl?.max), bodyBytes(step), clean(protocolText(step))])
    }
    lines.push(t.toString())
  }
  if (s.topErrors.length > 0) {
    const messages = s.topErrors.map((e) => clean(e.message))
    const t = table(['step', 'kind', 'count', 'error'], paint, [null, null, null, wrapWidth(messages)])
    s.topErrors.forEach((e, i) => t.push([clean(e.step), e.kind, count(e.count), messages[i]!]))
    lines.push(t.toString())
  }
  return lines
}

function checksTable(checks: CheckResult[], paint: Paint): string {
  const reasons = checks.map((c) => clean(c.reason ?? ''))
  const t = table(['check', 'status', 'reason'], paint, [null, null, wrapWidth(reasons)])
  checks.forEach((c, i) => {
    const tone: Tone | null = c.status === 'error' ? 'bad' : c.status === 'skipped' ? 'warn' : null
    const status = tone ? c.status.toUpperCase() : c.status
    t.push([clean(c.id), tone ? paint(tone, status) : status, reasons[i]!])
  })
  return t.toString()
}

function scorecardTable(all: ScorecardRow[], paint: Paint): string {
  if (all.length === 0) return '  no gates were evaluated'
  // preset gates on checks this run did not include: one line, not a row each
  const notRun = all.filter((r) => r.outcome === 'not-run')
  const rows = all.filter((r) => r.outcome !== 'not-run')
  const footer = notRun.length ? `\n${paint('muted', `  not run (${notRun.length}): ${notRunSummary(notRun)}`)}` : ''
  if (rows.length === 0) return footer.slice(1)
  const cells = rows.map((row) => {
    const r = readRow(row)
    return [
      paint(r.tone, `${SYMBOLS[r.state]} ${r.label}`),
      clean(row.gate),
      clean(row.figure),
      clean(expectedText(row)),
      clean(actualText(row) ?? '—'),
      row.level,
      clean(row.why),
    ]
  })
  const column = (i: number) => cells.map((c) => c[i]!)
  // gate and figure stay whole (a cut figure path is useless); free text wraps
  const widths = [null, null, null, null, wrapWidth(column(4), 28), null, wrapWidth(column(6), 40)]
  const t = table(['', 'gate', 'figure', 'expected', 'actual', 'level', 'why'], paint, widths)
  t.push(...cells)
  return t.toString() + footer
}

function table(head: string[], paint: Paint, colWidths: (number | null)[] = []): Table.Table {
  return new Table({
    head: head.map((h) => (h ? paint('bold', h) : h)),
    // cli-table3 colours head and border by default; turned off so colour is ours alone
    style: { head: [], border: [] },
    colWidths,
    wordWrap: true,
  })
}

/** A fixed width only for a column whose text would make the table too wide; null = auto. */
function wrapWidth(texts: string[], max = WRAP_AT): number | null {
  return Math.max(0, ...texts.map((t) => t.length)) + 2 > max ? max : null
}

/** Text from the target: no escapes or control characters, one line, bounded length. */
function clean(text: string): string {
  const line = singleLine(text)
  if (line.length <= MAX_TEXT) return line
  // by code point, so a cut never splits a surrogate pair
  return `${Array.from(line).slice(0, MAX_TEXT - 1).join('')}…`
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
  return [...groups.entries()].map(([key, figs]) => clean(figs.length === 1 ? figs[0]! : `${key === 'vs baseline' ? 'regressions vs baseline' : key} (${figs.length} gates)`)).join(', ')
}
