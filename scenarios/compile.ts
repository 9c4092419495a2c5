// Checks a scenario and turns it into a plan of plain data: durations in ms, templates parsed,
// data rows read. The plan is what engines run (and what crosses into worker threads).

import type { Stage } from './stages.js'
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseDuration, type UnitError } from '../core/units.js'
import { UsageError } from '../core/errors.js'
import type { AnyStep, CaptureSpec, Duration, LoadProfile, Scenario, Step, StepChecks, ThinkTime } from './dsl.js'
import { parseJsonTemplate, parseTemplate, type JsonTemplate, type Template } from './template.js'
import { parseJsonPath } from './json-path.js'
import { readRows, type Row } from './feeder.js'
import { validateScenario } from './validate-scenario.js'
import {
  checkOneBody,
  compileCookies,
  compileForm,
  compileMultipart,
  compileRedirects,
  splitCookieCaptures,
  type CookieMode,
  type PlanPart,
} from './compile-session.js'
import { compileSelector } from './html-capture.js'
import { parseByteSize } from './byte-size.js'
import { compileStepFlow, compileRunStep, isRunStep, type StepFlow } from './step-flow.js'
import { needsCode } from './hooks.js'
import { compileFlow, type Phase, type PlanFlow, type PlanMetric } from './compile-flow.js'

/** what a browser sends; a step or scenario header of its own wins */
export const ACCEPT_ENCODING = 'gzip, deflate, br'
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

export interface PlanCapture {
  name: string
  kind: 'json' | 'header' | 'regex' | 'html'
  source: string
  keys?: (string | number)[]
  attr?: string
}
/** How a step reads its body: at most `limit` decoded bytes; text kept only when `keep`. */
export interface BodyRead {
  /** keep the text (captures, JSON checks) */
  keep: boolean
  /** bodyContains, searched as the body streams */
  contains: string | null
  /** maxBodyBytes */
  limit: number
}

export interface PlanStep {
  name: string
  method: string
  path: Template
  headers: [string, Template][]
  body: JsonTemplate | Template | null
  isJson: boolean
  captures: PlanCapture[]
  check: { status: number[] | null; bodyContains: string | null; json: { path: string; keys: (string | number)[]; expect: unknown }[] }
  /** does the step need the body text (captures or checks)? */
  readsBody: boolean
  /** does it capture a response header? */
  readsHeaders: boolean
  /** how the body is read: null when nobody reads it (bytes counted only) */
  read: BodyRead | null
  maxBodyBytes: number
  thinkMs: { min: number; max: number } | null
  timeoutMs: number
  /** x-www-form-urlencoded fields, when the step sends a form */
  form: [string, Template][] | null
  /** multipart/form-data parts, when the step sends one */
  multipart: PlanPart[] | null
  /** redirects followed (0 = the step sees the 3xx) */
  redirects: number
  /** captures read from the user's cookie jar after the step */
  cookieCaptures: { name: string; cookie: string }[]
  /** when / repeat / forEach / hooks (step-flow.ts); null for a plain request */
  flow: StepFlow | null
  /** where the step runs: a journey, a user's setup/teardown, the run's before/after */
  phase: Phase
  /** the transaction the step is timed in */
  group: string | null
  /** a custom figure from the response */
  metric: PlanMetric | null
}

/** A piecewise-linear curve over time (stages.ts, which the engine's threads import without the compiler) */
export type { Stage } from './stages.js'

export interface PlanProfile {
  model: 'closed' | 'open'
  stages: Stage[]
  totalMs: number
  gracefulStopMs: number
  maxVUs: number
  iterations: number | null
}

export interface ScenarioPlan {
  name: string
  description: string
  profile: PlanProfile
  /** the profile as written, recorded in results.json */
  profileSource: LoadProfile
  steps: PlanStep[]
  pacingMs: { min: number; max: number } | null
  data: { rows: Row[]; mode: 'per-vu' | 'sequential' | 'random'; as: string } | null
  vars: Record<string, string>
  /** the cookie jar's lifetime: per journey, per user, or none */
  cookies: CookieMode
  /** '1.1' forces HTTP/1.1; 'auto' offers h2 by ALPN over TLS */
  http: '1.1' | 'auto'
  /** the scenario file, when its steps call TypeScript (hooks): engines load their code from it */
  code: string | null
  /** before, setup, the journeys (by weight), teardown, after: indices into steps */
  flow: PlanFlow
}

