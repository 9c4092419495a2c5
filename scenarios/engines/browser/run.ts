// The browser engine: N users, each running the spec's tests in a loop until the duration (or
// the iteration budget) is spent. Every test of an iteration gets a fresh context (storage and
// cookies empty) in one of a bounded pool of Chromium processes; test.step titles are timed as
// steps; a thrown error or failed expect fails the iteration, attributed to the innermost step.
// The first failure keeps a screenshot and a Playwright trace. Ctrl-C closes every browser and
// returns what was measured, marked partial.

import { AsyncLocalStorage } from 'node:async_hooks'
import { EventEmitter } from 'node:events'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createHistogram, encodeHistogram, recordMs, summarize, type Histogram } from '../../../core/histogram.js'
import type { AbortInfo, BrowserStepResult, ScenarioError, ScenarioResult, TimelinePoint } from '../../../core/results.js'
import type { LiveEvent } from '../../../core/live.js'
import { abortReason } from '../../outcome.js'
import { LiveSeconds } from '../live-seconds.js'
import { round } from '../../../core/units.js'
import type { ProgressEvent } from '../embedded/run.js'
import { mayCarryCredentials, mayLoad, type OriginPolicy } from '../../../core/origins.js'
import { availableMiB, chromiumChildren, descendantsPssMiB, processAlive } from './memory.js'
import type { BrowserPlan } from './plan.js'
import type { RecordedTest, SpecRegistry } from './shim.js'
import { p75, VitalsCollector, type PageView } from './vitals.js'

export interface BrowserRunOptions {
  /** the environment's base URL: the tests' baseURL */
  baseURL: string
  /** the environment's headers and auth: sent only to its own origin (core/origins.ts) */
  headers: Record<string, string>
  /** where pages may load from (the base URL's origin plus hosts); anything else is blocked */
  policy: OriginPolicy
  ignoreHttpsErrors: boolean
  /** where the first failure's screenshot and trace go (the run directory) */
  runDir: string
  signal?: AbortSignal
}

/** One test's running state: the steps open now, and where an error was first seen. */
interface Running {
  open: string[]
  failedStep: string | null
  stats: StepStats
  /** the run is stopping: a step ending now was cut (its context closed under it), not measured */
  cut: () => boolean
  onStep?: (key: string, ms: number, failed: boolean) => void
  /** the steps' records, applied when their iteration counts: an iteration cut after a step
   *  ended (the run stopping in its afterEach or cleanup) counts nowhere, its steps with it */
  pending: (() => void)[]
}
type StepStats = Map<string, { title: string; h: Histogram; count: number; errors: number }>

const als = new AsyncLocalStorage<Running>()
/** page views kept in results.json as evidence (the p75 figures use every one) */
const MAX_VIEWS = 500
const roundView = (v: PageView): PageView =>
  Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'number' ? round(x, k === 'CLS' ? 4 : 1) : x])) as PageView
const KEY = Symbol.for('golive.browser-spec')

/** test.step as the shim calls it: timed, and the innermost step of a failure remembered. */
async function step(title: string, body: () => unknown): Promise<unknown> {
  const r = als.getStore()
  if (!r) return body()
  r.open.push(title)
  const t0 = performance.now()
  let failed = false
  try {
    return await body()
  } catch (e) {
    failed = true
    r.failedStep ??= r.open.join(' › ')
    throw e
  } finally {
    r.open.pop()
    // biome-ignore lint/correctness/noUnsafeFinally: a step the run cut short neither counts nor fails: its error is dropped on purpose
    if (r.cut()) return
    const key = stepKey(title)
    const ms = performance.now() - t0
    r.pending.push(() => {
      const s = r.stats.get(key) ?? { title, h: createHistogram(), count: 0, errors: 0 }
      recordMs(s.h, ms)
      r.onStep?.(key, ms, failed)
      s.count++
      if (failed) s.errors++
      r.stats.set(key, s)
    })
  }
}
const registry = ((globalThis as Record<symbol, SpecRegistry>)[KEY] ??= { tests: [], unsupported: [] })
registry.step = step
registry.info = () => ({ title: 'golive browser user', project: { name: 'golive' }, retry: 0 })

/** How long a cleanup call (flush, trace stop, context close) may take before it is given up. */
const CLEANUP_MS = 10_000
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref())
/** Playwright's errors for a call on a browser, context or page that is gone */
const CLOSED = /Target page, context or browser has been closed|Browser has been closed|browser has disconnected|Target closed|Connection closed/i
/** Playwright's client, dispatching an event that names an object its closed context released */
const UNBOUND = /Object with guid \S+ was not bound in the connection/
/** The promise, or nothing after `ms`: cleanup must never hold a run open. */
const bounded = (p: Promise<unknown>, ms: number): Promise<unknown> => Promise.race([p.catch(() => {}), sleep(ms)])

