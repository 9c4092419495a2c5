// Components run as ordinary processes: detached (their own session and process group, so a
// Ctrl-C in the terminal reaches golive, which stops them in order), output to their own log file,
// pid recorded. Stopping checks that the pid still runs the program we started (pids get reused).

import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readlinkSync, realpathSync } from 'node:fs'
import { dirname } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { StartedProcess } from './state.js'

export interface SpawnSpec {
  name: string
  program: string
  args: string[]
  log: string
  env?: Record<string, string>
  cwd?: string
  /** run as this user (PostgreSQL refuses root) */
  user?: { uid: number; gid: number }
}

export function spawnComponent(s: SpawnSpec): StartedProcess {
  mkdirSync(dirname(s.log), { recursive: true })
  const fd = openSync(s.log, 'a')
  try {
    const child = spawn(s.program, s.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      cwd: s.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...s.env },
      uid: s.user?.uid,
      gid: s.user?.gid,
    })
    child.on('error', () => {
      /* reported by the health check, with the log */
    })
    child.unref()
    if (child.pid === undefined) throw new Error(`${s.name}: could not start ${s.program}`)
    return { name: s.name, pid: child.pid, program: s.program, log: s.log, startedAt: new Date().toISOString() }
  } finally {
    closeSync(fd)
  }
}

/** Alive, not a zombie, and still running the program we started. */
export function isOurs(p: StartedProcess): boolean {
  try {
    const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8')
    if (/\) Z /.test(stat)) return false
    // the executable, not argv[0]: Redis and PostgreSQL rewrite their process titles
    return readlinkSync(`/proc/${p.pid}/exe`) === realpathSync(p.program)
  } catch {
    return false
  }
}

const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Stops one started process: `signal` (PostgreSQL: SIGINT = fast shutdown), then SIGKILL for the
 * whole process group if it is still there after `graceMs`. Resolves when nothing of it is left.
 */
export async function stopProcess(p: StartedProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (isOurs(p)) {
    try {
      process.kill(p.pid, signal)
    } catch {
      /* already gone */
    }
    const until = Date.now() + graceMs
    while (isOurs(p) && Date.now() < until) await sleep(50)
  }
  // the group (pgid = pid, set by detached spawn) may hold children, e.g. postgres backends;
  // only signalled while its leader is ours or gone, never a reused pid of someone else's
  if ((isOurs(p) || !existsSync(`/proc/${p.pid}`)) && groupAlive(p.pid)) {
    try {
      process.kill(-p.pid, 'SIGKILL')
    } catch {
      /* gone meanwhile */
    }
    const until = Date.now() + 5000
    while (groupAlive(p.pid) && Date.now() < until) await sleep(50)
  }
}
