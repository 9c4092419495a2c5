// A virtual user: walks the journey step by step with its own variables and connection,
// as a person would, pausing for think time between steps.

import type { PlanStep, ScenarioPlan } from '../../compile.js'
import type { PlanPart } from '../../compile-session.js'
import { render, type Template, type Vars } from '../../template.js'
import type { Row } from '../../feeder.js'
import { Connections, isFailure, loadUndici, mayUseUndici, send, type Exchange, type InFlight, type Target, type TransportFailure } from './http.js'
import { judge, judgeStatus, statusOnly } from '../../step-checks.js'
import { mayCarryCredentials, mayLoad, notAllowedMessage, originPolicy, type OriginPolicy } from '../../../core/origins.js'
import {
  BODY_HEADERS,
  ORIGIN_BOUND_HEADERS,
  badLocation,
  hrefOf,
  isRedirect,
  nextMethod,
  originOf,
  parseUrl,
  resolveReference,
  tooManyRedirects,
  type UrlParts,
} from '../../redirects.js'
import { newBoundary } from '../../multipart.js'
import { renderBody, type RenderedBody } from '../../request-body.js'
import { UserCookies } from './cookies.js'
import type { WorkerMetrics } from './metrics.js'
import { sleep, sleepThen } from './sleep.js'
import { NOT_SENT, callHook, hookResponse, walkStep } from '../../step-flow.js'
import type { StepHooks } from '../../hooks.js'
import { pickJourney } from '../../mix.js'
import { GroupClock } from '../../groups.js'

export interface VuShared {
  plan: ScenarioPlan
  target: Target
  metrics: WorkerMetrics
  /** the next row for 'sequential' feeders, shared by the worker's users */
  nextRow: () => Row | undefined
  /** each step's TypeScript hooks (by step index), when the scenario has any */
  hooks?: (StepHooks | undefined)[] | null
}

/** Loads what the plan's users need and a plain run does not carry: the HTML capture engine
 *  (registered with judge on import) when a step captures from HTML, undici when a request may
 *  go through it. Before the first user starts. */
export async function prepareUsers(plan: ScenarioPlan, target: Target): Promise<void> {
  const html = plan.steps.some((s) => s.captures.some((c) => c.kind === 'html') || s.metric?.from.kind === 'html')
  const origins = [target.origin, ...plan.steps.map((s) => JSON.stringify(s.path))]
  await Promise.all([html ? import('../../html-capture.js') : null, mayUseUndici(plan.http, origins) ? loadUndici() : null])
}

export class VirtualUser {
  private readonly conns: Connections
  private iteration = 0
  /** aborts the current iteration at once (hard stop after gracefulStop) */
  private abort = new AbortController()
  /** the request in flight, so a hard stop can cut it off */
  private inFlight: InFlight | null = null
  private readonly track = (r: InFlight) => {
    this.inFlight = r
  }
  private readonly policy: OriginPolicy
  private readonly cookies: UserCookies
  private readonly boundary = newBoundary()
  /** the user's variables for its life: the plan's, the run's before captures, its setup's
   *  captures; null until its setup ran (and again after its teardown) */
  private life: Vars | null = null
  busy = false

  constructor(
    readonly id: number,
    private readonly shared: VuShared,
  ) {
    this.conns = new Connections(shared.target.ca, shared.plan.http !== '1.1')
    this.policy = policyOf(shared.target)
    this.cookies = new UserCookies(shared.plan.cookies ?? 'journey')
  }

  /** One journey, picked by weight. `intendedStart` (performance.now() time) is set by the open
   *  model. A user's first journey runs its setup first. */
  iterate(intendedStart?: number): Promise<void> {
    return this.run<void>((done) => this.journey(intendedStart, done))
  }

