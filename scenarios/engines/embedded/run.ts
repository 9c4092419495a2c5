// The embedded engine, main-thread side: starts the worker threads, merges what they measure,
// reports progress, and stops them on request (Ctrl-C) — always returning what was measured.

import { startWorker } from '../../../core/worker-thread.js'
import { EventEmitter } from 'node:events'
import { encodeHistogram, summarize } from '../../../core/histogram.js'
import type { ScenarioResult } from '../../../core/results.js'
import type { ScenarioPlan } from '../../compile.js'
import { runOutcome } from '../../outcome.js'
import type { Target } from './http.js'
import type { TickMessage } from './metrics.js'
import { Aggregate } from './aggregate.js'
import type { ControlMessage, WorkerInput } from './worker.js'

export interface EmbeddedOptions {
  target: Target
  /** worker threads; default 1 */
  workers?: number
  signal?: AbortSignal
}

export interface ProgressEvent {
  scenario: string
  elapsedMs: number
  totalMs: number
  active: number
  requests: number
  errors: number
  rps: number | null
  p95: number | null
  /** browser scenarios: iterations finished (requests and errors count iterations there) */
  iterations?: number
}

/** Events: 'progress' (ProgressEvent) once a second. */
export class EmbeddedRun extends EventEmitter {
  constructor(private readonly plan: ScenarioPlan, private readonly opts: EmbeddedOptions) { super() }

  async run(): Promise<ScenarioResult> {
    const { plan, opts } = this
    const workers = Math.max(1, Math.min(opts.workers ?? 1, plan.profile.maxVUs))
    const agg = new Aggregate(plan.steps.map((s) => ({ name: s.name, method: s.method })))
    const startedAt = new Date()
    let startEpochMs = Date.now()
    const failures: string[] = []
    let stopped = false

    const threads = Array.from({ length: workers }, (_, w) => {
      const input: WorkerInput = { plan, target: opts.target, worker: w, workers }
      return startWorker(import.meta.url, './worker.ts', 'engine-worker.js', { workerData: input })
    })
    const stop = () => { stopped = true; for (const t of threads) t.postMessage({ type: 'stop' } satisfies ControlMessage) }
    // start together once every worker has loaded, so load time is not part of the run
    let ready = 0
    const onReady = () => {
      if (++ready < threads.length) return
      startEpochMs = Date.now() + 20
      for (const t of threads) t.postMessage({ type: 'start', startEpochMs } satisfies ControlMessage)
    }
    opts.signal?.addEventListener('abort', stop, { once: true })

    const progress = setInterval(() => {
      // the progress line's p95 costs a percentile walk a second: only when someone listens
      if (ready < threads.length || this.listenerCount('progress') === 0) return
      const last = agg.lastSecond()
      this.emit('progress', {
        scenario: plan.name, elapsedMs: Date.now() - startEpochMs, totalMs: plan.profile.totalMs,
        active: agg.active, requests: agg.requests, errors: agg.errorCount,
        rps: last?.requests ?? null, p95: last?.p95 ?? null,
      } satisfies ProgressEvent)
    }, 1000)

    // a worker ends with 'done', or crashes ('error'); either way its deltas so far are kept
    const deadlineMs = plan.profile.totalMs + plan.profile.gracefulStopMs + 15_000
    await Promise.all(threads.map((t, w) => new Promise<void>((resolve) => {
      const hardDeadline = setTimeout(() => { failures.push(`worker ${w} did not stop in time`); void t.terminate() }, deadlineMs)
      t.on('message', (m: TickMessage | { type: 'done' | 'ready' }) => {
        if (m.type === 'tick') agg.add(w, m)
        else if (m.type === 'ready') onReady()
      })
      t.on('error', (e: Error) => { failures.push(`worker ${w} crashed: ${e.message}`) })
      t.on('exit', () => { clearTimeout(hardDeadline); resolve() })
    })))
    clearInterval(progress)
    opts.signal?.removeEventListener('abort', stop)

    const latency = summarize(agg.all)
    return {
      name: plan.name,
      engine: 'embedded',
      ...runOutcome(stopped, failures, agg.requests),
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startEpochMs,
      profile: { ...plan.profileSource, workers },
      coordinatedOmission: plan.profile.model === 'open' ? 'corrected' : 'not-applicable',
      requests: agg.requests,
      errors: agg.errorCount,
      iterations: agg.iterations,
      droppedIterations: agg.dropped,
      vusMax: agg.peakActive(),
      bytesReceived: agg.bytes,
      statuses: agg.stepResults().reduce<Record<string, number>>((acc, s) => {
        for (const [k, v] of Object.entries(s.statuses)) acc[k] = (acc[k] ?? 0) + v
        return acc
      }, {}),
      latency,
      histogram: agg.all.totalCount ? encodeHistogram(agg.all) : null,
      steps: agg.stepResults(),
      timeline: agg.timeline(),
      topErrors: agg.topErrors(),
    }
  }
}
