// Does one step of the capacity search hold? Two questions, both must be yes:
// 1. did the system keep up: the requests it completed over the step's steady seconds are within
//    5 % of what the offered rate asks for, no arrival was dropped, latency is not climbing
//    across the step (a queue still filling when the step ends);
// 2. do the scenario's blocker gates hold over the step (gates/ judges them, from the step's
//    figures as a scenario run would have them).

import type { GateSpec, ScenarioResult, ScorecardRow } from '../../core/results.js'
import { scenarioFigures } from '../../scenarios/figures.js'
import { evaluate } from '../../gates/index.js'
import { matchesFigure } from '../../gates/figures.js'
import { latencyRise, type Rise } from './slope.js'

/** the throughput achieved may fall short of the offered rate by this much */
export const KEEP_UP_SHORTFALL = 0.05

export interface StepVerdict {
  /** journeys started per second, as offered */
  rate: number
  durationS: number
  holds: boolean
  /** why it does not hold (empty when it holds) */
  why: string[]
  /** requests per second the offered rate asks for, and those completed, over the steady seconds */
  expectedRps: number | null
  achievedRps: number | null
  steadySeconds: [number, number] | null
  dropped: number
  iterations: number
  requests: number
  errorRate: number | null
  p50: number | null
  p95: number | null
  max: number | null
  vusMax: number
  rise: Rise | null
  gates: { gate: string; figure: string; outcome: string; actual: string | null; expected: string }[]
}

/** The gates a step is judged by: blocker comparisons on the scenario's latency and error
 *  figures. From the preset, its p95 and error-rate gates; the config's own, all of those. */
export function stepGates(gates: GateSpec[], scenario: string): GateSpec[] {
  const p = `load.${scenario}`
  const judged = (g: GateSpec) => {
    if ((g.level ?? 'blocker') !== 'blocker' || g.op === 'rise<' || g.op === 'drop<') return false
    const names =
      g.source === 'config' || g.source === undefined
        ? [
            `${p}.latency_p50`,
            `${p}.latency_p90`,
            `${p}.latency_p95`,
            `${p}.latency_p99`,
            `${p}.latency_max`,
            `${p}.latency_mean`,
            `${p}.error_rate`,
            `${p}.checks_failed`,
          ]
        : [`${p}.latency_p95`, `${p}.error_rate`]
    return (
      names.some((n) => matchesFigure(g.figure, n)) ||
      ((g.source === 'config' || g.source === undefined) && /\.step\.[^.]+\.(latency_\w+|error_rate)$/.test(g.figure) && g.figure.startsWith(`${p}.`))
    )
  }
  // optional off: on a step the scenario is part of the run, so a missing figure fails
  return gates.filter(judged).map((g) => ({ ...g, optional: false }))
}

export function judgeStep(result: ScenarioResult, rate: number, durationMs: number, gates: GateSpec[]): StepVerdict {
  const why: string[] = []
  const end = Math.floor(durationMs / 1000)
  const tl = result.timeline.filter((s) => s.t < end)
  // the steady seconds: after the first second (connections opening) and after one journey's
  // length (Little's law: users busy ÷ journeys started per second), so a multi-step journey's
  // requests have reached their steady rate
  const activeMean = tl.length ? tl.reduce((a, s) => a + s.active, 0) / tl.length : 0
  const from = Math.max(1, Math.ceil(activeMean / rate))
  const steady = tl.filter((s) => s.t >= from)
  const perJourney = result.iterations > 0 ? result.requests / result.iterations : null
  let expectedRps: number | null = null
  let achievedRps: number | null = null
  if (steady.length < 2) why.push(`too few steady seconds to judge (${steady.length}): a longer --step-duration`)
  else if (perJourney === null) why.push('no journey completed')
  else {
    expectedRps = rate * perJourney
    achievedRps = steady.reduce((a, s) => a + s.requests, 0) / steady.length
    if (achievedRps < expectedRps * (1 - KEEP_UP_SHORTFALL)) {
      why.push(`throughput ${achievedRps.toFixed(1)} req/s is more than ${KEEP_UP_SHORTFALL * 100} % below the ${expectedRps.toFixed(1)} req/s offered`)
    }
  }
  if (result.droppedIterations > 0) why.push(`${result.droppedIterations} arrivals dropped (every allowed user was busy)`)
  const points = steady.filter((s) => s.p50 !== null).map((s) => ({ x: s.t, y: s.p50! }))
  const rise = points.length >= 3 ? latencyRise(points) : null
  if (rise?.rising)
    why.push(`latency rising across the step: median +${rise.riseMs.toFixed(0)} ms (${rise.slopeMsPerS.toFixed(1)} ms/s from ${rise.baseMs.toFixed(0)} ms)`)
  if (result.status !== 'measured') why.push(`the step's run was ${result.status}: ${result.reason ?? ''}`)

  const judged = gateRows(result, gates)
  for (const r of judged) if (r.outcome !== 'pass') why.push(`${r.figure} ${r.actual ?? 'missing'} (gate ${r.gate})`)
  const fig = scenarioFigures(result)
  const num = (k: string) => (typeof fig[`load.${result.name}.${k}`]?.value === 'number' ? (fig[`load.${result.name}.${k}`]!.value as number) : null)
  return {
    rate,
    durationS: durationMs / 1000,
    holds: why.length === 0,
    why,
    expectedRps: expectedRps === null ? null : round(expectedRps),
    achievedRps: achievedRps === null ? null : round(achievedRps),
    steadySeconds: steady.length ? [steady[0]!.t, steady[steady.length - 1]!.t + 1] : null,
    dropped: result.droppedIterations,
    iterations: result.iterations,
    requests: result.requests,
    errorRate: num('error_rate'),
    p50: num('latency_p50'),
    p95: num('latency_p95'),
    max: num('latency_max'),
    vusMax: result.vusMax,
    rise: rise && { ...rise, slopeMsPerS: round(rise.slopeMsPerS), riseMs: round(rise.riseMs), baseMs: round(rise.baseMs) },
    gates: judged.map((r) => ({ gate: r.gate, figure: r.figure, outcome: r.outcome, actual: r.actual, expected: r.expected })),
  }
}

/** the gates judged on the step alone, as if it were a run of its own */
function gateRows(result: ScenarioResult, gates: GateSpec[]): ScorecardRow[] {
  if (!gates.length) return []
  const now = new Date().toISOString()
  const card = evaluate(
    {
      schemaVersion: 1,
      run: {
        id: now,
        startedAt: result.startedAt,
        finishedAt: now,
        durationMs: result.durationMs,
        partial: false,
        environment: '',
        target: '',
        command: 'golive capacity (step)',
        golive: '',
        node: '',
        host: { platform: '', cpus: 0, memoryGiB: 0 },
      },
      figures: scenarioFigures(result),
      scenarios: [result],
      checks: [],
      gates,
    },
    gates,
  )
  return card.rows
}

const round = (n: number) => Math.round(n * 100) / 100
