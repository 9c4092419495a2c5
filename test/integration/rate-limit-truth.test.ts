// The rate-limit check against servers whose limits the test sets: it must find them.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { rateLimit } from '../../checks/rate-limit.js'
import type { CheckContext } from '../../core/check.js'
import type { CheckResult } from '../../core/results.js'
import { startLimitServer } from '../support/limit-server.js'

const run = (baseUrl: string, settings: Record<string, unknown>, allowDrills = true): Promise<CheckResult> =>
  rateLimit.run({
    env: { baseUrl, allowDrills },
    envName: 'test',
    settings,
    signal: new AbortController().signal,
    runDir: '/tmp',
    configDir: process.cwd(),
    log: () => {},
  } satisfies CheckContext)
const value = (r: CheckResult, name: string) => r.figures[name]?.value
const valid = { validUsername: 'user1', validPassword: 'golive-demo' }

test('finds N: a server that locks a client address out after exactly 7 wrong passwords', async () => {
  const server = await startLimitServer({ loginLimit: 7, rpm: null })
  try {
    const r = await run(server.url, { ...valid, flood: false })
    assert.equal(r.status, 'measured', r.reason ?? '')
    assert.equal(value(r, 'login_attempts_before_block'), 7)
    assert.equal(value(r, 'login_blocked'), 1)
    assert.ok((value(r, 'seconds_to_block') as number) < 5)
    // the lockout is per address: user1 still gets in from 127.0.0.2
    assert.equal(value(r, 'other_client_login_ok'), 1)
    const ev = (r.evidence as { login: { blockHeld: boolean; correctPasswordFromBlockedClient: number } }).login
    assert.equal(ev.blockHeld, true)
    assert.equal(ev.correctPasswordFromBlockedClient, 423)
    assert.equal(server.loginAttempts.get('127.0.0.2'), 1, 'the other client made one login')
    // 8 bad attempts (7 answered 401, the 8th refused), one to see the block hold, one right password
    assert.equal(server.loginAttempts.get('127.0.0.1'), 10)
  } finally {
    await server.close()
  }
})

test('finds R within one ramp step: a server that answers 429 above 600 requests per minute per client', async () => {
  const server = await startLimitServer({ loginLimit: null, rpm: 600, burst: 2 })
  try {
    // ramp 375, 469, 586, 732, … requests per minute, 2 s a step: at 732 the bucket's 2 spare
    // tokens are gone after (732 - 600) / 60 · t > 2, t ≈ 0.9 s, well inside the step
    const r = await run(server.url, { login: false, floodStartRpm: 375, floodFactor: 1.25, floodMaxRpm: 3000, floodStepSeconds: 2, floodMaxSeconds: 20 })
    assert.equal(r.status, 'measured', r.reason ?? '')
    const found = value(r, 'requests_per_minute_before_429') as number
    // the true limit lies between the last clean rate and the first limited one: within a factor 1.25 below R
    assert.ok(found <= 600 && found >= 600 / 1.25, `found ${found} requests per minute, set 600`)
    assert.equal(value(r, 'flood_limited'), 1)
  } finally {
    await server.close()
  }
})

test('a server with no limit at all: the figures say so, and the gate <= 100 would fail', async () => {
  const server = await startLimitServer({ loginLimit: null, rpm: null })
  try {
    const r = await run(server.url, { ...valid, maxAttempts: 120, floodStartRpm: 600, floodFactor: 2, floodMaxRpm: 1200, floodStepSeconds: 1 })
    assert.equal(r.status, 'measured', r.reason ?? '')
    assert.equal(value(r, 'login_blocked'), 0)
    assert.equal(value(r, 'login_attempts_before_block'), 120, 'the cap: a lower bound')
    assert.ok((value(r, 'login_attempts_before_block') as number) > 100)
    assert.equal(r.figures.seconds_to_block, undefined)
    assert.equal(value(r, 'other_client_login_ok'), 1)
    assert.equal(value(r, 'flood_limited'), 0)
    assert.equal(value(r, 'requests_per_minute_before_429'), 1200)
    assert.match(JSON.stringify(r.evidence), /never blocked/)
    assert.equal(server.loginAttempts.get('127.0.0.1'), 120, 'bounded: exactly the cap')
  } finally {
    await server.close()
  }
})

test('stopped by the time cap without a block: inconclusive, no figure to pass a gate', async () => {
  const server = await startLimitServer({ loginLimit: null, rpm: null })
  try {
    const r = await run(server.url, { maxAttempts: 10_000, maxSeconds: 1, flood: false })
    assert.equal(r.status, 'measured')
    assert.equal(r.figures.login_attempts_before_block, undefined)
    assert.equal(r.figures.login_blocked, undefined)
    assert.match(JSON.stringify(r.evidence), /inconclusive/)
  } finally {
    await server.close()
  }
})

test('refuses without drills, and against a host that is not loopback nor listed', async () => {
  const noDrills = await run('http://127.0.0.1:9', {}, false)
  assert.equal(noDrills.status, 'skipped')
  assert.match(noDrills.reason!, /does not allow drills/)
  const remote = await run('https://staging.example.com', {})
  assert.equal(remote.status, 'skipped')
  assert.match(remote.reason!, /staging\.example\.com is neither loopback nor listed in environments\.test\.drillHosts/)
})

test('a wrong login route is an error naming it', async () => {
  const server = await startLimitServer({ loginLimit: 3, rpm: null })
  try {
    const r = await run(server.url, { loginPath: '/login', flood: false })
    assert.equal(r.status, 'error')
    assert.match(r.reason!, /POST \/login answered 404: set checks\.rate-limit\.loginPath/)
  } finally {
    await server.close()
  }
})

test('on IPv6 loopback there is no second address by default: the other-client probe says so instead of guessing', async (t) => {
  let server
  try {
    server = await startLimitServer({ loginLimit: 2, rpm: null, host: '::1' })
  } catch {
    return t.skip('no IPv6 loopback here')
  }
  try {
    const r = await run(server.url, { ...valid, flood: false })
    assert.equal(r.status, 'measured', r.reason ?? '')
    assert.equal(value(r, 'login_attempts_before_block'), 2)
    assert.equal(r.figures.other_client_login_ok, undefined)
    assert.match(JSON.stringify(r.evidence), /not probed: the other client would look like the brute forcer/)
  } finally {
    await server.close()
  }
})

test('Ctrl-C: stops at once and returns what it has, without a figure that could pass', async () => {
  const server = await startLimitServer({ loginLimit: null, rpm: null })
  try {
    const ac = new AbortController()
    const started = performance.now()
    setTimeout(() => ac.abort(), 300)
    const r = await rateLimit.run({
      env: { baseUrl: server.url, allowDrills: true },
      envName: 'test',
      settings: { maxAttempts: 10_000, maxSeconds: 30 },
      signal: ac.signal,
      runDir: '/tmp',
      configDir: process.cwd(),
      log: () => {},
    })
    assert.ok(performance.now() - started < 2000, 'returned promptly')
    assert.equal(r.status, 'measured')
    assert.match(r.reason ?? '', /interrupted/)
    assert.equal(r.figures.login_attempts_before_block, undefined)
    assert.match(JSON.stringify(r.evidence), /interrupted/)
  } finally {
    await server.close()
  }
})