/** A step's figure segment: 'Add to cart' → 'add_to_cart'. */
export function stepKey(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'step'
  )
}

/** First line of an error, without the ANSI colours Playwright's expect adds. */
export function errorText(e: unknown): { message: string; full: string; kind: 'check' | 'error' } {
  const raw = e instanceof Error ? e.message : String(e)
  const full = raw.replace(/\u001b\[[0-9;]*m/g, '')
  const kind = e && typeof e === 'object' && 'matcherResult' in e ? 'check' : 'error'
  return {
    message:
      full
        .split('\n')
        .find((l) => l.trim())
        ?.trim()
        .slice(0, 300) ?? 'error',
    full: full.slice(0, 4000),
    kind,
  }
}

/** Events: 'progress' (ProgressEvent) once a second; 'live' (LiveEvent) and 'second'
 *  (TimelinePoint) as each second completes, when listened to before run(). A browser scenario's
 *  seconds count iterations as its requests and failed iterations as its errors (as its figures
 *  do); the live latency is iteration and step durations, and 'second' carries none (a browser
 *  scenario has no request latency for an abort gate to judge). */
export class BrowserRun extends EventEmitter {
  private readonly contexts = new Set<BrowserContext>()
  private stopping = false
  private aborted: AbortInfo | null = null
  readonly engine = 'browser'
  private onStopped: () => void = () => {}
  private readonly stopped = new Promise<void>((r) => {
    this.onStopped = r
  })

  constructor(
    private readonly plan: BrowserPlan,
    private readonly opts: BrowserRunOptions,
  ) {
    super()
  }

  async run(): Promise<ScenarioResult> {
    // a Playwright call a spec left pending rejects once its browser died or its context closed,
    // often after nobody awaits it any more; that must not end golive before it writes what it
    // measured (any other unhandled rejection still does)
    const onLate = (e: unknown) => {
      if (!CLOSED.test(String((e as Error)?.message ?? e))) throw e
    }
    // and Playwright's client may dispatch an event of a context closed under it (a response the
    // connection has already let go): thrown from its own dispatch loop, it would end the process
    const onRace = (e: Error) => {
      if (!(UNBOUND.test(String(e?.message)) && /playwright-core/.test(String(e?.stack)))) throw e
    }
    process.on('unhandledRejection', onLate)
    process.on('uncaughtException', onRace)
    try {
      return await this.measure()
    } finally {
      // a few seconds more: the last contexts close as the run ends
      setTimeout(() => {
        process.off('unhandledRejection', onLate)
        process.off('uncaughtException', onRace)
      }, CLEANUP_MS).unref()
    }
  }

  private async measure(): Promise<ScenarioResult> {
    const { plan, opts } = this
    const startedAt = new Date()
    const { chromium } = await import('playwright-core')
    const browsers: Browser[] = []
    // per browser: settles when it is gone, told by Playwright ('disconnected') or seen by its
    // pid leaving /proc (a dead browser whose pipe stays open would otherwise hang its users)
    const gone: Promise<void>[] = []
    const pidChecks: (() => void)[] = []
    const closeAll = async () => {
      await Promise.all(browsers.map((b) => bounded(b.close(), CLEANUP_MS)))
    }
    const onAbort = () => {
      this.stop()
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      for (let i = 0; i < plan.browsers && !opts.signal?.aborted; i++) {
        const before = new Set(chromiumChildren())
        const browser = await chromium.launch({
          executablePath: plan.executablePath,
          headless: true,
          timeout: 30_000,
          // golive's own interrupt handling closes the browsers and writes partial results;
          // Playwright's would exit the process at once (code 130) on the first Ctrl-C
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
          // Chromium's sandbox needs user namespaces, which root (containers, CI) does not get
          args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
        })
        browsers.push(browser)
        // its process is the one new Chromium child; two (another browser scenario launching
        // at the same time) cannot be told apart, and then only Playwright's word counts
        const fresh = chromiumChildren().filter((p) => !before.has(p))
        const pid = fresh.length === 1 ? fresh[0] : undefined
        gone.push(
          new Promise<void>((resolve) => {
            browser.on('disconnected', () => resolve())
            if (pid !== undefined)
              pidChecks.push(() => {
                if (!processAlive(pid)) resolve()
              })
          }),
        )
      }
    } catch (e) {
      await closeAll()
      opts.signal?.removeEventListener('abort', onAbort)
      throw new Error(`could not start Chromium at ${plan.executablePath}: ${String((e as Error).message).split('\n')[0]}`)
    }
    const launchedMiB = descendantsPssMiB()
    let peakMiB = launchedMiB
    const sampler = setInterval(() => {
      const m = descendantsPssMiB()
      if (m !== null && (peakMiB === null || m > peakMiB)) peakMiB = m
      for (const check of pidChecks) check()
    }, 1000)

    const stats: StepStats = new Map()
    const iterH = createHistogram()
    const views: PageView[] = []
    const errors = new Map<string, ScenarioError>()
    let lost: string | undefined
    let closingBrowsers = false
    let blocked = 0,
      iterations = 0,
      failed = 0,
      interrupted = 0,
      claimed = 0,
      active = 0,
      requests = 0,
      requestsFailed = 0
    let firstFailure: NonNullable<ScenarioResult['browser']>['firstFailure']
    let failureClaimed = false
    const t0 = Date.now()
    const deadline = t0 + plan.durationMs
    // the per-second stream, only when someone listens (--dashboard, --out-metrics, abort gates)
    const wantsLive = this.listenerCount('live') > 0,
      wantsSeconds = this.listenerCount('second') > 0
    const seconds =
      wantsLive || wantsSeconds
        ? new LiveSeconds(plan.name, [], 1, (e: LiveEvent) => {
            if (wantsLive) this.emit('live', e)
            if (wantsSeconds && e.type === 'second' && !this.aborted)
              this.emit('second', { t: e.t, requests: e.requests, errors: e.errors, active: e.active, p50: null, p95: null, max: null } satisfies TimelinePoint)
          })
        : null
    if (seconds) seconds.epochMs = t0
    const secondOf = () => Math.floor((Date.now() - t0) / 1000)
    const one = (ms: number) => {
      const h = createHistogram('fast')
      recordMs(h, ms)
      return h
    }
    const onStep = seconds ? (key: string, ms: number, bad: boolean) => seconds.add(secondOf(), key, 1, bad ? 1 : 0, one(ms)) : undefined
    const progress = setInterval(() => {
      this.emit('progress', {
        scenario: plan.name,
        elapsedMs: Date.now() - t0,
        totalMs: plan.durationMs,
        active,
        requests: iterations,
        errors: failed,
        rps: null,
        p95: null,
        iterations,
      } satisfies ProgressEvent)
      if (seconds) {
        const t = secondOf()
        seconds.active(0, t, active)
        seconds.complete(0, t)
      }
    }, 1000)
    // past the duration plus the grace period, iterations still running are cut
    const grace = setTimeout(() => this.stop(), plan.durationMs + plan.gracefulStopMs)

    const runTest = async (
      browser: Browser,
      test: RecordedTest,
      iteration: number,
      trace: boolean,
    ): Promise<{ error?: unknown; step?: string; page?: Page; context: BrowserContext; pending: (() => void)[] }> => {
      const { baseURL: _ignored, ...use } = test.use as Record<string, unknown>
      const context = await browser.newContext({
        viewport: { width: 1280, height: 720 },
        ...use,
        baseURL: opts.baseURL,
        ignoreHTTPSErrors: opts.ignoreHttpsErrors,
        serviceWorkers: 'block',
      })
      this.contexts.add(context)
      // only the environment's own hosts are loaded; its headers ride only to its own origin
      const withHeaders = Object.keys(opts.headers).length > 0
      await context.route(
        (url) => /^https?:$/.test(url.protocol) && (!mayLoad(opts.policy, url) || (withHeaders && mayCarryCredentials(opts.policy, url))),
        (route) => {
          const url = route.request().url()
          if (!mayLoad(opts.policy, url)) {
            blocked++
            return route.abort('blockedbyclient')
          }
          return route.continue({ headers: { ...route.request().headers(), ...opts.headers } })
        },
      )
      const vitals = new VitalsCollector()
      await vitals.attach(context)
      context.on('request', () => {
        requests++
      })
      context.on('requestfailed', () => {
        requestsFailed++
      })
      context.on('response', (r) => {
        if (r.status() >= 400) requestsFailed++
      })
      // DOM snapshots, no screencast: the screencast's frames would cost every traced iteration CPU
      if (trace) await context.tracing.start({ screenshots: false, snapshots: true })
      const page = await context.newPage()
      const running: Running = { open: [], failedStep: null, stats, cut: () => this.stopping, onStep, pending: [] }
      const fixtures = { page, context, browser, baseURL: opts.baseURL, request: context.request, browserName: 'chromium', headless: true }
      const info = { title: test.title, iteration }
      try {
        await als.run(running, async () => {
          for (const f of test.beforeEach) await f(fixtures, info)
          await test.fn(fixtures, info)
          for (const f of test.afterEach) await f(fixtures, info)
        })
        return { context, pending: running.pending }
      } catch (error) {
        return { error, step: running.failedStep ?? '(no step)', page, context, pending: running.pending }
      } finally {
        if (!this.stopping) await bounded(vitals.flush(context), CLEANUP_MS)
        views.push(...vitals.pageViews())
      }
    }

    const iterate = async (browser: Browser, iteration: number, cut: { abandoned: boolean }): Promise<void> => {
      const started = performance.now()
      let failure: { test: string; step: string; error: unknown } | null = null
      const steps: (() => void)[] = []
      for (const test of plan.spec.tests) {
        if (this.stopping) break
        // traced until one failure is kept: the trace of the first failure is the one wanted
        const trace = plan.trace !== 'off' && !failureClaimed
        const r = await runTest(browser, test, iteration, trace).catch((error: unknown) => ({
          error,
          step: '(context)',
          page: undefined,
          context: undefined,
          pending: [],
        }))
        steps.push(...r.pending)
        try {
          if (r.error !== undefined && !this.stopping) {
            failure ??= { test: test.title, step: r.step!, error: r.error }
            if (!failureClaimed && r.context) {
              failureClaimed = true
              firstFailure = await this.keep(r.context, r.page, iteration, test.title, r.step!, r.error)
            }
          }
          // (a context Ctrl-C is closing is not asked anything more: it may never answer)
          if (trace && r.context && !this.stopping && firstFailure?.iteration !== iteration) await bounded(r.context.tracing.stop(), CLEANUP_MS)
        } finally {
          if (r.context) {
            this.contexts.delete(r.context)
            await bounded(r.context.close(), CLEANUP_MS)
          }
        }
      }
      // an iteration cut by the end of the run, Ctrl-C or its browser's death measured nothing: it counts nowhere
      if (cut.abandoned) return
      if (this.stopping) {
        interrupted++
        return
      }
      iterations++
      for (const record of steps) record()
      const ms = performance.now() - started
      recordMs(iterH, ms)
      seconds?.add(secondOf(), null, 1, failure ? 1 : 0, one(ms))
      if (failure) {
        failed++
        const { message, kind } = errorText(failure.error)
        const key = `${failure.step}\u0000${message}`
        const e = errors.get(key) ?? { step: failure.step, kind, message, count: 0 }
        e.count++
        errors.set(key, e)
      }
    }

    const user = async (vu: number) => {
      const browser = browsers[vu % browsers.length]!
      const dead = gone[vu % browsers.length]!.then(() => true)
      // a browser golive closes itself (the run's end, a user still cut after the grace) is not lost
      const lostNow = () => {
        if (!closingBrowsers) lost ??= `a Chromium process exited during the run: its users stopped`
      }
      while (!this.stopping && Date.now() < deadline && (plan.iterations === undefined || claimed < plan.iterations)) {
        // a Chromium that died fails every context at once: stop its users rather than spin
        if (!browser.isConnected()) {
          lostNow()
          return
        }
        const iteration = ++claimed
        active++
        const cut = { abandoned: false }
        try {
          // a call into a dead browser may never answer: its death ends the iteration
          if (await Promise.race([iterate(browser, iteration, cut).then(() => false), dead])) {
            cut.abandoned = true
            interrupted++
            lostNow()
            return
          }
        } finally {
          active--
        }
      }
    }
    try {
      // once stopped, users get CLEANUP_MS to return; then the browsers close under whatever is left
      if (browsers.length === plan.browsers)
        await Promise.race([Promise.all(Array.from({ length: plan.vus }, (_, vu) => user(vu))), this.stopped.then(() => sleep(CLEANUP_MS))])
    } finally {
      clearInterval(progress)
      clearInterval(sampler)
      clearTimeout(grace)
      opts.signal?.removeEventListener('abort', onAbort)
      await Promise.all([...this.contexts].map((c) => bounded(c.close(), CLEANUP_MS)))
    }
    seconds?.end()
    const chromiumVersion = browsers[0]?.version() ?? null
    closingBrowsers = true
    await closeAll()

    const aborted = opts.signal?.aborted === true
    const gateAbort = this.aborted && !aborted && !lost ? this.aborted : null
    const vital = (k: 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB') => {
      const values = views.map((v) => v[k]).filter((x): x is number => typeof x === 'number')
      const p = p75(values)
      return { p75: p === null ? null : round(p, k === 'CLS' ? 4 : 1), samples: values.length }
    }
    const steps: BrowserStepResult[] = [...stats].map(([name, s]) => ({
      name,
      title: s.title,
      count: s.count,
      errors: s.errors,
      duration: summarize(s.h),
      histogram: s.h.totalCount ? encodeHistogram(s.h) : null,
    }))
    const perUser = launchedMiB !== null && peakMiB !== null ? round(Math.max(0, peakMiB - launchedMiB) / plan.vus, 1) : null
    return {
      name: plan.name,
      engine: 'browser',
      kind: 'browser',
      status: aborted || lost ? 'partial' : 'measured',
      ...(aborted ? { reason: 'interrupted: iterations in flight were not counted' } : lost ? { reason: lost } : {}),
      ...(gateAbort ? { aborted: gateAbort, reason: abortReason(gateAbort) } : {}),
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - t0,
      profile: { ...plan.profileSource },
      coordinatedOmission: 'not-applicable',
      requests: iterations,
      errors: failed,
      iterations,
      droppedIterations: 0,
      vusMax: plan.vus,
      bytesReceived: 0,
      statuses: {},
      latency: null,
      histogram: null,
      steps: [],
      timeline: [],
      topErrors: [...errors.values()].sort((a, b) => b.count - a.count).slice(0, 10),
      ...(firstFailure
        ? {
            artifacts: [
              ...(firstFailure.screenshot ? [{ label: 'screenshot of the first failure', path: firstFailure.screenshot }] : []),
              ...(firstFailure.trace ? [{ label: 'Playwright trace of the first failure (npx playwright show-trace)', path: firstFailure.trace }] : []),
            ],
          }
        : {}),
      browser: {
        file: plan.file,
        tests: plan.spec.tests.map((t) => t.title),
        browsers: plan.browsers,
        chromium: chromiumVersion,
        iterationDuration: summarize(iterH),
        iterationHistogram: iterH.totalCount ? encodeHistogram(iterH) : null,
        interruptedIterations: interrupted,
        steps,
        webVitals: { lcp: vital('LCP'), inp: vital('INP'), cls: vital('CLS'), fcp: vital('FCP'), ttfb: vital('TTFB') },
        pageViews: views.length,
        views: views.slice(0, MAX_VIEWS).map(roundView),
        pageRequests: requests,
        pageRequestsFailed: requestsFailed,
        pageRequestsBlocked: blocked,
        memory: { launchedMiB, peakMiB, perUserMiB: perUser, availableMiB: availableMiB() },
        ...(firstFailure ? { firstFailure } : {}),
      },
    }
  }

  /** Stops the run early on a gate's breach (cli/abort-watch.ts): the iterations that completed
   *  stand, marked aborted; those in flight are cut, as at the end of the run. */
  abort(info: AbortInfo): void {
    if (this.aborted) return
    this.aborted = info
    this.stop()
  }

  /** Stops starting iterations and cuts those in flight (their contexts close). */
  stop(): void {
    if (this.stopping) return
    this.stopping = true
    this.onStopped()
    for (const c of this.contexts) c.close().catch(() => {})
  }

  /** The first failure's screenshot and trace, in <run dir>/browser/<scenario>/. */
  private async keep(context: BrowserContext, page: Page | undefined, iteration: number, test: string, step: string, error: unknown) {
    const rel = join('browser', this.plan.name)
    const dir = join(this.opts.runDir, rel)
    mkdirSync(dir, { recursive: true })
    const { message } = errorText(error)
    const out: NonNullable<NonNullable<ScenarioResult['browser']>['firstFailure']> = { iteration, test, step, message }
    if (page && !page.isClosed()) {
      try {
        await page.screenshot({ path: join(dir, 'first-failure.png'), fullPage: true, timeout: 10_000 })
        out.screenshot = join(rel, 'first-failure.png')
      } catch {
        /* the page went away */
      }
    }
    // bounded: a browser that died mid-run may never answer
    const traced = await Promise.race([
      context.tracing.stop({ path: join(dir, 'first-failure-trace.zip') }).then(
        () => true,
        () => false,
      ),
      sleep(CLEANUP_MS).then(() => false),
    ])
    if (traced) out.trace = join(rel, 'first-failure-trace.zip')
    return out
  }
}
