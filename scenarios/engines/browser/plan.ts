// A browser scenario's plan: the spec's tests, how many users for how long, and where the
// browsers come from. Built before anything starts, so every mistake is said up front.

import { accessSync, constants } from 'node:fs'
import { UsageError } from '../../../core/errors.js'
import { parseDuration } from '../../../core/units.js'
import { assertFits } from './memory.js'
import { loadSpec, type LoadedSpec } from './spec.js'
import type { EnvironmentConfig } from '../../../core/config.js'

/** environments.<env>.browser in the config (docs/browser.md): one type, core's */
export type BrowserSettings = NonNullable<EnvironmentConfig['browser']>

export interface BrowserPlan {
  kind: 'browser'
  name: string
  file: string
  spec: LoadedSpec
  vus: number
  durationMs: number
  iterations?: number
  browsers: number
  executablePath: string
  gracefulStopMs: number
  trace: 'first-failure' | 'off'
  /** the shape measure() and the progress line read, as for HTTP plans */
  profile: { model: 'closed'; maxVUs: number; totalMs: number }
  profileSource: Record<string, unknown>
  steps: never[]
}

export const USERS_PER_BROWSER = 5
export const DEFAULT_CHROMIUM = '/usr/bin/chromium'

export async function compileBrowserScenario(
  file: string,
  o: { vus?: number; duration?: string; iterations?: number; settings?: BrowserSettings },
): Promise<BrowserPlan> {
  const s = o.settings ?? {}
  const executablePath = s.executablePath ?? process.env.GOLIVE_CHROMIUM ?? DEFAULT_CHROMIUM
  const where = s.executablePath ? 'browser.executablePath' : process.env.GOLIVE_CHROMIUM ? 'GOLIVE_CHROMIUM' : 'the default'
  try {
    accessSync(executablePath, constants.X_OK)
  } catch {
    throw new UsageError(
      `browser scenario ${file}: no Chromium at ${executablePath} (${where})`,
      'install it (apt-get install chromium) or set environments.<env>.browser.executablePath (or GOLIVE_CHROMIUM) to a Chromium binary; golive never downloads a browser',
    )
  }
  const spec = await loadSpec(file)
  const vus = o.vus ?? s.vus ?? 1
  const durationText = o.duration ?? s.duration ?? ((o.iterations ?? s.iterations) ? '10m' : '30s')
  let durationMs: number
  try {
    durationMs = parseDuration(durationText)
  } catch {
    throw new UsageError(`browser scenario ${spec.name}: duration '${durationText}' is not a duration`, "write it as '30s', '2m' or '1m30s'")
  }
  const gracefulStopMs = s.gracefulStop ? parseDuration(s.gracefulStop) : 30_000
  const browsersFor = (u: number) => Math.max(1, Math.min(u, s.browsers ?? Math.ceil(u / USERS_PER_BROWSER)))
  const browsers = browsersFor(vus)
  assertFits(spec.name, vus, browsersFor)
  const iterations = o.iterations ?? s.iterations
  return {
    kind: 'browser',
    name: spec.name,
    file,
    spec,
    vus,
    durationMs,
    iterations,
    browsers,
    executablePath,
    gracefulStopMs,
    trace: s.trace ?? 'first-failure',
    profile: { model: 'closed', maxVUs: vus, totalMs: durationMs },
    profileSource: { model: 'closed', vus, duration: durationText, ...(iterations ? { iterations } : {}), browsers },
    steps: [],
  }
}
