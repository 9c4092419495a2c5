// The failover drill: chaos experiments against the running system. For each experiment
// (staging-local: lose an app instance; lose the PostgreSQL primary and promote the replica),
// steady-state probes run throughout, the fault is injected, the drill observes until the
// steady state holds again or a deadline passes, and the rollback always runs. Figures per
// experiment: failover.<experiment>.rto_seconds, .lost_writes, .failed_requests, ...; with the
// environment's server block, .server.<name> and _mean over the fault window (ctx.server).
// Settings: checks/drill/settings.ts, checks/drill/experiments.ts and docs/checks/failover.md.

import { resultClock, type Check, type CheckContext } from '../core/check.js'
import type { CheckResult, Detail, Figure } from '../core/results.js'
import { listDetail } from '../core/details.js'
import type { DrillOutcome } from './drill/runner.js'
import { readExperiments, DEFAULT_FAILOVER } from './drill/experiments.js'
import { drillFigures, prefixed, serverFigures } from './drill/figures.js'
import { describeExperiment, runExperiment, type Experiment } from './drill/runner.js'
import { drillSettingsSchema, onReferenceStack, readDrillSettings, type DrillSettings } from './drill/settings.js'
import { drillTarget, openDrill } from './drill/target.js'
import { Journal, journalDir } from './drill/journal.js'
import { actionContext } from './actions/context.js'

export const failover: Check = {
  id: 'failover',
  title: 'Failover drill (RTO, RPO, failed requests)',
  group: 'Resilience',
  destructive: true,
  plan: (ctx) => failoverPlan(ctx),
  serverWindows: true,
  settings: drillSettingsSchema('failover'),
  figures: [
    ...prefixed('<experiment>.'),
    { name: '<experiment>.load.failed_requests', unit: 'count', meaning: "underLoad: the scenario's failed requests over the fault window" },
    { name: '<experiment>.load.requests', unit: 'count', meaning: "underLoad: the scenario's requests over the fault window" },
    { name: '<experiment>.load.error_rate', unit: '%', meaning: "underLoad: the scenario's failed requests, %, over the fault window" },
    { name: '<experiment>.load.latency_p95', unit: 'ms', meaning: "underLoad: the scenario's p95 latency over the fault window" },
    { name: '<experiment>.load.users', unit: 'count', meaning: 'underLoad: users busy at most in the fault window' },
    { name: '<experiment>.server.<query>', meaning: "with a server block: the query's max (and <query>_mean) over the fault window (docs/server.md)" },
  ],
  async run(ctx: CheckContext): Promise<CheckResult> {
    const result = resultClock(failover)
    const opened = openDrill(ctx)
    if ('stop' in opened) return result(opened.stop)
    const { target } = opened
    let s: DrillSettings, experiments: Experiment[]
    try {
      ;({ s, experiments } = read(ctx))
    } catch (e) {
      return result({ status: 'error', reason: (e as Error).message, figures: {}, evidence: null })
    }

    const figures: Record<string, Figure> = {}
    const journal = { journal: new Journal(journalDir(ctx.configDir, ctx.envName)), check: 'failover', env: ctx.envName }
    const evidence: Record<string, unknown> = {}
    const unmeasured: Record<string, string> = {}
    const noData: Record<string, string> = {}
    const problems: string[] = []
    const details: Detail[] = []
    for (const exp of experiments) {
      if (ctx.signal.aborted) {
        problems.push(`${exp.name}: not run (interrupted)`)
        continue
      }
      const o = await runExperiment(exp, s, target, { ...ctx, journal, check: 'failover', actions: actionContext(ctx, s.stagingDir) })
      if (o.figures) Object.assign(figures, drillFigures(o.figures, `${exp.name}.`, s.probes.write ? undefined : READ_ONLY))
      serverFigures(exp.name, o.server, figures, noData)
      if (o.figures) Object.assign(unmeasured, loadFigures(exp, o, figures))
      if (o.figures && !s.probes.write)
        for (const k of WRITE_FIGURES) unmeasured[`${exp.name}.${k}`] = 'the write probe is off (write: false): data loss was not measured'
      evidence[exp.name] = o.evidence
      details.push(...o.details)
      if (o.problem) problems.push(`${exp.name}: ${o.problem}`)
      if (o.rollbackFailed)
        problems.push(
          `${exp.name}: ROLLBACK FAILED (${o.rollbackFailed}); the system may be left broken${o.journaled ? ' (the rollback stays in the drill journal: golive drill --recover retries it)' : ''}`,
        )
      if (o.figures && !o.figures.recovered) problems.push(`${exp.name}: the steady state did not return within ${s.deadlineSeconds} s: no rto_seconds`)
    }
    const measured = Object.keys(figures).length > 0
    const reason = [ctx.signal.aborted ? 'interrupted: rollbacks ran; figures are what was measured until then' : '', ...problems].filter(Boolean).join('; ')
    if (problems.length) details.push(listDetail(problems, 'Problems'))
    return {
      ...result({
        status: measured ? 'measured' : 'error',
        figures,
        evidence: { target: target.origin, experiments: evidence },
        details,
        ...(reason ? { reason } : {}),
      }),
      ...(Object.keys(unmeasured).length ? { unmeasured } : {}),
      ...(Object.keys(noData).length ? { noData } : {}),
    }
  },
}

