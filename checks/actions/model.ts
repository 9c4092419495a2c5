// One action model for everything that acts on a system on purpose: a drill's fault and
// rollback, a rolling restart's deploy, an alert's trigger and resolve (Chaos Toolkit's
// activities). One parser (parse.ts) reads every config form; one runner (run.ts) records start,
// end, duration and status for every provider, and a dry run goes down the same path.

import type { StackPort } from '../../core/stack.js'

export type Action =
  /** a fault or heal of golive's staging stack, or stop / start / restart of one component */
  | { kind: 'staging'; name: string; component?: string; text: string }
  /** a pause, interrupted by the signal */
  | { kind: 'sleep'; seconds: number; text: string }
  /** a shell command line (/bin/sh -c), killed with its process group at its time limit */
  | { kind: 'shell'; command: string; timeoutSeconds: number; text: string }
  /** a program and its arguments, no shell */
  | { kind: 'command'; argv: string[]; timeoutSeconds: number; text: string }
  /** one HTTP request whose status must be one of `expectStatus` (any 2xx when empty) */
  | { kind: 'http'; method: string; url: string; headers: Record<string, string>; body?: string; expectStatus: number[]; timeoutSeconds: number; text: string }

export type Provider = Action['kind']

export interface ActionRecord {
  /** the action as written */
  action: string
  provider: Provider
  /** seconds since the caller's t0 */
  startedAt: number
  endedAt: number
  seconds: number
  /** planned: a dry run, nothing done */
  status: 'succeeded' | 'failed' | 'planned'
  ok: boolean
  /** what it printed or did (at most 2000 characters); for a dry run, what it would do */
  output?: string
  error?: string
}

export interface ActionContext {
  /** aborts sleeps, commands and requests (never a staging action halfway) */
  signal: AbortSignal
  /** the staging stack's state directory for staging actions (undefined: the stack's default) */
  stagingDir?: string
  /** the staging stack, given by cli (ctx.stack); a staging action without it fails, saying so */
  stack?: StackPort
  /** null when an http action may go to this URL, else why not (the drill host rules) */
  mayRequest?: (url: URL) => string | null
  /** headers for an http action to this URL (the environment's, with auth, on its own origin) */
  headersFor?: (url: URL) => Record<string, string>
  /** a dry run: every action is planned (what it would do), none is done */
  dry?: boolean
}
