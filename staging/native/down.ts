// `golive staging down`: stops exactly the processes `up` recorded (newest first, PostgreSQL with
// a fast shutdown), removes the data (the next `up` starts fresh; the CA and logs stay) and
// checks that every port is free again.

import { rmSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { COMPONENTS } from '../components.js'
import { dataDir, type StackPaths } from './paths.js'
import { takenPorts } from './ports.js'
import { stopProcess } from './processes.js'
import { readState } from './state.js'

export interface DownResult {
  stopped: string[]
  wasRunning: boolean
  portsStillTaken: number[]
}

export async function stopAll(paths: StackPaths, log: (line: string) => void): Promise<DownResult> {
  const state = readState(paths)
  if (!state) return { stopped: [], wasRunning: false, portsStillTaken: [] }
  const order = [...COMPONENTS].reverse().map((c) => c.name as string)
  const names = Object.keys(state.processes).sort((a, b) => order.indexOf(a) - order.indexOf(b))
  const stopped: string[] = []
  // the edge first (no new requests), then in reverse start order; independent ones in parallel would race
  for (const name of names) {
    const p = state.processes[name]!
    // PostgreSQL: SIGINT is its fast shutdown; an app: SIGINT skips the drain SIGTERM does for a
    // deploy (the edge is already stopped, nobody is left to drain)
    await stopProcess(p, (name.startsWith('postgres-') && !name.includes('exporter')) || name === 'app1' || name === 'app2' ? 'SIGINT' : 'SIGTERM')
    stopped.push(`${name} (pid ${p.pid})`)
    log(`stopped ${name} (pid ${p.pid})`)
  }
  rmSync(dataDir(paths), { recursive: true, force: true })
  rmSync(paths.state, { force: true })
  // the kernel frees a listening port as its process ends; give it a moment
  let taken = await takenPorts(state.settings.basePort)
  for (let i = 0; i < 20 && taken.length; i++) {
    await sleep(100)
    taken = await takenPorts(state.settings.basePort)
  }
  return { stopped, wasRunning: true, portsStillTaken: taken.map((t) => t.port) }
}
