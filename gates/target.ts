// Targets as written in config ('500ms', '0.1%', 'A+', 100) made comparable with a figure.
// A target whose unit disagrees with the figure's is an error, never a silent pass: '500ms'
// against an error rate in % would otherwise compare 500 with 0.05 and pass.

import type { Figure, Unit } from '../core/results.js'
import { formatDuration, formatValue, parseDuration } from '../core/units.js'
import { gradeRank, toGrade, type Grade } from './grades.js'

export type Target =
  | { kind: 'number'; value: number; text: string }
  | { kind: 'duration'; ms: number; text: string }
  | { kind: 'percent'; value: number; text: string }
  | { kind: 'grade'; grade: Grade; text: string }

export const TARGET_FORMS = 'a number (100), a duration (500ms, 2s, 1m, 250us), a percentage (0.1%) or a grade (A+, A, A-, B+ … F, T, M)'

export class TargetError extends Error {
  constructor(readonly problem: string) {
    super(`${problem}: write ${TARGET_FORMS}`)
    this.name = 'TargetError'
  }
}

const NUMBER_RE = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i
const PERCENT_RE = /^([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*%$/

/** Reads a target as written. Throws TargetError naming the forms it accepts. */
export function parseTarget(input: string | number): Target {
  const text = String(input).trim()
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new TargetError(`${input} is not a finite number`)
    return { kind: 'number', value: input, text }
  }
  if (text === '') throw new TargetError('the target is empty')
  if (NUMBER_RE.test(text)) return { kind: 'number', value: Number(text), text }
  const pct = PERCENT_RE.exec(text)
  if (pct) return { kind: 'percent', value: Number(pct[1]), text }
  const grade = toGrade(text)
  if (grade) return { kind: 'grade', grade, text }
  if (/^\d/.test(text)) {
    try {
      return { kind: 'duration', ms: parseDuration(text), text }
    } catch {
      /* falls through to the message below, which lists every form */
    }
  }
  throw new TargetError(`'${text}' is not a target`)
}

/** The target for people, in the figure's terms where it has some: '500 ms', '0.1 %', 'A+'. */
export function describeTarget(target: Target, unit?: Unit): string {
  switch (target.kind) {
    case 'duration':
      return formatDuration(target.ms)
    case 'percent':
      return formatValue(target.value, '%')
    case 'grade':
      return target.grade
    case 'number':
      return formatValue(target.value, unit === 'grade' ? undefined : unit)
  }
}

export type Alignment = { ok: true; actual: number; target: number } | { ok: false; why: string }

/** Both sides as numbers in the figure's unit (grades as ranks, higher is better), or why not. */
export function align(target: Target, figure: Figure, name: string): Alignment {
  const { value, unit } = figure
  const figureGrade = typeof value === 'string' ? toGrade(value) : undefined
  const disagree = (what: string) => ({
    ok: false as const,
    why: `units disagree: target ${target.text} is ${what} but ${name} is ${unitWords(unit, figureGrade)} (${formatValue(value, unit)})`,
  })

  if (target.kind === 'grade') {
    if (figureGrade) return { ok: true, actual: gradeRank(figureGrade), target: gradeRank(target.grade) }
    return disagree('a grade')
  }
  const kindWords = { number: 'a number', duration: 'a duration', percent: 'a percentage' }[target.kind]
  if (typeof value !== 'number' || unit === 'grade') {
    if (figureGrade || unit === 'grade') return disagree(kindWords)
    return { ok: false, why: `${name} is '${String(value)}', which is not a number to compare with ${target.text}` }
  }
  if (!Number.isFinite(value)) return { ok: false, why: `${name} is ${value}, which is not a number to compare with` }

  switch (target.kind) {
    case 'number':
      return { ok: true, actual: value, target: target.value }
    case 'percent':
      return unit === '%' ? { ok: true, actual: value, target: target.value } : disagree(kindWords)
    case 'duration':
      if (unit === 'ms') return { ok: true, actual: value, target: target.ms }
      if (unit === 's') return { ok: true, actual: value, target: target.ms / 1000 }
      return disagree(kindWords)
  }
}

function unitWords(unit: Unit | undefined, grade: Grade | undefined): string {
  if (grade || unit === 'grade') return 'a grade'
  switch (unit) {
    case 'ms':
      return 'in ms'
    case 's':
      return 'in seconds'
    case '%':
      return 'a percentage'
    case 'B':
      return 'in bytes'
    case 'count':
      return 'a count'
    case 'rps':
      return 'in requests per second'
    default:
      return 'a number without a unit'
  }
}
