// Puts the measurements together as results.json: flat figures, the run's facts, the gates.

import { cpus, totalmem } from 'node:os'
import { RESULTS_SCHEMA_VERSION, type BaselineInfo, type GateSpec, type Results } from '../core/results.js'
import { round } from '../core/units.js'
import { scenarioFigures, scenarioUnmeasured } from '../scenarios/figures.js'
import type { Measured } from './measure.js'
import { VERSION } from '../core/version.js'

export function assembleResults(
  m: Measured,
  run: {
    startedAt: Date
    environment: string
    target: string
    command: string
    interrupted: string | null
    gates: GateSpec[]
    baseline?: BaselineInfo | null
  },
): Results {
  const figures: Results['figures'] = {}
  for (const s of m.scenarios) Object.assign(figures, scenarioFigures(s))
  // what a scenario could not measure travels with it, so a gate says why (degradation)
  const scenarios = m.scenarios.map((s) => {
    const u = scenarioUnmeasured(s)
    return u ? { ...s, unmeasured: u } : s
  })
  for (const c of m.checks) for (const [k, v] of Object.entries(c.figures)) figures[`${c.id}.${k}`] = v
  const reasons: string[] = []
  if (run.interrupted) reasons.push(run.interrupted)
  for (const s of m.scenarios) if (s.status !== 'measured') reasons.push(`scenario ${s.name}: ${s.reason ?? s.status}`)
  const finished = new Date()
  return {
    $schema: 'https://golive.dev/schema/results-1.json',
    schemaVersion: RESULTS_SCHEMA_VERSION,
    run: {
      id: run.startedAt.toISOString(),
      startedAt: run.startedAt.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - run.startedAt.getTime(),
      partial: reasons.length > 0,
      ...(reasons.length ? { partialReason: reasons.join('; ') } : {}),
      environment: run.environment,
      target: run.target,
      command: run.command,
      golive: VERSION,
      node: process.version,
      host: { platform: `${process.platform}-${process.arch}`, cpus: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1) },
    },
    figures,
    scenarios,
    checks: m.checks,
    gates: run.gates,
    ...(run.baseline ? { baseline: run.baseline } : {}),
  }
}
