// Faults for drills, and `heal`. slow-db and error-burst are Redis flags with a TTL: they end by
// themselves. kill-app1, stop-primary and promote-replica last until `heal`, which restarts what
// is down and, after a promotion, rebuilds primary + streaming replica without losing writes.

import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { UsageError } from '../../core/errors.js'
import { COMPONENTS, componentNamed, portOf, type ComponentName } from '../components.js'
import { FAULT_KEYS } from '../app/redis-state.js'
import { launchSpec } from './launch.js'
import type { StackPaths } from './paths.js'
import { initReplica, postgresUser, sql } from './postgres.js'
import { findPrograms } from './programs.js'
import { isOurs, spawnComponent, stopProcess } from './processes.js'
import { probe } from './probes.js'
import { writeState, type StackState } from './state.js'

export const FAULT_SECONDS = { slowDb: 60, errorBurst: 30 }
// above HighLatencyP95's 500 ms (staging/templates/alert-rules.yml) for a one-query request, so the
// alerts drill's slow-db makes that alert fire
export const SLOW_DB_MS = 600
export const ERROR_BURST_RATIO = 0.5

const pgPort = (s: StackState, n: 'postgres-primary' | 'postgres-replica') => portOf(componentNamed(n)!, 'pg', s.settings.basePort)

async function withRedis<T>(s: StackState, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis(portOf(componentNamed('redis')!, 'redis', s.settings.basePort), '127.0.0.1', { maxRetriesPerRequest: 1, lazyConnect: true })
  r.on('error', () => {})
  try {
    await r.connect()
    return await fn(r)
  } catch (e) {
    throw new UsageError(`cannot reach the stack's Redis: ${(e as Error).message}`, 'is the stack up? golive staging status')
  } finally {
    r.disconnect()
  }
}

function running(s: StackState, name: ComponentName) {
  const p = s.processes[name]
  if (!p || !isOurs(p)) throw new UsageError(`${name} is not running`, 'golive staging heal, or golive staging up')
  return p
}

export const FAULTS = {
  async 'kill-app1'(_p: StackPaths, s: StackState) {
    const app = running(s, 'app1')
    await stopProcess(app, 'SIGKILL', 2000)
    return `app1 (pid ${app.pid}) killed (SIGKILL); the edge sends its traffic to app2 until golive staging heal`
  },
  async 'stop-primary'(_p: StackPaths, s: StackState) {
    const pg = running(s, 'postgres-primary')
    await stopProcess(pg, 'SIGINT')
    return `postgres-primary (pid ${pg.pid}) stopped (fast shutdown); writes fail until golive staging fault promote-replica or golive staging heal`
  },
  async 'promote-replica'(p: StackPaths, s: StackState) {
    running(s, 'postgres-replica')
    await sql(pgPort(s, 'postgres-replica'), 'SELECT pg_promote(true, 30)')
    s.replicaPromoted = true
    writeState(p, s)
    return 'postgres-replica promoted: it accepts writes; the apps move to it when the primary is gone. golive staging heal rebuilds primary + replica'
  },
  async 'slow-db'(_p: StackPaths, s: StackState) {
    await withRedis(s, (r) => r.set(FAULT_KEYS.slowDb, String(SLOW_DB_MS), 'EX', FAULT_SECONDS.slowDb))
    return `slow-db: every query the apps send waits ${SLOW_DB_MS} ms in PostgreSQL for ${FAULT_SECONDS.slowDb} s (or until golive staging heal)`
  },
  async 'error-burst'(_p: StackPaths, s: StackState) {
    await withRedis(s, (r) => r.set(FAULT_KEYS.errorBurst, String(ERROR_BURST_RATIO), 'EX', FAULT_SECONDS.errorBurst))
    return `error-burst: ${ERROR_BURST_RATIO * 100} % of API requests answer 500 for ${FAULT_SECONDS.errorBurst} s (or until golive staging heal)`
  },
}

export async function heal(p: StackPaths, s: StackState): Promise<string[]> {
  const done: string[] = []
  const prog = findPrograms()
  const user = postgresUser()
  const start = (name: ComponentName) => {
    s.processes[name] = spawnComponent(launchSpec(name, s.settings, p, prog, user))
    writeState(p, s)
  }
  const waitFor = async (name: ComponentName, promoted = false) => {
    const until = Date.now() + 60_000
    let problem: string | null = 'not checked'
    while (Date.now() < until && (problem = await probe(name, s.settings.basePort, p, promoted)) !== null) await sleep(200)
    if (problem) throw new UsageError(`heal: ${name} did not become healthy (${problem})`, `see its log: ${s.processes[name]?.log}`)
  }
  await withRedis(s, (r) => r.del(FAULT_KEYS.slowDb, FAULT_KEYS.errorBurst)).then(
    () => done.push('fault flags cleared'),
    () => {},
  )

  if (s.replicaPromoted) {
    const primaryUp = isOurs(s.processes['postgres-primary']!)
    if (!primaryUp) {
      // the promoted replica holds the latest writes: make the primary a copy of it, switch over,
      // and only then rebuild the replica
      initReplica(p, prog, pgPort(s, 'postgres-replica'), user, p.pgPrimary)
      start('postgres-primary')
      await caughtUp(pgPort(s, 'postgres-replica')) // the new copy connects and streams
      await stopProcess(s.processes['postgres-replica']!, 'SIGINT')
      await sql(pgPort(s, 'postgres-primary'), 'SELECT pg_promote(true, 30)')
      done.push('postgres-primary rebuilt from the promoted replica (no write lost) and promoted back')
    } else {
      await stopProcess(s.processes['postgres-replica']!, 'SIGINT')
      done.push('the promoted replica is discarded (the primary kept running and taking writes)')
    }
    await waitFor('postgres-primary')
    initReplica(p, prog, pgPort(s, 'postgres-primary'), user)
    start('postgres-replica')
    s.replicaPromoted = false
    writeState(p, s)
    await waitFor('postgres-replica')
    done.push('postgres-replica rebuilt: streaming from the primary again')
  }
  for (const c of COMPONENTS) {
    const proc = s.processes[c.name]
    if (proc && isOurs(proc)) continue
    start(c.name)
    await waitFor(c.name)
    done.push(`${c.name} restarted (pid ${s.processes[c.name]!.pid})`)
  }
  for (const c of COMPONENTS) await waitFor(c.name)
  done.push('every component healthy')
  return done
}

/** Waits until the standby attached to `port` has replayed everything `port` has written. */
async function caughtUp(port: number): Promise<void> {
  const until = Date.now() + 30_000
  while (Date.now() < until) {
    const rows = await sql<{ ok: boolean }>(port, 'SELECT replay_lsn >= pg_current_wal_lsn() AS ok FROM pg_stat_replication').catch(() => [])
    if (rows.some((r) => r.ok)) return
    await sleep(200)
  }
  throw new UsageError('heal: the rebuilt primary did not catch up with the promoted replica within 30 s', 'see the postgres logs in the state directory')
}
