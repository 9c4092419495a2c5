// After measuring: judge (gates), render every report, write the files, print the terminal
// report, and return the exit code. Also the whole of `golive gate` and `golive report`.

import { evaluate } from '../gates/index.js'
import { renderAll, type ReportInput } from '../reports/index.js'
import type { Results, Scorecard } from '../core/results.js'
import { historyRun, type HistoryRun } from '../core/run-history.js'
import { EXIT } from '../core/errors.js'
import { reportWidth } from '../reports/terminal-width.js'
import { redactDeep } from '../core/redact.js'
import { appendStepSummary, isIoError, pointLatest, writeFiles } from './output.js'
import { IoError } from './write-atomic.js'

export interface FinishOptions {
  /** where to write report files; null: print only */
  dir: string | null
  latest?: string | null
  /** which file reports to write (terminal always prints) */
  formats: string[]
  color: boolean
  /** print this format on stdout instead of the terminal table (e.g. json) */
  stdoutFormat?: string
  writeResults: boolean
  stepSummary: boolean
  /** earlier runs of this environment, oldest first: the reports show the trend with this run last */
  history?: HistoryRun[]
  /** terminal report: every scorecard row in full */
  verbose?: boolean
}

const FILE_LABELS: Record<string, string> = { json: 'results', scorecard: 'scorecard', junit: 'JUnit', markdown: 'summary', html: 'HTML report' }

export function finish(results: Results, opts: FinishOptions): { scorecard: Scorecard; code: number; files: string[] } {
  const scorecard = evaluate(results, results.gates)
  const fileFormats = opts.formats.filter((f) => f !== 'terminal' && (f !== 'json' || opts.writeResults))
  // judged on the real values, rendered from redacted ones: the one choke point of every report
  const input: ReportInput = redactDeep({ results, scorecard, ...(opts.history ? { history: [...opts.history, historyRun(results, scorecard.verdict)] } : {}) })
  const rendered = renderAll(fileFormats, input, { color: false })
  const files: string[] = []
  if (opts.dir) {
    // results.json first: it is the one file everything else can be rebuilt from
    const ok = rendered.filter((r) => r.content !== undefined && r.fileName).sort((a, b) => Number(b.format === 'json') - Number(a.format === 'json'))
    try {
      files.push(
        ...writeFiles(
          opts.dir,
          ok.map((r) => ({ name: r.fileName!, content: r.content! })),
        ),
      )
      if (opts.latest) pointLatest(opts.latest, opts.dir)
    } catch (e) {
      if (!isIoError(e) || !opts.writeResults) throw e
      // a full or read-only disk must not lose the run: the results go to the terminal instead
      const json = rendered.find((r) => r.format === 'json')?.content ?? renderAll(['json'], input)[0]?.content
      if (json === undefined) throw e
      process.stdout.write(json.endsWith('\n') ? json : `${json}\n`)
      throw new IoError(`${e.message}; the run's results were written to stdout as JSON instead`, e.hint ?? '', e.code)
    }
    input.files = ok.map((r, i) => ({ label: FILE_LABELS[r.format] ?? r.format, path: files[i]! }))
  }
  for (const r of rendered) if (r.error) process.stderr.write(`golive: the ${r.format} report could not be written: ${r.error}\n`)
  if (opts.stepSummary) {
    const md = rendered.find((r) => r.format === 'markdown')?.content ?? renderAll(['markdown'], input)[0]?.content
    if (md) appendStepSummary(md)
  }
  const shown = renderAll([opts.stdoutFormat ?? 'terminal'], input, {
    color: opts.color,
    verbose: opts.verbose,
    width: reportWidth(process.stdout.columns, process.env.COLUMNS),
  })[0]!
  if (shown.content !== undefined) process.stdout.write(shown.content.endsWith('\n') ? shown.content : `${shown.content}\n`)
  else process.stderr.write(`golive: ${shown.error}\n`)
  return { scorecard, code: scorecard.verdict === 'go' ? EXIT.go : EXIT.noGo, files }
}
