// A drill's fault and rollback actions, from config: a staging stack action ('staging:kill-app1',
// 'staging:heal', 'staging:restart:app1', ...), a pause ('sleep:5'), or a shell command (a string,
// or { command, timeoutSeconds }). Every action is bounded in time.

import { spawn } from 'node:child_process'
import { resolve } from 'node:path'

export type Action =
  | { kind: 'staging'; name: string; component?: string; text: string }
  | { kind: 'sleep'; seconds: number; text: string }
  | { kind: 'command'; command: string; timeoutSeconds: number; text: string }

export interface ActionRecord {
  action: string
  /** seconds since the drill started */
  startedAt: number
  seconds: number
  ok: boolean
  output?: string
  error?: string
}

const STAGING_FAULTS = ['kill-app1', 'stop-primary', 'promote-replica', 'slow-db', 'error-burst', 'heal']
const COMPONENT_ACTIONS = ['stop', 'start', 'restart']

/** Reads one action from config; throws an Error naming the setting and the forms it accepts. */
export function parseAction(raw: unknown, where: string): Action {
  const forms = "'staging:<fault>' (kill-app1, stop-primary, promote-replica, slow-db, error-burst, heal), 'staging:stop|start|restart:<component>', 'sleep:<seconds>', a shell command, or { command, timeoutSeconds }"
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>
    if (typeof o.command !== 'string' || !o.command.trim()) throw new Error(`${where}: an object action needs 'command' (a shell command); accepted: ${forms}`)
    const t = o.timeoutSeconds ?? 300
    if (typeof t !== 'number' || !(t > 0 && t <= 3600)) throw new Error(`${where}.timeoutSeconds: expected seconds from 1 to 3600, got ${JSON.stringify(t)}`)
    return { kind: 'command', command: o.command, timeoutSeconds: t, text: o.command }
  }
  if (typeof raw !== 'string' || !raw.trim()) throw new Error(`${where}: expected an action: ${forms}; got ${JSON.stringify(raw)}`)
  const text = raw.trim()
  if (text.startsWith('staging:')) {
    const [, name = '', component] = text.split(':')
    if (COMPONENT_ACTIONS.includes(name)) {
      if (!component) throw new Error(`${where}: '${text}' needs a component, e.g. 'staging:${name}:app1'`)
      return { kind: 'staging', name, component, text }
    }
    if (!STAGING_FAULTS.includes(name) || component !== undefined) throw new Error(`${where}: unknown staging action '${text}'; accepted: ${forms}`)
    return { kind: 'staging', name, text }
  }
  if (text.startsWith('sleep:')) {
    const seconds = Number(text.slice(6))
    if (!(seconds >= 0 && seconds <= 3600)) throw new Error(`${where}: '${text}': expected sleep:<seconds> with 0 to 3600 seconds`)
    return { kind: 'sleep', seconds, text }
  }
  return { kind: 'command', command: text, timeoutSeconds: 300, text }
}

export function parseActions(raw: unknown, where: string): Action[] {
  const list = Array.isArray(raw) ? raw : [raw]
  return list.map((a, i) => parseAction(a, Array.isArray(raw) ? `${where}[${i}]` : where))
}

export interface ActionContext {
  /** the staging stack's state directory, for staging actions */
  stagingDir: string
  /** aborts sleeps and commands (never a staging action halfway) */
  signal: AbortSignal
}

/** Runs one action; resolves with what it said, or throws. */
export async function runAction(a: Action, c: ActionContext): Promise<string> {
  if (a.kind === 'sleep') return sleepFor(a.seconds, c.signal)
  if (a.kind === 'command') return shell(a.command, a.timeoutSeconds, c.signal)
  const { stagingAction } = await import('./staging-actions.js')
  return stagingAction(a.name, a.component, resolve(c.stagingDir))
}

function sleepFor(seconds: number, signal: AbortSignal): Promise<string> {
  return new Promise((done) => {
    const started = performance.now()
    const finish = () => { clearTimeout(t); signal.removeEventListener('abort', finish); done(signal.aborted ? `waited ${((performance.now() - started) / 1000).toFixed(2)} s (interrupted)` : `waited ${seconds} s`) }
    const t = setTimeout(finish, seconds * 1000)
    if (signal.aborted) return finish()
    signal.addEventListener('abort', finish, { once: true })
  })
}

export function shell(command: string, timeoutSeconds: number, signal: AbortSignal, env?: Record<string, string>): Promise<string> {
  return new Promise((done, fail) => {
    const p = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } })
    let out = ''
    const keep = (d: Buffer) => { out = (out + d.toString()).slice(-4000) }
    p.stdout.on('data', keep)
    p.stderr.on('data', keep)
    const kill = () => { try { process.kill(-p.pid!, 'SIGKILL') } catch { /* gone */ } }
    const timer = setTimeout(() => { kill(); fail(new Error(`'${command}' did not finish within ${timeoutSeconds} s (killed)`)) }, timeoutSeconds * 1000)
    const onAbort = () => { kill(); fail(new Error(`'${command}' interrupted`)) }
    signal.addEventListener('abort', onAbort, { once: true })
    p.on('error', (e) => { clearTimeout(timer); fail(e) })
    p.on('close', (code) => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      if (code === 0) done(out.trim())
      else fail(new Error(`'${command}' exited ${code}${out.trim() ? `: ${out.trim().slice(-500)}` : ''}`))
    })
  })
}

/** Runs actions in order, recording each. `stopOnError`: the fault stops at its first failure;
 *  a rollback runs every action whatever happened to the one before. */
export async function runActions(actions: readonly Action[], c: ActionContext, t0: number, o: { stopOnError: boolean; log: (l: string) => void; phase: string }): Promise<ActionRecord[]> {
  const records: ActionRecord[] = []
  for (const a of actions) {
    if (o.stopOnError && c.signal.aborted) break
    const started = performance.now()
    const rec: ActionRecord = { action: a.text, startedAt: round3((started - t0) / 1000), seconds: 0, ok: true }
    o.log(`${o.phase}: ${a.text}`)
    try {
      const output = await runAction(a, c)
      if (output) rec.output = output.slice(0, 2000)
    } catch (e) {
      rec.ok = false
      rec.error = (e as Error).message.slice(0, 2000)
      o.log(`${o.phase}: ${a.text} failed: ${rec.error}`)
    }
    rec.seconds = round3((performance.now() - started) / 1000)
    records.push(rec)
    if (!rec.ok && o.stopOnError) break
  }
  return records
}

const round3 = (n: number) => Math.round(n * 1000) / 1000
