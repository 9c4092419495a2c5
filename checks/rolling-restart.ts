// The rolling-restart check: a deploy (or restart) command runs while steady probes run through
// the edge; does anyone notice? staging-local: restart app1, then app2, each back in the edge
// before the next goes. Figures: deploy_seconds, failed_requests, requests, error_ratio_during;
// with a rollbackCommand, it is timed the same way: rollback_seconds, rollback_failed_requests.
// With the environment's server block: deploy.server.<name> (and rollback.server.<name>), _mean.
// Afterwards `restore` (on the reference stack by default staging:heal; elsewhere only what
// the config says) ALWAYS runs. Outside the reference stack deployCommand is required.

import { resultClock, type Check, type CheckContext } from '../core/check.js'
import type { CheckResult, Detail, Figure } from '../core/results.js'
import { listDetail } from '../core/details.js'
import { parseActions } from './actions/parse.js'
import type { Action } from './actions/model.js'
import { actionContext } from './actions/context.js'
import { DRILL_ACTIONS } from './drill/experiments.js'
import { DRILL_FIGURES, drillFigures, prefixed, serverFigures } from './drill/figures.js'
import { describeExperiment, runExperiment, type Experiment } from './drill/runner.js'
import { drillSettingsSchema, onReferenceStack, readDrillSettings, type DrillSettings } from './drill/settings.js'
import { drillTarget, openDrill } from './drill/target.js'
import { Journal, journalDir } from './drill/journal.js'

/** the probe figures a rolling restart reports (no RTO: nothing is meant to fail) */
const ROLLING_FIGURES = DRILL_FIGURES.filter((d) => ['failed_requests', 'requests', 'failed_ratio', 'error_ratio_during', 'lost_writes'].includes(d.name))

const DEFAULT_DEPLOY = ['staging:restart:app1', 'staging:restart:app2']
const DEFAULT_RESTORE = ['staging:heal']

function read(ctx: CheckContext): { s: DrillSettings; deploy: Experiment; rollback?: Experiment } {
  const raw = ctx.settings
  const reference = onReferenceStack(raw, ctx.env.baseUrl)
  const s = readDrillSettings(
    { minObserveSeconds: 1, ...raw },
    'rolling-restart',
    { deadlineSeconds: 600 },
    {
      reference,
      envName: ctx.envName,
      missing: raw.deployCommand === undefined ? ['deployCommand (the command that deploys or restarts your instances one by one)'] : [],
    },
  )
  // the reference stack heals by default; elsewhere a restore is what the config says, or none
  const restore = raw.restore === undefined && !reference ? [] : parseActions(raw.restore ?? DEFAULT_RESTORE, 'checks.rolling-restart.restore', DRILL_ACTIONS)
  const deploy: Experiment = {
    name: 'deploy',
    fault: parseActions(raw.deployCommand ?? DEFAULT_DEPLOY, 'checks.rolling-restart.deployCommand', DRILL_ACTIONS),
    rollback: raw.rollbackCommand === undefined ? restore : [],
  }
  if (raw.rollbackCommand === undefined) return { s, deploy }
  const rollbackActions: Action[] = parseActions(raw.rollbackCommand, 'checks.rolling-restart.rollbackCommand', DRILL_ACTIONS)
  return { s, deploy, rollback: { name: 'rollback', fault: rollbackActions, rollback: restore } }
}

