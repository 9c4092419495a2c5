// Is the drill's target golive's reference staging stack (golive staging up)? Only there may a
// drill fall back on the stack's own experiments, paths and users (staging:kill-app1,
// /api/products, user1000, staging:heal). Anywhere else a drill refuses to start without the
// settings it needs, naming them: the reference app's defaults would measure nothing real.

import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { isLoopbackHost } from './target.js'

/** True when a staging stack's state is in `stagingDir` and `baseUrl` is its edge. */
export function isReferenceStack(stagingDir: string, baseUrl: string): boolean {
  const file = join(resolve(stagingDir), 'state.json')
  if (!existsSync(file)) return false
  try {
    const base = (JSON.parse(readFileSync(file, 'utf8')) as { settings?: { basePort?: number } }).settings?.basePort
    const u = new URL(baseUrl)
    const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80)
    return typeof base === 'number' && isLoopbackHost(u.hostname) && (port === base || port === base + 1)
  } catch {
    return false
  }
}

/** The refusal, naming each missing setting (full paths), or null when nothing is missing. */
export function refusal(check: string, envName: string, missing: string[]): string | null {
  if (!missing.length) return null
  return (
    `refused: environment '${envName}' is not golive's reference staging stack, so the ${check} drill needs ${missing.join(', ')} ` +
    "(the reference stack's defaults would act on an app that is not there); see docs/drills.md"
  )
}
