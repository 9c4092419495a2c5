// A step's flow as data: `when` (an expression, scenarios/expr.ts), `repeat: N`, `forEach` over a
// captured list, and which TypeScript hooks it has (before, after, run). compileStepFlow checks and
// parses them once at load; walkStep runs them per journey, the same way on both engines: it
// yields 'send' for each request the engine must make, 'ran' after a run step's function, and
// 'fail' for a failed check that sent nothing (a hook threw, a variable is not set).

import type { AnyStep, HookResponse, RunStep, Step } from './dsl.js'
import { ExprError, evalExpr, parseExpr, type Expr } from './expr.js'
import { lookup, parseTemplate, type Vars } from './template.js'
import type { StepHooks } from './hooks.js'
import type { PlanStep } from './compile.js'

type Fail = (path: string, problem: string, fix: string) => never

/** the most requests one step makes per journey (repeat, or forEach over a long list): a bound */
export const MAX_REPEAT = 1000
/** the loop variables: the current list element (forEach) and the 0-based repetition */
export const ITEM_VAR = 'item'
export const INDEX_VAR = 'index'
/** a failed step that sent no request counts as a failed request with this status (like NOT_ALLOWED) */
export const NOT_SENT = 'NOT_SENT'

export interface StepFlow {
  /** where the step sits in the scenario ('steps[3]'): its hooks are found there again after the
   *  scenario file is loaded in a worker thread or bundled into the k6 script */
  at: string
  when: { source: string; expr: Expr } | null
  repeat: number | null
  forEach: { source: string; path: string[] } | null
  before: boolean
  after: boolean
  run: boolean
}

const HOOK_FIX: Record<'before' | 'after' | 'run', string> = {
  before:
    'write before: (vars) => ({ name: value }) — a function of the variables that returns the ones to set — ' +
    'in a TypeScript or JavaScript scenario file (YAML and JSON scenarios cannot carry functions)',
  after:
    'write after: (vars, response) => ({ name: value }) — a function that returns the variables to set — in a TypeScript or JavaScript scenario file (YAML and JSON scenarios cannot carry functions)',
  run:
    "write { name: 'compute', run: (vars) => ({ name: value }) } — a function that returns the variables to set — " +
    'in a TypeScript or JavaScript scenario file (YAML and JSON scenarios cannot carry functions)',
}

/** The step's flow, or null when it has none (the engines' fast path). Throws through `fail`. */
export function compileStepFlow(st: AnyStep, p: string, fail: Fail): StepFlow | null {
  const s = st as Step & Partial<RunStep>
  for (const k of ['before', 'after', 'run'] as const) {
    const v = s[k]
    if (v !== undefined && typeof v !== 'function') fail(`${p}.${k}`, `expected a function, got ${describe(v)}`, HOOK_FIX[k])
  }
  let when: StepFlow['when'] = null
  if (s.when !== undefined) {
    if (typeof s.when !== 'string') fail(`${p}.when`, `expected an expression in a string, got ${describe(s.when)}`, "write when: '{{cartSize}} > 0'")
    try {
      when = { source: s.when, expr: parseExpr(s.when) }
    } catch (e) {
      if (!(e instanceof ExprError)) throw e
      fail(
        `${p}.when`,
        `'${s.when}' does not parse: ${e.message} (at character ${e.at + 1})`,
        "write a condition such as '{{cartSize}} > 0', '{{status}} == \"open\" && !{{done}}' " +
          "(comparisons == != < <= > >=, && || !, parentheses, numbers, 'text', true, false, {{variables}}; see docs/scenarios.md#when)",
      )
    }
  }
  let repeat: number | null = null
  if (s.repeat !== undefined) {
    if (!(typeof s.repeat === 'number' && Number.isInteger(s.repeat) && s.repeat >= 1 && s.repeat <= MAX_REPEAT)) {
      fail(
        `${p}.repeat`,
        `expected a whole number 1–${MAX_REPEAT}, got ${describe(s.repeat)}`,
        'write repeat: 3 (the step is sent 3 times in a row; {{index}} is 0, 1, 2)',
      )
    }
    repeat = s.repeat
  }
  let forEach: StepFlow['forEach'] = null
  if (s.forEach !== undefined) {
    const m = typeof s.forEach === 'string' ? /^\s*(?:\{\{\s*)?([A-Za-z_$][\w$]*(?:\.[\w$]+)*)(?:\s*\}\})?\s*$/.exec(s.forEach) : null
    if (!m)
      fail(
        `${p}.forEach`,
        `expected the name of a variable holding a list, got ${describe(s.forEach)}`,
        "write forEach: 'items', where an earlier step captures items: { json: '$.items' }; the step then runs once per element, as {{item}}",
      )
    if (repeat !== null) fail(p, 'both repeat and forEach are set', 'keep one: repeat sends the step N times, forEach once per element of a list')
    forEach = { source: s.forEach!, path: m![1]!.split('.') }
  }
  const before = typeof s.before === 'function',
    after = typeof s.after === 'function',
    run = typeof s.run === 'function'
  if (!when && repeat === null && !forEach && !before && !after && !run) return null
  return { at: p, when, repeat, forEach, before, after, run }
}

const REQUEST_FIELDS = [
  'path',
  'method',
  'headers',
  'json',
  'body',
  'form',
  'multipart',
  'capture',
  'check',
  'redirects',
  'timeout',
  'maxBodyBytes',
  'before',
  'after',
] as const

