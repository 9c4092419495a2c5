// `golive loadtest` (scenarios only) and `golive run` (scenarios and checks: the nightly entry
// point). Measure → results.json → gates → reports, with results written whatever happens.

import { thresholdFlow } from '../../scenarios/compile-flow.js'
import { UsageError } from '../../core/errors.js'
import type { Check } from '../../core/check.js'
import { compileScenario } from '../../scenarios/compile.js'
import { findScenario } from '../../scenarios/registry.js'
import { getJourney } from '../../scenarios/journeys/get.js'
import { CHECKS } from '../../checks/index.js'
import { COMMON, LOAD, parse, positiveInt, str, workersArg } from '../args.js'
import { context } from '../context.js'
import { resolveReachable, targetBase } from '../target.js'
import { progressPrinter } from '../progress.js'
import { trapInterrupt } from '../interrupt.js'
import { isBrowserPlan, measure, type Measured, type RunPlan } from '../measure.js'
import { serverSetup, wantsServer } from '../server-window.js'
import { compileBrowserScenario } from '../../scenarios/engines/browser/plan.js'
import { SPEC_FILE } from '../../scenarios/engines/browser/spec.js'
import { resolve } from 'node:path'
import { assembleResults } from '../assemble.js'
import { checkOutput, runDirectory } from '../output.js'
import { finish } from '../finish.js'
import { notifyVerdict } from '../notify.js'
import { reportFormats } from './formats.js'
import { k6Thresholds } from '../../gates/k6-thresholds.js'
import { outsideSelection } from '../../gates/figures.js'
import { forMainScenario } from '../../gates/presets.js'
import { chooseBaseline, recentRuns } from '../../core/run-history.js'
import { dirname } from 'node:path'
import { LIVE, liveOptions, startLive, takeDashboard } from '../live/index.js'

/** runs in the Markdown trend, this one included */
const TREND_RUNS = 10

export async function loadtestCommand(argv: string[]): Promise<number> {
  return pipeline('loadtest', argv)
}

export async function runCommand(argv: string[]): Promise<number> {
  return pipeline('run', argv)
}

