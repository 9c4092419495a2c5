// Server figures, the orchestration: before any load or drill, the environment's server settings
// are checked against Prometheus and PostgreSQL (a problem is a config error, exit 2); during each
// scenario, its steady window is placed on the wall clock (from the engine's first progress
// event) and pg_stat_statements is read at the window's two ends.

import type { Check } from '../core/check.js'
import type { EnvironmentConfig } from '../core/config.js'
import { allowsDrills } from '../core/consent.js'
import { ConfigError } from '../core/errors.js'
import type { ScenarioResult } from '../core/results.js'
import type { ScenarioPlan } from '../scenarios/compile.js'
import { steadyWindow } from '../scenarios/steady-window.js'
import type { ProgressEvent } from '../scenarios/engines/embedded/run.js'
import { prepareServer, snapshotStatements, type LoadWindow, type ServerSetup } from '../checks/server.js'

/** Does this run need the server settings? Any load, or a drill that will run (the environment
 *  allows drills) and asks over its fault windows. */
export function wantsServer(env: EnvironmentConfig, plans: readonly unknown[], checks: readonly { check: Check }[]): boolean {
  return plans.length > 0 || checks.some((c) => c.check.serverWindows === true && (!c.check.destructive || allowsDrills(env)))
}

/** null without environments.<env>.server; throws a ConfigError (exit 2) naming the first problem. */
export async function serverSetup(env: EnvironmentConfig, envName: string, file: string | null, signal?: AbortSignal): Promise<ServerSetup | null> {
  if (!env.server) return null
  const { setup, problems } = await prepareServer(env.server, signal)
  if (problems.length) {
    const [first, ...rest] = problems
    const more = rest.length ? ` (and ${rest.length} more: ${rest.map((p) => p.problem).join('; ')})` : ''
    throw new ConfigError(file ?? '(no config file)', `environments.${envName}.${first!.path}`, first!.problem + more, first!.fix)
  }
  return setup
}

interface Emitter {
  on(event: 'progress', listener: (p: ProgressEvent) => void): unknown
}

/** Call before the run starts (a window from the first second reads pg_stat_statements first). */
export async function watchWindow(run: Emitter, plan: ScenarioPlan, setup: ServerSetup) {
  const steady = steadyWindow(plan.profile)
  const statements: NonNullable<LoadWindow['statements']> = {}
  const reads: Promise<void>[] = []
  const taken = { before: false, after: false }
  const take = (which: 'before' | 'after') => {
    taken[which] = true
    reads.push(
      snapshotStatements(setup).then((r) => {
        if (r.snapshot) statements[which] = r.snapshot
        if (r.error) statements.error ??= r.error
      }),
    )
  }
  if (setup.postgres && steady.fromMs === 0) {
    take('before')
    await reads[0]
  }
  let startMs: number | null = null
  const timers: NodeJS.Timeout[] = []
  run.on('progress', (p) => {
    if (startMs !== null) return
    startMs = Date.now() - p.elapsedMs
    if (!setup.postgres) return
    if (!taken.before) timers.push(setTimeout(() => take('before'), Math.max(0, steady.fromMs - p.elapsedMs)))
    timers.push(setTimeout(() => take('after'), Math.max(0, steady.toMs - p.elapsedMs)))
  })
  return {
    /** The window on the wall clock, with its reads; null when the scenario measured nothing. */
    async finish(result: ScenarioResult): Promise<LoadWindow | null> {
      const end = Date.now()
      for (const t of timers) clearTimeout(t)
      if (setup.postgres && !taken.before) statements.error ??= 'the run ended before its steady window began'
      else if (setup.postgres && !taken.after) take('after')
      await Promise.all(reads)
      if (result.requests === 0) return null
      const start = startMs ?? end - result.durationMs
      const from = start + steady.fromMs
      const to = Math.min(start + steady.toMs, end)
      const window: LoadWindow =
        to > from
          ? { scenario: plan.name, fromMs: from, toMs: to, basis: steady.basis }
          : { scenario: plan.name, fromMs: start, toMs: end, basis: 'the whole run (it ended before its steady window)' }
      return setup.postgres ? { ...window, statements } : window
    },
  }
}