export interface CompileOptions {
  /** the file the scenario came from, for messages and relative data paths */
  file: string
  /** overrides from the command line */
  vus?: number
  duration?: Duration
  iterations?: number
  /** the environment's vars: they override the scenario's own */
  vars?: Record<string, string>
}

export function compileScenario(s: Scenario, opts: CompileOptions): ScenarioPlan {
  validateScenario(s, opts.file) // fields and shapes against scenario.schema.json, before anything runs
  const where = (path: string) => `${opts.file}: ${path}`
  const fail = (path: string, problem: string, fix: string): never => {
    throw new UsageError(`${where(path)}: ${problem}`, fix)
  }
  const dur = (path: string, v: Duration | undefined, fallback?: number, orElse?: string): number => {
    if (v === undefined) {
      if (fallback === undefined) fail(path, 'a duration is required', `set ${path} to a duration like '30s'${orElse ? `, ${orElse}` : ''}`)
      return fallback!
    }
    try {
      return parseDuration(v)
    } catch (e) {
      return fail(path, (e as UnitError).message, `write ${path} like '500ms', '30s' or '5m'`)
    }
  }
  const think = (path: string, t: ThinkTime | undefined): { min: number; max: number } | null => {
    if (t === undefined) return null
    if (typeof t === 'object') {
      const min = dur(`${path}.min`, t.min),
        max = dur(`${path}.max`, t.max)
      if (max < min) fail(path, `max (${t.max}) is below min (${t.min})`, 'swap them')
      return { min, max }
    }
    const ms = dur(path, t)
    return { min: ms, max: ms }
  }

  if (!s || typeof s !== 'object') fail('(scenario)', 'the file does not export a scenario', 'export default defineScenario({ name, profile, steps })')
  if (typeof s.name !== 'string' || !/^[A-Za-z0-9][\w-]*$/.test(s.name)) {
    fail('name', `'${String(s.name)}' is not a usable scenario name`, 'use letters, digits, - and _ (it becomes part of figure names)')
  }
  // a setup's login cookie must outlive the journey: a jar per journey becomes a jar per user
  const cookies = ((c) => (c === 'journey' && s.setup?.length ? 'keep' : c))(compileCookies(s, fail))
  const scenarioRedirects = compileRedirects(s.redirects, 'redirects', undefined, fail)
  const bytesAt = (path: string, v: number | string): number => {
    try {
      return parseByteSize(v)
    } catch (e) {
      return fail(path, (e as Error).message, "write a byte count like 1048576 or '1MiB', '512KiB', '4MB'")
    }
  }
  const scenarioMax = s.maxBodyBytes !== undefined ? bytesAt('maxBodyBytes', s.maxBodyBytes) : DEFAULT_MAX_BODY_BYTES
  if (s.http !== undefined && s.http !== '1.1' && s.http !== 'auto')
    fail('http', `expected '1.1' or 'auto', got ${JSON.stringify(s.http)}`, "'auto' uses HTTP/2 when the server offers it over TLS; '1.1' forces HTTP/1.1")

  const compileStep = (any: AnyStep, p: string, phase: Phase): PlanStep => {
    const st = any as Step
    if (!st || typeof st.name !== 'string' || !/^[A-Za-z0-9][\w-]*$/.test(st.name)) {
      fail(`${p}.name`, `'${String(st?.name)}' is not a usable step name`, 'use letters, digits, - and _ (it becomes part of figure names)')
    }
    const flow = compileStepFlow(st, p, fail)
    if (isRunStep(any)) return { ...compileRunStep(any, p, fail, think(`${p}.thinkTime`, any.thinkTime), flow!), phase, group: null, metric: null }
    if (typeof st.path !== 'string' || st.path === '') fail(`${p}.path`, 'a path is required', "set path to something like '/api/products'")
    checkOneBody(st, p, fail)
    const caps = splitCookieCaptures(st.capture, p, cookies, fail)
    const form = compileForm(st.form, p, fail)
    const multipart = compileMultipart(st.multipart, p, opts.file, fail)
    const captures = caps.others.map(([name, spec]) => compileCapture(name, spec, `${p}.capture.${name}`, fail))
    const metric = compileMetric(st.metric, p, fail)
    const group = compileGroup(st.group, p, fail)
    // a metric's value is read from the response as a capture is
    const reads = metric ? [...captures, metric.from] : captures
    const check = compileChecks(st.check, `${p}.check`, fail)
    const headers: Record<string, string> = { ...s.headers, ...st.headers }
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'accept-encoding')) headers['accept-encoding'] = ACCEPT_ENCODING
    const maxBodyBytes = st.maxBodyBytes !== undefined ? bytesAt(`${p}.maxBodyBytes`, st.maxBodyBytes) : scenarioMax
    // an after hook sees the response: its body and headers are read
    const keep = reads.some((c) => c.kind !== 'header') || check.json.length > 0 || !!flow?.after
    return {
      name: st.name,
      method: (st.method ?? (st.json !== undefined || st.body !== undefined || form || multipart ? 'POST' : 'GET')).toUpperCase(),
      path: parseTemplate(st.path),
      headers: Object.entries(headers).map(([k, v]) => [k.toLowerCase(), parseTemplate(String(v))]),
      body: st.json !== undefined ? parseJsonTemplate(st.json) : st.body !== undefined ? parseTemplate(st.body) : null,
      isJson: st.json !== undefined,
      captures,
      check,
      readsBody: keep || check.bodyContains !== null,
      readsHeaders: reads.some((c) => c.kind === 'header') || !!flow?.after,
      read: keep || check.bodyContains !== null ? { keep, contains: check.bodyContains, limit: maxBodyBytes } : null,
      maxBodyBytes,
      thinkMs: think(`${p}.thinkTime`, st.thinkTime) ?? think('thinkTime', s.thinkTime),
      timeoutMs: dur(`${p}.timeout`, st.timeout, 10_000),
      form,
      multipart,
      redirects: compileRedirects(st.redirects, `${p}.redirects`, scenarioRedirects, fail),
      cookieCaptures: caps.cookie,
      flow,
      phase,
      group,
      metric,
    }
  }
  const { steps, flow } = compileFlow(s, compileStep, fail)

  let data: ScenarioPlan['data'] = null
  if (s.data) {
    const file = resolve(dirname(opts.file), s.data.file)
    try {
      data = { rows: readRows(file), mode: s.data.mode ?? 'per-vu', as: s.data.as ?? 'data' }
    } catch (e) {
      const err = e as UsageError
      fail('data.file', err.message, err.hint ?? 'check the path; it is relative to the scenario file')
    }
  }

  return {
    name: s.name,
    description: s.description ?? '',
    profile: compileProfile(s.profile, opts, dur, fail),
    profileSource: s.profile,
    steps,
    pacingMs: think('pacing', s.pacing),
    data,
    vars: { ...s.vars, ...opts.vars },
    cookies,
    http: s.http ?? 'auto',
    code: needsCode(steps) ? codeFile(opts.file, fail) : null,
    flow,
  }
}

