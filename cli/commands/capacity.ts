// `golive capacity`: how far is the system from falling over? Raises the arrival rate in steps
// until a step does not hold (cli/capacity/), then writes results.json and the reports as the
// other commands do, with capacity.<scenario>.max_rps, .max_vus and .headroom.

import { UsageError } from '../../core/errors.js'
import { parseDuration } from '../../core/units.js'
import { findScenario } from '../../scenarios/registry.js'
import { SPEC_FILE } from '../../scenarios/engines/browser/spec.js'
import { getJourney } from '../../scenarios/journeys/get.js'
import type { Scenario } from '../../scenarios/dsl.js'
import { COMMON, parse, positiveInt, str, workersArg } from '../args.js'
import { context } from '../context.js'
import { resolveReachable, targetBase } from '../target.js'
import { progressPrinter } from '../progress.js'
import { trapInterrupt } from '../interrupt.js'
import { assembleResults } from '../assemble.js'
import { checkOutput, runDirectory } from '../output.js'
import { finish } from '../finish.js'
import { reportFormats } from './formats.js'
import { outsideSelection } from '../../gates/figures.js'
import { searchCapacity, type SearchOutcome } from '../capacity/search.js'
import { capacityResult } from '../capacity/result.js'
import type { CheckResult } from '../../core/results.js'
import { LIVE, liveOptions, startLive, takeDashboard } from '../live/index.js'

const DEFAULTS = { stepRate: 10, maxRate: 200, stepDuration: '10s', timeLimit: '10m', maxVUs: 1000 }