  /** Journeys one after another while `more()` says so (asked before each): a callback loop, with
   *  no promise per journey or request; the promise ends with the loop (or an error, as iterate's). */
  journeys(more: () => boolean): Promise<void> {
    return this.run<void>((done) => {
      let inside = false
      let again = false
      const next = (): void => {
        // a journey that ended at once loops here rather than deeper into the stack
        if (inside) {
          again = true
          return
        }
        do {
          again = false
          if (!more()) return done()
          inside = true
          this.journey(undefined, next)
          inside = false
        } while (again)
      }
      next()
    })
  }

  /** One journey (iterate's body) with a callback */
  private journey(intendedStart: number | undefined, done: () => void): void {
    const { plan } = this.shared
    this.busy = true
    if (!this.life) {
      this.life = { ...plan.vars, __VU: this.id }
      if (plan.data) this.life[plan.data.as] = this.row()
      if (plan.flow.setup.length) return this.walkThen(plan.flow.setup, this.life, null, intendedStart, true, () => this.journeyOn(undefined, done))
    }
    this.journeyOn(intendedStart, done)
  }

  private journeyOn(intendedStart: number | undefined, done: () => void): void {
    const { plan } = this.shared
    const vars: Vars = { ...this.life, __VU: this.id, __ITER: this.iteration++ }
    if (plan.data) vars[plan.data.as] = this.row()
    this.cookies.journeyStart()
    const jn = this.jn
    jn.journey = pickJourney(plan.flow.journeys)
    // a journey without groups times none: no clock (a Map and a list per journey otherwise)
    jn.clock = hasGroups(jn.journey.groups) ? new GroupClock(jn.journey.groups) : null
    jn.done = done
    this.walkThen(jn.journey.steps, vars, jn.clock, intendedStart, true, this.journeyWalked)
  }

  /** the journey in progress (one per user at a time), its steps walked by the callbacks below */
  private readonly jn = {
    journey: null as unknown as ScenarioPlan['flow']['journeys'][number],
    clock: null as GroupClock | null,
    done: ignore as () => void,
    pacedAt: 0,
  }
  private readonly journeyWalked = (): void => {
    const pacing = this.shared.plan.pacingMs
    if (!pacing) return this.journeyEnd()
    this.jn.pacedAt = performance.now()
    this.pause(pick(pacing), this.journeyPaced)
  }
  private readonly journeyPaced = (): void => {
    this.jn.clock?.pause(this.jn.pacedAt, performance.now())
    this.journeyEnd()
  }
  private journeyEnd(): void {
    const { metrics } = this.shared
    const { journey, clock, done } = this.jn
    if (!this.abort.signal.aborted) {
      metrics.iterations++
      metrics.flow.journey(journey.name)
      if (clock) for (const [g, ms] of clock.durations()) metrics.flow.group(g, ms)
    }
    this.busy = false
    done()
  }

  /** The user stops: its teardown, once, unless it was cut off. The next journey starts a new life. */
  async stopLife(): Promise<void> {
    const vars = this.life
    this.life = null
    if (!vars || this.shared.plan.flow.teardown.length === 0 || this.abort.signal.aborted) return
    this.busy = true
    try {
      await this.walk(this.shared.plan.flow.teardown, { ...vars }, null)
    } finally {
      this.busy = false
    }
  }

  /** Steps once, without think time (the run's before/after): `vars` takes their captures. */
  async once(indices: readonly number[], vars: Vars): Promise<void> {
    await this.walk(indices, vars, null, undefined, false)
  }

  /** Steps in order with think time; a step without a response ends the walk. */
  private walk(indices: readonly number[], vars: Vars, clock: GroupClock | null, intendedStart?: number, think = true): Promise<void> {
    return this.run<void>((done) => this.walkThen(indices, vars, clock, intendedStart, think, done))
  }

  /** walk() with a callback */
  private walkThen(
    indices: readonly number[],
    vars: Vars,
    clock: GroupClock | null,
    intendedStart: number | undefined,
    think: boolean,
    done: () => void,
  ): void {
    // one walk at a time per user (setup, a journey, teardown follow one another): its state
    // lives in one object, its callbacks are bound once
    const w = this.wk
    w.indices = indices
    w.vars = vars
    w.clock = clock
    w.intendedStart = intendedStart
    w.think = think
    w.done = done
    w.k = 0
    this.walkNext()
  }

