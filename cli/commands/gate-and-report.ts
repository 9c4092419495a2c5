// `golive gate --from results.json` re-judges a run; `golive report --from results.json`
// re-renders it. Neither runs anything.

import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { UsageError } from '../../core/errors.js'
import { readResults } from '../../core/read-results.js'
import { CONFIG_FILE_NAMES } from '../../core/load-config.js'
import { renderAll } from '../../reports/index.js'
import { evaluate } from '../../gates/index.js'
import { COMMON, parse, str } from '../args.js'
import { context } from '../context.js'
import { finish } from '../finish.js'
import { writeFiles } from '../output.js'

export async function gateCommand(argv: string[]): Promise<number> {
  const { values } = parse('gate', argv, { ...COMMON, from: { type: 'string' } })
  const from = required(values.from, 'gate')
  const results = readResults(resolve(from))
  // gates from the config when there is one (re-judge with today's targets), else those the run recorded
  if (values.config !== undefined || CONFIG_FILE_NAMES.some((n) => existsSync(resolve(n)))) {
    results.gates = (await context(values)).gates
  }
  const out = str(values.out)
  const ci = values.ci === true || Boolean(process.env.CI)
  return finish(results, {
    dir: out ? resolve(out) : null, formats: out ? ['scorecard', 'junit', 'markdown'] : [], color: process.stdout.isTTY === true && !ci,
    writeResults: false, stepSummary: ci, stdoutFormat: str(values.format) === 'json' ? 'scorecard' : undefined,
  }).code
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values } = parse('report', argv, { ...COMMON, from: { type: 'string' } })
  const from = resolve(required(values.from, 'report'))
  const results = readResults(from)
  const scorecard = evaluate(results, results.gates)
  const format = str(values.format) ?? 'terminal'
  const [r] = renderAll([format], { results, scorecard }, { color: process.stdout.isTTY === true && format === 'terminal' })
  if (!r || r.error !== undefined) throw new UsageError(`--format ${format}: ${r?.error ?? 'failed'}`, 'use terminal, json, scorecard, junit or markdown')
  if (values.out && r.fileName) {
    const [path] = writeFiles(resolve(str(values.out)!), [{ name: r.fileName, content: r.content! }])
    process.stderr.write(`wrote ${path}\n`)
  } else {
    process.stdout.write(r.content!.endsWith('\n') ? r.content! : `${r.content}\n`)
  }
  return 0
}

function required(v: unknown, cmd: string): string {
  if (typeof v !== 'string') throw new UsageError(`golive ${cmd} needs --from <results.json>`, `e.g. golive ${cmd} --from .golive/runs/latest/results.json`)
  return v
}
