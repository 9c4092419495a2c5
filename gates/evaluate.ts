// The one place figures become verdicts: every gate against results.json, one row per concrete
// figure. "Not measured", "its check was skipped or broke" and "beyond target" are different
// rows with different outcomes, and all three fail: none of them is evidence of readiness.

import type { BaselineOp, CompareOp, Figure, GateOutcome, GateSide, GateSpec, Results, RunInfo, ScorecardRow, Scorecard, Unit } from '../core/results.js'
import { formatValue } from '../core/units.js'
import { expandFigure, findSource, isPattern, sourceInRun, sourceName } from './figures.js'
import { figureLabel } from './label.js'
import { INTERVAL, isBaselineOp, OPERATORS } from './operators.js'
import { describeChange, judgeChange, parseChange, type Change } from './baseline.js'
import { formatGate, parseGate } from './parse.js'
import { buildScorecard } from './scorecard.js'
import { noDataReason, unmeasuredReason } from './unmeasured.js'
import { align, describeTarget, parseTarget, type Target } from './target.js'

/** Judges `results` against `gates`. Throws GateParseError (exit 2) for a malformed gate. */
export function evaluate(results: Results, gates: GateSpec[]): Scorecard {
  const rows: ScorecardRow[] = []
  // A partial run measured only part of what was planned, so it can never be go.
  if (results.run.partial) rows.push(partialRow(results.run))
  for (const input of gates) rows.push(...judgeGate(results, parseGate(input)))
  return buildScorecard(rows, results.run.partial)
}

function partialRow(run: RunInfo): ScorecardRow {
  return {
    gate: 'run.complete',
    figure: 'run.partial',
    op: '==',
    expected: '== false',
    actual: 'true',
    actualValue: 'true',
    level: 'blocker',
    outcome: 'fail',
    why: run.partialReason ?? 'the run was interrupted: its figures cover only part of what was planned',
    source: 'run',
  }
}

function judgeGate(results: Results, gate: GateSpec): ScorecardRow[] {
  const change = isBaselineOp(gate.op) ? parseChange(gate.target) : undefined
  const target = change ? undefined : parseTarget(gate.target)
  const row = (fields: Fields): ScorecardRow => ({
    gate: formatGate(gate),
    figure: fields.figure,
    op: gate.op,
    expected: change ? describeChange(gate.op as BaselineOp, change, fields.unit) : `${gate.op} ${describeTarget(target!, fields.unit)}`,
    actual: fields.actual ?? null,
    actualValue: fields.actualValue ?? null,
    ...(fields.unit ? { unit: fields.unit } : {}),
    level: gate.level ?? 'blocker',
    outcome: fields.outcome,
    why: fields.why,
    source: sourceName(fields.figure),
    ...(fields.interval ? { interval: fields.interval } : {}),
    ...(fields.marginal ? { marginal: true } : {}),
  })

  if (gate.optional && !sourceInRun(results, gate.figure)) {
    return [row({ figure: gate.figure, outcome: 'not-run', why: `not part of this run: ${absentSource(results, gate.figure)}` })]
  }
  if (change && !results.baseline) {
    return [
      row({ figure: gate.figure, outcome: 'not-run', why: 'no baseline to compare with: run with --baseline latest (or a results.json, or a runs directory)' }),
    ]
  }
  const figures = expandFigure(results, gate.figure)
  const unmeasured = figures.length === 0 ? unmeasuredReason(results, gate.figure) : undefined
  if (unmeasured) return [row({ figure: gate.figure, outcome: gate.optional ? 'not-run' : 'missing', why: unmeasured })]
  const noData = figures.length === 0 ? noDataReason(results, gate.figure) : undefined
  if (noData) return [row({ figure: gate.figure, outcome: 'missing', why: noData })]
  if (figures.length === 0) {
    const none = results.scenarios.length === 0 && gate.figure.startsWith('load.') ? ' (no scenario ran)' : ''
    return [row({ figure: gate.figure, outcome: 'missing', why: `nothing matched ${gate.figure}: no figure by that pattern in results.json${none}` })]
  }
  return figures.map((name) => row(judgeFigure(results, gate, target, name, change)))
}

interface Fields {
  figure: string
  outcome: GateOutcome
  why: string
  actual?: string
  actualValue?: number | string
  unit?: Unit
  interval?: ScorecardRow['interval']
  marginal?: boolean
}

