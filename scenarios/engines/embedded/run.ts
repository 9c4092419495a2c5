// The embedded engine, main-thread side: starts the worker threads, merges what they measure,
// reports progress, and stops them on request (Ctrl-C) — always returning what was measured.

import { availableParallelism } from 'node:os'
import { startWorker } from '../../../core/worker-thread.js'
import { EventEmitter } from 'node:events'
import { encodeHistogram, summarize } from '../../../core/histogram.js'
import type { ScenarioResult } from '../../../core/results.js'
import type { ScenarioPlan } from '../../compile.js'
import { abortReason, runOutcome } from '../../outcome.js'
import type { Target } from './http.js'
import type { TickMessage } from './metrics.js'
import { Aggregate } from './aggregate.js'
import type { ControlMessage, WorkerInput } from './worker.js'
import { EmbeddedLive } from './live.js'
import { CompleteSeconds } from './seconds.js'
import type { AbortInfo } from '../../../core/results.js'
import { RunSteps } from './journey.js'

export interface EmbeddedOptions {
  target: Target
  /** worker threads; default 1. 'auto': one per core, less one when the target is on this
   *  machine (loopback), which needs a core of its own to answer */
  workers?: number | 'auto'
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

/** Events: 'progress' (ProgressEvent) once a second; 'live' (LiveEvent: each complete second,
 *  then the end) when listened to before run(); 'second' (TimelinePoint) as each second of the
 *  timeline is complete (every worker sent it: the abort watch judges it). */
export class EmbeddedRun extends EventEmitter {
  private aborted: AbortInfo | null = null
  private agg: Aggregate | null = null
  private startEpochMs = 0
  private stopNow: (() => void) | null = null
  constructor(
    private readonly plan: ScenarioPlan,
    private readonly opts: EmbeddedOptions,
  ) {
    super()
  }

  /** ms since the run started (0 before) */
  elapsedMs(): number {
    return this.startEpochMs ? Date.now() - this.startEpochMs : 0
  }

  /** the seconds from..to-1 of what was measured so far (complete once the run ended) */
  window(from: number, to: number): ReturnType<Aggregate['window']> | null {
    return this.agg?.window(from, to) ?? null
  }

  /** Stops the run early on a gate's breach: the results are complete, marked aborted. */
  abort(info: AbortInfo): void {
    if (this.aborted) return
    this.aborted = info
    this.stopNow?.()
  }

  async run(): Promise<ScenarioResult> {
    const { plan, opts } = this
    const workers = Math.max(1, Math.min(opts.workers === 'auto' ? autoWorkers(opts.target.origin) : (opts.workers ?? 1), plan.profile.maxVUs))
    const agg = (this.agg = new Aggregate(
      plan.steps.map((s) => ({ name: s.name, method: s.method, phase: s.phase })),
      plan.flow,
    ))
    const startedAt = new Date()
    let startEpochMs = Date.now()
    const failures: string[] = []
    let stopped = false
    const live = this.listenerCount('live')
      ? new EmbeddedLive(
          plan.name,
          plan.steps.map((s) => s.name),
          workers,
          (e) => this.emit('live', e),
        )
      : null
    // the run's before steps, once, on this thread: their captures travel to every user
    const once = new RunSteps(plan, opts.target, () => startEpochMs)
    const usersPlan = await once.before()

    const threads = Array.from({ length: workers }, (_, w) => {
      const input: WorkerInput = { plan: usersPlan, target: opts.target, worker: w, workers, live: live !== null }
      return startWorker(import.meta.url, './worker.ts', 'engine-worker.js', { workerData: input })
    })
    const stop = () => {
      stopped = true
      for (const t of threads) t.postMessage({ type: 'stop' } satisfies ControlMessage)
    }
    this.stopNow = () => {
      for (const t of threads) t.postMessage({ type: 'stop' } satisfies ControlMessage)
    }
    const complete = new CompleteSeconds(workers)
    // start together once every worker has loaded, so load time is not part of the run
    let ready = 0
    const onReady = () => {
      if (++ready < threads.length) return
      startEpochMs = this.startEpochMs = Date.now() + 20
      live?.start(startEpochMs)
      for (const t of threads) t.postMessage({ type: 'start', startEpochMs } satisfies ControlMessage)
    }
    opts.signal?.addEventListener('abort', stop, { once: true })

    const progress = setInterval(() => {
      // the progress line's p95 costs a percentile walk a second: only when someone listens
      if (ready < threads.length || this.listenerCount('progress') === 0) return
      const last = agg.lastSecond()
      this.emit('progress', {
        scenario: plan.name,
        elapsedMs: Date.now() - startEpochMs,
        totalMs: plan.profile.totalMs,
        active: agg.active,
        requests: agg.requests,
        errors: agg.errorCount,
        rps: last?.requests ?? null,
        p95: last?.p95 ?? null,
      } satisfies ProgressEvent)
    }, 1000)

    // a worker ends with 'done', or crashes ('error'); either way its deltas so far are kept
    const deadlineMs = plan.profile.totalMs + plan.profile.gracefulStopMs + 15_000
    await Promise.all(
      threads.map(
        (t, w) =>
          new Promise<void>((resolve) => {
            const hardDeadline = setTimeout(() => {
              failures.push(`worker ${w} did not stop in time`)
              void t.terminate()
            }, deadlineMs)
            t.on('message', (m: TickMessage | { type: 'done' | 'ready' }) => {
              if (m.type === 'tick') {
                agg.add(w, m)
                live?.add(w, m)
                if (this.listenerCount('second'))
                  for (const t of complete.update(w, Math.min(m.through, Math.floor((Date.now() - startEpochMs) / 1000) + 1)))
                    if (!this.aborted) this.emit('second', agg.second(t))
              } else if (m.type === 'ready') onReady()
            })
            t.on('error', (e: Error) => {
              failures.push(`worker ${w} crashed: ${e.message}`)
              // a worker that failed to load would keep the others waiting for the start
              if (ready < threads.length) stop()
            })
            t.on('exit', () => {
              clearTimeout(hardDeadline)
              resolve()
            })
          }),
      ),
    )
    clearInterval(progress)
    live?.end()
    opts.signal?.removeEventListener('abort', stop)
    // after every user stopped, stopped early or not
    await once.after()
    agg.add(-1, once.flush())
    await once.close()

    const latency = summarize(agg.all)
    return {
      name: plan.name,
      engine: 'embedded',
      ...runOutcome(stopped, failures, agg.requests),
      ...(this.aborted && !stopped && !failures.length ? { aborted: this.aborted, reason: abortReason(this.aborted) } : {}),
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
      statuses: agg
        .stepResults()
        .filter((s) => !s.phase)
        .reduce<Record<string, number>>((acc, s) => {
          for (const [k, v] of Object.entries(s.statuses)) acc[k] = (acc[k] ?? 0) + v
          return acc
        }, {}),
      latency,
      histogram: agg.all.totalCount ? encodeHistogram(agg.all) : null,
      steps: agg.stepResults(),
      timeline: agg.timeline(),
      topErrors: agg.topErrors(),
      ...agg.flow.results(
        plan.flow,
        agg.stepResults(),
        plan.steps.map((s) => s.name),
      ),
    }
  }
}

/** --workers auto: the machine's cores, less one for a target on loopback; at least 1 */
export function autoWorkers(origin: string, cores = availableParallelism()): number {
  const host = new URL(origin).hostname.replace(/^\[|\]$/g, '')
  const local = host === 'localhost' || host === '::1' || /^127\./.test(host)
  return Math.max(1, cores - (local ? 1 : 0))
}
