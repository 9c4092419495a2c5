// The command and shell providers: a program with its arguments, or a shell line (/bin/sh -c).
// Each runs in its own process group, killed whole at its time limit or on an interrupt; the
// last 4000 characters of its output are kept.

import { spawn } from 'node:child_process'
import type { Action, ActionContext } from '../model.js'

type Shell = Extract<Action, { kind: 'shell' }>
type Command = Extract<Action, { kind: 'command' }>

export const runShell = (a: Shell, c: ActionContext): Promise<string> => spawnBounded('/bin/sh', ['-c', a.command], a.command, a.timeoutSeconds, c.signal)
export const runCommand = (a: Command, c: ActionContext): Promise<string> =>
  spawnBounded(a.argv[0]!, a.argv.slice(1), a.argv.join(' '), a.timeoutSeconds, c.signal)
export const planShell = (a: Shell): string => `run /bin/sh -c '${a.command}' (at most ${a.timeoutSeconds} s)`
export const planCommand = (a: Command): string => `run ${JSON.stringify(a.argv)} (no shell, at most ${a.timeoutSeconds} s)`

/** Resolves with the output of a zero exit; rejects naming the command otherwise. */
export function spawnBounded(
  program: string,
  args: string[],
  label: string,
  timeoutSeconds: number,
  signal: AbortSignal,
  env?: Record<string, string>,
): Promise<string> {
  return new Promise((done, fail) => {
    if (signal.aborted) {
      fail(new Error(`'${label}' interrupted before it started`))
      return
    }
    const p = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } })
    let out = ''
    const keep = (d: Buffer) => {
      out = (out + d.toString()).slice(-4000)
    }
    p.stdout.on('data', keep)
    p.stderr.on('data', keep)
    const kill = () => {
      try {
        process.kill(-p.pid!, 'SIGKILL')
      } catch {
        /* gone */
      }
    }
    const timer = setTimeout(() => {
      kill()
      fail(new Error(`'${label}' did not finish within ${timeoutSeconds} s (killed)`))
    }, timeoutSeconds * 1000)
    const onAbort = () => {
      kill()
      fail(new Error(`'${label}' interrupted`))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    p.on('error', (e) => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      fail(new Error(`${program}: ${e.message}`))
    })
    p.on('close', (code) => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      if (code === 0) done(out.trim())
      else fail(new Error(`'${label}' exited ${code}${out.trim() ? `: ${out.trim().slice(-500)}` : ''}`))
    })
  })
}
