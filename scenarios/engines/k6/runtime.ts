/// <reference types="k6" />
// Runs inside k6 (its JavaScript runtime, not Node): one journey per k6 iteration, rendered and
// judged by the same code as the embedded engine. `golive k6 build` bundles this file, the plan
// and the data rows into one plain k6 script.
//
// Metrics it adds to k6's own (every request also carries the tag name=<step>):
//   golive_errors           Rate     per request: 1 when it failed (transport, status or check)
//   golive_failed_requests  Counter  the failed requests, for count thresholds
//   golive_error_messages   Counter  one per failure, tagged kind + error, for the top-errors table
//   golive_checks_passed / golive_checks_failed  Counters, as the embedded engine counts them
//   golive_epoch            Counter  one sample in setup(): the run's time origin for the timeline
//   golive_refused          Counter  a request never sent (outside the environment's hosts, or not a URL), tagged code
//   golive_bytes_decoded    Counter  per request whose body a check reads: its decoded size (k6
//                                    decodes gzip, deflate, br itself)
//   golive_journey          Counter  one per iteration, tagged journey (the weighted mix's pick)
//   golive_group_duration   Trend    a group's duration in one iteration (ms, think time left out), tagged group
//   golive_metric_trend / golive_metric_counter / golive_metric_rate   custom metrics, tagged metric
//   golive_idle_iterations  Counter  an iteration after the VU's teardown ran (no requests)
//
// The flow: before → setup() (its captures are the data every iteration gets), after → teardown();
// a user's setup runs in its VU's first iteration, its teardown in the iteration ending at the
// scenario's end (flow.ts says where that holds).
//
// Redirects are followed here, hop by hop (k6 requests with redirects: 0), by the same pure code
// as the embedded engine: every hop is its own request sample tagged with the step's name.

import http from 'k6/http'
import { check, sleep } from 'k6'
import exec from 'k6/execution'
import { SharedArray } from 'k6/data'
import encoding from 'k6/encoding'
import { Counter, Rate, Trend } from 'k6/metrics'
import type { PlanStep, ScenarioPlan } from '../../compile.js'
import type { PlanPart } from '../../compile-session.js'
import type { Row } from '../../feeder.js'
import { judge, judgeStatus, limitText, statusOnly } from '../../step-checks.js'
import { newBoundary } from '../../multipart.js'
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
import { renderBody } from '../../request-body.js'
import { render, type Template, type Vars } from '../../template.js'
import { transportCode } from './error-codes.js'
import { NOT_SENT, callHook, hookResponse, walkStep } from '../../step-flow.js'
import type { StepHooks } from '../../hooks.js'
import { pickJourney } from '../../mix.js'
import { GroupClock } from '../../groups.js'
import { END_MARGIN_MS } from './flow.js'

/** The plan as the script carries it: the data rows travel separately, inside SharedArray. */
export type K6Plan = Pick<ScenarioPlan, 'name' | 'steps' | 'pacingMs' | 'vars' | 'cookies' | 'flow'> & {
  data: { mode: 'per-vu' | 'sequential' | 'random'; as: string } | null
  /** ms from the scenario's start after which an iteration's end is the user's last (teardown) */
  teardownAtMs: number | null
}

/** The target baked in at build time; GOLIVE_TARGET and GOLIVE_HEADERS (JSON) override it at run
 *  time, so secrets never have to be written into the script. */
export interface K6Defaults {
  baseUrl: string
  /** origins besides the target's that steps and redirects may load (the environment's hosts) */
  hosts?: string[]
}

