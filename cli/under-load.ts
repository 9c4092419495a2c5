// The load port a drill experiment's underLoad uses (core/check.ts LoadPort): one of the
// environment's scenarios on the embedded engine, ramped as its profile says and then held at
// its peak until the drill stops it (bounded), so the fault lands on real journeys; their
// figures over the fault window come from the run's per-second histograms.

import type { HeldLoad, LoadPort, LoadWindow } from '../core/check.js'
import { round } from '../core/units.js'
import { compileScenario, type ScenarioPlan, type Stage } from '../scenarios/compile.js'
import { findScenario } from '../scenarios/registry.js'
import { EmbeddedRun, type ProgressEvent } from '../scenarios/engines/embedded/run.js'
import type { Target } from '../core/target.js'
import type { EnvironmentConfig } from '../core/config.js'

export interface LoadPortInput {
  env: EnvironmentConfig
  configDir: string
  target: () => Promise<Target>
  log: (line: string) => void
}

/** how long the scenario may take to reach its peak beyond its ramp */
const PEAK_GRACE_MS = 30_000

export function loadPort(input: LoadPortInput): LoadPort {
  return {
    async hold(name, { maxHoldMs, signal }): Promise<HeldLoad> {
      const src = await findScenario(name, input.configDir)
      const { plan, rampMs } = holdingPlan(compileScenario(src.scenario, { file: src.file, vars: input.env.vars }), maxHoldMs)
      const target = await input.target()
      const stop = new AbortController()
      const onAbort = () => stop.abort()
      signal.addEventListener('abort', onAbort, { once: true })
      const run = new EmbeddedRun(plan, { target, signal: stop.signal })
      const done = run.run()
      let users = 0
      try {
        users = await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`scenario ${name} did not reach its peak within ${(rampMs + PEAK_GRACE_MS) / 1000} s`)),
            rampMs + PEAK_GRACE_MS + 2000,
          )
          // one second at the peak level: the ramp is over, the users are all on
          run.on('progress', (p: ProgressEvent) => {
            if (p.elapsedMs >= rampMs + 1000) {
              clearTimeout(timer)
              resolve(p.active)
            }
          })
          done.then((r) => {
            clearTimeout(timer)
            reject(new Error(`scenario ${name} ended before its peak: ${r.reason ?? r.status}`))
          }, reject)
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(timer)
              reject(new Error('interrupted before the load reached its peak'))
            },
            { once: true },
          )
        })
      } catch (e) {
        stop.abort()
        await done.catch(() => {})
        signal.removeEventListener('abort', onAbort)
        throw e
      }
      return {
        scenario: name,
        users,
        now: () => run.elapsedMs() / 1000,
        async stop() {
          stop.abort()
          await done
          signal.removeEventListener('abort', onAbort)
        },
        window: (fromS, toS) => windowOf(run, fromS, toS),
      }
    },
  }
}

/** The profile up to where it first reaches its peak, then the peak held for maxHoldMs. */
export function holdingPlan(plan: ScenarioPlan, maxHoldMs: number): { plan: ScenarioPlan; rampMs: number } {
  const stages = plan.profile.stages
  const peak = Math.max(...stages.flatMap((s) => [s.from, s.to]))
  const kept: Stage[] = []
  let rampMs = 0
  for (const s of stages) {
    if (s.from === peak) break
    kept.push(s)
    rampMs += s.durationMs
    if (s.to === peak) break
  }
  kept.push({ durationMs: maxHoldMs, from: peak, to: peak })
  return { plan: { ...plan, profile: { ...plan.profile, stages: kept, totalMs: rampMs + maxHoldMs, iterations: null } }, rampMs }
}

function windowOf(run: EmbeddedRun, fromS: number, toS: number): LoadWindow {
  const from = Math.max(0, Math.floor(fromS)),
    to = Math.max(from + 1, Math.ceil(toS))
  const w = run.window(from, to)
  const requests = w?.requests ?? 0,
    failed = w?.errors ?? 0
  return {
    fromS: from,
    toS: to,
    requests,
    failed,
    errorRate: requests ? round((failed / requests) * 100, 4) : null,
    latencyP95: w?.latency?.p95 ?? null,
    latencyP50: w?.latency?.p50 ?? null,
    seconds: (w?.seconds ?? []).map((s) => [s.t, s.requests, s.errors, s.p95]),
    usersMax: w?.activeMax ?? 0,
  }
}
