// `golive history`: the runs in the history store with their verdicts, then the trend of the
// figures a nightly reader watches. Markdown for a job summary, plain text for a terminal.

import Table from 'cli-table3'
import { escapeMarkdownCell as esc } from './escape.js'
import { singleLine } from './sanitize.js'
import { trendRows, type TrendRow } from './trend.js'
import type { HistoryRun } from './types.js'

const verdictText = (r: HistoryRun) => `${r.verdict === null ? 'no scorecard' : r.verdict === 'go' ? 'GO' : 'NO-GO'}${r.partial ? ' (partial)' : ''}`

export function trendMarkdown(runs: HistoryRun[]): string {
  const rows = trendRows(runs)
  if (rows.length === 0) return 'No figure to show a trend of.'
  return mdTable(
    ['Figure', `Trend (${runs.length} runs, oldest first)`, 'First', 'Latest'],
    rows.map((t) => [t.figure, t.spark, t.first, t.last]),
  )
}

export function historyMarkdown(runs: HistoryRun[]): string {
  if (runs.length === 0) return 'No runs in the history store yet.\n'
  return [
    '### Runs',
    '',
    mdTable(
      ['Started', 'Environment', 'Verdict', 'Run'],
      runs.map((r) => [r.startedAt, r.environment, verdictText(r), r.id]),
    ),
    '',
    '### Trend',
    '',
    trendMarkdown(runs),
    '',
  ].join('\n')
}

export function historyTerminal(runs: HistoryRun[]): string {
  if (runs.length === 0) return 'No runs in the history store yet.\n'
  const plain = { head: [], border: [] }
  const list = new Table({ head: ['started', 'environment', 'verdict', 'run'], style: plain })
  // every cell came from a stored file someone else may have written: no control reaches the terminal
  for (const r of runs) list.push([singleLine(String(r.startedAt)), singleLine(String(r.environment)), verdictText(r), singleLine(String(r.id))])
  const rows = trendRows(runs)
  const trend = new Table({ head: ['figure', `trend (${runs.length} runs, oldest first)`, 'first', 'latest'], style: plain })
  for (const t of rows) trend.push([t.figure, t.spark, t.first, t.last].map((c) => singleLine(String(c))))
  return `Runs\n${list.toString()}\n\nTrend\n${rows.length ? trend.toString() : 'No figure to show a trend of.'}\n`
}

export type { TrendRow }

function mdTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => esc(c)).join(' | ')} |`
  return [line(head), `| ${head.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n')
}