  private readonly wk = {
    indices: [] as readonly number[],
    vars: {} as Vars,
    clock: null as GroupClock | null,
    intendedStart: undefined as number | undefined,
    think: true,
    done: ignore as () => void,
    /** the next step's place in indices */
    k: 0,
    /** the step in progress, its index, when it started; when its think time started */
    step: null as unknown as PlanStep,
    index: 0,
    t0: 0,
    thinkAt: 0,
  }

  private readonly walkNext = (): void => {
    const w = this.wk
    if (w.k >= w.indices.length || this.abort.signal.aborted) return w.done()
    const i = w.indices[w.k]!
    const step = this.shared.plan.steps[i]!
    const start = w.k === 0 ? w.intendedStart : undefined
    w.k++
    w.step = step
    w.index = i
    w.t0 = performance.now()
    if (step.flow) this.flow(i, step, w.vars, start, w.clock, w.think).then(this.walkFlowed, this.fail)
    else this.stepThen(i, step, w.vars, start, this.walkAfter)
  }

  private readonly walkFlowed = (ok: boolean): void => this.guard(() => this.walkAfter(ok))

  private readonly walkAfter = (ok: boolean): void => {
    const w = this.wk
    const step = w.step
    if (!ok) {
      // no response: the rest of the journey would run on missing captures; pause briefly so
      // a dead target is not hammered in a tight loop
      return this.pause(Math.max(50, step.thinkMs?.min ?? 0), w.done)
    }
    w.clock?.step(step.group, w.t0, performance.now())
    if (!step.thinkMs || !w.think || step.flow) return this.walkNext()
    w.thinkAt = performance.now()
    this.pause(pick(step.thinkMs), this.walkThought)
  }

  private readonly walkThought = (): void => {
    this.wk.clock?.pause(this.wk.thinkAt, performance.now())
    this.walkNext()
  }

  /** the promise the user is in (iterate, journeys, a walk), for an error in a callback to end
   *  it as a throw in an async function would */
  private fault: ((e: unknown) => void) | null = null
  private readonly fail = (e: unknown): void => {
    this.busy = false
    const f = this.fault
    if (!f) throw e
    f(e)
  }

  /** a callback chain as a promise: an error thrown in it (guard) rejects this promise */
  private run<T>(start: (done: (v: T) => void) => void): Promise<T> {
    const outer = this.fault
    return new Promise<T>((resolve, reject) => {
      this.fault = (e) => {
        this.fault = outer
        reject(e)
      }
      try {
        start((v) => {
          this.fault = outer
          resolve(v)
        })
      } catch (e) {
        this.fail(e)
      }
    })
  }

  /** runs a continuation from an event (a response, a timer) */
  private guard(fn: () => void): void {
    try {
      fn()
    } catch (e) {
      this.fail(e)
    }
  }

  /** a pause that a hard stop ends at once */
  private pause(ms: number, then: () => void): void {
    sleepThen(ms, this.abort.signal, () => this.guard(then))
  }

  /** A step with when / repeat / forEach / hooks (step-flow.ts): each request it makes, with its
   *  think time after it. false = a request got no response (the journey ends). */
  private async flow(index: number, step: PlanStep, vars: Vars, intendedStart: number | undefined, clock: GroupClock | null, think: boolean): Promise<boolean> {
    const signal = this.abort.signal
    for (const ev of walkStep(step, vars, this.shared.hooks?.[index])) {
      if (signal.aborted) return true
      if (ev.type === 'fail') {
        this.unsent(index, step, ev.message)
        continue
      }
      if (ev.type === 'send' && !(await this.step(index, step, vars, intendedStart))) return false
      intendedStart = undefined
      if (step.thinkMs && think) {
        const t = performance.now()
        await sleep(pick(step.thinkMs), signal)
        clock?.pause(t, performance.now())
      }
    }
    return true
  }

