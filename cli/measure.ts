// Measures: drives each scenario, then each check, and gathers what they returned. A scenario
// or check that throws becomes an 'error' entry; an interrupt stops the rest. Nothing is lost.
// The runner owns each check's envelope: its id, title and clock, what it requires, consent for
// a destructive one, and its target (ctx.target: origin, CA, headers with auth); the check
// returns figures and evidence.

import type { Check } from '../core/check.js'
import type { EnvironmentConfig } from '../core/config.js'
import type { CheckResult, Detail, GateSpec, K6Threshold, ScenarioResult } from '../core/results.js'
import { kvDetail } from '../core/details.js'
import type { ScenarioPlan } from '../scenarios/compile.js'
import { EmbeddedRun, type ProgressEvent } from '../scenarios/engines/embedded/run.js'
import { checkTarget, checkTargetOf, type CheckTarget, type Target } from '../core/target.js'
import { authHeaders } from '../core/auth.js'
import { allowsDrills, consentRefusal } from '../core/consent.js'
import type { K6Run } from '../scenarios/engines/k6/run.js'
import { recoverPending } from '../checks/drill/recover.js'
import { stagingPort } from '../staging/port.js'
import type { BrowserPlan } from '../scenarios/engines/browser/plan.js'
import type { BrowserRun } from '../scenarios/engines/browser/run.js'
import { originPolicy } from '../core/origins.js'
import { dbResult, serverPort, serverResult, type LoadWindow, type ServerSetup } from '../checks/server.js'
import { watchWindow } from './server-window.js'
import type { LiveEvent, LiveHub } from '../core/live.js'
import type { K6Abort } from '../scenarios/engines/k6/run.js'
import { watchAborts } from './abort-watch.js'
import { loadPort } from './under-load.js'
import { resolveTarget } from './target.js'

/** How a scenario runs: golive's own engine, or k6 with the thresholds its gates became. */
export type EngineChoice =
  | { kind: 'embedded'; workers?: number | 'auto' }
  | {
      kind: 'k6'
      segments?: number
      thresholds: (plan: ScenarioPlan) => { thresholds: Record<string, K6Threshold[]>; notExpressed: { gate: string; why: string }[]; aborts?: K6Abort[] }
      files: Map<string, string>
    }

export type RunPlan = ScenarioPlan | BrowserPlan
export const isBrowserPlan = (p: RunPlan): p is BrowserPlan => 'kind' in p && p.kind === 'browser'

export interface MeasureInput {
  /** HTTP scenarios run one after another; browser scenarios run beside them, all at once */
  plans: RunPlan[]
  target: Target
  engine: EngineChoice
  checks: { check: Check; settings: Record<string, unknown> }[]
  env: EnvironmentConfig
  envName: string
  runDir: string
  configDir: string
  signal: AbortSignal
  onProgress: (p: ProgressEvent) => void
  log: (line: string) => void
  /** server figures over each scenario's steady window and each drill's fault windows
   *  (environments.<env>.server), checked before */
  server?: ServerSetup | null
  /** the live stream (--dashboard, --out-metrics): each scenario's seconds as they complete */
  live?: LiveHub
  /** the gates in force: those with abort stop a scenario early (cli/abort-watch.ts) */
  gates?: GateSpec[]
}

export interface Measured {
  scenarios: ScenarioResult[]
  checks: CheckResult[]
}

