// A virtual user: walks the journey step by step with its own variables and connection,
// as a person would, pausing for think time between steps.

import type { PlanStep, ScenarioPlan } from '../../compile.js'
import { render, renderJson, type Template, type Vars } from '../../template.js'
import type { Row } from '../../feeder.js'
import { Connections, exchange, isFailure, type InFlight, type Target } from './http.js'
import { judge } from '../../judge.js'
import '../../html-capture.js' // registers html captures with judge
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
  busy = false

  constructor(readonly id: number, private readonly shared: VuShared) {
    this.conns = new Connections(shared.target.ca, shared.plan.http !== '1.1')
  }

  /** One journey. `intendedStart` (performance.now() time) is set by the open model. */
  async iterate(intendedStart?: number): Promise<void> {
    const { plan, metrics } = this.shared
    this.busy = true
    const vars: Vars = { ...plan.vars, __VU: this.id, __ITER: this.iteration++ }
    if (plan.data) vars[plan.data.as] = this.row()
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

  private async step(index: number, step: PlanStep, vars: Vars, intendedStart: number | undefined): Promise<boolean> {
    const { target, metrics } = this.shared
    const missing: string[] = []
    const onMissing = (name: string) => missing.push(name)
    const rawPath = render(step.path, vars, onMissing)
    const { origin, path } = resolveUrl(target, rawPath)
    const headers: Record<string, string> = {}
    for (const [k, v] of target.headers) headers[k] = v
    for (const [k, t] of step.headers) headers[k] = render(t as Template, vars, onMissing)
    let body: string | null = null
    if (step.body) {
      body = 'kind' in step.body ? renderJson(step.body, vars, onMissing) : render(step.body, vars, onMissing)
      if (step.isJson && !headers['content-type']) headers['content-type'] = 'application/json'
    }
    for (const name of missing) metrics.error(step.name, 'check', `variable {{${name}}} is not set (did an earlier capture fail?)`)

    const started = intendedStart ?? performance.now()
    const res = await exchange(this.conns.get(origin), { method: step.method, path, headers, body, timeoutMs: step.timeoutMs, read: step.read, readHeaders: step.readsHeaders }, started, this.track)
    this.inFlight = null
    if (isFailure(res)) {
      if (res.code === 'ABORTED') return false
      metrics.transportError(index, res.code, res.bytes)
      metrics.error(step.name, 'transport', `${res.code}: ${res.message}`)
      return false
    }
    const j = judge(step, res)
    const failed = j.failures.length > 0 || missing.length > 0
    metrics.response(index, res.status, res.ms, failed, j.checksPassed, j.failures.length - (j.statusFailed ? 1 : 0) + missing.length, res.bytes, res.decodedBytes, res.proto)
    for (const f of j.failures) metrics.error(step.name, j.statusFailed && f.startsWith('status') ? 'status' : 'check', f)
    Object.assign(vars, j.captured)
    return true
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

/** Joins a step path to the target; an absolute URL in a step is used as is. */
export function resolveUrl(target: Target, raw: string): { origin: string; path: string } {
  if (/^https?:\/\//i.test(raw)) {
    const u = new URL(raw)
    return { origin: u.origin, path: u.pathname + u.search }
  }
  const base = target.basePath.replace(/\/$/, '')
  return { origin: target.origin, path: base + (raw.startsWith('/') ? raw : `/${raw}`) }
}
