// The operators, table-driven (as Lighthouse CI's assertions are): how each one tests a figure
// against its target and how it says the result in one line a person reads.

import type { BaselineOp, CompareOp, GateOp } from '../core/results.js'

export const COMPARE_OPS: readonly CompareOp[] = ['<', '<=', '>', '>=', '==', '!=']
/** against the baseline run (gates/baseline.ts) */
export const BASELINE_OPS: readonly BaselineOp[] = ['rise<', 'drop<']
export const GATE_OPS: readonly GateOp[] = [...COMPARE_OPS, ...BASELINE_OPS]

/** What a sentence needs: the figure's label, the actual and target as people read them, and
 *  how the actual compares with the target (-1 below, 0 at, 1 above; for grades, below = worse). */
export interface Said {
  what: string
  actual: string
  target: string
  cmp: -1 | 0 | 1
}

interface Operator {
  test(actual: number, target: number): boolean
  pass(s: Said): string
  fail(s: Said): string
}

export const OPERATORS: Record<CompareOp, Operator> = {
  '<': {
    test: (a, t) => a < t,
    pass: (s) => `${s.what} ${s.actual} is under the ${s.target} target`,
    fail: (s) =>
      s.cmp === 0 ? `${s.what} ${s.actual} is at the ${s.target} target; it must stay under it` : `${s.what} ${s.actual} is over the ${s.target} target`,
  },
  '<=': {
    test: (a, t) => a <= t,
    pass: (s) => `${s.what} ${s.actual} is within the ${s.target} target`,
    fail: (s) => `${s.what} ${s.actual} is over the ${s.target} target`,
  },
  '>': {
    test: (a, t) => a > t,
    pass: (s) => `${s.what} ${s.actual} is above the ${s.target} target`,
    fail: (s) =>
      s.cmp === 0 ? `${s.what} ${s.actual} is at the ${s.target} target; it must be above it` : `${s.what} ${s.actual} is below the ${s.target} target`,
  },
  '>=': {
    test: (a, t) => a >= t,
    pass: (s) => `${s.what} ${s.actual} meets the ${s.target} target`,
    fail: (s) => `${s.what} ${s.actual} is below the ${s.target} target`,
  },
  '==': {
    test: (a, t) => a === t,
    pass: (s) => `${s.what} is ${s.actual}, as required`,
    fail: (s) => `${s.what} is ${s.actual}, not the required ${s.target}`,
  },
  '!=': {
    test: (a, t) => a !== t,
    pass: (s) => `${s.what} is ${s.actual}, not ${s.target}`,
    fail: (s) => `${s.what} is ${s.actual}, which the gate rules out`,
  },
}

/** An interval [low, high] against the target: does every point of it pass (the pessimistic
 *  side), does some point (the optimistic side)? */
export const INTERVAL: Record<CompareOp, { every(lo: number, hi: number, t: number): boolean; some(lo: number, hi: number, t: number): boolean }> = {
  '<': { every: (_l, h, t) => h < t, some: (l, _h, t) => l < t },
  '<=': { every: (_l, h, t) => h <= t, some: (l, _h, t) => l <= t },
  '>': { every: (l, _h, t) => l > t, some: (_l, h, t) => h > t },
  '>=': { every: (l, _h, t) => l >= t, some: (_l, h, t) => h >= t },
  '==': { every: (l, h, t) => l === t && h === t, some: (l, h, t) => l <= t && t <= h },
  '!=': { every: (l, h, t) => t < l || t > h, some: (l, h, t) => !(l === t && h === t) },
}

export const GATE_SIDES = ['pessimistic', 'optimistic', 'value'] as const

export function isGateOp(op: unknown): op is GateOp {
  return typeof op === 'string' && (GATE_OPS as readonly string[]).includes(op)
}

export function isBaselineOp(op: unknown): op is BaselineOp {
  return typeof op === 'string' && (BASELINE_OPS as readonly string[]).includes(op)
}
