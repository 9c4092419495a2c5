// The blocker gates on one scenario's figures, written as k6 thresholds, so k6's own exit code
// (99: thresholds crossed) agrees with golive's verdict. golive still judges every gate from
// the samples; a gate k6 cannot express is listed with the reason, never silently dropped.

import type { GateSpec, K6Threshold } from '../core/results.js'
import { formatGate } from './parse.js'
import { matchesFigure } from './figures.js'
import { parseTarget, type Target } from './target.js'
import { parseDuration } from '../core/units.js'

export interface K6Thresholds {
  thresholds: Record<string, K6Threshold[]>
  notExpressed: { gate: string; why: string }[]
  /** the gates that carry abort, as the k6 thresholds they became */
  aborts: { gate: string; metric: string; threshold: string; after: string }[]
}

// figure suffix → k6 metric and aggregation; the scale turns golive's unit into k6's
const LATENCY: Record<string, string> = { min: 'min', mean: 'avg', p50: 'med', p90: 'p(90)', p95: 'p(95)', p99: 'p(99)', max: 'max' }
type Mapping = { metric: string; agg: string; kind: 'duration' | 'percent' | 'number' }

/** A scenario's flow, as far as thresholds need it: its journeys, groups and custom metrics, and
 *  whether it has setup/teardown/before/after steps (then the totals are the requests tagged
 *  golive_phase:journey, as golive's figures leave those steps out). */
export interface ThresholdFlow {
  journeys?: string[]
  groups?: string[]
  metrics?: { name: string; type: 'trend' | 'counter' | 'rate' }[]
  phased?: boolean
}

type FigureRef = { name: string; suffix: string; step: string | null; kind?: 'journey' | 'group' | 'metric'; of?: string; type?: string }

function flowMapping(f: FigureRef): Mapping | string {
  const lat = (s: string) => LATENCY[s]
  if (f.kind === 'group') {
    const m = /^duration_(\w+)$/.exec(f.suffix)
    if (m && lat(m[1]!)) return { metric: `golive_group_duration{group:${f.of}}`, agg: lat(m[1]!)!, kind: 'duration' }
    if (f.suffix === 'count') return { metric: `golive_group_duration{group:${f.of}}`, agg: 'count', kind: 'number' }
  }
  if (f.kind === 'journey' && f.suffix === 'iterations') return { metric: `golive_journey{journey:${f.of}}`, agg: 'count', kind: 'number' }
  if (f.kind === 'metric') {
    if (f.type === 'counter' && f.suffix === 'count') return { metric: `golive_metric_counter{metric:${f.of}}`, agg: 'count', kind: 'number' }
    if (f.type === 'rate' && f.suffix === 'rate') return { metric: `golive_metric_rate{metric:${f.of}}`, agg: 'rate', kind: 'percent' }
    if (f.type === 'trend' && lat(f.suffix)) return { metric: `golive_metric_trend{metric:${f.of}}`, agg: lat(f.suffix)!, kind: 'number' }
  }
  return `k6 has no threshold for ${f.name.split('.').slice(2).join('.')} (golive judges it from the samples)`
}

function mapping(suffix: string, step: string | null, totalsTag = ''): Mapping | string {
  const sub = (metric: string) => (step ? `${metric}{name:${step}}` : totalsTag ? `${metric}{${totalsTag}}` : metric)
  const lat = /^latency_(\w+)$/.exec(suffix)
  if (lat && LATENCY[lat[1]!]) return { metric: sub('http_req_duration'), agg: LATENCY[lat[1]!]!, kind: 'duration' }
  switch (suffix) {
    case 'error_rate':
      return { metric: sub('golive_errors'), agg: 'rate', kind: 'percent' }
    case 'requests':
      return { metric: sub('http_reqs'), agg: 'count', kind: 'number' }
    case 'errors':
      return { metric: sub('golive_failed_requests'), agg: 'count', kind: 'number' }
    case 'rps':
      return { metric: sub('http_reqs'), agg: 'rate', kind: 'number' }
    case 'iterations':
      return { metric: 'iterations', agg: 'count', kind: 'number' }
    case 'dropped_iterations':
      return { metric: 'dropped_iterations', agg: 'count', kind: 'number' }
    case 'checks_failed':
      return { metric: sub('golive_checks_failed'), agg: 'count', kind: 'number' }
    case 'bytes_received':
      return { metric: 'data_received', agg: 'count', kind: 'number' }
    case 'vus_max':
      return 'k6 keeps only the last value of its vus gauge, not the peak'
    default:
      return `k6 has no metric for ${suffix}`
  }
}

