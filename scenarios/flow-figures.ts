// The flow's figures, next to the scenario's totals (docs/scenarios.md names each):
//   load.<s>.<phase>.requests / errors / error_rate / latency_p50|p95|max   setup, teardown, before, after
//   load.<s>.journey.<j>.iterations / requests / error_rate / latency_p50|p95|p99|max
//   load.<s>.group.<g>.count / duration_p50|p95|p99|max
//   load.<s>.metric.<m>_p50|_p95|_p99|_min|_mean|_max|_count (trend), _count (counter: the sum), _rate + _count (rate)

import { createHistogram, mergeInto, summarize } from '../core/histogram.js'
import type { Figure, ScenarioResult } from '../core/results.js'
import { round } from '../core/units.js'

export function flowFigures(r: ScenarioResult): Record<string, Figure> {
  const p = `load.${r.name}`
  const f: Record<string, Figure> = {}
  const rate = (errors: number, requests: number): Figure => ({ value: round((errors / requests) * 100, 4), unit: '%' })
  for (const phase of ['setup', 'teardown', 'before', 'after'] as const) {
    const own = r.steps.filter((s) => s.phase === phase)
    if (own.length === 0) continue
    const requests = own.reduce((a, s) => a + s.requests, 0),
      errors = own.reduce((a, s) => a + s.errors, 0)
    f[`${p}.${phase}.requests`] = { value: requests, unit: 'count' }
    f[`${p}.${phase}.errors`] = { value: errors, unit: 'count' }
    if (requests > 0) f[`${p}.${phase}.error_rate`] = rate(errors, requests)
    const h = createHistogram()
    for (const s of own) if (s.histogram) mergeInto(h, s.histogram)
    const l = summarize(h)
    if (l) for (const k of ['p50', 'p95', 'max'] as const) f[`${p}.${phase}.latency_${k}`] = { value: l[k], unit: 'ms' }
  }
  for (const j of r.journeys ?? []) {
    const jp = `${p}.journey.${j.name}`
    f[`${jp}.iterations`] = { value: j.iterations, unit: 'count' }
    f[`${jp}.requests`] = { value: j.requests, unit: 'count' }
    if (j.requests > 0) f[`${jp}.error_rate`] = rate(j.errors, j.requests)
    if (j.latency) for (const k of ['p50', 'p95', 'p99', 'max'] as const) f[`${jp}.latency_${k}`] = { value: j.latency[k], unit: 'ms' }
  }
  for (const g of r.groups ?? []) {
    const gp = `${p}.group.${g.name}`
    f[`${gp}.count`] = { value: g.count, unit: 'count' }
    if (g.duration) for (const k of ['p50', 'p95', 'p99', 'max'] as const) f[`${gp}.duration_${k}`] = { value: g.duration[k], unit: 'ms' }
  }
  for (const m of r.metrics ?? []) {
    const mp = `${p}.metric.${m.name}`
    if (m.type === 'counter') {
      f[`${mp}_count`] = { value: round(m.sum, 6), unit: 'count' }
      continue
    }
    f[`${mp}_count`] = { value: m.count, unit: 'count' }
    if (m.type === 'rate') {
      if (m.count > 0) f[`${mp}_rate`] = rate(m.nonZero, m.count)
      continue
    }
    // a trend is in the metric's own unit, which golive does not know
    if (m.summary) for (const k of ['min', 'mean', 'p50', 'p95', 'p99', 'max'] as const) f[`${mp}_${k}`] = { value: m.summary[k] }
  }
  return f
}
