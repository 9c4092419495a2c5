// `golive history`: the runs in the history store, newest last, with their verdicts and the
// trend of the figures a nightly reader watches.

import { resolve } from 'node:path'
import { existsSync } from 'node:fs'
import { UsageError } from '../../core/errors.js'
import { CONFIG_FILE_NAMES } from '../../core/load-config.js'
import { recentRuns } from '../../core/run-history.js'
import { historyMarkdown, historyTerminal } from '../../reports/history.js'
import { COMMON, parse, str } from '../args.js'
import { context } from '../context.js'
import { safeJson } from '../../reports/sanitize.js'

export async function historyCommand(argv: string[]): Promise<number> {
  const { values } = parse('history', argv, { ...COMMON, dir: { type: 'string' }, last: { type: 'string' } })
  const last = str(values.last) === undefined ? 10 : Number(str(values.last))
  if (!Number.isInteger(last) || last < 1) throw new UsageError(`--last ${str(values.last)}: not a whole number of runs`, 'e.g. --last 14')
  const hasConfig = values.config !== undefined || CONFIG_FILE_NAMES.some((n) => existsSync(resolve(n)))
  const ctx = hasConfig ? await context(values) : null
  const root = resolve(str(values.dir) ?? ctx?.loaded.config.outDir ?? '.golive/runs')
  if (str(values.dir) !== undefined && !existsSync(root))
    throw new UsageError(`--dir ${str(values.dir)}: no such directory`, 'the runs directory, e.g. .golive/runs')
  const env = str(values.env)
  const runs = recentRuns(root, env, last)
  const format = str(values.format) ?? 'terminal'
  if (format === 'json') process.stdout.write(`${safeJson(runs.map(({ figures: _f, ...r }) => r))}\n`)
  else if (format === 'markdown') process.stdout.write(historyMarkdown(runs))
  else if (format === 'terminal') process.stdout.write(historyTerminal(runs))
  else throw new UsageError(`--format ${format}: not a history format`, 'use terminal, markdown or json')
  return 0
}
