// Judges one response against its step: expected status, checks, captures. Pure, so it is
// tested without a network, and shared by both engines (the k6 runtime bundles it).

import type { PlanStep } from './compile.js'
import { readJsonPath } from './json-path.js'
import { formatByteSize } from './byte-size.js'

/** What judging needs of a response, whichever engine received it (header names lower-case). */
export interface JudgedResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** the body text (at most maxBodyBytes of it), when the step reads it */
  text: string | null
  /** the body was longer than maxBodyBytes (checks saw only its start) */
  truncated?: boolean
  /** bodyContains already searched while the body streamed (embedded engine); else the text is searched */
  contains?: boolean | null
}

/** HTML captures' engine (html-capture.ts registers itself when imported), so that a k6 script
 *  whose scenario has no html capture does not carry the parser (200 KB per VU) */
export type HtmlSelect = (text: string) => (selector: string, attr: string | undefined) => string | undefined
let htmlEngine: HtmlSelect | null = null
export function useHtmlCaptures(engine: HtmlSelect): void {
  htmlEngine = engine
}

export interface Judgement {
  /** status-level failure: not expected (listed statuses) or >= 400 when none are listed */
  statusFailed: boolean
  checksPassed: number
  failures: string[]
  captured: Record<string, unknown>
  /** the step's custom metric sample, when it has one and the response carried it */
  metric?: number
}

/** whether a step is judged on its status alone: no body or JSON check, no capture, no custom
 *  metric (then judgeStatus says all, with no header map, body text or judgement built) */
export function statusOnly(step: PlanStep): boolean {
  let s = statusOnlySteps.get(step)
  if (s === undefined) {
    s = step.check.bodyContains === null && step.check.json.length === 0 && step.captures.length === 0 && !step.metric
    statusOnlySteps.set(step, s)
  }
  return s
}
const statusOnlySteps = new WeakMap<PlanStep, boolean>()

/** the status check alone: its failure message, or null when the status is as expected (listed
 *  statuses, or < 400 when none are listed) */
export function judgeStatus(step: PlanStep, status: number): string | null {
  const expected = step.check.status
  if (expected ? expected.includes(status) : status < 400) return null
  return expected ? `status ${status}, expected ${expected.join(' or ')}` : `status ${status}`
}