export async function measure(input: MeasureInput, sink: Measured): Promise<Measured> {
  // a drill killed before its rollback (kill -9, OOM) left a fault applied: undo it first
  const recovery = await recoverPending(input.configDir, input.envName, input.log, stagingPort)
  const unrecovered = recovery.failed.length
    ? `a drill's pending rollback failed (${recovery.failed.join('; ')}): the system may still carry its fault; fix it, then golive drill --recover`
    : null
  // checks asked to run once more while the load holds its peak (page-load: underLoad), to show
  // what load does to the page; never a drill
  const underLoad = input.checks.filter((c) => c.settings.underLoad === true && !c.check.destructive)
  const loaded = new Map<string, UnderLoad>()
  const http = input.plans.filter((p): p is ScenarioPlan => !isBrowserPlan(p))
  const browser = input.plans.filter(isBrowserPlan)
  // the checks under load ride the first HTTP scenario, or the first browser one without any
  const peakOf = http[0] ?? browser[0]
  // server windows: the HTTP scenarios' (one after another); the browser users run beside them
  const windows: LoadWindow[] = []
  const drive = async (plan: RunPlan) => {
    const started = new Date()
    try {
      const run = await startEngine(plan, input)
      // one progress line: the HTTP scenarios', or the browser scenario's when it runs alone
      if (!isBrowserPlan(plan) || !http.length) run.on('progress', input.onProgress)
      if (input.live?.active) {
        const hub = input.live
        // a browser scenario's steps are its test.step titles, known only as they run
        hub.publish({
          type: 'scenario-start',
          scenario: plan.name,
          engine: isBrowserPlan(plan) ? 'browser' : input.engine.kind,
          totalMs: plan.profile.totalMs,
          steps: plan.steps.map((s) => s.name),
        })
        run.on('live', (e: LiveEvent) => hub.publish(e))
      }
      watchAborts(run, plan.name, input.gates ?? [], input.log)
      const during = plan === peakOf && underLoad.length ? duringPeak(run, plan, underLoad, input, loaded) : null
      const watch = input.server && !isBrowserPlan(plan) ? await watchWindow(run, plan, input.server) : null
      const result = await run.run()
      sink.scenarios.push(result)
      const window = await watch?.finish(result)
      if (window) windows.push(window)
      await during?.finished()
    } catch (e) {
      sink.scenarios.push(crashedScenario(plan, isBrowserPlan(plan) ? 'browser' : input.engine.kind, started, e))
    }
  }
  await Promise.all([
    (async () => {
      for (const plan of http) {
        if (input.signal.aborted) break
        await drive(plan)
      }
    })(),
    ...browser.map((plan) => drive(plan)),
  ])
  // in the order the scenarios were listed (the first is the environment's main one)
  sink.scenarios.sort((a, b) => input.plans.findIndex((p) => p.name === a.name) - input.plans.findIndex((p) => p.name === b.name))
  // what the servers did in each window: read after the load, so reading costs the load nothing
  if (input.server?.prometheus && input.plans.length) sink.checks.push(await serverResult(input.server, windows, input.signal))
  if (input.server?.postgres && input.plans.length) sink.checks.push(dbResult(input.server, windows))
  // read-only checks first, then those that act on the system (drills, alert triggers): a page
  // load measured after a drill restarted the app would measure a cold app. Config order within each.
  const acts = (c: Check) => c.destructive === true || c.id === 'alerts'
  const ordered = [...input.checks.filter((c) => !acts(c.check)), ...input.checks.filter((c) => acts(c.check))]
  for (const { check, settings } of ordered) {
    if (input.signal.aborted) break
    const result =
      unrecovered && acts(check)
        ? {
            id: check.id,
            title: check.title,
            status: 'skipped' as const,
            reason: unrecovered,
            figures: {},
            evidence: null,
            startedAt: new Date().toISOString(),
            durationMs: 0,
          }
        : await runCheck(check, settings, input)
    sink.checks.push(withUnderLoad(result, loaded.get(check.id), settings.underLoad === true && input.plans.length > 0))
  }
  return sink
}

interface UnderLoad {
  scenario: string
  usersAtStart: number
  startedAtS: number
  result?: CheckResult
  reason?: string
}

/** Runs the checks once, as soon as the scenario holds its peak users (or half-way through),
 *  while at least 5 s of it remain. */
