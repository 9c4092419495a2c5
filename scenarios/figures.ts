// Names a scenario's measurements as flat figures: load.<scenario>.<name>, documented in docs/gates.md (Figures).

import type { Figure, ScenarioResult } from '../core/results.js'
import { round } from '../core/units.js'
import { flowFigures } from './flow-figures.js'
import { degradation } from './degradation.js'

export function scenarioFigures(r: ScenarioResult): Record<string, Figure> {
  if (r.kind === 'browser') return browserFigures(r)
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
  // degradation is an HTTP scenario's figure (latency over the ramp): a browser scenario has none to miss
  if (r.kind === 'browser') return r.unmeasured
  const d = degradation(r)
  return 'reason' in d ? { ...r.unmeasured, degradation: d.reason } : r.unmeasured
}

/** A browser scenario's figures (docs/browser.md): iterations, failed share, users, iteration
 *  and step durations, and Web Vitals p75 over the page views (a metric no page view reported
 *  has no figure: its gate reads missing). */
export function browserFigures(r: ScenarioResult): Record<string, Figure> {
  const p = `load.${r.name}`
  const f: Record<string, Figure> = {}
  const b = r.browser
  f[`${p}.iterations`] = { value: r.iterations, unit: 'count' }
  if (r.iterations > 0) f[`${p}.error_rate`] = { value: round((r.errors / r.iterations) * 100, 4), unit: '%', samples: r.iterations }
  f[`${p}.vus_max`] = { value: r.vusMax, unit: 'count' }
  if (!b) return f
  if (b.iterationDuration) f[`${p}.iteration_duration_p95`] = { value: b.iterationDuration.p95, unit: 'ms', samples: b.iterationDuration.count }
  for (const s of b.steps) {
    if (!s.duration) continue
    for (const k of ['p50', 'p95', 'max'] as const) f[`${p}.step.${s.name}.duration_${k}`] = { value: s.duration[k], unit: 'ms', samples: s.count }
  }
  for (const [k, v] of Object.entries(b.webVitals)) {
    if (v.p75 === null) continue
    f[`${p}.web_vitals.${k}_p75`] = k === 'cls' ? { value: v.p75, samples: v.samples } : { value: v.p75, unit: 'ms', samples: v.samples }
  }
  return f
}
