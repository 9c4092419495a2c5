// `golive gate --from results.json` re-judges a run; `golive report --from results.json`
// re-renders it. Neither runs anything.

import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { UsageError } from '../../core/errors.js'
import { readResults } from '../../core/read-results.js'
import { chooseBaseline } from '../../core/run-history.js'
import { CONFIG_FILE_NAMES } from '../../core/load-config.js'
import { renderAll } from '../../reports/index.js'
import { reportWidth } from '../../reports/terminal-width.js'
import { evaluate } from '../../gates/index.js'
import { forMainScenario, mainScenarioOf } from '../../gates/presets.js'
import { COMMON, parse, str } from '../args.js'
import { context } from '../context.js'
import { finish } from '../finish.js'
import { ensureDir, writeFiles } from '../output.js'
import { redactDeep } from '../../core/redact.js'
import { assembleResults } from '../assemble.js'

export async function gateCommand(argv: string[]): Promise<number> {
  const { values } = parse('gate', argv, {
    ...COMMON,
    from: { type: 'string' },
    baseline: { type: 'string' },
    prometheus: { type: 'string' },
    testid: { type: 'string' },
    scenario: { type: 'string' },
    since: { type: 'string' },
  })
  if (values.prometheus !== undefined) return gateFromPrometheus(values)
  const from = required(values.from, 'gate')
  const results = readResults(resolve(from))
  // gates from the config when there is one (re-judge with today's targets), else those the run recorded
  if (values.config !== undefined || CONFIG_FILE_NAMES.some((n) => existsSync(resolve(n)))) {
    // the 100-user gate on the main scenario the run named, as the run judged it
    results.gates = forMainScenario((await context(values)).gates, mainScenarioOf(results.gates))
  }
  // --baseline replaces the one the run recorded; without it, the recorded one is used
  if (str(values.baseline) !== undefined) {
    const chosen = chooseBaseline(str(values.baseline)!, '.golive/runs', process.cwd(), results.run.environment, results.run.id)
    if (chosen.note) process.stderr.write(`${chosen.note}\n`)
    if (chosen.baseline) results.baseline = chosen.baseline
    else delete results.baseline
  }
  const out = str(values.out)
  if (out) ensureDir(resolve(out), '--out')
  const ci = values.ci === true || Boolean(process.env.CI)
  return finish(results, {
    dir: out ? resolve(out) : null,
    formats: out ? ['scorecard', 'junit', 'markdown', 'html'] : [],
    color: process.stdout.isTTY === true && !ci,
    writeResults: false,
    stepSummary: ci,
    verbose: values.verbose === true,
    stdoutFormat: str(values.format) === 'json' ? 'scorecard' : undefined,
  }).code
}

/** A k6-operator run, its figures read back from Prometheus, judged like a local run. */
async function gateFromPrometheus(values: Record<string, unknown>): Promise<number> {
  const url = str(values.prometheus)!
  const testId = str(values.testid)
  const scenario = str(values.scenario)
  if (!testId || !scenario)
    throw new UsageError(
      'golive gate --prometheus needs --testid and --scenario',
      'the ids golive k6 operator printed, e.g. --testid load-20261122 --scenario load',
    )
  const ctx = await context(values)
  const { scenarioFromPrometheus } = await import('../../scenarios/engines/k6/prometheus.js')
  const startedAt = new Date()
  const s = await scenarioFromPrometheus({ url, testId, scenario, since: str(values.since) })
  const results = assembleResults(
    { scenarios: [s], checks: [] },
    {
      startedAt,
      environment: ctx.envName,
      target: `${url} (testid ${testId})`,
      command: 'golive gate --prometheus',
      interrupted: null,
      gates: ctx.gates,
    },
  )
  const out = str(values.out)
  if (out) ensureDir(resolve(out), '--out')
  const ci = values.ci === true || Boolean(process.env.CI)
  return finish(results, {
    dir: out ? resolve(out) : null,
    formats: out ? ['json', 'scorecard', 'junit', 'markdown', 'html'] : [],
    color: process.stdout.isTTY === true && !ci,
    writeResults: true,
    stepSummary: ci,
    stdoutFormat: str(values.format) === 'json' ? 'json' : undefined,
  }).code
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values } = parse('report', argv, { ...COMMON, from: { type: 'string' } })
  const from = resolve(required(values.from, 'report'))
  const results = readResults(from)
  const scorecard = evaluate(results, results.gates)
  const format = str(values.format) ?? 'terminal'
  const [r] = renderAll([format], redactDeep({ results, scorecard }), {
    color: process.stdout.isTTY === true && format === 'terminal',
    verbose: values.verbose === true,
    width: reportWidth(process.stdout.columns, process.env.COLUMNS),
  })
  if (!r || r.error !== undefined) throw new UsageError(`--format ${format}: ${r?.error ?? 'failed'}`, 'use terminal, json, scorecard, junit, markdown or html')
  if (values.out && r.fileName) {
    ensureDir(resolve(str(values.out)!), '--out')
    const [path] = writeFiles(resolve(str(values.out)!), [{ name: r.fileName, content: r.content! }])
    process.stderr.write(`wrote ${path}\n`)
  } else {
    process.stdout.write(r.content!.endsWith('\n') ? r.content! : `${r.content}\n`)
  }
  return 0
}

function required(v: unknown, cmd: string): string {
  if (typeof v !== 'string')
    throw new UsageError(
      `golive ${cmd} needs --from <results.json>${cmd === 'gate' ? ' (or --prometheus URL for a k6-operator run)' : ''}`,
      `e.g. golive ${cmd} --from .golive/runs/latest/results.json`,
    )
  return v
}