export function judge(step: PlanStep, res: JudgedResponse): Judgement {
  const failures: string[] = []
  let passed = 0
  const expected = step.check.status
  const statusMessage = judgeStatus(step, res.status)
  const statusFailed = statusMessage !== null
  if (statusFailed) failures.push(statusMessage)
  else if (expected) passed++

  let doc: unknown
  let parsed = false
  const json = (): unknown => {
    if (!parsed) {
      parsed = true
      try {
        doc = JSON.parse(res.text ?? '')
      } catch {
        doc = undefined
      }
    }
    return doc
  }

  // a failure a longer read might have passed says so, with its own code (docs/http.md)
  const cut = (msg: string) => (res.truncated ? `BODY_TOO_LARGE: ${msg} within the first ${formatByteSize(step.maxBodyBytes)} (maxBodyBytes)` : msg)
  let html: ReturnType<HtmlSelect> | undefined
  if (step.check.bodyContains !== null) {
    const found = res.contains ?? (res.text ?? '').includes(step.check.bodyContains)
    if (found) passed++
    else failures.push(cut(`body does not contain '${step.check.bodyContains}'`))
  }
  for (const c of step.check.json) {
    const actual = readJsonPath(json(), c.keys)
    const exp = c.expect as { exists?: boolean } | unknown
    const ok =
      exp && typeof exp === 'object' && 'exists' in (exp as object)
        ? (actual !== undefined) === Boolean((exp as { exists: boolean }).exists)
        : deepEqual(actual, exp)
    if (ok) passed++
    else
      failures.push(
        `${res.truncated ? 'BODY_TOO_LARGE: ' : ''}${c.path} is ${short(actual)}, expected ${short(exp)}` +
          (res.truncated ? ` (the body is larger than maxBodyBytes, ${formatByteSize(step.maxBodyBytes)})` : ''),
      )
  }

  const read = (cap: PlanStep['captures'][number]): unknown => {
    if (cap.kind === 'json') return readJsonPath(json(), cap.keys!)
    if (cap.kind === 'header') {
      const h = res.headers[cap.source]
      return Array.isArray(h) ? h[0] : h
    }
    if (cap.kind === 'html') {
      if (!htmlEngine) throw new Error('golive: html captures need scenarios/html-capture.ts imported by the engine')
      html ??= htmlEngine(res.text ?? '')
      return html(cap.source, cap.attr)
    }
    const m = new RegExp(cap.source).exec(res.text ?? '')
    return m ? (m[1] ?? m[0]) : undefined
  }
  const captured: Record<string, unknown> = {}
  for (const cap of step.captures) {
    const v = read(cap)
    if (v === undefined) {
      const what = cap.kind === 'html' && cap.attr !== undefined ? `${cap.source} (attribute ${cap.attr})` : cap.source
      failures.push(
        cap.kind === 'header'
          ? `capture ${cap.name}: ${what} not found in the response`
          : res.truncated
            ? cut(`capture ${cap.name}: ${what} not found`)
            : `capture ${cap.name}: ${what} not found in the response`,
      )
    } else {
      captured[cap.name] = v
      passed++
    }
  }
  let metric: number | undefined
  if (step.metric) {
    const m = metricValue(step.metric.type, read(step.metric.from))
    if (typeof m === 'number') metric = m
    else failures.push(cut(`metric ${step.metric.name}: ${step.metric.from.source} ${m}`))
  }
  return { statusFailed, checksPassed: passed, failures, captured, ...(metric !== undefined ? { metric } : {}) }
}

/** A custom metric's sample from what its `from` read, or why there is none. A rate takes true /
 *  false or a number (non-zero counts, as in k6); a trend holds values ≥ 0 (HDR histograms). */
export function metricValue(type: 'trend' | 'counter' | 'rate', v: unknown): number | string {
  if (v === undefined) return 'not found in the response'
  if (type === 'rate' && typeof v === 'boolean') return v ? 1 : 0
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  if (!Number.isFinite(n)) return `is ${short(v)}, not a number`
  if (type === 'rate') return n !== 0 ? 1 : 0
  if (type === 'trend' && n < 0) return `is ${n}: a trend holds values ≥ 0`
  return n
}

/** The first `maxBytes` UTF-8 bytes of a body text (the k6 runtime gets whole bodies from k6),
 *  so both engines judge the same bytes. Regexes do the scanning: k6's JavaScript loops are slow. */
export function limitText(text: string, maxBytes: number): { text: string; truncated: boolean; bytes: number } {
  const bytes = utf8Length(text)
  if (bytes <= maxBytes) return { text, truncated: false, bytes }
  if (bytes === text.length) return { text: text.slice(0, maxBytes), truncated: true, bytes }
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const w = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : 3
    if (n + w > maxBytes) return { text: text.slice(0, i), truncated: true, bytes }
    n += w
    if (w === 4) i++
  }
  return { text, truncated: false, bytes }
}

/** UTF-8 length of a string: ASCII runs are dropped by a regex, the rest counted per unit */
export function utf8Length(s: string): number {
  const rest = s.replace(/[\x00-\x7f]+/g, '')
  let n = s.length - rest.length
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i)
    // a surrogate pair is 4 bytes: 2 per unit
    n += c < 0x800 ? 2 : c >= 0xd800 && c < 0xe000 ? 2 : 3
  }
  return n
}

/** Structural equality of JSON values. Key order does not matter: a server may send
 *  {"name":"ann","id":1} for a check written { id: 1, name: 'ann' } (JSON.stringify compared order). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a),
    kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

function short(v: unknown): string {
  const s = v === undefined ? 'missing' : JSON.stringify(v)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}
