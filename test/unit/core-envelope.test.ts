// The runner owns each check's envelope (issue 18, point 2): one consent wording, the clock, id
// and title, a throw as an error result, and ctx.target: origin, base path, CA and the
// environment's headers with its auth, which ride to the base URL's origin only.

import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { authHeaders, userinfoAuth } from '../../core/auth.js'
import { allowsDrills, consentRefusal } from '../../core/consent.js'
import { checkTarget, checkTargetOf, headersFor } from '../../core/target.js'
import { targetOf, type Check, type CheckContext } from '../../core/check.js'
import type { EnvironmentConfig } from '../../core/config.js'
import { measure } from '../../cli/measure.js'
import { drillTarget } from '../../checks/drill/target.js'

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`

describe('consent: one rule, one wording', () => {
  it('says what would have run, the environment, and both ways to consent', () => {
    assert.equal(
      consentRefusal('staging', 'a drill'),
      "a drill: environment 'staging' does not allow drills (set allowDrills: true where that is safe, or --allow-drills)",
    )
    // what the present tests of the drills, rate-limit and alerts match
    assert.match(consentRefusal('staging', 'a drill'), /does not allow drills/)
    assert.match(consentRefusal('staging', 'a drill'), /a drill: .*allowDrills/)
    assert.match(consentRefusal('st', 'drills not run'), /drills not run: environment 'st' does not allow drills/)
  })
  it('only allowDrills: true consents', () => {
    assert.equal(allowsDrills({}), false)
    assert.equal(allowsDrills({ allowDrills: false }), false)
    assert.equal(allowsDrills({ allowDrills: true }), true)
  })
})

describe('authHeaders: the one spelling of auth', () => {
  it('bearer, basic, any header; none without auth', () => {
    assert.deepEqual(authHeaders(undefined), {})
    assert.deepEqual(authHeaders({ type: 'bearer', token: 't0k' }), { authorization: 'Bearer t0k' })
    assert.deepEqual(authHeaders({ type: 'basic', username: 'u', password: 'p' }), { authorization: basic('u', 'p') })
    assert.deepEqual(authHeaders({ type: 'header', header: 'X-Api-Key', value: 'k' }), { 'x-api-key': 'k' })
  })
  it('userinfo is basic auth, decoded', () => {
    assert.equal(userinfoAuth(new URL('https://host/')), null)
    assert.equal(userinfoAuth(new URL('https://r%40b:p%3Aw@host/')), basic('r@b', 'p:w'))
  })
})

describe('ctx.target', () => {
  const env: EnvironmentConfig = {
    baseUrl: 'https://staging.example.com/app/',
    headers: { 'X-Tenant': 'a' },
    auth: { type: 'bearer', token: 'secret' },
    hosts: ['https://cdn.example.com'],
  }

  it('from the environment: origin, base path, headers with auth, the host rules', () => {
    const t = checkTarget(env)!
    assert.equal(t.origin, 'https://staging.example.com')
    assert.equal(t.basePath, '/app')
    assert.deepEqual(t.headers, { 'x-tenant': 'a', authorization: 'Bearer secret' })
    assert.equal(t.policy.home, 'https://staging.example.com')
    assert.ok(t.policy.allowed.has('https://cdn.example.com'))
    assert.equal(t.ca, undefined)
  })

  it("auth rides only to the base URL's origin: not to a listed host, another port, or after a downgrade", () => {
    const t = checkTarget(env)!
    assert.equal(headersFor(t, 'https://staging.example.com/app/api').authorization, 'Bearer secret')
    assert.deepEqual(headersFor(t, 'https://cdn.example.com/x.js'), {})
    assert.deepEqual(headersFor(t, 'https://staging.example.com:8443/'), {})
    assert.deepEqual(headersFor(t, 'http://staging.example.com/app/'), {})
  })

  it('userinfo replaces a configured authorization, and never shows in the origin', () => {
    const t = checkTarget({ ...env, baseUrl: 'https://robot:pw@staging.example.com' })!
    assert.equal(t.origin, 'https://staging.example.com')
    assert.equal(t.headers.authorization, basic('robot', 'pw'))
  })

  it('the CA as PEM text; a CA file that cannot be read is said; no target without an http(s) base URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-envelope-'))
    writeFileSync(join(dir, 'ca.pem'), 'PEM')
    assert.equal(checkTarget({ ...env, ca: join(dir, 'ca.pem') })!.ca, 'PEM')
    assert.throws(() => checkTarget({ ...env, ca: join(dir, 'nope.pem') }), /the CA file .*nope\.pem cannot be read/)
    assert.equal(checkTarget({ baseUrl: 'demo' }), undefined)
    assert.equal(checkTarget({ baseUrl: 'ftp://x' }), undefined)
  })

  it("from a run's engine target: its headers less the User-Agent the engines add", () => {
    const t = checkTargetOf(
      {
        origin: 'http://127.0.0.1:8080',
        basePath: '',
        headers: [
          ['authorization', 'Bearer x'],
          ['user-agent', 'golive/1'],
        ],
        hosts: [],
      },
      {},
    )
    assert.deepEqual(t.headers, { authorization: 'Bearer x' })
    const own = checkTargetOf({ origin: 'http://127.0.0.1:8080', basePath: '', headers: [['user-agent', 'mine']] }, { headers: { 'User-Agent': 'mine' } })
    assert.deepEqual(own.headers, { 'user-agent': 'mine' })
  })

  it("targetOf: the runner's, else resolved from ctx.env (a check run alone)", () => {
    const given = checkTarget({ baseUrl: 'http://127.0.0.1:1' })!
    assert.equal(targetOf({ env, target: given }), given)
    assert.equal(targetOf({ env })!.origin, 'https://staging.example.com')
  })
})

describe('per check: auth sent', () => {
  it("the drill probes carry the environment's headers and auth, from ctx.target", () => {
    const ctx = {
      env: { baseUrl: 'http://127.0.0.1:8080/erp', auth: { type: 'basic', username: 'u', password: 'p' } },
      envName: 'st',
      settings: {},
      signal: new AbortController().signal,
      runDir: '',
      configDir: '',
      log: () => {},
    } as CheckContext
    const t = drillTarget(ctx)
    assert.ok('origin' in t)
    assert.equal(t.origin, 'http://127.0.0.1:8080')
    assert.equal(t.base, '/erp')
    assert.equal(t.headers.authorization, basic('u', 'p'))
    assert.match(t.headers['user-agent']!, /drill probe/)
    // the runner's target wins over the environment's
    const given = drillTarget({ ...ctx, target: checkTarget({ baseUrl: 'http://127.0.0.1:9090', auth: { type: 'bearer', token: 'run' } })! })
    assert.ok('origin' in given && given.origin === 'http://127.0.0.1:9090' && given.headers.authorization === 'Bearer run')
  })
})

describe('the runner stamps the envelope', () => {
  const seen: CheckContext[] = []
  const probe = (over: Partial<Check>): Check => ({
    id: 'probe',
    title: 'A probe',
    async run(ctx) {
      seen.push(ctx)
      return {
        id: 'wrong',
        title: 'wrong',
        status: 'measured',
        figures: { x: { value: 1 } },
        evidence: null,
        startedAt: '1970-01-01T00:00:00.000Z',
        durationMs: -1,
      }
    },
    ...over,
  })
  const run = async (checks: Check[], env: EnvironmentConfig) => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-envelope-'))
    return (
      await measure(
        {
          plans: [],
          target: { origin: '', basePath: '', headers: [] },
          engine: { kind: 'embedded' },
          checks: checks.map((check) => ({ check, settings: {} })),
          env,
          envName: 'staging',
          runDir: dir,
          configDir: dir,
          signal: new AbortController().signal,
          onProgress: () => {},
          log: () => {},
        },
        { scenarios: [], checks: [] },
      )
    ).checks
  }

  it('a destructive check without consent is skipped with the one wording, never run', async () => {
    seen.length = 0
    const [r] = await run([probe({ id: 'boom', destructive: true })], { baseUrl: 'http://127.0.0.1:1' })
    assert.equal(r!.status, 'skipped')
    assert.equal(r!.reason, consentRefusal('staging', 'a drill'))
    assert.equal(r!.id, 'boom')
    assert.equal(seen.length, 0)
  })

  it("a check gets ctx.target with the environment's auth; id, title and clock are the runner's", async () => {
    seen.length = 0
    const before = Date.now()
    const [r] = await run([probe({})], { baseUrl: 'http://127.0.0.1:9/base', auth: { type: 'header', header: 'X-Api-Key', value: 'k' } })
    assert.equal(r!.status, 'measured')
    assert.equal(r!.id, 'probe')
    assert.equal(r!.title, 'A probe')
    assert.ok(Date.parse(r!.startedAt) >= before - 1000 && r!.durationMs >= 0)
    const t = seen[0]!.target!
    assert.equal(t.origin, 'http://127.0.0.1:9')
    assert.equal(t.basePath, '/base')
    assert.deepEqual(t.headers, { 'x-api-key': 'k' })
    assert.deepEqual(headersFor(t, 'http://127.0.0.2:9/'), {})
  })

  it('a throw is an error result with the reason', async () => {
    const [r] = await run(
      [
        probe({
          async run() {
            throw new Error('it broke')
          },
        }),
      ],
      { baseUrl: 'http://127.0.0.1:1' },
    )
    assert.equal(r!.status, 'error')
    assert.equal(r!.reason, 'it broke')
    assert.equal(r!.id, 'probe')
  })

  it('a missing requirement is skipped with what to set', async () => {
    const [r] = await run([probe({ requires: ['ca'] })], { baseUrl: 'http://127.0.0.1:1' })
    assert.equal(r!.status, 'skipped')
    assert.match(r!.reason!, /needs environments\.staging\.ca/)
  })
})
