// Gates against the baseline run (`--baseline`): 'load.*.latency_p95 rise< 10%,20ms' lets p95
// rise by less than 10 % or by less than 20 ms; only a change past both is a regression, so
// jitter on a fast endpoint (2 ms → 3 ms is +50 %) pages nobody. 'drop<' is the same for
// figures where less is worse: throughput, scores, grades (counted in grade steps).

import type { BaselineInfo, BaselineOp, Figure } from '../core/results.js'
import { formatValue, round } from '../core/units.js'
import { gradeRank, toGrade } from './grades.js'
import { figureLabel } from './label.js'
import { align, describeTarget, parseTarget, TargetError, type Target } from './target.js'

export const CHANGE_FORMS = "a relative change (10%), an absolute one (20ms, 2, 0.05%), or both ('10%,20ms': a regression must pass both)"

export interface Change {
  /** relative, in % of the baseline value */
  pct?: number
  /** absolute, in the figure's unit (a duration, a number, a percentage, grade steps) */
  abs?: Target
  text: string
}

/** Reads 'rise<' / 'drop<' targets. The part ending in % comes first and is relative; the
 *  other part is absolute. Throws TargetError. */
export function parseChange(input: string | number): Change {
  const text = String(input).trim()
  const parts = text.split(',').map((p) => p.trim())
  if (parts.length > 2 || parts.some((p) => p === '')) throw new TargetError(`'${text}' is not a change: write ${CHANGE_FORMS}`)
  const out: Change = { text }
  const rel = /^(\d+(?:\.\d+)?)\s*%$/.exec(parts[0]!)
  if (rel) out.pct = Number(rel[1])
  const absText = out.pct !== undefined ? parts[1] : parts[0]
  if (out.pct === undefined && parts.length === 2)
    throw new TargetError(`'${text}': the first part of two is the relative change and ends in % (e.g. 10%,20ms)`)
  if (absText !== undefined) {
    const abs = parseTarget(absText)
    if (abs.kind === 'grade') throw new TargetError(`'${text}': a grade change is counted in steps (drop< 1: no step down)`)
    if ((abs.kind === 'number' || abs.kind === 'percent') && abs.value < 0) throw new TargetError(`'${text}': a change is not negative`)
    out.abs = abs
  }
  return out
}

export function describeChange(op: BaselineOp, change: Change, unit?: Figure['unit']): string {
  const parts = [
    ...(change.pct !== undefined ? [`${change.pct} %`] : []),
    ...(change.abs ? [describeTarget(change.abs, unit === 'grade' ? undefined : unit) + (unit === 'grade' ? ' grade steps' : '')] : []),
  ]
  return `${op === 'rise<' ? 'rise' : 'drop'} < ${parts.join(' or ')} vs baseline`
}

export type ChangeVerdict = { outcome: 'pass' | 'fail'; why: string; actual: string } | { outcome: 'not-run' | 'error'; why: string }

/** One figure against its baseline value. */
export function judgeChange(op: BaselineOp, change: Change, name: string, figure: Figure, baseline: BaselineInfo): ChangeVerdict {
  const before = baseline.figures[name]
  if (!before || before.value === null || before.value === undefined) {
    return { outcome: 'not-run', why: `no baseline: the baseline run ${baseline.id} has no ${name}` }
  }
  const nowN = numeric(figure),
    beforeN = numeric(before)
  if (nowN === undefined || beforeN === undefined || ((figure.unit ?? '') !== (before.unit ?? '') && !(nowN.grade && beforeN.grade))) {
    return { outcome: 'error', why: `cannot compare ${formatValue(figure.value, figure.unit)} with the baseline's ${formatValue(before.value, before.unit)}` }
  }
  const grade = nowN.grade
  if (grade && change.pct !== undefined) return { outcome: 'error', why: `${name} is a grade: its change is counted in steps (drop< 1), not in %` }
  // worse is positive: a rise for rise<, a fall for drop<
  const delta = op === 'rise<' ? nowN.n - beforeN.n : beforeN.n - nowN.n
  const pct = beforeN.n === 0 ? (delta === 0 ? 0 : Infinity) : (delta / Math.abs(beforeN.n)) * 100
  let absLimit: number | undefined
  if (change.abs) {
    if (grade) absLimit = change.abs.kind === 'number' ? change.abs.value : undefined
    else {
      const a = align(change.abs, figure, name)
      if (!a.ok) return { outcome: 'error', why: a.why }
      absLimit = a.target
    }
    if (absLimit === undefined) return { outcome: 'error', why: `${name} is a grade: write the change in grade steps (drop< 1)` }
  }
  const pastPct = change.pct === undefined || pct >= change.pct
  const pastAbs = absLimit === undefined || delta >= absLimit
  const regressed = delta > 0 && pastPct && pastAbs

  const what = figureLabel(name)
  const now = formatValue(figure.value, figure.unit)
  const was = formatValue(before.value, before.unit)
  const moved = grade
    ? `${Math.abs(delta)} grade step${Math.abs(delta) === 1 ? '' : 's'}`
    : `${signed(nowN.n - beforeN.n, figure.unit)}${Number.isFinite(pct) ? `, ${signedPct(((nowN.n - beforeN.n) / Math.abs(beforeN.n || 1)) * 100)}` : ''}`
  const actual = grade ? `${now} (baseline ${was})` : nowN.n === beforeN.n ? `${now} (no change)` : `${now} (${moved})`
  const limits = describeChange(op, change, figure.unit).replace(/ vs baseline$/, '')
  if (regressed) {
    const verb = op === 'rise<' ? 'rose' : 'fell'
    return { outcome: 'fail', actual, why: `regression: ${what} ${verb} from ${was} to ${now} (${moved}) since baseline ${baseline.id}; allowed: ${limits}` }
  }
  return { outcome: 'pass', actual, why: `${what} ${now} against baseline ${was} (${delta === 0 ? 'no change' : moved}): within ${limits}` }
}

function numeric(f: Figure): { n: number; grade: boolean } | undefined {
  if (typeof f.value === 'number' && Number.isFinite(f.value) && f.unit !== 'grade') return { n: f.value, grade: false }
  const g = typeof f.value === 'string' ? toGrade(f.value) : undefined
  return g ? { n: gradeRank(g), grade: true } : undefined
}

function signed(n: number, unit?: Figure['unit']): string {
  return `${n >= 0 ? '+' : '−'}${formatValue(round(Math.abs(n), 3), unit)}`
}

function signedPct(p: number): string {
  return `${p >= 0 ? '+' : '−'}${round(Math.abs(p), 1)} %`
}
