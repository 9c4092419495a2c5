// --workers auto: one worker thread per core, less one when the target is on this machine (it
// needs a core to answer on); never fewer than one. A bad value is a usage error naming auto.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { autoWorkers } from '../../scenarios/engines/embedded/run.js'
import { workersArg } from '../../cli/args.js'

test('auto: cores less one for a loopback target, all cores for a remote one, at least 1', () => {
  assert.equal(autoWorkers('http://127.0.0.1:8080', 4), 3)
  assert.equal(autoWorkers('http://localhost:8080', 2), 1)
  assert.equal(autoWorkers('http://[::1]:8080', 8), 7)
  assert.equal(autoWorkers('https://staging.example.com', 4), 4)
  assert.equal(autoWorkers('http://127.0.0.1:8080', 1), 1)
})

test('--workers takes a whole number or auto; anything else names both', () => {
  assert.equal(workersArg(undefined), undefined)
  assert.equal(workersArg('3'), 3)
  assert.equal(workersArg('auto'), 'auto')
  assert.throws(() => workersArg('many'), /--workers many: expected a whole number above 0, or auto/)
  assert.throws(() => workersArg('0'), /or auto/)
})
