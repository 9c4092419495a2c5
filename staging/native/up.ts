// `golive staging up`: starts the stack in dependency order, waits for each component's health,
// and records every pid as soon as it exists. Already up and healthy: nothing to do. Anything
// fails (or Ctrl-C): stops what this run started and says which component, with its log.

import { chmodSync, mkdirSync, statSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { packageRoot } from '../../core/package-root.js'
import { setTimeout as sleep } from 'node:timers/promises'
import { UsageError } from '../../core/errors.js'
import { COMPONENTS, portOf, componentNamed, type ComponentName } from '../components.js'
import { renderTemplate, type StackSettings } from '../render.js'
import { launchSpec, nativeVars } from './launch.js'
import { dataDir, type StackPaths } from './paths.js'
import { assertPortsFree } from './ports.js'
import { backup, initPrimary, initReplica, postgresUser, seed } from './postgres.js'
import { findPrograms, type Programs } from './programs.js'
import { isOurs, spawnComponent } from './processes.js'
import { probe } from './probes.js'
import { readState, writeState, type StackState } from './state.js'
import { stopAll } from './down.js'

export const CONFIG_DIR = join(packageRoot(), 'staging', 'templates')
const READY_BUDGET_MS = 60_000

/** Components started together, each group healthy before the next. */
const STAGES: ComponentName[][] = [
  ['postgres-primary', 'redis', 'node-exporter'],
  ['postgres-replica', 'app1', 'app2', 'postgres-exporter-primary'],
  ['postgres-exporter-replica', 'edge', 'alertmanager'],
  ['prometheus'],
]

export interface UpResult {
  state: StackState
  alreadyUp: boolean
  seconds: number
}

export async function stackHealthy(state: StackState, paths: StackPaths): Promise<{ name: ComponentName; problem: string | null }[]> {
  return Promise.all(
    COMPONENTS.map(async (c) => {
      const proc = state.processes[c.name]
      if (!proc || !isOurs(proc)) return { name: c.name, problem: proc ? `not running (pid ${proc.pid} gone)` : 'not started' }
      return { name: c.name, problem: await probe(c.name, state.settings.basePort, paths, state.replicaPromoted) }
    }),
  )
}

export async function up(paths: StackPaths, settings: StackSettings, log: (line: string) => void, signal?: AbortSignal): Promise<UpResult> {
  const started = Date.now()
  const programs = findPrograms()
  const previous = readState(paths)
  if (previous) {
    const health = await stackHealthy(previous, paths)
    if (health.every((h) => h.problem === null)) return { state: previous, alreadyUp: true, seconds: 0 }
    // half up (a crash, a kill -9 of golive, a drill): start over cleanly
    const broken = health.filter((h) => h.problem !== null).map((h) => h.name)
    log(`the stack in ${paths.root} is not healthy (${broken.join(', ')}): stopping what runs of it and starting afresh`)
    await stopAll(paths, () => {})
  }
  await assertPortsFree(settings.basePort)

  const state: StackState = { settings, processes: {} }
  writeState(paths, state)
  try {
    await prepare(paths, settings, programs)
    for (const stage of STAGES) {
      for (const name of stage) {
        checkAbort(signal)
        await step(name, state, () => beforeStart(name, paths, settings, programs, log))
        const spec = launchSpec(name, settings, paths, programs, postgresUser())
        state.processes[name] = spawnComponent(spec)
        writeState(paths, state)
      }
      await Promise.all(stage.map((name) => waitHealthy(name, state, paths, started, signal)))
      for (const name of stage) await step(name, state, () => afterHealthy(name, paths, settings, programs, log))
    }
    state.readyAt = new Date().toISOString()
    writeState(paths, state)
    return { state, alreadyUp: false, seconds: (Date.now() - started) / 1000 }
  } catch (e) {
    log(signal?.aborted ? 'interrupted: stopping what was started' : 'up failed: stopping what was started')
    await stopAll(paths, () => {})
    throw e
  }
}

/** A failed preparation step (initdb, seed, base backup) names its component and the log to read. */
async function step(name: ComponentName, state: StackState, fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (e) {
    if (e instanceof UsageError) throw e
    throw new UsageError(`${name}: ${(e as Error).message}`, `see ${state.processes[name]?.log ?? 'the logs in the state directory'}`)
  }
}

function checkAbort(signal?: AbortSignal) {
  if (signal?.aborted) throw new UsageError('golive staging up was interrupted; everything it started is stopped again')
}

/** Fresh data every time (down removes it); the CA and server certificate are kept. */
async function prepare(p: StackPaths, s: StackSettings, prog: Programs): Promise<void> {
  rmSync(dataDir(p), { recursive: true, force: true })
  for (const d of [p.logs, p.configs, dataDir(p), p.prometheusData, p.alertmanagerData, p.backups]) mkdirSync(d, { recursive: true })
  // PostgreSQL runs as its own user (when we are root) and must reach its data directory
  if (postgresUser()) {
    for (const d of [p.root, dataDir(p)]) chmodSync(d, 0o755)
    assertTraversable(dirname(p.root))
  }
  const { ensureCertificates } = await import('./tls.js')
  ensureCertificates(p, prog.openssl)
  const vars = nativeVars(s, p)
  // every component's configs, rendered (PostgreSQL's go into its data directory: see postgres.ts)
  for (const f of new Set(COMPONENTS.flatMap((c) => c.configs))) writeFileSync(join(p.configs, f), renderTemplate(CONFIG_DIR, f, vars))
}

/** Every folder above the state directory must let others pass (o+x), or postgres cannot reach it. */
function assertTraversable(dir: string): void {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) {
      throw new UsageError(
        `PostgreSQL runs as the postgres user, which cannot enter ${d} (no x permission for others)`,
        `put the state elsewhere (--state-dir /var/tmp/golive-staging), or: chmod o+x ${d}`,
      )
    }
    if (dirname(d) === d) return
  }
}