export const rollingRestart: Check = {
  id: 'rolling-restart',
  title: 'Rolling restart under load (zero downtime)',
  group: 'Resilience',
  destructive: true,
  plan: (ctx) => rollingRestartPlan(ctx),
  serverWindows: true,
  settings: drillSettingsSchema('rolling-restart'),
  figures: [
    ...[...ROLLING_FIGURES, ...prefixed('rollback_', ROLLING_FIGURES)],
    { name: 'deploy_seconds', unit: 's', meaning: 'the deploy command, start to end' },
    { name: 'rollback_seconds', unit: 's', meaning: 'the rollback command, start to end (with rollbackCommand)' },
    { name: 'deploy.server.<query>', meaning: "with a server block: the query's max (and <query>_mean) over the deploy's window (docs/server.md)" },
    { name: 'rollback.server.<query>', meaning: "with a server block: the query's max (and <query>_mean) over the rollback's window (with rollbackCommand)" },
  ],
  async run(ctx: CheckContext): Promise<CheckResult> {
    const result = resultClock(rollingRestart)
    const opened = openDrill(ctx)
    if ('stop' in opened) return result(opened.stop)
    const { target } = opened
    let plan: ReturnType<typeof read>
    try {
      plan = read(ctx)
    } catch (e) {
      return result({ status: 'error', reason: (e as Error).message, figures: {}, evidence: null })
    }

    const figures: Record<string, Figure> = {}
    const journal = { journal: new Journal(journalDir(ctx.configDir, ctx.envName)), check: 'rolling-restart', env: ctx.envName }
    const evidence: Record<string, unknown> = { target: target.origin }
    const problems: string[] = []
    const details: Detail[] = []
    const unmeasured: Record<string, string> = {}
    const noData: Record<string, string> = {}
    for (const [exp, prefix] of [
      [plan.deploy, ''],
      [plan.rollback, 'rollback_'],
    ] as const) {
      if (!exp) continue
      if (ctx.signal.aborted) {
        problems.push(`${exp.name}: not run (interrupted)`)
        continue
      }
      const o = await runExperiment(exp, plan.s, target, { ...ctx, journal, check: 'rolling-restart', actions: actionContext(ctx, plan.s.stagingDir) })
      serverFigures(exp.name, o.server, figures, noData)
      // the deploy's (or rollback's) own duration, from the outcome's times, not its evidence
      const actionsOk = o.faultActions.every((a) => a.ok)
      if (o.figures) {
        Object.assign(
          figures,
          drillFigures(
            o.figures,
            prefix,
            plan.s.probes.write
              ? ['failed_requests', 'requests', 'failed_ratio', 'error_ratio_during', 'lost_writes']
              : ['failed_requests', 'requests', 'failed_ratio', 'error_ratio_during'],
          ),
        )
        if (!plan.s.probes.write) unmeasured[`${prefix}lost_writes`] = 'the write probe is off (write: false): data loss was not measured'
        if (o.faultAt !== undefined && o.faultDoneAt !== undefined && actionsOk && !o.interrupted) {
          figures[`${exp.name}_seconds`] = { value: Math.round((round3(o.faultDoneAt) - round3(o.faultAt)) * 1000) / 1000, unit: 's' }
        }
      }
      evidence[exp.name] = o.evidence
      details.push(...o.details)
      if (o.problem) problems.push(`${exp.name}: ${o.problem}`)
      if (o.rollbackFailed)
        problems.push(
          `${exp.name}: RESTORE FAILED (${o.rollbackFailed}); the system may be left broken${o.journaled ? ' (the rollback stays in the drill journal: golive drill --recover retries it)' : ''}`,
        )
    }
    const measured = Object.keys(figures).length > 0
    const reason = [ctx.signal.aborted ? 'interrupted: the restore ran; figures are what was measured until then' : '', ...problems].filter(Boolean).join('; ')
    if (problems.length) details.push(listDetail(problems, 'Problems'))
    return {
      ...result({ status: measured ? 'measured' : 'error', figures, evidence, details, ...(reason ? { reason } : {}) }),
      ...(Object.keys(unmeasured).length ? { unmeasured } : {}),
      ...(Object.keys(noData).length ? { noData } : {}),
    }
  },
}

/** golive drill rolling-restart --dry-run: the deploy (and rollback), actions planned by the runner */
async function rollingRestartPlan(ctx: CheckContext): Promise<string[]> {
  const target = drillTarget(ctx)
  if (!('origin' in target)) return ['error' in target ? target.error : target.refused]
  const p = read(ctx)
  const all = [p.deploy, p.rollback].filter((e): e is Experiment => !!e)
  return (await Promise.all(all.map((e) => describeExperiment(e, p.s, target, actionContext(ctx, p.s.stagingDir))))).flat()
}

const round3 = (n: number) => Math.round(n * 1000) / 1000
