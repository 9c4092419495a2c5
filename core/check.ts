// A check measures one aspect of readiness that a load test cannot see. It never judges:
// gates/ turns its figures into verdicts.

import type { EnvironmentConfig } from './config.js'
import type { CheckResult } from './results.js'

export interface CheckContext {
  env: EnvironmentConfig
  envName: string
  /** this check's settings from environments.<env>.checks.<id> */
  settings: Record<string, unknown>
  /** aborted on Ctrl-C or deadline: a check stops, runs its rollbacks, and returns what it has */
  signal: AbortSignal
  /** the directory of this run, for evidence files */
  runDir: string
  /** relative paths in settings (report files, rule tests, backups) are relative to this: the
   *  config file's folder (the current folder without a config file) */
  configDir: string
  log: (line: string) => void
}

export interface Check {
  /** equals its file name: 'tls', 'backup-restore' */
  id: string
  title: string
  /** environment fields it needs; missing → status 'skipped' with the reason */
  requires?: (keyof EnvironmentConfig)[]
  /** drills: refused unless the environment allows drills */
  destructive?: boolean
  run(ctx: CheckContext): Promise<CheckResult>
}

export type ResultFields = Pick<CheckResult, 'status' | 'figures' | 'evidence'> & { reason?: string }

/** Starts a check's clock: the function it returns stamps the check's id, title, start time and
 *  duration on what the check found, so every check reports them the same way. */
export function resultClock(check: Pick<Check, 'id' | 'title'>): (r: ResultFields) => CheckResult {
  const started = new Date()
  return (r) => ({ id: check.id, title: check.title, startedAt: started.toISOString(), ...r, durationMs: Date.now() - started.getTime() })
}
