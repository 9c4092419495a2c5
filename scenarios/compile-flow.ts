// The flow of a scenario compiled into the plan: which steps run once per run (before, after),
// once per user (setup, teardown), and the journeys an iteration picks from by weight. Every
// step of every part sits in one list (plan.steps, the index space of the engines' metrics);
// the flow names them by index. Compile-time errors only, with the file, the place and the fix.

import type { AnyStep, Scenario } from './dsl.js'
import type { PlanCapture, PlanStep } from './compile.js'

export type Phase = 'journey' | 'setup' | 'teardown' | 'before' | 'after'
export const PHASES: readonly Exclude<Phase, 'journey'>[] = ['before', 'setup', 'teardown', 'after']

export type MetricType = 'trend' | 'counter' | 'rate'
export interface PlanMetric {
  name: string
  type: MetricType
  from: PlanCapture
}

export interface PlanJourney {
  name: string
  weight: number
  /** indices into plan.steps */
  steps: number[]
  /** steps per group in this journey: a group is timed only when all of them got a response */
  groups: Record<string, number>
}

export interface PlanFlow {
  /** the scenario declared `journeys` (a mix): figures per journey */
  mix: boolean
  journeys: PlanJourney[]
  before: number[]
  setup: number[]
  teardown: number[]
  after: number[]
  /** every group and custom metric the scenario declares, for figures even without samples */
  groups: string[]
  metrics: { name: string; type: MetricType }[]
}

type Fail = (path: string, problem: string, fix: string) => never
type CompileStep = (st: AnyStep, path: string, phase: Phase) => PlanStep

const NAME = /^[A-Za-z0-9][\w-]*$/

export function compileFlow(s: Scenario, compileStep: CompileStep, fail: Fail): { steps: PlanStep[]; flow: PlanFlow } {
  const steps: PlanStep[] = []
  const seen = new Set<string>()
  const add = (list: AnyStep[], path: string, phase: Phase): number[] =>
    list.map((st, i) => {
      const p = `${path}[${i}]`
      const plan = compileStep(st, p, phase)
      if (seen.has(plan.name))
        fail(
          `${p}.name`,
          `step name '${plan.name}' is used twice`,
          'give each step its own name (setup, teardown and every journey included: figures are per step)',
        )
      seen.add(plan.name)
      if (plan.group !== null && phase !== 'journey')
        fail(`${p}.group`, `a ${phase} step cannot be in a group`, 'groups time a journey: move the group to a journey step, or remove it')
      steps.push(plan)
      return steps.length - 1
    })
  const part = (k: (typeof PHASES)[number]): AnyStep[] => {
    const v = s[k]
    if (v === undefined) return []
    if (!Array.isArray(v) || v.length === 0)
      fail(k, `expected a list of at least one step, got ${JSON.stringify(v)}`, `write ${k}: [{ name: '${k}-1', path: '/' }], or remove ${k}`)
    return v
  }

  if (s.steps !== undefined && s.journeys !== undefined)
    fail('journeys', 'both steps and journeys are set', 'keep one: steps (one journey) or journeys (a weighted mix)')
  const before = add(part('before'), 'before', 'before')
  const setup = add(part('setup'), 'setup', 'setup')
  let journeys: PlanJourney[]
  if (s.journeys !== undefined) {
    if (!Array.isArray(s.journeys) || s.journeys.length === 0)
      fail('journeys', 'a mix needs at least one journey', "write journeys: [{ name: 'browse', weight: 3, steps: [...] }]")
    const names = new Set<string>()
    journeys = s.journeys.map((j, i) => {
      const p = `journeys[${i}]`
      if (!j || typeof j.name !== 'string' || !NAME.test(j.name))
        fail(`${p}.name`, `'${String(j?.name)}' is not a usable journey name`, 'use letters, digits, - and _ (it becomes part of figure names)')
      if (names.has(j.name)) fail(`${p}.name`, `journey name '${j.name}' is used twice`, 'give each journey its own name')
      names.add(j.name)
      if (!(typeof j.weight === 'number' && Number.isFinite(j.weight) && j.weight >= 0))
        fail(
          `${p}.weight`,
          `expected a number ≥ 0, got ${JSON.stringify(j.weight)}`,
          'set weight: 3 (a share: each iteration picks a journey with probability weight / sum of weights)',
        )
      if (!Array.isArray(j.steps) || j.steps.length === 0)
        fail(`${p}.steps`, `the journey '${j.name}' has no steps`, "add steps: [{ name: 'home', path: '/' }], or remove the journey")
      return journey(j.name, j.weight, add(j.steps, `${p}.steps`, 'journey'), steps)
    })
    if (journeys.every((j) => j.weight === 0))
      fail('journeys', 'every journey has weight 0, so no iteration could pick one', 'give at least one journey a weight > 0, e.g. weight: 1')
  } else {
    if (!Array.isArray(s.steps) || s.steps.length === 0)
      fail('steps', 'a scenario needs at least one step', "add steps: [{ name: 'home', path: '/' }] (or journeys: a weighted mix)")
    journeys = [journey(s.name, 1, add(s.steps!, 'steps', 'journey'), steps)]
  }
  const teardown = add(part('teardown'), 'teardown', 'teardown')
  const after = add(part('after'), 'after', 'after')

  const groups = [...new Set(steps.flatMap((st) => (st.group === null ? [] : [st.group])))]
  const metrics: PlanFlow['metrics'] = []
  steps.forEach((st, i) => {
    if (!st.metric) return
    const have = metrics.find((m) => m.name === st.metric!.name)
    if (have && have.type !== st.metric.type)
      fail(`${where(i, s)}.metric.type`, `the metric '${st.metric.name}' is a ${have.type} elsewhere`, `use one type per metric name, or another name`)
    if (!have) metrics.push({ name: st.metric.name, type: st.metric.type })
  })
  return { steps, flow: { mix: s.journeys !== undefined, journeys, before, setup, teardown, after, groups, metrics } }
}

