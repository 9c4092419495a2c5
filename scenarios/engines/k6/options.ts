// A scenario's load profile as k6 `options.scenarios`: the closed model becomes constant-vus,
// ramping-vus or shared-iterations; the open model constant- or ramping-arrival-rate. What k6
// cannot express is refused with the reason, never dropped.

import { UsageError } from '../../../core/errors.js'
import type { PlanProfile, ScenarioPlan } from '../../compile.js'
import type { K6Threshold } from '../../../core/results.js'

/** The system tags the script keeps: enough for golive's figures, few enough to keep the sample
 *  stream small. `name` carries the step. */
export const SYSTEM_TAGS = ['status', 'method', 'name', 'error_code', 'scenario', 'expected_response', 'proto']

export type Thresholds = Record<string, K6Threshold[]>

export function k6Options(plan: ScenarioPlan, thresholds: Thresholds, file: string): Record<string, unknown> {
  return {
    scenarios: { [plan.name]: executor(plan.profile, file) },
    thresholds,
    // the embedded engine does not follow redirects either: a 302 is the step's response
    maxRedirects: 0,
    systemTags: SYSTEM_TAGS,
    summaryTrendStats: ['min', 'avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
    setupTimeout: '30s',
  }
}

const ms = (n: number) => `${Math.round(n)}ms`

function executor(p: PlanProfile, file: string): Record<string, unknown> {
  const refuse = (problem: string, fix: string): never => {
    throw new UsageError(`${file}: profile: ${problem}, which k6 cannot run`, fix)
  }
  const constant = p.stages.length === 1 && p.stages[0]!.from === p.stages[0]!.to
  const gracefulStop = ms(p.gracefulStopMs)
  if (p.model === 'closed') {
    if (p.iterations !== null) {
      if (!constant)
        refuse(`an iterations cap (${p.iterations}) on a ramping profile`, 'drop iterations, or use a constant vus + duration profile (k6 shared-iterations)')
      return { executor: 'shared-iterations', vus: whole(p.stages[0]!.to), iterations: p.iterations, maxDuration: ms(p.totalMs), gracefulStop }
    }
    if (constant) return { executor: 'constant-vus', vus: whole(p.stages[0]!.to), duration: ms(p.totalMs), gracefulStop }
    return {
      executor: 'ramping-vus',
      startVUs: whole(p.stages[0]!.from),
      gracefulStop,
      gracefulRampDown: gracefulStop,
      stages: p.stages.map((s) => ({ duration: ms(s.durationMs), target: whole(s.to) })),
    }
  }
  if (p.iterations !== null) refuse(`an iterations cap (${p.iterations}) on the open model`, 'drop iterations: an arrival-rate run is bounded by its duration')
  // k6 rates are whole numbers per timeUnit: a fractional rate per second is counted per 1000 s
  const levels = p.stages.flatMap((s) => [s.from, s.to])
  const scale = levels.every((l) => Number.isInteger(l)) ? 1 : 1000
  const rate = (perSecond: number) => Math.round(perSecond * scale)
  const timeUnit = scale === 1 ? '1s' : '1000s'
  const peak = Math.max(...levels)
  const preAllocatedVUs = Math.min(p.maxVUs, Math.max(1, Math.ceil(peak)))
  if (constant) {
    return {
      executor: 'constant-arrival-rate',
      rate: rate(p.stages[0]!.to),
      timeUnit,
      duration: ms(p.totalMs),
      preAllocatedVUs,
      maxVUs: p.maxVUs,
      gracefulStop,
    }
  }
  return {
    executor: 'ramping-arrival-rate',
    startRate: rate(p.stages[0]!.from),
    timeUnit,
    preAllocatedVUs,
    maxVUs: p.maxVUs,
    gracefulStop,
    stages: p.stages.map((s) => ({ duration: ms(s.durationMs), target: rate(s.to) })),
  }
}

function whole(n: number): number {
  return Math.max(0, Math.round(n))
}
