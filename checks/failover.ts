// The failover drill: chaos experiments against the running system. For each experiment
// (staging-local: lose an app instance; lose the PostgreSQL primary and promote the replica),
// steady-state probes run throughout, the fault is injected, the drill observes until the
// steady state holds again or a deadline passes, and the rollback always runs. Figures per
// experiment: failover.<experiment>.rto_seconds, .lost_writes, .failed_requests, ...
// Settings: checks/drill/settings.ts, checks/drill/experiments.ts and the README.

import { resultClock, type Check, type CheckContext } from '../core/check.js'
import type { CheckResult, Figure } from '../core/results.js'
import { readExperiments, DEFAULT_FAILOVER } from './drill/experiments.js'
import { drillFigures } from './drill/figures.js'
import { describeExperiment, runExperiment, type Experiment } from './drill/runner.js'
import { readDrillSettings, type DrillSettings } from './drill/settings.js'
import { drillTarget, openDrill } from './drill/target.js'

export const failover: Check = {
  id: 'failover',
  title: 'Failover drill (RTO, RPO, failed requests)',
  destructive: true,
  async run(ctx: CheckContext): Promise<CheckResult> {
    const result = resultClock(failover)
    const opened = openDrill(ctx)
    if ('stop' in opened) return result(opened.stop)
    const { target } = opened
    let s: DrillSettings, experiments: Experiment[]
    try {
      s = readDrillSettings(ctx.settings, 'failover', { deadlineSeconds: 120 })
      experiments = readExperiments(ctx.settings, 'failover', DEFAULT_FAILOVER)
    } catch (e) { return result({ status: 'error', reason: (e as Error).message, figures: {}, evidence: null }) }

    const figures: Record<string, Figure> = {}
    const evidence: Record<string, unknown> = {}
    const problems: string[] = []
    for (const exp of experiments) {
      if (ctx.signal.aborted) { problems.push(`${exp.name}: not run (interrupted)`); continue }
      const o = await runExperiment(exp, s, target, ctx)
      if (o.figures) Object.assign(figures, drillFigures(o.figures, `${exp.name}.`))
      evidence[exp.name] = o.evidence
      if (o.problem) problems.push(`${exp.name}: ${o.problem}`)
      if (o.rollbackFailed) problems.push(`${exp.name}: ROLLBACK FAILED (${o.rollbackFailed}); the system may be left broken`)
      if (o.figures && !o.figures.recovered) problems.push(`${exp.name}: the steady state did not return within ${s.deadlineSeconds} s: no rto_seconds`)
    }
    const measured = Object.keys(figures).length > 0
    const reason = [ctx.signal.aborted ? 'interrupted: rollbacks ran; figures are what was measured until then' : '', ...problems].filter(Boolean).join('; ')
    return result({ status: measured ? 'measured' : 'error', figures, evidence: { target: target.origin, experiments: evidence }, ...(reason ? { reason } : {}) })
  },
}

export function failoverPlan(ctx: CheckContext): string[] {
  const target = drillTarget(ctx)
  if (!('origin' in target)) return ['error' in target ? target.error : target.refused]
  const s = readDrillSettings(ctx.settings, 'failover', { deadlineSeconds: 120 })
  return readExperiments(ctx.settings, 'failover', DEFAULT_FAILOVER).flatMap((e) => describeExperiment(e, s, target))
}
