// The one action runner: every provider's action is recorded the same way (start, end, duration,
// status, output or error), and a dry run goes down the same path with nothing done: each
// action says what it would do.

import type { Action, ActionContext, ActionRecord } from './model.js'
import * as staging from './providers/staging.js'
import * as sleep from './providers/sleep.js'
import * as http from './providers/http.js'
import { planCommand, planShell, runCommand, runShell } from './providers/process.js'

const round3 = (n: number) => Math.round(n * 1000) / 1000

/** Does one action; resolves with what it printed or did, or throws. */
export function perform(a: Action, c: ActionContext): Promise<string> {
  switch (a.kind) {
    case 'staging':
      return staging.run(a, c)
    case 'sleep':
      return sleep.run(a, c)
    case 'shell':
      return runShell(a, c)
    case 'command':
      return runCommand(a, c)
    case 'http':
      return http.run(a, c)
  }
}

/** What one action would do, in words (a dry run). */
export function planOf(a: Action, c: ActionContext): string {
  switch (a.kind) {
    case 'staging':
      return staging.plan(a, c)
    case 'sleep':
      return sleep.plan(a)
    case 'shell':
      return planShell(a)
    case 'command':
      return planCommand(a)
    case 'http':
      return http.plan(a, c)
  }
}

/** Runs (or, dry, plans) one action and records it; never throws. `t0`: performance.now() of
 *  the caller's clock, which startedAt and endedAt count from. */
export async function runAction(a: Action, c: ActionContext, t0 = performance.now()): Promise<ActionRecord> {
  const started = performance.now()
  const rec: ActionRecord = {
    action: a.text,
    provider: a.kind,
    startedAt: round3((started - t0) / 1000),
    endedAt: 0,
    seconds: 0,
    status: 'succeeded',
    ok: true,
  }
  try {
    const output = c.dry ? planOf(a, c) : await perform(a, c)
    if (c.dry) rec.status = 'planned'
    if (output) rec.output = output.slice(0, 2000)
  } catch (e) {
    rec.ok = false
    rec.status = 'failed'
    rec.error = (e as Error).message.slice(0, 2000)
  }
  const ended = performance.now()
  rec.endedAt = round3((ended - t0) / 1000)
  rec.seconds = round3((ended - started) / 1000)
  return rec
}

/** Runs actions in order, recording each. `stopOnError`: a fault stops at its first failure
 *  (and at an interrupt); a rollback runs every action whatever happened to the one before. */
export async function runActions(
  actions: readonly Action[],
  c: ActionContext,
  t0: number,
  o: { stopOnError: boolean; log: (l: string) => void; phase: string },
): Promise<ActionRecord[]> {
  const records: ActionRecord[] = []
  for (const a of actions) {
    if (o.stopOnError && c.signal.aborted && !c.dry) break
    o.log(`${o.phase}${c.dry ? ' (dry run)' : ''}: ${a.text}`)
    const rec = await runAction(a, c, t0)
    if (!rec.ok) o.log(`${o.phase}: ${a.text} failed: ${rec.error}`)
    records.push(rec)
    if (!rec.ok && o.stopOnError) break
  }
  return records
}

/** An action as an older golive wrote it into a drill journal, in today's model: the drill's
 *  { kind: 'command', command: 'line' } was a shell line; the alert drill's staging action was
 *  { kind: 'staging', fault, stateDir } and its command { argv, timeoutMs }. */
export function fromJournal(raw: unknown): Action {
  const a = raw as Record<string, unknown>
  if (a.kind === 'command' && typeof a.command === 'string')
    return { kind: 'shell', command: a.command, timeoutSeconds: Number(a.timeoutSeconds ?? 300), text: String(a.text ?? a.command) }
  if (a.kind === 'command' && Array.isArray(a.argv) && a.timeoutSeconds === undefined)
    return { kind: 'command', argv: a.argv as string[], timeoutSeconds: Number(a.timeoutMs ?? 120_000) / 1000, text: (a.argv as string[]).join(' ') }
  if (a.kind === 'staging' && typeof a.fault === 'string') return { kind: 'staging', name: a.fault, text: `staging:${a.fault}` }
  return a as unknown as Action
}

/** How an alert drill names an action in its log and evidence. */
export function describeAction(a: Action): string {
  if (a.kind !== 'staging') return a.text
  if (a.component !== undefined) return `golive staging ${a.name} ${a.component}`
  return a.name === 'heal' ? 'golive staging heal' : `golive staging fault ${a.name}`
}