function duringPeak(run: EmbeddedRun | K6Run | BrowserRun, plan: RunPlan, checks: MeasureInput['checks'], input: MeasureInput, out: Map<string, UnderLoad>) {
  let started: Promise<unknown> | null = null
  for (const { check } of checks)
    out.set(check.id, { scenario: plan.name, usersAtStart: 0, startedAtS: 0, reason: `the scenario ${plan.name} never held its peak with 5 s to spare` })
  run.on('progress', (p: ProgressEvent) => {
    if (started || input.signal.aborted) return
    const atPeak = p.active >= plan.profile.maxVUs || p.elapsedMs >= p.totalMs / 2
    if (!atPeak || p.totalMs - p.elapsedMs < 5000) return
    input.log(`golive: ${checks.map((c) => c.check.id).join(', ')} under load: ${p.active} users in ${plan.name}`)
    started = Promise.all(
      checks.map(async ({ check, settings }) => {
        const at = { scenario: plan.name, usersAtStart: p.active, startedAtS: Math.round(p.elapsedMs / 100) / 10 }
        out.set(check.id, { ...at, result: await runCheck(check, settings, input) })
      }),
    )
  })
  return {
    finished: async () => {
      await started
    },
  }
}

/** The check's own figures, plus those it measured under load as under_load.<figure>. */
function withUnderLoad(result: CheckResult, u: UnderLoad | undefined, asked: boolean): CheckResult {
  if (!asked || !u) return result
  const figures = { ...result.figures }
  if (u.result?.status === 'measured') for (const [k, v] of Object.entries(u.result.figures)) figures[`under_load.${k}`] = v
  const underLoad = u.result
    ? {
        scenario: u.scenario,
        usersAtStart: u.usersAtStart,
        startedAtS: u.startedAtS,
        status: u.result.status,
        reason: u.result.reason,
        evidence: u.result.evidence,
      }
    : { scenario: u.scenario, status: 'not run', reason: u.reason }
  const evidence =
    result.evidence && typeof result.evidence === 'object' ? { ...(result.evidence as object), underLoad } : { measured: result.evidence, underLoad }
  // the run under load shown after the quiet one, each of its details titled as such
  const under: Detail[] = [
    kvDetail(
      [
        { label: 'scenario', value: u.scenario },
        { label: 'status', value: u.result?.status ?? 'not run' },
        ...(u.result
          ? [
              { label: 'users at the start', value: u.usersAtStart, unit: 'count' as const },
              { label: 'started at', value: u.startedAtS, unit: 's' as const },
            ]
          : []),
        ...((u.result?.reason ?? u.reason) ? [{ label: 'reason', value: u.result?.reason ?? u.reason }] : []),
      ],
      'Under load',
    ),
    ...(u.result?.details ?? []).map((d) => ({ ...d, title: `Under load: ${d.title ?? d.kind}` })),
  ]
  return { ...result, figures, evidence, ...(result.details || u.result?.details ? { details: [...(result.details ?? []), ...under] } : {}) }
}

async function startEngine(plan: RunPlan, input: MeasureInput): Promise<EmbeddedRun | K6Run | BrowserRun> {
  if (isBrowserPlan(plan)) {
    // loaded only for browser scenarios: Playwright is not the HTTP engines' cost
    const { BrowserRun } = await import('../scenarios/engines/browser/run.js')
    const base = input.env.baseUrl
    return new BrowserRun(plan, {
      baseURL: base,
      headers: { ...(input.env.headers ?? {}), ...authHeaders(input.env.auth) },
      policy: originPolicy(base, input.env.hosts),
      ignoreHttpsErrors: Boolean(input.env.ca),
      runDir: input.runDir,
      signal: input.signal,
    })
  }
  const e = input.engine
  if (e.kind === 'embedded') return new EmbeddedRun(plan, { target: input.target, workers: e.workers, signal: input.signal })
  // loaded only for k6 runs: esbuild and the k6 runtime are not the embedded engine's cost
  const { K6Run } = await import('../scenarios/engines/k6/index.js')
  const t = e.thresholds(plan)
  return new K6Run(plan, {
    target: input.target,
    runDir: input.runDir,
    thresholds: t.thresholds,
    notThresholds: t.notExpressed,
    segments: e.segments,
    signal: input.signal,
    file: e.files.get(plan.name) ?? plan.name,
    aborts: t.aborts,
  })
}