function judgeFigure(results: Results, gate: GateSpec, target: Target | undefined, name: string, change?: Change): Fields {
  const figure: Figure | undefined = results.figures[name]
  const has = figure !== undefined && figure.value !== null && figure.value !== undefined
  const shown = {
    figure: name,
    ...(has ? { actual: formatValue(figure.value, figure.unit), actualValue: figure.value } : {}),
    ...(figure?.unit ? { unit: figure.unit } : {}),
  }

  // A source that did not measure decides the row, whatever figures it left behind.
  const source = findSource(results, name)
  if (source?.kind === 'check' && source.result.status !== 'measured') {
    const outcome = source.result.status
    const said = outcome === 'skipped' ? 'was skipped' : 'could not measure'
    return { ...shown, outcome, why: `check ${source.name} ${said}: ${source.result.reason ?? 'no reason given'}` }
  }
  if (source?.kind === 'scenario' && source.result.status === 'error') {
    return { ...shown, outcome: 'error', why: `scenario ${source.result.name} failed: ${source.result.reason ?? 'no reason given'}` }
  }

  if (!has) {
    const unmeasured = unmeasuredReason(results, name)
    if (unmeasured) return { ...shown, outcome: gate.optional ? 'not-run' : 'missing', why: unmeasured }
    const noData = noDataReason(results, name)
    if (noData) return { ...shown, outcome: 'missing', why: noData }
    const where = figure ? 'it was recorded without a value' : 'no figure by that name in results.json'
    return { ...shown, outcome: 'missing', why: `${name} was not measured: ${where}` }
  }

  if (change) {
    const v = judgeChange(gate.op as BaselineOp, change, name, figure, results.baseline!)
    return { ...shown, ...(v.outcome === 'pass' || v.outcome === 'fail' ? { actual: v.actual } : {}), outcome: v.outcome, why: v.why }
  }
  const aligned = align(target!, figure, name)
  if (!aligned.ok) return { ...shown, outcome: 'error', why: aligned.why }

  const op = OPERATORS[gate.op as CompareOp]
  const said = {
    what: figureLabel(name),
    actual: formatValue(figure.value, figure.unit),
    target: describeTarget(target!, figure.unit),
    cmp: Math.sign(aligned.actual - aligned.target) as -1 | 0 | 1,
  }
  const ranged = judgeInterval(gate, target!, figure, name, aligned.target)
  if (ranged) {
    const judged = { ...said, actual: ranged.actual, cmp: ranged.cmp }
    const why = (ranged.passed ? op.pass(judged) : op.fail(judged)) + (ranged.marginal ? `; marginal: the ${said.target} target lies inside the interval` : '')
    return { ...shown, outcome: ranged.passed ? 'pass' : 'fail', why, interval: ranged.interval, ...(ranged.marginal ? { marginal: true } : {}) }
  }
  const passed = op.test(aligned.actual, aligned.target)
  return { ...shown, outcome: passed ? 'pass' : 'fail', why: passed ? op.pass(said) : op.fail(said) }
}

/** A numeric figure with low and high: judged on the gate's side (docs/gates.md), the row
 *  marked marginal when the target lies inside the interval. Null: judge the value alone. */
function judgeInterval(gate: GateSpec, target: Target, figure: Figure, name: string, t: number) {
  if (typeof figure.value !== 'number' || typeof figure.low !== 'number' || typeof figure.high !== 'number') return null
  const lo = align(target, { ...figure, value: figure.low }, name)
  const hi = align(target, { ...figure, value: figure.high }, name)
  const v = align(target, figure, name)
  if (!lo.ok || !hi.ok || !v.ok) return null
  const side: GateSide = gate.side ?? ((gate.level ?? 'blocker') === 'blocker' ? 'pessimistic' : 'value')
  const [l, h] = lo.actual <= hi.actual ? [lo.actual, hi.actual] : [hi.actual, lo.actual]
  const cop = gate.op as CompareOp
  const passed = side === 'value' ? OPERATORS[cop].test(v.actual, t) : side === 'pessimistic' ? INTERVAL[cop].every(l, h, t) : INTERVAL[cop].some(l, h, t)
  const marginal = l < h && l <= t && t <= h
  const fmt = (n: number) => formatValue(n, figure.unit)
  const range = `${fmt(figure.low)}–${fmt(figure.high)}${figure.samples !== undefined ? `, ${figure.samples} samples` : ''}`
  // the end the side looks at, for the sentence: the worse end pessimistically, the better one optimistically
  const upper = cop === '<' || cop === '<='
  const end = side === 'value' ? v.actual : (side === 'pessimistic') === upper ? h : l
  const endValue = side === 'value' ? figure.value : end === h ? Math.max(figure.low, figure.high) : Math.min(figure.low, figure.high)
  const actual =
    side === 'value'
      ? `${fmt(figure.value)} (interval ${range})`
      : cop === '==' || cop === '!='
        ? `${fmt(figure.value)} (interval ${range}, judged on the ${side} side)`
        : `${fmt(endValue)} (the ${side} end of ${range}; value ${fmt(figure.value)})`
  return {
    passed,
    marginal,
    actual,
    cmp: Math.sign(end - t) as -1 | 0 | 1,
    interval: { low: figure.low, high: figure.high, ...(figure.samples !== undefined ? { samples: figure.samples } : {}), side },
  }
}

function absentSource(results: Results, pattern: string): string {
  if (pattern.startsWith('load.')) {
    if (results.scenarios.length === 0) return 'no scenario ran'
    return isPattern(pattern) ? 'no matching scenario ran' : `no scenario named ${pattern.split('.')[1]} ran`
  }
  return `no ${pattern.split('.')[0]} check ran`
}
