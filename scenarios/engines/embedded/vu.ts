// A virtual user: walks the journey step by step with its own variables and connection,
// as a person would, pausing for think time between steps.

import type { PlanStep, ScenarioPlan } from '../../compile.js'
import type { PlanPart } from '../../compile-session.js'
import { render, type Template, type Vars } from '../../template.js'
import type { Row } from '../../feeder.js'
import { Connections, exchange, isFailure, type Exchange, type InFlight, type Target } from './http.js'
import { judge } from '../../judge.js'
import { mayCarryCredentials, mayLoad, notAllowedMessage, originPolicy, type OriginPolicy } from '../../../core/origins.js'
import { BODY_HEADERS, ORIGIN_BOUND_HEADERS, badLocation, hrefOf, isRedirect, nextMethod, originOf, parseUrl, resolveReference, tooManyRedirects, type UrlParts } from '../../redirects.js'
import { newBoundary } from '../../multipart.js'
import { renderBody } from '../../request-body.js'
import { UserCookies } from './cookies.js'
import type { WorkerMetrics } from './metrics.js'
import { sleep } from './sleep.js'

export interface VuShared {
  plan: ScenarioPlan
  target: Target
  metrics: WorkerMetrics
  /** the next row for 'sequential' feeders, shared by the worker's users */
  nextRow: () => Row | undefined
}

export class VirtualUser {
  private readonly conns: Connections
  private iteration = 0
  /** aborts the current iteration at once (hard stop after gracefulStop) */
  private abort = new AbortController()
  /** the request in flight, so a hard stop can cut it off */
  private inFlight: InFlight | null = null
  private readonly track = (r: InFlight) => { this.inFlight = r }
  private readonly policy: OriginPolicy
  private readonly cookies: UserCookies
  private readonly boundary = newBoundary()
  busy = false

  constructor(readonly id: number, private readonly shared: VuShared) {
    this.conns = new Connections(shared.target.ca)
    this.policy = policyOf(shared.target)
    this.cookies = new UserCookies(shared.plan.cookies ?? 'journey')
  }

  /** One journey. `intendedStart` (performance.now() time) is set by the open model. */
  async iterate(intendedStart?: number): Promise<void> {
    const { plan, metrics } = this.shared
    this.busy = true
    const vars: Vars = { ...plan.vars, __VU: this.id, __ITER: this.iteration++ }
    if (plan.data) vars[plan.data.as] = this.row()
    this.cookies.journeyStart()
    const signal = this.abort.signal
    try {
      for (let i = 0; i < plan.steps.length && !signal.aborted; i++) {
        const step = plan.steps[i]!
        const ok = await this.step(i, step, vars, i === 0 ? intendedStart : undefined)
        if (!ok) {
          // no response: the rest of the journey would run on missing captures; pause briefly so
          // a dead target is not hammered in a tight loop
          await sleep(Math.max(50, step.thinkMs?.min ?? 0), signal)
          break
        }
        if (step.thinkMs) await sleep(pick(step.thinkMs), signal)
      }
      if (plan.pacingMs) await sleep(pick(plan.pacingMs), signal)
      if (!signal.aborted) metrics.iterations++
    } finally {
      this.busy = false
    }
  }

  /** One step: the request, then each redirect hop it follows (every hop is a request of the
   *  step, as k6 counts them); the final response is judged. false = no response. */
  private async step(index: number, step: PlanStep, vars: Vars, intendedStart: number | undefined): Promise<boolean> {
    const { target, metrics } = this.shared
    const missing: string[] = []
    const onMissing = (name: string) => missing.push(name)
    const raw = render(step.path, vars, onMissing)
    const stepHeaders: Record<string, string> = {}
    for (const [k, t] of step.headers) stepHeaders[k] = render(t as Template, vars, onMissing)
    let body: string | Buffer | null = null
    if (step.body || step.form || step.multipart) {
      const r = renderBody(step, vars, onMissing, fileBytes, this.boundary)
      body = typeof r.body === 'string' || r.body === null ? r.body : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength)
      if (r.contentType && (r.forced || !stepHeaders['content-type'])) stepHeaders['content-type'] = r.contentType
    }
    for (const name of missing) metrics.error(step.name, 'check', `variable {{${name}}} is not set (did an earlier capture fail?)`)