async function runCheck(check: Check, settings: Record<string, unknown>, input: MeasureInput): Promise<CheckResult> {
  const started = new Date()
  // the runner's clock, id and title on every result, whatever the check stamped itself
  const stamp = (r: Omit<CheckResult, 'id' | 'title' | 'startedAt' | 'durationMs'> & Partial<CheckResult>): CheckResult => {
    const { id: _id, title: _title, startedAt: _startedAt, durationMs: _durationMs, ...fields } = r
    return { id: check.id, title: check.title, startedAt: started.toISOString(), ...fields, durationMs: Date.now() - started.getTime() }
  }
  const missing = (check.requires ?? []).filter((k) => input.env[k] === undefined)
  if (missing.length) {
    return {
      ...stamp({
        status: 'skipped',
        reason: `needs ${missing.map((k) => `environments.${input.envName}.${k}`).join(', ')} in the config`,
        figures: {},
        evidence: null,
      }),
      durationMs: 0,
    }
  }
  if (check.destructive && !allowsDrills(input.env)) {
    return { ...stamp({ status: 'skipped', reason: consentRefusal(input.envName, 'a drill'), figures: {}, evidence: null }), durationMs: 0 }
  }
  try {
    const target = targetFor(input)
    const result = await check.run({
      env: input.env,
      envName: input.envName,
      ...(target ? { target } : {}),
      settings,
      signal: input.signal,
      runDir: input.runDir,
      configDir: input.configDir,
      log: input.log,
      load: underLoadPort(input),
      stack: stagingPort,
      ...(check.serverWindows && input.server?.prometheus ? { server: serverPort(input.server) } : {}),
    })
    return stamp(result)
  } catch (e) {
    return stamp({ status: 'error', reason: (e as Error).message, figures: {}, evidence: null })
  }
}

/** ctx.target: the run's resolved target (golive run: --target, the demo), or the
 *  environment's (golive check, golive drill). A CA file that cannot be read leaves it out: a
 *  check that needs the target says so (targetOf), one that does not is not stopped by it. */
function targetFor(input: MeasureInput): CheckTarget | undefined {
  if (input.target.origin) return checkTargetOf(input.target, input.env)
  try {
    return checkTarget(input.env)
  } catch {
    return undefined
  }
}

function crashedScenario(plan: RunPlan, engine: string, started: Date, e: unknown): ScenarioResult {
  return {
    ...(isBrowserPlan(plan) ? { kind: 'browser' as const } : {}),
    name: plan.name,
    engine,
    status: 'error',
    reason: `crashed: ${(e as Error).message}`,
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    profile: { ...plan.profileSource },
    coordinatedOmission: 'not-applicable',
    requests: 0,
    errors: 0,
    iterations: 0,
    droppedIterations: 0,
    vusMax: 0,
    bytesReceived: 0,
    statuses: {},
    latency: null,
    histogram: null,
    steps: [],
    timeline: [],
    topErrors: [],
  }
}

/** a drill experiment's underLoad: the run's target (or, for golive drill and check, the
 *  environment's), resolved only when an experiment asks for load */
function underLoadPort(input: MeasureInput) {
  return loadPort({
    env: input.env,
    configDir: input.configDir,
    log: input.log,
    target: async () => {
      if (input.target.origin) return input.target
      if (input.env.baseUrl === 'demo') throw new Error('underLoad needs a target: the environment has no baseUrl of its own')
      return (await resolveTarget(input.env, input.configDir)).target
    },
  })
}
