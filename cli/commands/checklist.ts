// `golive checklist`: the go-live checklist of a run (default: the latest), in Markdown for a
// release ticket and HTML for a person, with the config's manual items and who signed them.

import { existsSync, realpathSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { UsageError } from '../../core/errors.js'
import { CONFIG_FILE_NAMES } from '../../core/load-config.js'
import { readResults } from '../../core/read-results.js'
import { evaluate } from '../../gates/index.js'
import { checklistHtml, checklistMarkdown, type ChecklistInput } from '../../reports/checklist.js'
import { COMMON, parse, str } from '../args.js'
import { context } from '../context.js'
import { ensureDir, writeFiles } from '../output.js'
import { redactDeep } from '../../core/redact.js'
import { CHECKS } from '../../checks/index.js'

export async function checklistCommand(argv: string[]): Promise<number> {
  const { values } = parse('checklist', argv, { ...COMMON, from: { type: 'string' } })
  const hasConfig = values.config !== undefined || CONFIG_FILE_NAMES.some((n) => existsSync(resolve(n)))
  const ctx = hasConfig ? await context(values) : null
  const from = resolve(str(values.from) ?? join(ctx?.loaded.config.outDir ?? '.golive/runs', 'latest', 'results.json'))
  if (str(values.from) === undefined && !existsSync(from)) {
    throw new UsageError(
      `no run to make a checklist from: ${relative(process.cwd(), from)} does not exist`,
      'run golive run first, or pass --from <results.json>',
    )
  }
  const results = readResults(from)
  // today's gates when a config is here (as golive gate --from does), else those the run recorded
  if (ctx) results.gates = ctx.gates
  const scorecard = evaluate(results, results.gates)
  // the run's own directory, not 'latest', which moves on with the next run
  const runDir = realpathSync(statSync(from).isDirectory() ? from : dirname(from))
  const out = str(values.out) === undefined ? null : resolve(str(values.out)!)
  const evidence = existsSync(join(runDir, 'report.html')) ? join(runDir, 'report.html') : join(runDir, 'results.json')
  // rendered from redacted values, as every report is (core/redact.ts)
  const input: ChecklistInput = redactDeep({
    results,
    scorecard,
    manual: ctx?.loaded.config.checklist?.manual ?? [],
    // each check's gates go in the group the check declares
    groups: Object.fromEntries(CHECKS.map((c) => [c.id, c.group])),
    evidenceFile: relative(out ?? process.cwd(), evidence) || evidence,
  })
  const format = str(values.format) ?? 'markdown'
  if (format !== 'markdown' && format !== 'html')
    throw new UsageError(`--format ${format}: the checklist is markdown or html`, 'use --format markdown (default) or --format html')
  if (out) {
    ensureDir(out, '--out')
    const written = writeFiles(out, [
      { name: 'checklist.md', content: checklistMarkdown(input) },
      { name: 'checklist.html', content: checklistHtml(input) },
    ])
    process.stderr.write(`wrote ${written.join(', ')}\n`)
  } else {
    process.stdout.write(format === 'html' ? checklistHtml(input) : checklistMarkdown(input))
  }
  return 0
}
