// One alert drill: trigger, watch Prometheus (pending → firing), Alertmanager and the receiver,
// then resolve (always: also on error and on Ctrl-C) and watch it clear. Every wait is bounded.

import { describeAction, perform } from '../actions/run.js'
import type { ActionContext } from '../actions/model.js'
import { startTraffic } from './traffic.js'
import { amAlerts, promAlerts } from './api.js'
import type { Receiver } from './receiver.js'
import type { ExpectedAlert } from './settings.js'
import type { Journal } from '../drill/journal.js'
import type { CheckTarget } from '../../core/target.js'

export interface DrillDeps {
  prometheus: string
  alertmanager?: string
  receiver?: Receiver
  pollMs: number
  timeoutMs: number
  signal: AbortSignal
  baseUrl: string
  /** ctx.target: the traffic's CA, and the environment's headers and auth (its origin only) */
  target?: CheckTarget
  log: (line: string) => void
  /** the trigger is recorded here before it runs; the resolve's success removes it */
  journal?: { journal: Journal; env: string }
  userAgent?: string
  /** where triggers and resolves act: the staging stack (ctx.stack) and its folder, host rules */
  actions: Omit<ActionContext, 'signal' | 'dry'>
}

export interface DrillOutcome {
  alertname: string
  trigger: string
  resolve: string
  /** seconds after the trigger started */
  pending?: number
  firing?: number
  alertmanager?: number
  notify?: number
  /** seconds after the resolve action started */
  cleared?: number
  resolvedNotify?: number
  resolveActionSeconds?: number
  activeAt?: string
  labelsSeen?: Record<string, string>
  triggerOutput?: string
  resolveOutput?: string
  errors: string[]
  waitedSeconds: number
  interrupted: boolean
  traffic?: { sent: number; statuses: Record<string, number> }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((done) => {
    if (signal.aborted) return done()
    const wake = () => {
      clearTimeout(t)
      signal.removeEventListener('abort', wake)
      done()
    }
    const t = setTimeout(wake, ms)
    signal.addEventListener('abort', wake, { once: true })
  })
const since = (t0: number, t = Date.now()) => Math.round((t - t0) / 10) / 100

/** A drill between its trigger and its resolve action. */
interface Armed {
  a: ExpectedAlert
  o: DrillOutcome
  t0: number
  /** the trigger was attempted: its resolve action must run */
  attempted: boolean
  fired: boolean
  firingStartsAt?: string
  traffic?: ReturnType<typeof startTraffic>
  /** its drill-journal entry, until the resolve action succeeds */
  entry?: string
}

/** One drill: trigger, watch until notified, then resolve (always) and watch it clear. */
export async function drill(a: ExpectedAlert, waitSeconds: number, d: DrillDeps): Promise<DrillOutcome> {
  return (await drillTogether([{ a, waitSeconds }], d))[0]!
}

/** Drills whose triggers do not mask one another (config: parallel: true) share one fault
 *  window: every trigger, every wait for its notification, then each distinct resolve action
 *  once (in order: two `staging heal`s at once would race), then every wait for the resolution.
 *  The run takes the longest drill, not their sum. Each alert is still timed from its own trigger. */
export async function drillTogether(list: { a: ExpectedAlert; waitSeconds: number }[], d: DrillDeps): Promise<DrillOutcome[]> {
  const armed = list.map(({ a }) => newArmed(a))
  try {
    await Promise.all(list.map(({ waitSeconds }, i) => arm(armed[i]!, waitSeconds, d)))
  } finally {
    // resolve: always, also when arming failed part-way or on Ctrl-C
    const todo = armed.filter((x) => x.attempted)
    const t1 = Date.now()
    const ran = new Set<string>()
    const resolvedOk = new Map<string, boolean>()
    for (const x of todo) {
      if (ran.has(x.o.resolve)) {
        x.o.resolveOutput = '(the same resolve action already ran for another alert of this window)'
        if (resolvedOk.get(x.o.resolve) && x.entry) d.journal!.journal.remove(x.entry)
        continue
      }
      ran.add(x.o.resolve)
      resolvedOk.set(x.o.resolve, await resolve(x, d))
    }
    await Promise.all(todo.map((x) => settle(x, t1, d)))
  }
  return armed.map((x) => x.o)
}

function newArmed(a: ExpectedAlert): Armed {
  const o: DrillOutcome = {
    alertname: a.alertname,
    trigger: describeAction(a.trigger!),
    resolve: describeAction(a.resolve!),
    errors: [],
    waitedSeconds: 0,
    interrupted: false,
  }
  return { a, o, t0: Date.now(), attempted: false, fired: false }
}

/** Trigger and watch until notified (or the wait ends). Never throws: a failure is an error
 *  on the outcome, and `attempted` says whether the resolve action must run. */
async function arm(x: Armed, waitSeconds: number, d: DrillDeps): Promise<void> {
  try {
    await armInner(x, waitSeconds, d)
  } catch (e) {
    x.o.errors.push(`the drill failed: ${(e as Error).message}`)
  }
}

async function armInner(x: Armed, waitSeconds: number, d: DrillDeps): Promise<void> {
  const { a, o } = x
  const active = activeOf(a, d)

  // an alert already active would make every figure meaningless: wait (bounded) for it to clear
  const clearBy = Date.now() + 60_000
  let before = await active().catch(() => [])
  while (before.length && Date.now() < clearBy && !d.signal.aborted) {
    await sleep(1000, d.signal)
    before = await active().catch(() => [])
  }
  if (before.length) {
    o.errors.push(
      `${a.alertname} was already ${before[0]!.state} before the trigger (since ${before[0]!.activeAt}) and did not clear within 60 s: heal the system first`,
    )
    return
  }
  if (d.signal.aborted) {
    o.interrupted = true
    return
  }

  // the journal before the trigger: a golive killed from here on leaves the resolve action for
  // the next golive command against this environment
  if (d.journal) {
    try {
      x.entry = d.journal.journal.add({
        check: 'alerts',
        experiment: a.alertname,
        env: d.journal.env,
        fault: [o.trigger],
        rollback: [a.resolve!],
        runner: 'alerts',
        ...(d.actions.stagingDir ? { stagingDir: d.actions.stagingDir } : {}),
      })
    } catch (e) {
      o.errors.push(`the drill journal cannot be written (${(e as Error).message}); the trigger did not run`)
      return
    }
  }
  const t0 = (x.t0 = Date.now())
  x.attempted = true
  if (a.traffic) x.traffic = startTraffic(d.baseUrl, d.target, a.traffic, waitSeconds + a.resolveWaitSeconds + 60, d.userAgent)
  d.log(`alerts: ${a.alertname}: trigger ${o.trigger}`)
  try {
    o.triggerOutput = await perform(a.trigger!, { ...d.actions, signal: d.signal })
  } catch (e) {
    o.errors.push(`the trigger failed: ${(e as Error).message}`)
    return
  }
  const until = t0 + waitSeconds * 1000
  while (Date.now() < until && !d.signal.aborted) {
    const [prom, am] = await Promise.all([
      active().catch((e: Error) => {
        o.errors.push(`Prometheus: ${e.message}`)
        return []
      }),
      d.alertmanager && o.alertmanager === undefined ? amAlerts(d.alertmanager, a.alertname, d.timeoutMs, d.signal).catch(() => []) : Promise.resolve([]),
    ])
    const now = Date.now()
    const p = prom.find((q) => q.state === 'firing') ?? prom[0]
    if (p) {
      if (o.pending === undefined) {
        o.activeAt = p.activeAt
        const at = p.activeAt ? Date.parse(p.activeAt) : NaN
        // Prometheus's own time of the first true evaluation is more precise than our poll
        o.pending = Number.isFinite(at) && at >= t0 - 1000 && at <= now ? since(t0, Math.max(at, t0)) : since(t0, now)
      }
      if (p.state === 'firing' && o.firing === undefined) o.firing = since(t0, now)
      o.labelsSeen ??= p.labels
    }
    if (o.alertmanager === undefined && am.some((q) => q.status.state === 'active' || q.status.state === 'suppressed')) o.alertmanager = since(t0, now)
    const n = d.receiver?.first(a.alertname, 'firing', t0)
    if (n && o.notify === undefined) {
      o.notify = since(t0, n.delivery.at)
      o.labelsSeen = n.labels
      x.firingStartsAt = n.startsAt
    }
    x.fired = o.firing !== undefined
    if (o.notify !== undefined || (!d.receiver && o.alertmanager !== undefined)) break
    await sleep(d.pollMs, d.signal)
  }
  o.waitedSeconds = since(t0)
  if (o.firing !== undefined && o.firing < (o.pending ?? 0)) o.firing = o.pending
}

async function resolve(x: Armed, d: DrillDeps): Promise<boolean> {
  const t1 = Date.now()
  d.log(`alerts: ${x.a.alertname}: resolve ${x.o.resolve}`)
  let ok = true
  // never cut short by an interrupt: the resolve puts the system back (its own time limit bounds it)
  try {
    x.o.resolveOutput = await perform(x.a.resolve!, { ...d.actions, signal: new AbortController().signal })
  } catch (e) {
    ok = false
    x.o.errors.push(`the resolve action failed: ${(e as Error).message}${x.entry ? ' (it stays in the drill journal: golive drill --recover retries it)' : ''}`)
  }
  if (ok && x.entry) d.journal!.journal.remove(x.entry)
  x.o.resolveActionSeconds = since(t1)
  return ok
}

/** After the resolve action (started at t1): watch the alert clear and its resolved notification. */
async function settle(x: Armed, t1: number, d: DrillDeps): Promise<void> {
  const { a, o } = x
  o.interrupted = d.signal.aborted
  const active = activeOf(a, d)
  if (!d.signal.aborted && (x.fired || o.pending !== undefined)) {
    const until = t1 + a.resolveWaitSeconds * 1000
    const wantNotify = d.receiver !== undefined && o.notify !== undefined
    while (Date.now() < until && !d.signal.aborted) {
      const prom = await active().catch(() => null)
      const now = Date.now()
      if (prom !== null && prom.length === 0 && o.cleared === undefined) o.cleared = since(t1, now)
      const r = wantNotify ? d.receiver!.first(a.alertname, 'resolved', x.t0, x.firingStartsAt) : undefined
      if (r && o.resolvedNotify === undefined) o.resolvedNotify = since(t1, Math.max(r.delivery.at, t1))
      if (o.cleared !== undefined && (!wantNotify || o.resolvedNotify !== undefined)) break
      await sleep(d.pollMs, d.signal)
    }
  }
  if (x.traffic) o.traffic = await x.traffic.stop()
}

function activeOf(a: ExpectedAlert, d: DrillDeps) {
  return async () => (await promAlerts(d.prometheus, d.timeoutMs, d.signal)).filter((q) => q.labels.alertname === a.alertname && q.state !== 'inactive')
}