export async function capacityCommand(argvIn: string[]): Promise<number> {
  const { argv, port: dashboardPort } = takeDashboard(argvIn)
  const { values } = parse('capacity', argv, {
    ...COMMON,
    ...LIVE,
    target: { type: 'string', short: 't' },
    scenario: { type: 'string', short: 's' },
    ca: { type: 'string' },
    workers: { type: 'string' },
    'max-rate': { type: 'string' },
    'step-rate': { type: 'string' },
    'step-duration': { type: 'string' },
    'time-limit': { type: 'string' },
    'max-vus': { type: 'string' },
  })
  const ctx = await context(values)
  const liveOpts = liveOptions(values, dashboardPort)
  const ci = values.ci === true || Boolean(process.env.CI)
  const rate = (name: string, fallback: number) => {
    const v = values[name]
    if (v === undefined) return fallback
    const n = Number(v)
    if (!Number.isFinite(n) || n <= 0)
      throw new UsageError(`--${name} ${String(v)}: expected a number above 0 (journeys per second)`, `write e.g. --${name} 20`)
    return n
  }
  const ms = (name: string, fallback: string) => {
    const v = str(values[name]) ?? fallback
    try {
      const n = parseDuration(v)
      if (n > 0) return n
    } catch {
      /* said below */
    }
    throw new UsageError(`--${name} ${v}: not a duration above 0`, `write e.g. --${name} 10s`)
  }
  const stepRate = rate('step-rate', DEFAULTS.stepRate)
  const maxRate = rate('max-rate', DEFAULTS.maxRate)
  if (maxRate < stepRate)
    throw new UsageError(`--max-rate ${maxRate} is below --step-rate ${stepRate}`, 'the first step runs at --step-rate: raise --max-rate or lower --step-rate')
  const stepDurationMs = ms('step-duration', DEFAULTS.stepDuration)
  if (stepDurationMs < 3000)
    throw new UsageError(
      `--step-duration ${str(values['step-duration'])}: too short to see a trend`,
      'give each step at least 3s (10s or more for journeys with think time)',
    )
  const timeLimitMs = ms('time-limit', DEFAULTS.timeLimit)
  if (timeLimitMs < stepDurationMs + 5000)
    throw new UsageError(
      `--time-limit ${str(values['time-limit'])}: shorter than one step (${stepDurationMs / 1000} s + 5 s to finish)`,
      'raise --time-limit or shorten --step-duration',
    )
  const maxVUs = positiveInt('max-vus', values['max-vus']) ?? DEFAULTS.maxVUs
  const workers = workersArg(values.workers)
  const launchLoad = ctx.env.launchLoad

  // the scenario: --scenario, else the environment's main one; --target alone: a GET journey
  const targetUrl = str(values.target)
  let scenario: Scenario
  let file: string
  let getsTarget = false
  const named = str(values.scenario)
  if (named === undefined && targetUrl && values.env === undefined) {
    getsTarget = true
    scenario = getJourney(new URL(targetBase(targetUrl, true)).pathname + new URL(targetUrl).search)
    file = '--target'
  } else {
    // a browser scenario (a Playwright spec) has no request rate to search: the main scenario is the first HTTP one
    const listed = ctx.env.scenarios ?? []
    const name = named ?? listed.find((n) => !SPEC_FILE.test(n)) ?? (ctx.env.baseUrl === 'demo' && !listed.length ? 'load' : undefined)
    if (named !== undefined && SPEC_FILE.test(named)) {
      throw new UsageError(
        `golive capacity: ${named} is a browser scenario (a Playwright spec); capacity searches the request rate an HTTP scenario holds, and a browser user's rate is set by its pages, not by golive`,
        'pass an HTTP scenario with --scenario NAME|FILE; measure browser users with golive loadtest --scenario ' + named + ' --vus N (docs/browser.md)',
      )
    }
    if (!name && listed.length)
      throw new UsageError(
        `environment '${ctx.envName}' lists only browser scenarios (${listed.join(', ')}): golive capacity searches an HTTP scenario's request rate`,
        'pass an HTTP scenario with --scenario NAME|FILE, or add one to environments.' + ctx.envName + '.scenarios',
      )
    if (!name) throw new UsageError(`environment '${ctx.envName}' lists no scenarios`, 'pass --scenario NAME|FILE, or add scenarios: [...] to the environment')
    const src = await findScenario(name, ctx.loaded.dir)
    scenario = src.scenario
    file = src.file
  }
  // only the capacity figures are this run's: gates on anything else read not run
  const gates = ctx.gates.map((g) => (outsideSelection(g.figure, ['capacity']) ? { ...g, optional: true } : g))
  const formats = reportFormats(values, ctx.loaded.config.reports?.formats, ci)
  checkOutput(str(values.out), ctx.loaded.config.outDir ?? '.golive/runs', ctx.cwd)

  const log = (line: string) => process.stderr.write(`${line}\n`)
  const resolved = await resolveReachable(
    ctx.env,
    ctx.loaded.dir,
    targetUrl === undefined ? undefined : targetBase(targetUrl, !getsTarget),
    str(values.ca),
    log,
  )
  const startedAt = new Date()
  // the dashboard's URL is printed before any load; a port in use stops here (exit 2)
  let live: Awaited<ReturnType<typeof startLive>>
  try {
    live = await startLive(liveOpts, {
      id: startedAt.toISOString(),
      meta: { target: resolved.display, environment: ctx.envName, command: 'golive capacity' },
      log,
    })
  } catch (e) {
    await resolved.demo?.stop()
    throw e
  }
  const interrupt = trapInterrupt(log)
  const { dir, latest } = runDirectory(str(values.out), ctx.loaded.config.outDir ?? '.golive/runs', ctx.cwd, startedAt)
  const settings = { stepRate, maxRate, stepDurationMs, timeLimitMs, maxVUs, launchLoad, envName: ctx.envName }
  let outcome: SearchOutcome | null = null
  let crashed: string | null = null
  const checks = (): CheckResult[] => (outcome ? [capacityResult(outcome, settings, startedAt)] : [])
  const write = () =>
    finish(
      assembleResults(
        { scenarios: [], checks: checks() },
        {
          startedAt,
          environment: ctx.envName,
          target: resolved.display,
          command: 'golive capacity',
          interrupted: interrupt.signal.aborted ? (interrupt.reason() ?? 'interrupted') : crashed,
          gates,
        },
      ),
      {
        dir,
        latest,
        formats,
        color: process.stdout.isTTY === true && !ci,
        writeResults: true,
        stepSummary: formats.includes('markdown'),
        verbose: values.verbose === true,
        stdoutFormat: str(values.format) === 'json' ? 'json' : undefined,
      },
    )
  // a second Ctrl-C: the steps judged so far, written at once
  const steps: SearchOutcome['steps'] = []
  interrupt.onForce(() => {
    outcome ??= {
      scenario: scenario.name,
      steps,
      held: [...steps].reverse().find((s) => s.holds) ?? null,
      broke: null,
      stop: 'interrupted',
      stopDetail: 'interrupted (forced)',
      gates: [],
      lastRun: null,
    }
    write()
  })
  const progress = progressPrinter(process.stderr, ci)
  try {
    log(
      `golive capacity: ${scenario.name}, open model from ${stepRate}/s in steps of ${stepRate}/s (${stepDurationMs / 1000} s each) up to ${maxRate}/s, ` +
        `at most ${Math.round(timeLimitMs / 1000)} s → ${resolved.display}`,
    )
    outcome = await searchCapacity({
      scenario,
      file,
      vars: ctx.env.vars,
      target: resolved.target,
      gates: ctx.gates,
      stepRate,
      maxRate,
      stepDurationMs,
      timeLimitMs,
      maxVUs,
      workers,
      signal: interrupt.signal,
      onProgress: (p) => progress.update(p),
      log,
      onStep: (s) => steps.push(s),
      ...(live ? { live: live.hub } : {}),
    })
    log(`golive capacity: ${outcome.stopDetail}; max_rps ${outcome.held?.rate ?? 0}`)
  } catch (e) {
    crashed = `crashed: ${(e as Error).message}`
    log(`golive: the capacity search crashed (${(e as Error).message}); writing what was measured`)
    outcome ??= {
      scenario: scenario.name,
      steps,
      held: [...steps].reverse().find((s) => s.holds) ?? null,
      broke: null,
      stop: 'crashed',
      stopDetail: crashed,
      gates: [],
      lastRun: null,
    }
  } finally {
    progress.done()
    interrupt.dispose()
    await resolved.demo?.stop()
  }
  const { code, scorecard, files: written } = write()
  log(`results: ${dir}/results.json`)
  if (formats.includes('html')) log(`report: ${dir}/report.html`)
  await live?.end({ scorecard, report: written.find((f) => f.endsWith('report.html')) ?? written.find((f) => f.endsWith('results.json')) ?? null })
  return code
}