/** Hooks reach the engines as code: the scenario must come from a file they can load. */
function codeFile(file: string, fail: Fail): string {
  if (!/\.(c|m)?[jt]s$/i.test(file) || !existsSync(file)) {
    fail(
      'steps',
      `the scenario has TypeScript hooks, but ${file} is not a TypeScript or JavaScript file the engines can load them from`,
      'export the scenario from a .ts or .js file and pass its path (--scenario ./checkout.ts)',
    )
  }
  return resolve(file)
}

function compileMetric(m: Step['metric'], p: string, fail: Fail): PlanMetric | null {
  if (m === undefined) return null
  const at = `${p}.metric`
  if (!m || typeof m !== 'object')
    return fail(at, `expected { name, from, type }, got ${JSON.stringify(m)}`, "write metric: { name: 'cart_total', from: { json: '$.total' }, type: 'trend' }")
  if (typeof m.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(m.name))
    fail(
      `${at}.name`,
      `'${String(m.name)}' is not a usable metric name`,
      'use letters, digits and _, starting with a letter (it becomes load.<scenario>.metric.<name>_p95)',
    )
  if (m.type !== 'trend' && m.type !== 'counter' && m.type !== 'rate')
    fail(
      `${at}.type`,
      `expected 'trend', 'counter' or 'rate', got ${JSON.stringify(m.type)}`,
      'trend: a distribution (_p95); counter: a sum (_count); rate: the share of non-zero values (_rate)',
    )
  const from = m.from as CaptureSpec | undefined
  if (!from || typeof from !== 'object' || !('json' in from || 'header' in from || 'regex' in from))
    fail(
      `${at}.from`,
      `expected one of json, header or regex, got ${JSON.stringify(from)}`,
      "write from: { json: '$.total' }, { header: 'x-total' } or { regex: 'total=(\\d+)' }",
    )
  return { name: m.name, type: m.type, from: compileCapture(m.name, from!, `${at}.from`, fail) }
}

