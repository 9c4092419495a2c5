// When a command checks the environment's server block before it starts: any load, or a drill
// that will run (allowed) and asks the queries over its fault windows. A drill the environment
// does not allow is skipped, so an unreachable Prometheus must not stop the run (exit 2) for it.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { wantsServer } from '../../cli/server-window.js'
import { CHECKS } from '../../checks/index.js'
import type { EnvironmentConfig } from '../../core/config.js'

const check = (id: string) => ({ check: CHECKS.find((c) => c.id === id)! })
const env = (allowDrills: boolean) => ({ baseUrl: 'http://127.0.0.1:1', allowDrills }) as EnvironmentConfig

test('the drills with fault windows ask the server queries; backup-restore and read-only checks do not', () => {
  assert.deepEqual(
    CHECKS.filter((c) => c.serverWindows)
      .map((c) => c.id)
      .sort(),
    ['failover', 'rolling-restart'],
  )
})

test('wantsServer: a load always; a drill only where drills are allowed; other checks never', () => {
  assert.equal(wantsServer(env(false), [{}], []), true)
  assert.equal(wantsServer(env(true), [], [check('failover')]), true)
  assert.equal(wantsServer(env(true), [], [check('rolling-restart')]), true)
  assert.equal(wantsServer(env(false), [], [check('failover')]), false)
  assert.equal(wantsServer(env(true), [], [check('backup-restore'), check('headers')]), false)
})