  /** a failed check of a step that sent nothing: a failed request never sent, as refuse() counts it */
  private unsent(index: number, step: PlanStep, message: string): void {
    this.shared.metrics.unsent(index, NOT_SENT)
    this.shared.metrics.error(step.name, 'check', message)
  }

  /** One step: the request, then each redirect hop it follows (every hop is a request of the
   *  step, as k6 counts them); the final response is judged. false = no response. */
  private step(index: number, step: PlanStep, vars: Vars, intendedStart: number | undefined): Promise<boolean> {
    return this.run<boolean>((done) => this.stepThen(index, step, vars, intendedStart, done))
  }

  /** the step in progress: a user sends one request at a time, so one object per user holds it
   *  (no closures or lists per request) */
  private readonly st: StepState = {
    index: 0,
    step: null as unknown as PlanStep,
    vars: {},
    done: ignore,
    missing: [],
    body: null,
    bodyType: null,
    url: null,
    path: '',
    method: '',
    crossed: false,
    started: 0,
    session: false,
    hop: 0,
    origin: '',
    href: null,
  }
  private readonly onMissing = (name: string): void => {
    this.st.missing.push(name)
  }

  /** step() with a callback (called once, with false when there was no response) */
  private stepThen(index: number, step: PlanStep, vars: Vars, intendedStart: number | undefined, done: (ok: boolean) => void): void {
    const { target } = this.shared
    const st = this.st
    st.index = index
    st.step = step
    st.vars = vars
    st.done = done
    if (st.missing.length) st.missing = []
    const raw = render(step.path, vars, this.onMissing)
    st.body = null
    st.bodyType = null
    if (step.body || step.form || step.multipart) {
      const bodyType = renderBody(step, vars, this.onMissing, fileBytes, this.boundary)
      const b = bodyType.body
      st.bodyType = bodyType
      st.body = typeof b === 'string' || b === null ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)
    }