/** The concrete figures of a scenario that gates can name, with the step they belong to. */
function scenarioFigureNames(scenario: string, steps: string[], flow: ThresholdFlow = {}): FigureRef[] {
  const p = `load.${scenario}`
  const top = [
    'requests',
    'errors',
    'error_rate',
    'rps',
    'iterations',
    'dropped_iterations',
    'vus_max',
    'bytes_received',
    'checks_failed',
    ...Object.keys(LATENCY).map((k) => `latency_${k}`),
  ]
  const perStep = ['requests', 'error_rate', 'latency_p50', 'latency_p95', 'latency_p99', 'latency_max']
  return [
    ...top.map((suffix) => ({ name: `${p}.${suffix}`, suffix, step: null })),
    ...steps.flatMap((step) => perStep.map((suffix) => ({ name: `${p}.step.${step}.${suffix}`, suffix, step }))),
    ...(flow.journeys ?? []).flatMap((j) =>
      ['iterations', 'requests', 'error_rate', 'latency_p50', 'latency_p95', 'latency_p99', 'latency_max'].map((suffix) => ({
        name: `${p}.journey.${j}.${suffix}`,
        suffix,
        step: null,
        kind: 'journey' as const,
        of: j,
      })),
    ),
    ...(flow.groups ?? []).flatMap((g) =>
      ['count', 'duration_p50', 'duration_p95', 'duration_p99', 'duration_max'].map((suffix) => ({
        name: `${p}.group.${g}.${suffix}`,
        suffix,
        step: null,
        kind: 'group' as const,
        of: g,
      })),
    ),
    ...(flow.metrics ?? []).flatMap((m) =>
      (m.type === 'trend' ? ['min', 'mean', 'p50', 'p95', 'p99', 'max', 'count'] : m.type === 'rate' ? ['rate', 'count'] : ['count']).map((suffix) => ({
        name: `${p}.metric.${m.name}_${suffix}`,
        suffix,
        step: null,
        kind: 'metric' as const,
        of: m.name,
        type: m.type,
      })),
    ),
  ]
}

export function k6Thresholds(gates: GateSpec[], scenario: string, steps: string[], flow: ThresholdFlow = {}): K6Thresholds {
  const out: K6Thresholds = { thresholds: {}, notExpressed: [], aborts: [] }
  const figures = scenarioFigureNames(scenario, steps, flow)
  for (const gate of gates) {
    // a warning never fails a run, so it must not make k6 exit 99 either
    if ((gate.level ?? 'blocker') !== 'blocker') continue
    // a comparison with an earlier run is golive's to judge after the run: k6 never sees the baseline
    if (gate.op === 'rise<' || gate.op === 'drop<') continue
    const text = formatGate(gate)
    for (const f of figures.filter((x) => matchesFigure(gate.figure, x.name))) {
      const m = f.kind ? flowMapping(f) : mapping(f.suffix, f.step, flow.phased ? 'golive_phase:journey' : '')
      if (typeof m === 'string') {
        out.notExpressed.push({ gate: text, why: m })
        continue
      }
      const value = k6Value(parseTarget(gate.target), m.kind)
      if (typeof value === 'string') {
        out.notExpressed.push({ gate: text, why: value })
        continue
      }
      const threshold = `${m.agg}${gate.op}${value}`
      // abort: { after }: k6 judges the threshold over the run so far, from `after` into the run
      // on (k6 has no per-second window; docs/gates.md says where the engines differ)
      if (gate.abort) out.aborts.push({ gate: text, metric: m.metric, threshold, after: String(gate.abort.after) })
      ;(out.thresholds[m.metric] ??= []).push(gate.abort ? { threshold, abortOnFail: true, delayAbortEval: k6Duration(gate.abort.after) } : threshold)
    }
  }
  return out
}

function k6Value(t: Target, kind: Mapping['kind']): number | string {
  if (kind === 'duration') {
    if (t.kind === 'duration') return t.ms
    if (t.kind === 'number') return t.value // golive latency figures are in ms
    return `target ${t.text} is not a duration`
  }
  if (kind === 'percent') {
    if (t.kind === 'percent') return t.value / 100
    return `target ${t.text} is not a percentage`
  }
  if (t.kind === 'number') return t.value
  return `target ${t.text} is not a number`
}

/** k6 durations: '30s' as written, a number of ms as '<n>ms' */
function k6Duration(d: string | number): string {
  return typeof d === 'number' ? `${d}ms` : `${parseDuration(d)}ms`
}