/** the figures a drill without its write probe measures */
const WRITE_FIGURES = ['lost_writes', 'rpo_seconds', 'writes_acknowledged'] as const
const READ_ONLY = ['seconds_to_first_failure', 'rto_seconds', 'failed_requests', 'requests', 'failed_ratio', 'error_ratio_during'] as const

/** The settings and experiments; outside the reference stack, its default experiments and
 *  probe paths are not used: a missing one is a refusal naming it. */
function read(ctx: CheckContext): { s: DrillSettings; experiments: Experiment[] } {
  const reference = onReferenceStack(ctx.settings, ctx.env.baseUrl)
  const s = readDrillSettings(
    ctx.settings,
    'failover',
    { deadlineSeconds: 120 },
    { reference, envName: ctx.envName, missing: ctx.settings.experiments === undefined ? ['experiments (name → { fault, rollback })'] : [] },
  )
  return { s, experiments: readExperiments(ctx.settings, 'failover', DEFAULT_FAILOVER) }
}

/** golive drill failover --dry-run: each experiment's plan, its actions planned by the runner */
async function failoverPlan(ctx: CheckContext): Promise<string[]> {
  const target = drillTarget(ctx)
  if (!('origin' in target)) return ['error' in target ? target.error : target.refused]
  const { s, experiments } = read(ctx)
  return (await Promise.all(experiments.map((e) => describeExperiment(e, s, target, actionContext(ctx, s.stagingDir))))).flat()
}

/** underLoad: the journeys' figures in the fault window, <exp>.load.*; an experiment not under
 *  load says so (its gates read not run, never pass) */
function loadFigures(exp: Experiment, o: DrillOutcome, figures: Record<string, Figure>): Record<string, string> {
  const p = `${exp.name}.load`
  if (!exp.underLoad) return Object.fromEntries(LOAD_FIGURES.map((k) => [`${p}.${k}`, 'the experiment does not run under load (no underLoad)']))
  const w = o.load
  if (!w) return Object.fromEntries(LOAD_FIGURES.map((k) => [`${p}.${k}`, `the load ${exp.underLoad} gave no window`]))
  figures[`${p}.failed_requests`] = { value: w.failed, unit: 'count' }
  figures[`${p}.requests`] = { value: w.requests, unit: 'count' }
  // no request completed in the window: no rate, no latency (a gate on them fails as missing)
  if (w.errorRate !== null) figures[`${p}.error_rate`] = { value: w.errorRate, unit: '%' }
  if (w.latencyP95 !== null) figures[`${p}.latency_p95`] = { value: w.latencyP95, unit: 'ms' }
  figures[`${p}.users`] = { value: w.usersMax, unit: 'count' }
  return {}
}

const LOAD_FIGURES = ['failed_requests', 'requests', 'error_rate', 'latency_p95', 'users'] as const