export function createJourney(
  plan: K6Plan,
  loadRows: (() => Row[]) | null,
  defaults: K6Defaults,
  hooks: (StepHooks | undefined)[] | null = null,
): { setup: () => Vars; iterate: (data?: Vars) => void; teardown: (data?: Vars) => void } {
  const errors = new Rate('golive_errors')
  const failedRequests = new Counter('golive_failed_requests')
  const messages = new Counter('golive_error_messages')
  const checksPassed = new Counter('golive_checks_passed')
  const checksFailed = new Counter('golive_checks_failed')
  const epoch = new Counter('golive_epoch')
  const bytesDecoded = new Counter('golive_bytes_decoded')
  const journeys = new Counter('golive_journey')
  const groupDuration = new Trend('golive_group_duration', true)
  const custom = { trend: new Trend('golive_metric_trend'), counter: new Counter('golive_metric_counter'), rate: new Rate('golive_metric_rate') }
  const idle = new Counter('golive_idle_iterations')
  // SharedArray runs loadRows once and shares the rows between VUs read-only
  const rows: Row[] | null = plan.data && loadRows ? (new SharedArray('golive-data', loadRows) as unknown as Row[]) : null
  const base = String(__ENV.GOLIVE_TARGET || defaults.baseUrl).replace(/\/$/, '')
  if (!base) throw new Error('golive: no target. Run it as: k6 run -e GOLIVE_TARGET=http://127.0.0.1:8080 <script>')
  const targetHeaders: Record<string, string> = __ENV.GOLIVE_HEADERS ? JSON.parse(__ENV.GOLIVE_HEADERS) : {}
  // core/origins.ts's rule, on this runtime's URL parser (k6 has no WHATWG URL): traffic only to
  // the allowed origins, the environment's credentials only to the home origin
  const baseParts = parseUrl(base)
  if (!baseParts) throw new Error(`golive: the target ${base} is not an http(s) URL`)
  const home = originOf(baseParts)
  const allowed: Record<string, true> = { [home]: true }
  for (const h of defaults.hosts ?? []) {
    const u = parseUrl(h)
    if (u) allowed[originOf(u)] = true
  }
  const refused = new Counter('golive_refused')
  const boundary = newBoundary()
  const files: Record<string, Uint8Array> = {}
  const fileBytes = (p: PlanPart & { file: unknown }): Uint8Array => {
    const f = (p as { file: { data: string } }).file
    return (files[f.data] ??= new Uint8Array(encoding.b64decode(f.data, 'std')))
  }
  // the jar: k6's own (Go's net/http/cookiejar), one per journey, per user ('keep') or, when
  // cookies are off, a fresh one per request so nothing is ever sent back
  let jar: http.CookieJar | null = null
  const jarFor = (): http.CookieJar => (plan.cookies === 'off' ? new http.CookieJar() : (jar ??= new http.CookieJar()))

  // with setup/teardown/before/after steps, every request says its phase: the thresholds on the
  // scenario's totals take golive_phase:journey only, as golive's figures do
  const phased = plan.steps.some((st) => st.phase !== 'journey')
  // Costs measured in k6's JavaScript runtime (an interpreter, tens of times slower than V8; see
  // BENCHMARKS.md): per request, parsing the URL ~27 µs, reading exec.vu ~14 µs, a GroupClock
  // ~13 µs, check() with a fresh object ~11 µs. So what is the same for every request of a step
  // or every iteration of a user is made once: tags, check objects, parsed URLs, the VU's id.
  const stepTags = new Map<PlanStep, Record<string, string>>()
  const tagsOf = (step: PlanStep): Record<string, string> => {
    let t = stepTags.get(step)
    if (!t) stepTags.set(step, (t = phased ? { name: step.name, golive_phase: step.phase } : { name: step.name }))
    return t
  }
  let lastOk = false
  const stepChecks = new Map<PlanStep, Record<string, () => boolean>>()
  /** k6's own checks metric, so k6's summary and dashboard show the journey's health too */
  const checkStep = (step: PlanStep, res: unknown, ok: boolean, tags: Record<string, string>): void => {
    let c = stepChecks.get(step)
    if (!c) stepChecks.set(step, (c = { [`${step.name} ok`]: () => lastOk }))
    lastOk = ok
    check(res, c, tags)
  }
  // a rendered path → its parsed URL (rendered paths repeat: a static path always); bounded
  const urls = new Map<string, UrlParts | null>()
  const urlOf = (raw: string): UrlParts | null => {
    let u = urls.get(raw)
    if (u === undefined) {
      u = /^https?:\/\//i.test(raw) ? parseUrl(raw) : parseUrl(base + (raw.startsWith('/') ? raw : `/${raw}`))
      if (urls.size >= 1000) urls.clear()
      urls.set(raw, u)
    }
    return u
  }

  const fail = (step: PlanStep, kind: 'transport' | 'status' | 'check', message: string) => {
    messages.add(1, { name: step.name, kind, error: message.length > 160 ? `${message.slice(0, 157)}...` : message })
  }

  const refuse = (step: PlanStep, tags: Record<string, string>, code: 'NOT_ALLOWED' | 'BAD_URL', message: string): false => {
    refused.add(1, { ...tags, code })
    errors.add(1, tags)
    failedRequests.add(1, tags)
    fail(step, 'transport', message)
    return false
  }

  function runStep(step: PlanStep, vars: Vars): boolean {
    const missing: string[] = []
    const onMissing = (name: string) => {
      missing.push(name)
    }
    const raw = render(step.path, vars, onMissing)
    const tags = tagsOf(step)
    const stepHeaders: Record<string, string> = {}
    // index loops on the per-request path: a for-of builds an iterator in Sobek (with a
    // destructured pair, 5.5 µs against 1.5 µs for the index loop)
    for (let i = 0; i < step.headers.length; i++) stepHeaders[step.headers[i]![0]] = render(step.headers[i]![1] as Template, vars, onMissing)
    const r = renderBody(step, vars, onMissing, fileBytes, boundary)
    let body: string | ArrayBuffer | null = r.body === null || typeof r.body === 'string' ? r.body : (r.body.buffer as ArrayBuffer)
    if (r.contentType && (r.forced || !stepHeaders['content-type'])) stepHeaders['content-type'] = r.contentType
    for (let i = 0; i < missing.length; i++) fail(step, 'check', `variable {{${missing[i]}}} is not set (did an earlier capture fail?)`)

    let url = urlOf(raw)
    if (!url) return refuse(step, tags, 'BAD_URL', `'${raw}' is not a URL`)
    let method = step.method
    let crossed = false
    for (let hop = 0; ; hop++) {
      const origin = originOf(url)
      const href = hrefOf(url)
      if (!allowed[origin]) return refuse(step, tags, 'NOT_ALLOWED', `${origin} is not one of this environment's hosts; add it to hosts to load it`)
      const headers: Record<string, string> = origin === home ? { ...targetHeaders } : {}
      for (const k in stepHeaders) if (!crossed || ORIGIN_BOUND_HEADERS.indexOf(k) < 0) headers[k] = stepHeaders[k]!
      const res = http.request(method, href, body, {
        headers,
        tags,
        timeout: `${step.timeoutMs}ms`,
        redirects: 0,
        jar: jarFor(),
        // like the embedded engine, bodies are kept only when a check or capture reads them
        responseType: step.readsBody ? 'text' : 'none',
      })
      if (res.status === 0) {
        errors.add(1, tags)
        failedRequests.add(1, tags)
        fail(step, 'transport', `${transportCode(res.error_code)}: ${res.error}`)
        return false
      }
      const location = step.redirects > 0 && isRedirect(res.status) ? res.headers.Location : undefined
      if (location !== undefined) {
        // a hop's body read counts its decoded size, as the embedded engine records it per hop
        if (typeof res.body === 'string') bytesDecoded.add(limitText(res.body, step.maxBodyBytes).bytes, tags)
        const next = resolveReference(location, url)
        const problem = !next ? badLocation(location) : hop >= step.redirects ? tooManyRedirects(step.redirects, hrefOf(next)) : null
        if (problem) {
          errors.add(1, tags)
          failedRequests.add(1, tags)
          fail(step, 'status', problem)
          checkStep(step, res, false, tags)
          return true
        }
        errors.add(0, tags) // a hop that leads on is a request of the step that did not fail
        const m = nextMethod(res.status, method)
        method = m.method
        if (!m.keepBody) {
          body = null
          for (const h of BODY_HEADERS) delete stepHeaders[h]
        }
        if (originOf(next!) !== origin) crossed = true
        url = next!
        continue
      }
      finish(step, res, href, missing.length, vars)
      return true
    }
  }

  function finish(step: PlanStep, res: http.RefinedResponse<http.ResponseType | undefined>, href: string, missing: number, vars: Vars): void {
    const tags = tagsOf(step)
    const headersLower: Record<string, string> = {}
    if (step.readsHeaders) for (const k of Object.keys(res.headers)) headersLower[k.toLowerCase()] = res.headers[k]!
    // k6 hands over whole (decoded) bodies: checks read the first maxBodyBytes, as on the embedded engine
    let text: string | null = null
    let truncated = false
    if (typeof res.body === 'string') {
      const cut = limitText(res.body, step.maxBodyBytes)
      text = cut.text
      truncated = cut.truncated
      bytesDecoded.add(cut.bytes, tags)
    }
    // a step judged on its status alone (step-checks.ts): the same samples as below, with no
    // judgement built (judge costs ~20 µs a call in Sobek)
    if (statusOnly(step) && step.cookieCaptures.length === 0 && !step.flow?.after) {
      const message = judgeStatus(step, res.status)
      const failed = message !== null || missing > 0
      errors.add(failed ? 1 : 0, tags)
      if (failed) failedRequests.add(1, tags)
      if (message === null && step.check.status) checksPassed.add(1, tags)
      if (missing) checksFailed.add(missing, tags)
      if (message !== null) fail(step, 'status', message)
      checkStep(step, res, !failed, tags)
      return
    }
    const j = judge(step, { status: res.status, headers: headersLower, text, truncated })
    if (step.cookieCaptures.length) {
      const inJar = jarFor().cookiesForURL(href)
      for (const c of step.cookieCaptures) {
        const v = inJar[c.cookie]?.[0]
        if (v === undefined) j.failures.push(`capture ${c.name}: cookie ${c.cookie} is not in the jar for ${href}`)
        else {
          j.captured[c.name] = v
          j.checksPassed++
        }
      }
    }
    Object.assign(vars, j.captured)
    if (step.flow?.after) {
      const m = callHook(hooks?.[plan.steps.indexOf(step)]?.after, 'after', [vars, hookResponse(res.status, res.headers, text)])
      if (m) j.failures.push(m)
    }
    const failed = j.failures.length > 0 || missing > 0
    errors.add(failed ? 1 : 0, tags)
    if (failed) failedRequests.add(1, tags)
    if (j.checksPassed) checksPassed.add(j.checksPassed, tags)
    const checkFailures = j.failures.length - (j.statusFailed ? 1 : 0) + missing
    if (checkFailures) checksFailed.add(checkFailures, tags)
    for (let i = 0; i < j.failures.length; i++) {
      const f = j.failures[i]!
      fail(step, j.statusFailed && f.startsWith('status') ? 'status' : 'check', f)
    }
    checkStep(step, res, !failed, tags)
    if (j.metric !== undefined) custom[step.metric!.type].add(j.metric, { metric: step.metric!.name })
  }

  /** a failed check of a step that sent nothing (step-flow.ts): a failed request never sent, as
   *  the embedded engine counts it */
  function unsent(step: PlanStep, message: string): void {
    const tags = tagsOf(step)
    refused.add(1, { ...tags, code: NOT_SENT })
    errors.add(1, tags)
    failedRequests.add(1, tags)
    checksFailed.add(1, tags)
    fail(step, 'check', message)
  }

  /** a step with when / repeat / forEach / hooks: false = a request got no response */
  function runFlow(i: number, step: PlanStep, vars: Vars, clock: GroupClock | null, think: boolean): boolean {
    for (const ev of walkStep(step, vars, hooks?.[i])) {
      if (ev.type === 'fail') {
        unsent(step, ev.message)
        continue
      }
      if (ev.type === 'send' && !runStep(step, vars)) return false
      if (think && step.thinkMs) {
        const t = Date.now()
        sleep(pick(step.thinkMs) / 1000)
        if (clock) clock.pause(t, Date.now())
      }
    }
    return true
  }

  function row(): Row | undefined {
    if (!rows || !plan.data || rows.length === 0) return undefined
    if (plan.data.mode === 'per-vu') return rows[(vuId() - 1) % rows.length]
    if (plan.data.mode === 'random') return rows[Math.floor(Math.random() * rows.length)]
    return rows[exec.scenario.iterationInTest % rows.length]
  }

  /** steps in order (think time unless `think` is false); a step without a response ends the walk */
  function walk(indices: number[], vars: Vars, clock: GroupClock | null, think = true): void {
    for (let n = 0; n < indices.length; n++) {
      const i = indices[n]!
      const step = plan.steps[i]!
      const t0 = Date.now()
      if (!(step.flow ? runFlow(i, step, vars, clock, think) : runStep(step, vars))) {
        // no response: the rest of the journey would run on missing captures; pause briefly so
        // a dead target is not hammered in a tight loop (as the embedded engine does)
        sleep(Math.max(50, step.thinkMs?.min ?? 0) / 1000)
        break
      }
      if (clock) clock.step(step.group, t0, Date.now())
      if (think && step.thinkMs && !step.flow) {
        const t = Date.now()
        sleep(pick(step.thinkMs) / 1000)
        if (clock) clock.pause(t, Date.now())
      }
    }
  }

  // this VU's user: its variables for life (setup's captures), and whether it tore down
  let life: Vars | null = null
  let tornDown = false
  // exec.vu builds a new object on every read: this VU's id once, its iteration counted here (one
  // scenario per script, so this equals exec.vu.iterationInScenario)
  let vu = 0
  const vuId = (): number => (vu ||= exec.vu.idInTest)
  let iteration = 0
  let startTime = 0
  const journeyTags: Record<string, Record<string, string>> = {}

  return {
    setup() {
      epoch.add(1)
      const vars: Vars = { ...plan.vars }
      walk(plan.flow.before, vars, null, false)
      return vars
    },
    iterate(data?: Vars) {
      if (tornDown) {
        idle.add(1)
        return
      }
      if (!life) {
        life = { ...plan.vars, ...data, __VU: vuId() }
        if (plan.data) life[plan.data.as] = row()
        walk(plan.flow.setup, life, null)
      }
      const vars: Vars = { ...life, __VU: vuId(), __ITER: iteration++ }
      if (plan.data) vars[plan.data.as] = row()
      if (plan.cookies !== 'keep') jar = null
      const journey = pickJourney(plan.flow.journeys)
      const clock = hasGroups(journey.groups) ? new GroupClock(journey.groups) : null
      walk(journey.steps, vars, clock)
      if (plan.pacingMs) {
        const t = Date.now()
        sleep(pick(plan.pacingMs) / 1000)
        clock?.pause(t, Date.now())
      }
      journeys.add(1, (journeyTags[journey.name] ??= { journey: journey.name }))
      if (clock) for (const [g, ms] of clock.durations()) groupDuration.add(ms, { group: g })
      if (plan.teardownAtMs !== null && Date.now() - (startTime ||= exec.scenario.startTime) >= plan.teardownAtMs - END_MARGIN_MS) {
        tornDown = true
        walk(plan.flow.teardown, life, null)
      }
    },
    teardown(data?: Vars) {
      walk(plan.flow.after, { ...plan.vars, ...data }, null, false)
    },
  }
}

function hasGroups(groups: Readonly<Record<string, number>>): boolean {
  for (const _ in groups) return true
  return false
}

function pick(r: { min: number; max: number }): number {
  return r.min === r.max ? r.min : r.min + Math.random() * (r.max - r.min)
}
