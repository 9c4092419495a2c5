// Measures: drives each scenario, then each check, and gathers what they returned. A scenario
// or check that throws becomes an 'error' entry; an interrupt stops the rest. Nothing is lost.

import type { Check } from '../core/check.js'
import type { EnvironmentConfig } from '../core/config.js'
import type { CheckResult, ScenarioResult } from '../core/results.js'
import type { ScenarioPlan } from '../scenarios/compile.js'
import { EmbeddedRun, type ProgressEvent } from '../scenarios/engines/embedded/run.js'
import type { Target } from '../scenarios/engines/embedded/http.js'
import type { K6Run } from '../scenarios/engines/k6/run.js'

/** How a scenario runs: golive's own engine, or k6 with the thresholds its gates became. */
export type EngineChoice =
  | { kind: 'embedded'; workers?: number }
  | { kind: 'k6'; segments?: number; thresholds: (plan: ScenarioPlan) => { thresholds: Record<string, string[]>; notExpressed: { gate: string; why: string }[] }; files: Map<string, string> }

export interface MeasureInput {
  plans: ScenarioPlan[]
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
}

export interface Measured { scenarios: ScenarioResult[]; checks: CheckResult[] }

export async function measure(input: MeasureInput, sink: Measured): Promise<Measured> {
  for (const plan of input.plans) {
    if (input.signal.aborted) break
    const started = new Date()
    try {
      const run = await startEngine(plan, input)
      run.on('progress', input.onProgress)
      sink.scenarios.push(await run.run())
    } catch (e) {
      sink.scenarios.push(crashedScenario(plan, input.engine.kind, started, e))
    }
  }
  for (const { check, settings } of input.checks) {
    if (input.signal.aborted) break
    sink.checks.push(await runCheck(check, settings, input))
  }
  return sink
}

async function startEngine(plan: ScenarioPlan, input: MeasureInput): Promise<EmbeddedRun | K6Run> {
  const e = input.engine
  if (e.kind === 'embedded') return new EmbeddedRun(plan, { target: input.target, workers: e.workers, signal: input.signal })
  // loaded only for k6 runs: esbuild and the k6 runtime are not the embedded engine's cost
  const { K6Run } = await import('../scenarios/engines/k6/index.js')
  const t = e.thresholds(plan)
  return new K6Run(plan, {
    target: input.target, runDir: input.runDir, thresholds: t.thresholds, notThresholds: t.notExpressed,
    segments: e.segments, signal: input.signal, file: e.files.get(plan.name) ?? plan.name,
  })
}

async function runCheck(check: Check, settings: Record<string, unknown>, input: MeasureInput): Promise<CheckResult> {
  const started = new Date()
  const base = { id: check.id, title: check.title, figures: {}, evidence: null, startedAt: started.toISOString() }
  const missing = (check.requires ?? []).filter((k) => input.env[k] === undefined)
  if (missing.length) {
    return { ...base, status: 'skipped', reason: `needs ${missing.map((k) => `environments.${input.envName}.${k}`).join(', ')} in the config`, durationMs: 0 }
  }
  if (check.destructive && !input.env.allowDrills) {
    return { ...base, status: 'skipped', reason: `a drill: environment '${input.envName}' does not allow drills (set allowDrills: true where that is safe)`, durationMs: 0 }
  }
  try {
    return await check.run({ env: input.env, envName: input.envName, settings, signal: input.signal, runDir: input.runDir, configDir: input.configDir, log: input.log })
  } catch (e) {
    return { ...base, status: 'error', reason: (e as Error).message, durationMs: Date.now() - started.getTime() }
  }
}

function crashedScenario(plan: ScenarioPlan, engine: string, started: Date, e: unknown): ScenarioResult {
  return {
    name: plan.name, engine, status: 'error', reason: `crashed: ${(e as Error).message}`,
    startedAt: started.toISOString(), durationMs: Date.now() - started.getTime(), profile: { ...plan.profileSource },
    coordinatedOmission: 'not-applicable', requests: 0, errors: 0, iterations: 0, droppedIterations: 0, vusMax: 0,
    bytesReceived: 0, statuses: {}, latency: null, histogram: null, steps: [], timeline: [], topErrors: [],
  }
}