async function beforeStart(name: ComponentName, p: StackPaths, s: StackSettings, prog: Programs, log: (l: string) => void) {
  if (name === 'postgres-primary') initPrimary(p, prog, nativeVars(s, p), CONFIG_DIR, postgresUser())
  if (name === 'postgres-replica') {
    log('postgres-replica: base backup of the primary (pg_basebackup -R)')
    initReplica(p, prog, portOf(componentNamed('postgres-primary')!, 'pg', s.basePort), postgresUser())
  }
}

async function afterHealthy(name: ComponentName, p: StackPaths, s: StackSettings, prog: Programs, log: (l: string) => void) {
  const port = portOf(componentNamed('postgres-primary')!, 'pg', s.basePort)
  if (name === 'postgres-primary') {
    const t = Date.now()
    seed(p, prog, nativeVars(s, p), CONFIG_DIR, port)
    log(`postgres-primary: seeded ${s.seedProducts} products, ${s.seedUsers} users, ${s.seedOrders} orders in ${((Date.now() - t) / 1000).toFixed(1)} s`)
    const file = backup(p, prog, port)
    log(`postgres-primary: first backup ${file}`)
  }
}

async function waitHealthy(name: ComponentName, state: StackState, p: StackPaths, since: number, signal?: AbortSignal): Promise<void> {
  const proc = state.processes[name]!
  let problem: string | null = 'not checked yet'
  while (Date.now() - since < READY_BUDGET_MS) {
    checkAbort(signal)
    if (!isOurs(proc)) {
      problem = 'the process exited'
      break
    }
    problem = await probe(name, state.settings.basePort, p)
    if (problem === null) return
    await sleep(150)
  }
  throw new UsageError(
    `${name} did not become healthy${problem === 'the process exited' ? ' (its process exited)' : ` within ${READY_BUDGET_MS / 1000} s (${problem})`}`,
    `see its log: ${proc.log}`,
  )
}
