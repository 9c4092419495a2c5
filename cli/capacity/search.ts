// The capacity search: the scenario in the open model at a constant arrival rate, one step at a
// time, each step higher by --step-rate, until a step does not hold, the next would pass
// --max-rate, the time limit would be passed, or an interrupt. Every step is a run of the
// embedded engine of its own; what each measured is judged at once (step.ts).

import type { GateSpec, ScenarioResult } from '../../core/results.js'
import { compileScenario, type ScenarioPlan } from '../../scenarios/compile.js'
import type { Scenario } from '../../scenarios/dsl.js'
import { EmbeddedRun, type ProgressEvent } from '../../scenarios/engines/embedded/run.js'
import type { Target } from '../../core/target.js'
import { judgeStep, stepGates, type StepVerdict } from './step.js'
import type { LiveEvent, LiveHub } from '../../core/live.js'

export interface SearchInput {
  scenario: Scenario
  file: string
  vars?: Record<string, string>
  target: Target
  gates: GateSpec[]
  stepRate: number
  maxRate: number
  stepDurationMs: number
  /** the whole search stops before a step that would end past this */
  timeLimitMs: number
  /** cap on concurrent users in every step */
  maxVUs: number
  workers?: number | 'auto'
  signal: AbortSignal
  onProgress: (p: ProgressEvent) => void
  log: (line: string) => void
  /** each step as soon as it is judged (for a forced exit) */
  onStep?: (s: StepVerdict) => void
  /** the live stream (--dashboard, --out-metrics): the steps as one scenario, seconds counted
   *  from the search's start, so the dashboard and Grafana show one rising ramp */
  live?: LiveHub
}

export type StopReason = 'broke' | 'max-rate' | 'time-limit' | 'interrupted' | 'crashed'

export interface SearchOutcome {
  scenario: string
  steps: StepVerdict[]
  /** the last step that held, if any */
  held: StepVerdict | null
  /** the step that did not hold */
  broke: StepVerdict | null
  stop: StopReason
  stopDetail: string
  /** the gates each step was judged by, as written */
  gates: string[]
  /** the last step's run, for its timeline */
  lastRun: ScenarioResult | null
}

/** graceful stop of each step: journeys in flight at its end may finish */
const STEP_GRACE_MS = 5_000

export async function searchCapacity(input: SearchInput): Promise<SearchOutcome> {
  const gates = stepGates(input.gates, input.scenario.name)
  const steps: StepVerdict[] = []
  const began = Date.now()
  let stop: StopReason = 'max-rate'
  let stopDetail = `reached --max-rate ${input.maxRate}/s`
  let lastRun: ScenarioResult | null = null
  const live = input.live?.active ? input.live : null
  const name = input.scenario.name
  let liveTotals = { requests: 0, errors: 0 }
  const stepsAtMost = Math.floor(input.maxRate / input.stepRate + 1e-9)
  const liveTotalMs = Math.min(input.timeLimitMs, stepsAtMost * (input.stepDurationMs + STEP_GRACE_MS))
  for (let rate = input.stepRate; ; rate += input.stepRate) {
    if (rate > input.maxRate + 1e-9) break
    if (input.signal.aborted) {
      stop = 'interrupted'
      stopDetail = 'interrupted before the next step'
      break
    }
    const projected = Date.now() - began + input.stepDurationMs + STEP_GRACE_MS
    if (projected > input.timeLimitMs) {
      stop = 'time-limit'
      stopDetail = `the step at ${rate}/s would end past the time limit (${Math.round(input.timeLimitMs / 1000)} s)`
      break
    }
    const plan = stepPlan(input, rate)
    input.log(`golive capacity: step ${steps.length + 1}: ${rate} journeys/s for ${input.stepDurationMs / 1000} s (up to ${input.maxVUs} users)`)
    let result: ScenarioResult
    try {
      const run = new EmbeddedRun(plan, { target: input.target, workers: input.workers, signal: input.signal })
      run.on('progress', input.onProgress)
      if (live) {
        if (!steps.length)
          live.publish({ type: 'scenario-start', scenario: name, engine: 'embedded', totalMs: liveTotalMs, steps: plan.steps.map((st) => st.name) })
        const offsetS = Math.round((Date.now() - began) / 1000)
        run.on('live', (e: LiveEvent) => {
          if (e.type !== 'second') return
          liveTotals = { requests: liveTotals.requests + e.requests, errors: liveTotals.errors + e.errors }
          live.publish({ ...e, t: e.t + offsetS })
        })
      }
      result = await run.run()
    } catch (e) {
      stop = 'crashed'
      stopDetail = `the step at ${rate}/s crashed: ${(e as Error).message}`
      break
    }
    lastRun = result
    if (input.signal.aborted || result.status === 'partial') {
      // a step cut short says nothing either way: it is recorded, not judged
      stop = 'interrupted'
      stopDetail = `interrupted during the step at ${rate}/s`
      break
    }
    const verdict = judgeStep(result, rate, input.stepDurationMs, gates)
    steps.push(verdict)
    input.onStep?.(verdict)
    input.log(
      `golive capacity: ${rate}/s ${verdict.holds ? 'holds' : `does not hold: ${verdict.why.join('; ')}`} ` +
        `(p95 ${verdict.p95 ?? '-'} ms, ${verdict.achievedRps ?? '-'} of ${verdict.expectedRps ?? '-'} req/s)`,
    )
    if (!verdict.holds) {
      stop = 'broke'
      stopDetail = `the step at ${rate}/s did not hold: ${verdict.why.join('; ')}`
      break
    }
  }
  if (lastRun) live?.publish({ type: 'scenario-end', scenario: name, ...liveTotals, late: 0 })
  const held = [...steps].reverse().find((s) => s.holds) ?? null
  return {
    scenario: input.scenario.name,
    steps,
    held,
    broke: steps.find((s) => !s.holds) ?? null,
    stop,
    stopDetail,
    gates: gates.map((g) => `${g.figure} ${g.op} ${g.target}`),
    lastRun,
  }
}

/** the scenario at one constant arrival rate */
function stepPlan(input: SearchInput, rate: number): ScenarioPlan {
  const s = input.scenario
  return compileScenario(
    {
      ...s,
      profile: { model: 'open', rate, timeUnit: '1s', duration: input.stepDurationMs, maxVUs: input.maxVUs, gracefulStop: STEP_GRACE_MS },
    },
    { file: input.file, vars: input.vars },
  )
}
