// What the staging port (port.ts) does to golive's native staging stack (golive staging up): its
// faults and heal (native/faults.ts), and stop / start / restart of one component (the outage
// truth test and the rolling restart use them). Acts only on processes the stack's state records.

import { existsSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'
import { UsageError } from '../core/errors.js'
import { componentNamed, portOf, type ComponentName } from './components.js'
import { FAULTS, heal } from './native/faults.js'
import { launchSpec } from './native/launch.js'
import { stackPaths, type StackPaths } from './native/paths.js'
import { postgresUser } from './native/postgres.js'
import { findPrograms } from './native/programs.js'
import { isOurs, spawnComponent, stopProcess } from './native/processes.js'
import { probe } from './native/probes.js'
import { readState, writeState, type StackState } from './native/state.js'

export function stackAt(dir: string | undefined): { paths: StackPaths; state: StackState } {
  const paths = stackPaths(dir || undefined)
  const state = existsSync(paths.state) ? readState(paths) : null
  if (!state)
    throw new UsageError(`no staging stack in ${paths.root} (no state.json)`, "start it (golive staging up), or set the drill's stagingDir to its --state-dir")
  return { paths, state }
}

export async function stagingAction(name: string, component: string | undefined, dir: string | undefined): Promise<string> {
  const { paths, state } = stackAt(dir)
  if (name === 'heal') return (await heal(paths, state)).join('; ')
  if (component !== undefined) {
    if (!componentNamed(component))
      throw new UsageError(`staging:${name}:${component}: no such component`, 'one of postgres-primary, postgres-replica, redis, app1, app2, edge, ...')
    const c = component as ComponentName
    if (name === 'stop') return stop(state, c)
    if (name === 'start') return start(paths, state, c)
    const stopped = await stop(state, c)
    const started = await start(paths, state, c)
    // an app instance is back only when the edge sends it traffic again
    if (c === 'app1' || c === 'app2') await edgeSeesUp(state, c)
    return `${stopped}; ${started}${c === 'app1' || c === 'app2' ? '; the edge sees it up' : ''}`
  }
  return FAULTS[name as keyof typeof FAULTS](paths, state)
}

async function stop(state: StackState, c: ComponentName): Promise<string> {
  const p = state.processes[c]
  if (!p || !isOurs(p)) return `${c} was not running`
  const pg = c.startsWith('postgres-') && !c.includes('exporter')
  await stopProcess(p, pg ? 'SIGINT' : 'SIGTERM', 10_000)
  return `${c} (pid ${p.pid}) stopped`
}

async function start(paths: StackPaths, state: StackState, c: ComponentName): Promise<string> {
  const running = state.processes[c]
  if (running && isOurs(running)) return `${c} already running`
  state.processes[c] = spawnComponent(launchSpec(c, state.settings, paths, findPrograms(), postgresUser()))
  writeState(paths, state)
  const until = Date.now() + 30_000
  let problem: string | null = 'not checked'
  while (Date.now() < until) {
    problem = await probe(c, state.settings.basePort, paths, state.replicaPromoted)
    if (problem === null) return `${c} started (pid ${state.processes[c]!.pid})`
    await sleep(25)
  }
  throw new UsageError(`${c} did not become healthy within 30 s (${problem})`, `see its log: ${state.processes[c]!.log}`)
}

/** HAProxy marks a server up after `rise` good health checks (staging: rise 2, inter 1 s): wait
 *  until it has checked the new process twice, then for UP in its metrics. A restart quicker than
 *  its checks may never show DOWN, and a stale UP read too early would let the next instance go
 *  while the edge is about to take this one out. */
async function edgeSeesUp(state: StackState, server: string): Promise<void> {
  await sleep(2200)
  const url = `http://127.0.0.1:${portOf(componentNamed('edge')!, 'metrics', state.settings.basePort)}/metrics`
  const want = new RegExp(`haproxy_server_status\\{proxy="apps",server="${server}",state="UP"\\} 1\\b`)
  const until = Date.now() + 15_000
  while (Date.now() < until) {
    try {
      const r = await request(url, { headersTimeout: 1000, bodyTimeout: 1000 })
      if (want.test(await r.body.text())) return
    } catch {
      /* the edge may be busy: try again */
    }
    await sleep(100)
  }
  throw new UsageError(`the edge did not mark ${server} up within 15 s`, "see the edge log in the stack's state directory")
}
