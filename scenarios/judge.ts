// Judges one response against its step: expected status, checks, captures. Pure, so it is
// tested without a network, and shared by both engines (the k6 runtime bundles it).

import type { PlanStep } from './compile.js'
import { readJsonPath } from './json-path.js'

/** What judging needs of a response, whichever engine received it (header names lower-case). */
export interface JudgedResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** the body text, when the step reads it */
  text: string | null
}

export interface Judgement {
  /** status-level failure: not expected (listed statuses) or >= 400 when none are listed */
  statusFailed: boolean
  checksPassed: number
  failures: string[]
  captured: Record<string, unknown>
}

export function judge(step: PlanStep, res: JudgedResponse): Judgement {
  const failures: string[] = []
  let passed = 0
  const expected = step.check.status
  const statusFailed = expected ? !expected.includes(res.status) : res.status >= 400
  if (statusFailed) failures.push(expected ? `status ${res.status}, expected ${expected.join(' or ')}` : `status ${res.status}`)
  else if (expected) passed++

  let doc: unknown
  let parsed = false
  const json = (): unknown => {
    if (!parsed) {
      parsed = true
      try { doc = JSON.parse(res.text ?? '') } catch { doc = undefined }
    }
    return doc
  }

  if (step.check.bodyContains !== null) {
    if ((res.text ?? '').includes(step.check.bodyContains)) passed++
    else failures.push(`body does not contain '${step.check.bodyContains}'`)
  }
  for (const c of step.check.json) {
    const actual = readJsonPath(json(), c.keys)
    const exp = c.expect as { exists?: boolean } | unknown
    const ok = exp && typeof exp === 'object' && 'exists' in (exp as object)
      ? (actual !== undefined) === Boolean((exp as { exists: boolean }).exists)
      : deepEqual(actual, exp)
    if (ok) passed++
    else failures.push(`${c.path} is ${short(actual)}, expected ${short(exp)}`)
  }

  const captured: Record<string, unknown> = {}
  for (const cap of step.captures) {
    let v: unknown
    if (cap.kind === 'json') v = readJsonPath(json(), cap.keys!)
    else if (cap.kind === 'header') {
      const h = res.headers[cap.source]
      v = Array.isArray(h) ? h[0] : h
    } else {
      const m = new RegExp(cap.source).exec(res.text ?? '')
      v = m ? (m[1] ?? m[0]) : undefined
    }
    if (v === undefined) failures.push(`capture ${cap.name}: ${cap.source} not found in the response`)
    else { captured[cap.name] = v; passed++ }
  }
  return { statusFailed, checksPassed: passed, failures, captured }
}

/** Structural equality of JSON values. Key order does not matter: a server may send
 *  {"name":"ann","id":1} for a check written { id: 1, name: 'ann' } (JSON.stringify compared order). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a), kb = Object.keys(b)
  return ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

function short(v: unknown): string {
  const s = v === undefined ? 'missing' : JSON.stringify(v)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}