async function pipeline(kind: 'loadtest' | 'run', argvIn: string[]): Promise<number> {
  const { argv, port: dashboardPort } = takeDashboard(argvIn)
  const { values } = parse(kind, argv, { ...COMMON, ...LOAD, ...LIVE, ...(kind === 'run' ? { only: { type: 'string' } } : {}) })
  const ctx = await context(values)
  const liveOpts = liveOptions(values, dashboardPort)
  const ci = values.ci === true || Boolean(process.env.CI)
  const engineName = str(values.engine) ?? ctx.env.engine ?? 'embedded'
  if (engineName !== 'embedded' && engineName !== 'k6') {
    throw new UsageError(`--engine ${engineName}: no such engine`, 'use --engine embedded (the default) or --engine k6')
  }
  const vus = positiveInt('vus', values.vus)
  const iterations = positiveInt('iterations', values.iterations)
  const workers = workersArg(values.workers)
  const segments = positiveInt('segments', values.segments)
  if (workers !== undefined && engineName === 'k6')
    throw new UsageError('--workers is for the embedded engine', 'with --engine k6, use --segments N to run N k6 processes')
  if (segments !== undefined && engineName !== 'k6')
    throw new UsageError('--segments is for the k6 engine', 'add --engine k6, or use --workers N with the embedded engine')
  // k6 must be there before anything starts: a missing binary is a usage error, not a crashed run
  const k6 = engineName === 'k6' ? await import('../../scenarios/engines/k6/index.js') : null
  if (k6) k6.findK6()
  const files = new Map<string, string>()
  const duration = str(values.duration)
  const targetUrl = str(values.target)
  const only = str(values.only)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  // --only narrows the run: a gate on a scenario or check left out reads "not run", not "missing"
  let gates = only ? ctx.gates.map((g) => (outsideSelection(g.figure, only) ? { ...g, optional: true } : g)) : ctx.gates

  // what to measure, all checked before anything starts
  const names = (values.scenario as string[] | undefined)?.flatMap((s) => s.split(','))
  const plans: RunPlan[] = []
  let getsTarget = false
  const wantScenarios = !only || only.some((o) => o === 'load' || o.startsWith('load.'))
  if (wantScenarios) {
    if (!names && targetUrl && values.env === undefined) {
      getsTarget = true
      const path = new URL(targetBase(targetUrl, true)).pathname + new URL(targetUrl).search
      const journey = getJourney(path)
      const plan = compileScenario(journey, { file: '--target', vus: vus ?? 10, duration: duration ?? '30s', iterations, vars: ctx.env.vars })
      k6?.assertRunsOnK6(journey, plan, '--target')
      plans.push(plan)
    } else {
      // the demo journey only against the demo target: an environment of your own without
      // scenarios drives no load (and says so), rather than the demo's journey against your system
      const listed = names ?? ctx.env.scenarios ?? (ctx.env.baseUrl === 'demo' ? ['load'] : [])
      if (!listed.length && !names)
        process.stderr.write(
          `golive ${kind}: environment '${ctx.envName}' lists no scenarios: no load is driven (add scenarios: ['<name or file>'] to environments.${ctx.envName})\n`,
        )
      for (const n of listed) {
        // a Playwright spec is a browser scenario (docs/browser.md), whatever the engine
        if (SPEC_FILE.test(n)) {
          plans.push(await compileBrowserScenario(resolve(ctx.loaded.dir, n), { vus, duration, iterations, settings: ctx.env.browser }))
          continue
        }
        const src = await findScenario(n, ctx.loaded.dir)
        const plan = compileScenario(src.scenario, { file: src.file, vus, duration, iterations, vars: ctx.env.vars })
        if (k6) k6.assertRunsOnK6(src.scenario, plan, src.file)
        // hooks obey the same rule on the embedded engine (no Node.js modules, no I/O)
        else if (plan.code) (await import('../../scenarios/engines/k6/index.js')).assertHooksPortable(plan, src.file)
        files.set(plan.name, src.file)
        plans.push(plan)
      }
    }
  }
  // the preset's 100-user gate: on the environment's main scenario (its first), whatever its name
  // (an HTTP one: browser users are a handful beside the HTTP users, never the 100)
  const main = plans.find((p) => !isBrowserPlan(p))
  if (main && files.size) gates = forMainScenario(gates, main.name)
  const checks = kind === 'run' ? selectChecks(ctx.env.checks ?? {}, only) : []
  const formats = reportFormats(values, ctx.loaded.config.reports?.formats, ci)
  // a folder that cannot be written, or a latest of the user's, is said before anything runs
  checkOutput(str(values.out), ctx.loaded.config.outDir ?? '.golive/runs', ctx.cwd)

  const log = (line: string) => process.stderr.write(`${line}\n`)
  const resolved = await resolveReachable(
    ctx.env,
    ctx.loaded.dir,
    targetUrl === undefined ? undefined : targetBase(targetUrl, !getsTarget),
    str(values.ca),
    log,
  )
  let server: Awaited<ReturnType<typeof serverSetup>> = null
  try {
    // a bad PromQL, an unreachable Prometheus or no pg_stat_statements: said before any load or drill
    server = wantsServer(ctx.env, plans, checks) ? await serverSetup(ctx.env, ctx.envName, ctx.loaded.file) : null
  } catch (e) {
    await resolved.demo?.stop()
    throw e
  }
  // the run to compare with, chosen before this run joins the history
  const chosen =
    str(values.baseline) === undefined ? null : chooseBaseline(str(values.baseline)!, ctx.loaded.config.outDir ?? '.golive/runs', ctx.cwd, ctx.envName)
  if (chosen?.note) log(chosen.note)
  else if (chosen?.baseline) log(`baseline: run ${chosen.baseline.id} (${chosen.baseline.from})`)
  const startedAt = new Date()
  // the dashboard's URL is printed before any load; a port in use stops here (exit 2)
  let live: Awaited<ReturnType<typeof startLive>>
  try {
    live = await startLive(liveOpts, {
      id: startedAt.toISOString(),
      meta: { target: resolved.display, environment: ctx.envName, command: `golive ${kind}` },
      log,
    })
  } catch (e) {
    await resolved.demo?.stop()
    throw e
  }
  const interrupt = trapInterrupt(log)
  const { dir, latest } = runDirectory(str(values.out), ctx.loaded.config.outDir ?? '.golive/runs', ctx.cwd, startedAt)
  const sink: Measured = { scenarios: [], checks: [] }
  let crashed: string | null = null
  const write = () =>
    finish(
      assembleResults(sink, {
        startedAt,
        environment: ctx.envName,
        target: resolved.display,
        command: `golive ${kind}`,
        interrupted: interrupt.signal.aborted ? (interrupt.reason() ?? 'interrupted') : crashed,
        gates,
        baseline: chosen?.baseline,
      }),
      {
        dir,
        latest,
        formats,
        color: process.stdout.isTTY === true && !ci,
        writeResults: true,
        stepSummary: formats.includes('markdown'),
        verbose: values.verbose === true,
        stdoutFormat: str(values.format) === 'json' ? 'json' : undefined,
        // the trend: this environment's last runs in the history store (not for --out, which is outside it)
        ...(latest ? { history: recentRuns(dirname(dir), ctx.envName, TREND_RUNS - 1) } : {}),
      },
    )
  interrupt.onForce(() => write())
  const progress = progressPrinter(process.stderr, ci)
  try {
    log(
      `golive ${kind}: ${plans.map((p) => `${p.name} (${describeProfile(p)})`).join(', ') || 'no scenarios'}` +
        `${checks.length ? `; checks: ${checks.map((c) => c.check.id).join(', ')}` : ''} → ${resolved.display}`,
    )
    await measure(
      {
        plans,
        target: resolved.target,
        checks,
        engine: k6
          ? {
              kind: 'k6',
              segments,
              files,
              thresholds: (plan) =>
                k6Thresholds(
                  gates,
                  plan.name,
                  plan.steps.map((s) => s.name),
                  thresholdFlow(plan),
                ),
            }
          : // checks probe the system the run drives: --target or the demo, not only the config's baseUrl
            { kind: 'embedded', workers },
        env: { ...ctx.env, baseUrl: resolved.target.origin + resolved.target.basePath },
        envName: ctx.envName,
        runDir: dir,
        configDir: ctx.loaded.dir,
        signal: interrupt.signal,
        onProgress: (p) => progress.update(p),
        log,
        server,
        gates,
        ...(live ? { live: live.hub } : {}),
      },
      sink,
    )
  } catch (e) {
    // whatever was measured is still written, marked partial
    crashed = `crashed: ${(e as Error).message}`
    log(`golive: the run crashed (${(e as Error).message}); writing what was measured`)
  } finally {
    progress.done()
    interrupt.dispose()
    await resolved.demo?.stop()
  }
  const { code, scorecard, files: written } = write()
  log(`results: ${dir}/results.json`)
  if (formats.includes('html')) log(`report: ${dir}/report.html`)
  const report = written.find((f) => f.endsWith('report.html')) ?? written.find((f) => f.endsWith('results.json')) ?? null
  await live?.end({ scorecard, report })
  const warning = await notifyVerdict(
    ctx.loaded.config.notify,
    { environment: ctx.envName, target: resolved.display, scorecard, report, partial: scorecard.partial === true },
    ctx.env,
  )
  if (warning) log(warning)
  return code
}