    // a relative path stays on the target's origin: no URL parsing, no policy test on the hot path
    let url: UrlParts | null = null
    let path = ''
    if (/^https?:\/\//i.test(raw)) {
      url = parseUrl(raw)
      if (!url) return this.refuse(index, step, 'BAD_URL', `'${raw}' is not a URL`)
    } else {
      path = target.basePath + (raw.startsWith('/') ? raw : `/${raw}`)
    }
    let method = step.method
    let crossed = false
    let started = intendedStart ?? performance.now()
    const session = this.cookies.on || step.redirects > 0
    for (let hop = 0; ; hop++) {
      const origin = url ? originOf(url) : target.origin
      // the full URL is built only when something needs it (a jar, a hop, a policy test)
      let href: string | null = url ? hrefOf(url) : null
      if (url && !mayLoad(this.policy, href!)) return this.refuse(index, step, 'NOT_ALLOWED', notAllowedMessage(href!))
      const headers: Record<string, string> = {}
      if (!url || mayCarryCredentials(this.policy, href!)) for (const [k, v] of target.headers) headers[k] = v
      for (const k in stepHeaders) if (!crossed || !ORIGIN_BOUND_HEADERS.includes(k)) headers[k] = stepHeaders[k]!
      if (this.cookies.hasJar) {
        const c = this.cookies.header(href ??= origin + path)
        if (c) headers.cookie = headers.cookie ? `${headers.cookie}; ${c}` : c
      }
      const res = await exchange(this.conns.get(origin), { method, path: url ? url.path : path, headers, body, timeoutMs: step.timeoutMs, readBody: step.readsBody, readHeaders: step.readsHeaders, readSession: session }, started, this.track)
      this.inFlight = null
      if (isFailure(res)) {
        if (res.code === 'ABORTED') return false
        metrics.transportError(index, res.code)
        metrics.error(step.name, 'transport', `${res.code}: ${res.message}`)
        return false
      }
      if (res.setCookie) this.cookies.store(res.setCookie, href ??= origin + path)
      if (step.redirects > 0 && res.location !== null && isRedirect(res.status)) {
        const here = url ?? parseUrl(href ??= origin + path)!
        const next = resolveReference(res.location, here)
        const problem = !next ? badLocation(res.location) : hop >= step.redirects ? tooManyRedirects(step.redirects, hrefOf(next)) : null
        if (problem) {
          metrics.response(index, res.status, res.ms, true, 0, 0, res.bytes)
          metrics.error(step.name, 'status', problem)
          return true
        }
        // a hop that leads on is a request of the step that did not fail
        metrics.response(index, res.status, res.ms, false, 0, 0, res.bytes)
        const m = nextMethod(res.status, method)
        method = m.method
        if (!m.keepBody) { body = null; for (const h of BODY_HEADERS) delete stepHeaders[h] }
        if (originOf(next!) !== origin) crossed = true
        url = next
        started = performance.now()
        continue
      }
      this.finish(index, step, res, step.cookieCaptures.length ? href ?? origin + path : '', missing.length, vars)
      return true
    }
  }

  /** judges the step's final response and records it */
  private finish(index: number, step: PlanStep, res: Exchange, href: string, missing: number, vars: Vars): void {
    const { metrics } = this.shared
    const j = judge(step, res)
    for (const c of step.cookieCaptures) {
      const v = this.cookies.value(href, c.cookie)
      if (v === undefined) j.failures.push(`capture ${c.name}: cookie ${c.cookie} is not in the jar for ${href}`)
      else { j.captured[c.name] = v; j.checksPassed++ }
    }
    const failed = j.failures.length > 0 || missing > 0
    metrics.response(index, res.status, res.ms, failed, j.checksPassed, j.failures.length - (j.statusFailed ? 1 : 0) + missing, res.bytes)
    for (const f of j.failures) metrics.error(step.name, j.statusFailed && f.startsWith('status') ? 'status' : 'check', f)
    Object.assign(vars, j.captured)
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

/** one origin policy per target and thread, not one per user */
const policies = new WeakMap<Target, OriginPolicy>()
function policyOf(t: Target): OriginPolicy {
  let p = policies.get(t)
  if (!p) { p = originPolicy(t.origin, t.hosts); policies.set(t, p) }
  return p
}

/** a multipart file's bytes, decoded once per thread */
const files = new WeakMap<object, Uint8Array>()
function fileBytes(p: PlanPart & { file: unknown }): Uint8Array {
  const f = (p as { file: { data: string } }).file
  let b = files.get(f)
  if (!b) { b = Buffer.from(f.data, 'base64'); files.set(f, b) }
  return b
}
