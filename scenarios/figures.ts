// Names a scenario's measurements as flat figures: load.<scenario>.<name>, documented in the README.

import type { Figure, ScenarioResult } from '../core/results.js'
import { round } from '../core/units.js'
import { flowFigures } from './flow-figures.js'
import { degradation } from './degradation.js'

export function scenarioFigures(r: ScenarioResult): Record<string, Figure> {
  const p = `load.${r.name}`
  const f: Record<string, Figure> = {}
  const seconds = Math.max(r.durationMs, 1) / 1000
  f[`${p}.requests`] = { value: r.requests, unit: 'count' }
  f[`${p}.errors`] = { value: r.errors, unit: 'count' }
  if (r.requests > 0) f[`${p}.error_rate`] = { value: round((r.errors / r.requests) * 100, 4), unit: '%' }
  f[`${p}.rps`] = { value: round(r.requests / seconds, 2), unit: 'rps' }
  f[`${p}.iterations`] = { value: r.iterations, unit: 'count' }
  f[`${p}.dropped_iterations`] = { value: r.droppedIterations, unit: 'count' }
  f[`${p}.vus_max`] = { value: r.vusMax, unit: 'count' }
  f[`${p}.bytes_received`] = { value: r.bytesReceived, unit: 'B' }
  f[`${p}.checks_failed`] = { value: r.steps.reduce((a, s) => a + s.checks.failed, 0), unit: 'count' }
  if (r.latency) {
    for (const k of ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'max'] as const) {
      f[`${p}.latency_${k}`] = { value: r.latency[k], unit: 'ms' }
    }
  }
  const d = degradation(r)
  if ('figure' in d) f[`${p}.degradation`] = d.figure
  for (const s of r.steps) {
    const sp = `${p}.step.${s.name}`
    f[`${sp}.requests`] = { value: s.requests, unit: 'count' }
    if (s.requests > 0) f[`${sp}.error_rate`] = { value: round((s.errors / s.requests) * 100, 4), unit: '%' }
    if (s.latency) for (const k of ['p50', 'p95', 'p99', 'max'] as const) f[`${sp}.latency_${k}`] = { value: s.latency[k], unit: 'ms' }
  }
  return Object.assign(f, flowFigures(r))
}

/** The figures a scenario could not give, and why (a constant profile: no degradation). */
export function scenarioUnmeasured(r: ScenarioResult): Record<string, string> | undefined {
  const d = degradation(r)
  return 'reason' in d ? { ...r.unmeasured, degradation: d.reason } : r.unmeasured
}
