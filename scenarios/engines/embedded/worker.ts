// A worker thread of the embedded engine: runs its share of the users and sends what it
// measured to the main thread once a second.

import { parentPort, workerData } from 'node:worker_threads'
import type { ScenarioPlan } from '../../compile.js'
import type { Target } from './http.js'
import { WorkerMetrics } from './metrics.js'
import { VirtualUser, prepareUsers } from './vu.js'
import { arrivalTime, closedTarget, ownIds } from './schedule.js'
import { sleep } from './sleep.js'
import { bindHooks, pickScenario } from '../../hooks.js'

export interface WorkerInput {
  plan: ScenarioPlan
  target: Target
  worker: number
  workers: number
  /** split each second by step too: someone watches the run live */
  live?: boolean
}

/** 'start' carries Date.now() at the run's start, shared by all workers so seconds line up */
export type ControlMessage = { type: 'start'; startEpochMs: number } | { type: 'stop' }

const input = workerData as WorkerInput
const port = parentPort!
const { plan, worker, workers } = input
const profile = plan.profile
const stopAll = new AbortController()
// the scenario's TypeScript hooks cannot cross into a thread: the thread loads the file itself
// (before it listens, so a stop sent meanwhile waits in the port's queue)
// (the TypeScript loader, esbuild's, only then)
const hooks = plan.code ? bindHooks(pickScenario(await (await import('../../../core/load-module.js')).importTsModule(plan.code)), plan.steps) : null
await prepareUsers(plan, input.target)
const onMessage = (m: ControlMessage) => {
  if (m.type === 'start') return begin(m.startEpochMs)
  stopAll.abort()
  // stopped before it started: run the (empty) main so that the worker reports and exits
  if (!startEpochMs) begin(Date.now())
}
port.on('message', onMessage)
// loaded and ready: the main thread starts every worker at once
port.postMessage({ type: 'ready' })
let startEpochMs = 0
const begin = (at: number) => {
  startEpochMs = at
  setTimeout(() => void main(), Math.max(0, at - Date.now()))
}
const metrics = new WorkerMetrics(
  plan.steps.map((s) => s.name),
  () => startEpochMs,
  plan,
  input.live === true,
)
let rowIndex = worker
const shared = {
  plan,
  target: input.target,
  metrics,
  hooks,
  nextRow: () => {
    const r = plan.data!.rows[rowIndex % plan.data!.rows.length]
    rowIndex += workers
    return r
  },
}
const ids = ownIds(profile.maxVUs, worker, workers)
const users = new Map<number, VirtualUser>()
const iterationCap = profile.iterations === null ? Infinity : Math.floor(profile.iterations / workers) + (worker < profile.iterations % workers ? 1 : 0)
let started = 0
const msSinceStart = () => Date.now() - startEpochMs

// one tick per second, just after each second closes
let ticker: NodeJS.Timeout | undefined
const tick = () => {
  port.postMessage(metrics.flush(false))
  ticker = setTimeout(tick, 1000 - (msSinceStart() % 1000) + 20)
}

function user(id: number): VirtualUser {
  let u = users.get(id)
  if (!u) {
    u = new VirtualUser(id, shared)
    users.set(id, u)
  }
  return u
}

const busyCount = () => {
  let n = 0
  for (const u of users.values()) if (u.busy) n++
  return n
}

async function runClosed(): Promise<void> {
  const running = new Map<number, { stop: boolean; done: Promise<void> }>()
  const loop = (id: number) => {
    const state = { stop: false, done: Promise.resolve() }
    state.done = (async () => {
      do {
        // journeys in a callback loop, with no promise per journey
        await user(id).journeys(() => {
          if (state.stop || stopAll.signal.aborted || started >= iterationCap) return false
          started++
          return true
        })
        // the user stops: its teardown (within the graceful stop; none when cut off)
        if (!stopAll.signal.aborted) await user(id).stopLife()
        // restarted while it tore down (a ramp down, then up): a new life
      } while (!state.stop && !stopAll.signal.aborted && msSinceStart() < profile.totalMs && started < iterationCap)
    })()
    running.set(id, state)
  }
  while (!stopAll.signal.aborted && msSinceStart() < profile.totalMs && started < iterationCap) {
    const want = closedTarget(profile.stages, msSinceStart(), ids)
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!
      const r = running.get(id)
      if (i < want && (!r || r.stop)) {
        if (!r) loop(id)
        else {
          r.stop = false
          if (!users.get(id)?.busy) loop(id)
        }
      }
      if (i >= want && r && !r.stop) r.stop = true
    }
    for (const [id, r] of running) if (r.stop && !users.get(id)?.busy) running.delete(id)
    metrics.setActive(busyCount())
    await sleep(50, stopAll.signal)
  }
  for (const r of running.values()) r.stop = true
  await finish([...running.values()].map((r) => r.done))
}

async function runOpen(): Promise<void> {
  const pending: Promise<void>[] = []
  let k = worker
  while (!stopAll.signal.aborted && started < iterationCap) {
    const at = arrivalTime(profile.stages, k)
    if (at === null || at >= profile.totalMs) break
    const wait = at - msSinceStart()
    if (wait > 1) await sleep(wait, stopAll.signal)
    if (stopAll.signal.aborted) break
    k += workers
    const idle = ids.find((id) => !users.get(id)?.busy)
    if (idle === undefined) {
      metrics.dropped++
      continue
    }
    started++
    // latency of the first request counts from the intended start, not from when the loop got here
    const intended = performance.now() - Math.max(0, msSinceStart() - at)
    const p = user(idle).iterate(intended)
    pending.push(p)
    metrics.setActive(busyCount())
    if (pending.length > 1000) pending.splice(0, pending.length - 1000)
  }
  // every user of the pool that ran its setup tears down at the end
  await finish(pending, () => Promise.all([...users.values()].map((u) => u.stopLife())).then(() => {}))
}

/** Let running journeys end within gracefulStop, then cut them off. */
async function finish(running: Promise<void>[], then?: () => Promise<void>): Promise<void> {
  const graceful = stopAll.signal.aborted ? 0 : profile.gracefulStopMs
  const timer = new Promise<void>((r) => setTimeout(r, graceful).unref())
  const cut = new Promise<void>((r) => stopAll.signal.addEventListener('abort', () => r(), { once: true }))
  const all = Promise.all(running).then(() => then?.())
  await Promise.race([all, timer, cut])
  for (const u of users.values()) u.hardStop()
  await all
  metrics.setActive(0)
}

async function main(): Promise<void> {
  ticker = setTimeout(tick, 1000 - (msSinceStart() % 1000) + 20)
  try {
    if (profile.model === 'closed') await runClosed()
    else await runOpen()
  } finally {
    clearTimeout(ticker)
    await Promise.all([...users.values()].map((u) => u.close()))
    port.postMessage(metrics.flush(true))
    port.postMessage({ type: 'done' })
    // the listener would keep the thread alive
    port.off('message', onMessage)
  }
}
