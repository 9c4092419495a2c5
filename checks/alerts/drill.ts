// One alert drill: trigger, watch Prometheus (pending → firing), Alertmanager and the receiver,
// then resolve (always: also on error and on Ctrl-C) and watch it clear. Every wait is bounded.

import { describeAction, runAction, startTraffic } from './actions.js'
import { amAlerts, promAlerts } from './api.js'
import type { Receiver } from './receiver.js'
import type { ExpectedAlert } from './settings.js'

export interface DrillDeps {
  prometheus: string
  alertmanager?: string
  receiver?: Receiver
  pollMs: number
  timeoutMs: number
  signal: AbortSignal
  baseUrl: string
  ca?: string
  log: (line: string) => void
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

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((done) => {
  if (signal.aborted) return done()
  const wake = () => { clearTimeout(t); signal.removeEventListener('abort', wake); done() }
  const t = setTimeout(wake, ms)
  signal.addEventListener('abort', wake, { once: true })
})
const since = (t0: number, t = Date.now()) => Math.round((t - t0) / 10) / 100

export async function drill(a: ExpectedAlert, waitSeconds: number, d: DrillDeps): Promise<DrillOutcome> {
  const o: DrillOutcome = { alertname: a.alertname, trigger: describeAction(a.trigger!), resolve: describeAction(a.resolve!), errors: [], waitedSeconds: 0, interrupted: false }
  const active = async () => (await promAlerts(d.prometheus, d.timeoutMs, d.signal)).filter((x) => x.labels.alertname === a.alertname && x.state !== 'inactive')

  // an alert already active would make every figure meaningless: wait (bounded) for it to clear
  const clearBy = Date.now() + 60_000
  let before = await active().catch(() => [])
  while (before.length && Date.now() < clearBy && !d.signal.aborted) { await sleep(1000, d.signal); before = await active().catch(() => []) }
  if (before.length) { o.errors.push(`${a.alertname} was already ${before[0]!.state} before the trigger (since ${before[0]!.activeAt}) and did not clear within 60 s: heal the system first`); return o }
  if (d.signal.aborted) { o.interrupted = true; return o }

  const t0 = Date.now()
  const traffic = a.traffic ? startTraffic(d.baseUrl, d.ca, a.traffic, waitSeconds + a.resolveWaitSeconds + 60) : undefined
  let fired = false
  let firingStartsAt: string | undefined
  try {
    d.log(`alerts: ${a.alertname}: trigger ${o.trigger}`)
    try { o.triggerOutput = await runAction(a.trigger!) } catch (e) { o.errors.push(`the trigger failed: ${(e as Error).message}`); return o }
    const until = t0 + waitSeconds * 1000
    while (Date.now() < until && !d.signal.aborted) {
      const [prom, am] = await Promise.all([
        active().catch((e: Error) => { o.errors.push(`Prometheus: ${e.message}`); return [] }),
        d.alertmanager && o.alertmanager === undefined ? amAlerts(d.alertmanager, a.alertname, d.timeoutMs, d.signal).catch(() => []) : Promise.resolve([]),
      ])
      const now = Date.now()
      const p = prom.find((x) => x.state === 'firing') ?? prom[0]
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
      if (o.alertmanager === undefined && am.some((x) => x.status.state === 'active' || x.status.state === 'suppressed')) o.alertmanager = since(t0, now)
      const n = d.receiver?.first(a.alertname, 'firing', t0)
      if (n && o.notify === undefined) { o.notify = since(t0, n.delivery.at); o.labelsSeen = n.labels; firingStartsAt = n.startsAt }
      fired = o.firing !== undefined
      if (o.notify !== undefined || (!d.receiver && o.alertmanager !== undefined)) break
      await sleep(d.pollMs, d.signal)
    }
    o.waitedSeconds = since(t0)
    if (o.firing !== undefined && o.firing < (o.pending ?? 0)) o.firing = o.pending
  } finally {
    // resolve: always, also on error and on Ctrl-C
    const t1 = Date.now()
    d.log(`alerts: ${a.alertname}: resolve ${o.resolve}`)
    try { o.resolveOutput = await runAction(a.resolve!) } catch (e) { o.errors.push(`the resolve action failed: ${(e as Error).message}`) }
    o.resolveActionSeconds = since(t1)
    o.interrupted = d.signal.aborted
    if (!d.signal.aborted && (fired || o.pending !== undefined)) {
      const until = t1 + a.resolveWaitSeconds * 1000
      const wantNotify = d.receiver !== undefined && o.notify !== undefined
      while (Date.now() < until && !d.signal.aborted) {
        const prom = await active().catch(() => null)
        const now = Date.now()
        if (prom !== null && prom.length === 0 && o.cleared === undefined) o.cleared = since(t1, now)
        const r = wantNotify ? d.receiver!.first(a.alertname, 'resolved', t0, firingStartsAt) : undefined
        if (r && o.resolvedNotify === undefined) o.resolvedNotify = since(t1, Math.max(r.delivery.at, t1))
        if (o.cleared !== undefined && (!wantNotify || o.resolvedNotify !== undefined)) break
        await sleep(d.pollMs, d.signal)
      }
    }
    if (traffic) o.traffic = await traffic.stop()
  }
  return o
}