function compileGroup(g: Step['group'], p: string, fail: Fail): string | null {
  if (g === undefined) return null
  if (typeof g !== 'string' || !/^[A-Za-z0-9][\w-]*$/.test(g))
    fail(`${p}.group`, `'${String(g)}' is not a usable group name`, 'use letters, digits, - and _ (it becomes load.<scenario>.group.<name>.duration_p95)')
  return g as string
}

type Fail = (path: string, problem: string, fix: string) => never
type Dur = (path: string, v: Duration | undefined, fallback?: number, orElse?: string) => number

function compileProfile(p: LoadProfile, opts: CompileOptions, dur: Dur, fail: Fail): PlanProfile {
  if (!p || (p.model !== 'closed' && p.model !== 'open')) {
    fail(
      'profile.model',
      `expected 'closed' or 'open', got ${JSON.stringify((p as { model?: unknown } | undefined)?.model)}`,
      'closed: users looping the journey (vus); open: journeys started at a rate',
    )
  }
  const gracefulStopMs = dur('profile.gracefulStop', p.gracefulStop, 5_000)
  const iterations = opts.iterations ?? p.iterations ?? null
  let stages: Stage[]
  if (p.stages) {
    if (!Array.isArray(p.stages) || p.stages.length === 0)
      fail('profile.stages', 'stages must be a non-empty list', "write stages: [{ duration: '10s', target: 50 }]")
    let from = 0
    stages = p.stages.map((st, i) => {
      if (!(typeof st.target === 'number' && st.target >= 0))
        fail(`profile.stages[${i}].target`, 'expected a number ≥ 0', 'set the user count (closed) or rate (open) to reach')
      const s = { durationMs: dur(`profile.stages[${i}].duration`, st.duration), from, to: st.target }
      from = st.target
      return s
    })
  } else {
    // a flag given on the command line stands in for the field it replaces
    const level = opts.vus ?? (p.model === 'closed' ? p.vus : perSecond(p.rate, p.timeUnit, dur, fail))
    if (!(typeof level === 'number' && level > 0)) {
      fail(
        p.model === 'closed' ? 'profile.vus' : 'profile.rate',
        'expected a number > 0',
        p.model === 'closed' ? 'set vus (or stages), or pass --vus' : 'set rate (or stages), or pass --vus',
      )
    }
    const ms = opts.duration !== undefined ? dur('--duration', opts.duration) : dur('profile.duration', p.duration, undefined, 'or pass --duration')
    stages = [{ durationMs: ms, from: level!, to: level! }]
  }
  // --vus / --duration replace the curve with a constant level: --vus alone keeps the scenario's
  // length, --duration alone holds its peak
  if (opts.vus !== undefined || opts.duration !== undefined) {
    const level = opts.vus ?? Math.max(...stages.map((st) => Math.max(st.from, st.to)))
    const ms = opts.duration !== undefined ? dur('--duration', opts.duration) : stages.reduce((a, st) => a + st.durationMs, 0)
    stages = [{ durationMs: ms, from: level, to: level }]
  }
  const totalMs = stages.reduce((a, s) => a + s.durationMs, 0)
  if (totalMs <= 0) fail('profile.duration', 'the profile lasts no time at all', 'give it a duration > 0')
  const peak = Math.max(...stages.map((s) => Math.max(s.from, s.to)))
  let maxVUs: number
  if (p.model === 'open') {
    maxVUs = opts.vus !== undefined && !p.stages ? Math.max(p.maxVUs ?? 0, Math.ceil(opts.vus)) : p.maxVUs
    if (!(typeof maxVUs === 'number' && maxVUs >= 1)) fail('profile.maxVUs', 'the open model needs a cap on concurrent users', 'set maxVUs, e.g. 200')
  } else {
    maxVUs = Math.ceil(peak)
  }
  return { model: p.model, stages, totalMs, gracefulStopMs, maxVUs, iterations }
}

