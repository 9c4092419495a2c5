import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { floodOutcome, isLoopback, isRefusal, loginOutcome, rampRates, type Attempt, type FloodStep } from '../../checks/rate-limit/evaluate.js'
import { hostRefusal } from '../../checks/drill/target.js'
import { DEFAULT_LOCKOUT, readSettings } from '../../checks/rate-limit/settings.js'

const lockout = new RegExp(DEFAULT_LOCKOUT, 'i')
const attempt = (n: number, status: number | null, refused: boolean): Attempt => ({ n, t: n / 10, status, refused })
const step = (rpm: number, limited: number, complete = limited === 0, ok = 10): FloodStep => ({
  rpm,
  achievedRpm: rpm,
  sent: ok + limited,
  answered: ok + limited,
  limited,
  statuses: { 200: ok, ...(limited ? { 429: limited } : {}) },
  seconds: 1,
  complete,
})

describe('where the drill may run', () => {
  it('knows loopback', () => {
    for (const h of ['127.0.0.1', '127.0.0.2', '127.255.0.9', '::1', '[::1]', 'localhost', 'app.localhost']) assert.equal(isLoopback(h), true, h)
    for (const h of ['10.0.0.1', '128.0.0.1', 'staging.example.com', '::2', '0.0.0.0', 'localhost.example.com']) assert.equal(isLoopback(h), false, h)
  })
  it("refuses other hosts unless listed in the environment's drillHosts", () => {
    const ctx = (drillHosts?: string[]) => ({
      env: { baseUrl: 'x', ...(drillHosts ? { drillHosts } : {}) },
      envName: 'staging',
      settings: {},
      signal: new AbortController().signal,
      runDir: '',
      configDir: '',
      log: () => {},
    })
    assert.equal(hostRefusal('127.0.0.1', ctx(), 'the target'), null)
    assert.match(hostRefusal('staging.example.com', ctx(), 'the target')!, /neither loopback nor listed in environments\.staging\.drillHosts/)
    assert.equal(hostRefusal('Staging.Example.com', ctx(['staging.example.com']), 'the target'), null)
  })
})

describe('what counts as a refusal', () => {
  it('block statuses, lockout texts on errors, and no answer at all', () => {
    assert.equal(isRefusal(429, '', [429, 423, 403], lockout), true)
    assert.equal(isRefusal(423, '', [429, 423, 403], lockout), true)
    assert.equal(isRefusal(401, '{"error":"invalid credentials"}', [429, 423, 403], lockout), false)
    assert.equal(isRefusal(401, '{"error":"Account locked, try again later"}', [429, 423, 403], lockout), true)
    assert.equal(isRefusal(200, 'you are locked out', [429], lockout), false, 'a 2xx is never a refusal')
    assert.equal(isRefusal(null, '', [429], lockout), true)
  })
})

describe('login outcome', () => {
  it('blocked: the attempts that went through before the first refusal, and when', () => {
    const a = [1, 2, 3, 4, 5].map((n) => attempt(n, 401, false)).concat(attempt(6, 423, true))
    assert.deepEqual(loginOutcome(a, 150), { kind: 'blocked', before: 5, seconds: 0.6, at: a[5] })
  })
  it('never blocked: the cap reached, or stopped short of it', () => {
    const a = [1, 2, 3].map((n) => attempt(n, 401, false))
    assert.deepEqual(loginOutcome(a, 3), { kind: 'not-blocked', attempts: 3, capReached: true, seconds: 0.3 })
    assert.equal((loginOutcome(a, 150) as { capReached: boolean }).capReached, false)
  })
})

describe('flood ramp', () => {
  it('rates from start by factor to max', () => {
    assert.deepEqual(rampRates(375, 1.25, 1000), [375, 469, 586, 732, 916, 1000])
    assert.deepEqual(rampRates(60, 2, 240), [60, 120, 240])
  })
  it('the last complete clean rate before the first limited one', () => {
    assert.deepEqual(floodOutcome([step(100, 0), step(200, 0), step(400, 3)], 800), { kind: 'limited', before: 200, limitedAt: 400 })
    assert.deepEqual(floodOutcome([step(100, 2)], 800), { kind: 'limited', before: 0, limitedAt: 100 })
  })
  it('never limited: the top rate when reached, else inconclusive', () => {
    assert.deepEqual(floodOutcome([step(100, 0), step(200, 0)], 200), { kind: 'not-limited', upTo: 200, capReached: true })
    assert.deepEqual(floodOutcome([step(100, 0), step(200, 0)], 400), { kind: 'not-limited', upTo: 200, capReached: false })
  })
  it('a step the client could not keep up with counts at the rate it achieved', () => {
    const slow: FloodStep = { ...step(400, 0), achievedRpm: 250 }
    assert.deepEqual(floodOutcome([step(100, 0), slow, step(800, 2)], 1600), { kind: 'limited', before: 250, limitedAt: 800 })
    assert.deepEqual(floodOutcome([step(100, 0), slow], 400), { kind: 'not-limited', upTo: 250, capReached: false })
  })
  it('a route that never answers 2xx is inconclusive, not "unlimited"', () => {
    const blocked: FloodStep = { ...step(100, 0), statuses: { 403: 10 } }
    assert.equal(floodOutcome([blocked], 100).kind, 'inconclusive')
  })
})

describe('settings', () => {
  it('defaults: the demo login route, 150 attempts, distinct loopback clients', () => {
    const s = readSettings({}, true)
    assert.ok(s.login && s.flood)
    assert.equal(s.flood.maxSeconds, 60, '11 steps of 5 s, plus 5')
    assert.equal(s.login.path, '/api/login')
    assert.equal(s.login.maxAttempts, 150)
    assert.deepEqual(s.login.blockStatuses, [429, 423, 403])
    assert.equal(s.otherClientAddress, '127.0.0.2')
    assert.equal(s.floodAddress, '127.0.0.3')
    assert.equal(readSettings({}, false).otherClientAddress, undefined)
  })
  it('refuses what would unbound the drill or cannot work', () => {
    assert.throws(() => readSettings({ maxAttempts: 'lots' }, true), /checks\.rate-limit\.maxAttempts: expected a number from 1 to 10000/)
    assert.throws(() => readSettings({ maxAttempts: 1e9 }, true), /maxAttempts/)
    assert.throws(() => readSettings({ validUsername: 'user1' }, true), /both validUsername and validPassword/)
    assert.throws(() => readSettings({ otherClientAddress: 'my-laptop' }, true), /an IP address/)
    assert.throws(() => readSettings({ lockoutPattern: '(' }, true), /not a regular expression/)
  })
})
