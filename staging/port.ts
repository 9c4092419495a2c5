// The staging port (core/stack.ts) over golive's native staging stack: cli gives it to checks
// as ctx.stack, so checks never import staging/. Its actions load at their first use (Redis
// client, process control), so a command that touches no stack never loads them.

import { existsSync } from 'node:fs'
import type { StackPort } from '../core/stack.js'
import { componentNamed, portOf } from './components.js'
import { stackPaths } from './native/paths.js'
import { readState } from './native/state.js'
import { PASSWORDS } from './render.js'

const actions = () => import('./stack-actions.js')

function stateAt(dir: string) {
  const paths = stackPaths(dir || undefined)
  return { paths, state: existsSync(paths.state) ? readState(paths) : null }
}

export const stagingPort: StackPort = {
  fault: async (dir, name) => (await actions()).stagingAction(name, undefined, dir),
  component: async (dir, action, component) => (await actions()).stagingAction(action, component, dir),
  describe(dir) {
    const { paths, state } = stateAt(dir)
    if (!state) throw new Error(`no staging stack in ${paths.root} (no state.json): start it (golive staging up), or set stagingDir to its --state-dir`)
    return `the staging stack in ${paths.root}, base port ${state.settings.basePort}`
  },
  primaryDatabase(dir) {
    const { state } = stateAt(dir)
    if (!state) return null
    return {
      host: '127.0.0.1',
      port: portOf(componentNamed('postgres-primary')!, 'pg', state.settings.basePort),
      user: 'postgres',
      password: PASSWORDS.postgres,
      database: 'golive',
    }
  },
}