    // a relative path stays on the target's origin: no URL parsing, no policy test on the hot path
    st.url = null
    st.path = ''
    if (/^https?:\/\//i.test(raw)) {
      st.url = parseUrl(raw)
      if (!st.url) {
        this.reportMissing(step, st.missing)
        return done(this.refuse(index, step, 'BAD_URL', `'${raw}' is not a URL`))
      }
    } else {
      st.path = target.basePath + (raw.startsWith('/') ? raw : `/${raw}`)
    }
    st.method = step.method
    st.crossed = false
    st.started = intendedStart ?? performance.now()
    st.session = this.cookies.on || step.redirects > 0
    st.hop = 0
    this.sendHop()
  }

  /** the step's request, or its next redirect hop */
  private sendHop(): void {
    const st = this.st
    const { step, url } = st
    const { target } = this.shared
    const origin = (st.origin = url ? originOf(url) : target.origin)
    // the full URL is built only when something needs it (a jar, a hop, a policy test)
    let href = (st.href = url ? hrefOf(url) : null)
    if (url && !mayLoad(this.policy, href!)) {
      if (st.hop === 0) this.reportMissing(step, st.missing)
      return st.done(this.refuse(st.index, step, 'NOT_ALLOWED', notAllowedMessage(href!)))
    }
    // headers are rendered per hop (missing variables reported once, on the first): one object
    // per request, as before redirects were followed
    const headers = hopHeaders(
      step,
      st.vars,
      st.hop === 0 ? this.onMissing : ignore,
      !url || mayCarryCredentials(this.policy, href!) ? target.headers : null,
      st.crossed,
      st.bodyType,
    )
    if (st.hop === 0) this.reportMissing(step, st.missing)
    if (this.cookies.hasJar) {
      const c = this.cookies.header((href = st.href ??= origin + st.path))
      if (c) headers.cookie = headers.cookie ? `${headers.cookie}; ${c}` : c
    }
    send(
      this.conns.get(origin),
      {
        method: st.method,
        path: url ? url.path : st.path,
        headers,
        body: st.body,
        timeoutMs: step.timeoutMs,
        read: step.read,
        readHeaders: step.readsHeaders,
        readSession: st.session,
        reuse: step,
      },
      st.started,
      this.track,
      this.received,
    )
  }

  /** the response (or none) to the step's request in flight */
  private readonly received = (res: Exchange | TransportFailure): void => {
    this.inFlight = null
    const st = this.st
    const { step, index, done } = st
    const { metrics } = this.shared
    try {
      if (isFailure(res)) {
        if (res.code === 'ABORTED') return done(false)
        metrics.transportError(index, res.code, res.bytes)
        metrics.error(step.name, 'transport', `${res.code}: ${res.message}`)
        return done(false)
      }
      if (res.setCookie) this.cookies.store(res.setCookie, (st.href ??= st.origin + st.path))
      if (step.redirects > 0 && res.location !== null && isRedirect(res.status)) {
        const here = st.url ?? parseUrl((st.href ??= st.origin + st.path))!
        const next = resolveReference(res.location, here)
        const problem = !next ? badLocation(res.location) : st.hop >= step.redirects ? tooManyRedirects(step.redirects, hrefOf(next)) : null
        if (problem) {
          metrics.response(index, res.status, res.ms, true, 0, 0, res.bytes, res.decodedBytes, res.proto)
          metrics.error(step.name, 'status', problem)
          return done(true)
        }
        // a hop that leads on is a request of the step that did not fail
        metrics.response(index, res.status, res.ms, false, 0, 0, res.bytes, res.decodedBytes, res.proto)
        const m = nextMethod(res.status, st.method)
        st.method = m.method
        if (!m.keepBody) {
          st.body = null
          st.bodyType = DROPPED
        }
        if (originOf(next!) !== st.origin) st.crossed = true
        st.url = next
        st.started = performance.now()
        st.hop++
        return this.sendHop()
      }
      this.finish(index, step, res, step.cookieCaptures.length ? (st.href ?? st.origin + st.path) : '', st.missing.length, st.vars)
      done(true)
    } catch (e) {
      this.fail(e)
    }
  }

  /** judges the step's final response and records it */
  private finish(index: number, step: PlanStep, res: Exchange, href: string, missing: number, vars: Vars): void {
    const { metrics } = this.shared
    if (!step.flow?.after && step.cookieCaptures.length === 0 && statusOnly(step)) {
      // the common step: judged on its status, nothing else built
      const statusFailure = judgeStatus(step, res.status)
      const failed = statusFailure !== null
      const passed = !failed && step.check.status ? 1 : 0
      metrics.response(index, res.status, res.ms, failed || missing > 0, passed, missing, res.bytes, res.decodedBytes, res.proto)
      if (failed) metrics.error(step.name, 'status', statusFailure)
      return
    }
    const j = judge(step, res)
    for (const c of step.cookieCaptures) {
      const v = this.cookies.value(href, c.cookie)
      if (v === undefined) j.failures.push(`capture ${c.name}: cookie ${c.cookie} is not in the jar for ${href}`)
      else {
        j.captured[c.name] = v
        j.checksPassed++
      }
    }
    Object.assign(vars, j.captured)
    if (step.flow?.after) {
      const m = callHook(this.shared.hooks?.[index]?.after, 'after', [vars, hookResponse(res.status, res.headers, res.text)])
      if (m) j.failures.push(m)
    }
    const failed = j.failures.length > 0 || missing > 0
    metrics.response(
      index,
      res.status,
      res.ms,
      failed,
      j.checksPassed,
      j.failures.length - (j.statusFailed ? 1 : 0) + missing,
      res.bytes,
      res.decodedBytes,
      res.proto,
    )
    for (const f of j.failures) metrics.error(step.name, j.statusFailed && f.startsWith('status') ? 'status' : 'check', f)
    if (j.metric !== undefined) metrics.flow.metric(step.metric!.name, step.metric!.type, j.metric)
  }

  private reportMissing(step: PlanStep, missing: string[]): void {
    for (const name of missing) this.shared.metrics.error(step.name, 'check', `variable {{${name}}} is not set (did an earlier capture fail?)`)
  }

  /** a request never sent: counted as a failed request of the step with no latency */
  private refuse(index: number, step: PlanStep, code: string, message: string): false {
    this.shared.metrics.transportError(index, code)
    this.shared.metrics.error(step.name, 'transport', message)
    return false
  }

  private row(): Row | undefined {
    const data = this.shared.plan.data!
    if (data.mode === 'per-vu') return data.rows[(this.id - 1) % data.rows.length]
    if (data.mode === 'random') return data.rows[Math.floor(Math.random() * data.rows.length)]
    return this.shared.nextRow()
  }

  /** cut off the current journey (after gracefulStop) */
  hardStop(): void {
    this.abort.abort()
    this.inFlight?.abort()
  }

  async close(): Promise<void> {
    this.abort.abort()
    await this.conns.close()
  }
}