function perSecond(rate: number | undefined, timeUnit: Duration | undefined, dur: Dur, fail: Fail): number {
  if (!(typeof rate === 'number' && rate > 0)) fail('profile.rate', 'expected a number > 0', 'set rate: journeys started per timeUnit (default 1s)')
  return rate! / (dur('profile.timeUnit', timeUnit, 1000) / 1000)
}

function compileCapture(name: string, spec: CaptureSpec, path: string, fail: Fail): PlanCapture {
  const hint = "write { json: '$.token' }, { header: 'location' } or { html: 'input[name=csrf]', attr: 'value' }"
  // a bare string (capture: { token: '$.token' }) would make `'json' in spec` throw a TypeError
  if (spec === null || typeof spec !== 'object')
    return fail(path, `a capture needs one of json, header, regex, html or cookie, got ${JSON.stringify(spec)}`, hint)
  if (spec && 'json' in spec && typeof spec.json === 'string') {
    try {
      return { name, kind: 'json', source: spec.json, keys: parseJsonPath(spec.json) }
    } catch (e) {
      return fail(`${path}.json`, (e as Error).message, 'use a path like $.token or $.items[0].id')
    }
  }
  if (spec && 'header' in spec && typeof spec.header === 'string') return { name, kind: 'header', source: spec.header.toLowerCase() }
  if (spec && 'regex' in spec && typeof spec.regex === 'string') {
    try {
      new RegExp(spec.regex)
    } catch (e) {
      fail(`${path}.regex`, (e as Error).message, 'fix the regular expression')
    }
    return { name, kind: 'regex', source: spec.regex }
  }
  if (spec && 'html' in spec && typeof spec.html === 'string') {
    const attr = (spec as { attr?: unknown }).attr
    if (attr !== undefined && (typeof attr !== 'string' || attr === ''))
      fail(`${path}.attr`, `expected an attribute name, got ${JSON.stringify(attr)}`, "write attr: 'value' (or leave it out for the element's text)")
    try {
      compileSelector(spec.html)
    } catch (e) {
      fail(
        `${path}.html`,
        `'${spec.html}' is not a CSS selector: ${(e as Error).message}`,
        "write a selector like 'input[name=csrf]' or 'form#login input[type=hidden]'",
      )
    }
    return { name, kind: 'html', source: spec.html, ...(attr !== undefined ? { attr: attr as string } : {}) }
  }
  return fail(path, 'a capture needs one of json, header, regex, html or cookie', hint)
}

function compileChecks(c: StepChecks | undefined, path: string, fail: Fail): PlanStep['check'] {
  const status = c?.status === undefined ? null : Array.isArray(c.status) ? c.status : [c.status]
  if (status && !status.every((s) => Number.isInteger(s) && s >= 100 && s <= 599))
    fail(`${path}.status`, 'expected HTTP status codes (100–599)', 'write status: 200 or status: [200, 201]')
  const json = Object.entries(c?.json ?? {}).map(([p, expect]) => {
    try {
      return { path: p, keys: parseJsonPath(p), expect }
    } catch (e) {
      return fail(`${path}.json`, (e as Error).message, 'use a path like $.items[0].id')
    }
  })
  return { status, bodyContains: c?.bodyContains ?? null, json }
}

export { levelAt } from './stages.js'