function journey(name: string, weight: number, indices: number[], steps: PlanStep[]): PlanJourney {
  const groups: Record<string, number> = {}
  for (const i of indices) {
    const g = steps[i]!.group
    if (g !== null) groups[g] = (groups[g] ?? 0) + 1
  }
  return { name, weight, steps: indices, groups }
}

/** the place of plan step i in the scenario as written, for a message */
function where(i: number, s: Scenario): string {
  const parts: [string, AnyStep[] | undefined][] = [
    ['before', s.before],
    ['setup', s.setup],
  ]
  if (s.journeys) s.journeys.forEach((j, k) => parts.push([`journeys[${k}].steps`, j.steps]))
  else parts.push(['steps', s.steps])
  parts.push(['teardown', s.teardown], ['after', s.after])
  for (const [p, list] of parts) {
    const n = list?.length ?? 0
    if (i < n) return `${p}[${i}]`
    i -= n
  }
  return 'steps'
}

/** The steps a user's iteration may run (all journeys), for engines that list them. */
export function stepsOf(plan: { steps: PlanStep[] }, indices: readonly number[]): PlanStep[] {
  return indices.map((i) => plan.steps[i]!)
}

/** What k6 thresholds need of the flow (gates/k6-thresholds.ts ThresholdFlow). */
export function thresholdFlow(plan: { steps: PlanStep[]; flow: PlanFlow }): {
  journeys: string[]
  groups: string[]
  metrics: PlanFlow['metrics']
  phased: boolean
} {
  return {
    journeys: plan.flow.mix ? plan.flow.journeys.map((j) => j.name) : [],
    groups: plan.flow.groups,
    metrics: plan.flow.metrics,
    phased: plan.steps.some((s) => s.phase !== 'journey'),
  }
}
