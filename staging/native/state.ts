// state.json: which processes `up` started (pid, program, log) and with which settings, so that
// `down`, `status`, `fault` and `heal` act on exactly those processes. Written after every change,
// so an interrupted `up` still leaves a record `down` can clean up from.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { StackSettings } from '../render.js'
import type { StackPaths } from './paths.js'

export interface StartedProcess {
  name: string
  pid: number
  /** the program's path: checked against /proc/<pid>/exe before a signal is sent */
  program: string
  log: string
  startedAt: string
}

export interface StackState {
  settings: StackSettings
  processes: Record<string, StartedProcess>
  /** set by promote-replica; heal rebuilds the topology */
  replicaPromoted?: boolean
  readyAt?: string
}

export function readState(p: StackPaths): StackState | null {
  if (!existsSync(p.state)) return null
  return JSON.parse(readFileSync(p.state, 'utf8')) as StackState
}

export function writeState(p: StackPaths, s: StackState): void {
  mkdirSync(dirname(p.state), { recursive: true })
  writeFileSync(`${p.state}.tmp`, JSON.stringify(s, null, 2))
  renameSync(`${p.state}.tmp`, p.state)
}