function pick(r: { min: number; max: number }): number {
  return r.min === r.max ? r.min : r.min + Math.random() * (r.max - r.min)
}

const ignore = () => {}

/** what a step in progress keeps between its request and the response (VirtualUser.st) */
interface StepState {
  index: number
  step: PlanStep
  vars: Vars
  done: (ok: boolean) => void
  /** variables its templates named that are not set */
  missing: string[]
  body: string | Buffer | null
  bodyType: RenderedBody | null
  url: UrlParts | null
  path: string
  method: string
  crossed: boolean
  started: number
  session: boolean
  hop: number
  origin: string
  href: string | null
}
/** the body was dropped on a redirect: so are the headers that describe it */
const DROPPED: RenderedBody = { body: null, contentType: null, forced: false }

/** One request's headers: the environment's (when they may go there), the step's (hand-set
 *  authorization and cookie dropped once the chain left its origin), the body's content type. */
function hopHeaders(
  step: PlanStep,
  vars: Vars,
  onMissing: (name: string) => void,
  env: [string, string][] | null,
  crossed: boolean,
  body: RenderedBody | null,
): Record<string, string> {
  const h: Record<string, string> = {}
  if (env) for (const [k, v] of env) h[k] = v
  for (const [k, t] of step.headers) {
    if ((crossed && ORIGIN_BOUND_HEADERS.includes(k)) || (body === DROPPED && BODY_HEADERS.includes(k))) continue
    h[k] = render(t as Template, vars, onMissing)
  }
  if (body?.contentType && (body.forced || !h['content-type'])) h['content-type'] = body.contentType
  return h
}

/** one origin policy per target and thread, not one per user */
const policies = new WeakMap<Target, OriginPolicy>()
function policyOf(t: Target): OriginPolicy {
  let p = policies.get(t)
  if (!p) {
    p = originPolicy(t.origin, t.hosts)
    policies.set(t, p)
  }
  return p
}

/** a multipart file's bytes, decoded once per thread */
const files = new WeakMap<object, Uint8Array>()
function fileBytes(p: PlanPart & { file: unknown }): Uint8Array {
  const f = (p as { file: { data: string } }).file
  let b = files.get(f)
  if (!b) {
    b = Buffer.from(f.data, 'base64')
    files.set(f, b)
  }
  return b
}

const groupsSeen = new WeakMap<object, boolean>()
/** whether a journey has groups, looked up once per journey object */
function hasGroups(groups: Readonly<Record<string, number>>): boolean {
  let has = groupsSeen.get(groups)
  if (has === undefined) {
    has = Object.keys(groups).length > 0
    groupsSeen.set(groups, has)
  }
  return has
}