function selectChecks(
  enabled: Record<string, Record<string, unknown> | boolean>,
  only: string[] | undefined,
): { check: Check; settings: Record<string, unknown> }[] {
  const byId = new Map(CHECKS.map((c) => [c.id, c]))
  for (const id of only ?? []) {
    if (id !== 'load' && !id.startsWith('load.') && !byId.has(id)) {
      throw new UsageError(`--only ${id}: no such check`, `known: load${CHECKS.length ? `, ${CHECKS.map((c) => c.id).join(', ')}` : ''}`)
    }
  }
  return Object.entries(enabled)
    .filter(([id, s]) => s !== false && (!only || only.includes(id)))
    .map(([id, s]) => {
      const check = byId.get(id)
      if (!check) throw new UsageError(`environment check '${id}' does not exist`, `known checks: ${CHECKS.map((c) => c.id).join(', ') || 'none yet'}`)
      return { check, settings: typeof s === 'object' ? s : {} }
    })
}

function describeProfile(p: RunPlan): string {
  if (isBrowserPlan(p))
    return `${p.vus} browser user${p.vus === 1 ? '' : 's'}${p.iterations ? `, ${p.iterations} iterations` : ''}, ${Math.round(p.durationMs / 1000)}s, ${p.browsers} Chromium`
  const s = Math.round(p.profile.totalMs / 1000)
  return p.profile.model === 'closed' ? `${p.profile.maxVUs} users, ${s}s` : `open model, up to ${p.profile.maxVUs} users, ${s}s`
}