export function isRunStep(st: AnyStep): st is RunStep {
  return !!st && typeof st === 'object' && 'run' in st && (st as RunStep).run !== undefined
}

/** A step that makes no request: its function sets variables. The plan still carries a PlanStep
 *  (its figures are a step's, with no requests) so both engines index steps the same way. */
export function compileRunStep(st: RunStep, p: string, fail: Fail, thinkMs: PlanStep['thinkMs'], flow: StepFlow): Omit<PlanStep, 'phase' | 'group' | 'metric'> {
  for (const k of REQUEST_FIELDS) {
    if ((st as unknown as Record<string, unknown>)[k] !== undefined)
      fail(
        `${p}.${k}`,
        `a run step makes no request, so it takes no ${k}`,
        `remove ${k}, or make it a request step of its own (a run step has name, run, when, repeat, forEach and thinkTime)`,
      )
  }
  return {
    name: st.name,
    method: 'RUN',
    path: parseTemplate(''),
    headers: [],
    body: null,
    isJson: false,
    captures: [],
    check: { status: null, bodyContains: null, json: [] },
    readsBody: false,
    readsHeaders: false,
    read: null,
    maxBodyBytes: 0,
    thinkMs,
    timeoutMs: 0,
    form: null,
    multipart: null,
    redirects: 0,
    cookieCaptures: [],
    flow,
  }
}

export type FlowEvent = { type: 'send' } | { type: 'ran' } | { type: 'fail'; message: string }

/** One visit of a step with a flow. The loop variables are set in `vars` while it runs and put
 *  back as they were afterwards (also when the engine stops early: for-of calls return()). */
export function* walkStep(step: PlanStep, vars: Vars, hooks: StepHooks | undefined): Generator<FlowEvent, void, void> {
  const f = step.flow!
  let items: unknown[] | null = null
  if (f.forEach) {
    const list = lookup(vars, f.forEach.path)
    if (!Array.isArray(list)) {
      const why =
        list === undefined
          ? `variable {{${f.forEach.path.join('.')}}} is not set (did an earlier capture fail?)`
          : `{{${f.forEach.path.join('.')}}} is ${describe(list)}, not a list`
      yield {
        type: 'fail',
        message: `forEach '${f.forEach.source}': ${why}`,
      }
      return
    }
    items = list.length > MAX_REPEAT ? list.slice(0, MAX_REPEAT) : list
  }
  const loop = items !== null || f.repeat !== null
  const n = items ? items.length : (f.repeat ?? 1)
  const had = loop ? { item: Object.hasOwn(vars, ITEM_VAR), index: Object.hasOwn(vars, INDEX_VAR), itemV: vars[ITEM_VAR], indexV: vars[INDEX_VAR] } : null
  try {
    for (let i = 0; i < n; i++) {
      if (loop) {
        vars[INDEX_VAR] = i
        if (items) vars[ITEM_VAR] = items[i]
      }
      if (f.when) {
        let go: boolean
        try {
          go = evalExpr(f.when.expr, vars)
        } catch (e) {
          yield { type: 'fail', message: `when '${f.when.source}': ${(e as Error).message}` }
          continue
        }
        if (!go) continue
      }
      if (f.before) {
        const m = callHook(hooks?.before, 'before', [vars])
        if (m) {
          yield { type: 'fail', message: m }
          continue
        }
      }
      if (f.run) {
        const m = callHook(hooks?.run, 'run', [vars])
        yield m ? { type: 'fail', message: m } : { type: 'ran' }
        continue
      }
      yield { type: 'send' }
    }
  } finally {
    if (had) {
      if (had.index) vars[INDEX_VAR] = had.indexV
      else delete vars[INDEX_VAR]
      if (items) {
        if (had.item) vars[ITEM_VAR] = had.itemV
        else delete vars[ITEM_VAR]
      }
    }
  }
}

/** What an after hook sees of the response (dsl.ts HookResponse). */
export function hookResponse(status: number, headers: Record<string, string | string[] | undefined>, body: string | null): HookResponse {
  const h: Record<string, string> = {}
  for (const k in headers) {
    const v = headers[k]
    if (v !== undefined) h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  }
  return { status, headers: h, body, json: () => JSON.parse(body ?? '') }
}

/** Calls a hook with a copy of the variables and merges the object it returns into `vars`.
 *  Returns null, or the failed check's message (what it threw, or a wrong return value). */
export function callHook(fn: ((...a: never[]) => unknown) | undefined, what: 'before' | 'after' | 'run', args: [Vars] | [Vars, HookResponse]): string | null {
  const vars = args[0]
  if (typeof fn !== 'function') return `${what}: the hook is missing from the scenario file as loaded by this engine`
  let out: unknown
  try {
    out = (fn as (...a: unknown[]) => unknown)({ ...vars }, ...args.slice(1))
  } catch (e) {
    return `${what} hook threw: ${e instanceof Error ? e.message : String(e)}`
  }
  if (out === undefined || out === null) return null
  if (typeof (out as { then?: unknown }).then === 'function') {
    ;(out as Promise<unknown>).then(undefined, () => {}) // its rejection is this failure, not a crash
    return `${what} hook returned a Promise: hooks run synchronously (no I/O); return the variables to set`
  }
  if (typeof out !== 'object' || Array.isArray(out)) return `${what} hook returned ${describe(out)}: return an object of the variables to set (or nothing)`
  Object.assign(vars, out)
  return null
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 37)}...` : v}'`
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'an object'
  return `${typeof v} ${String(v)}`
}
