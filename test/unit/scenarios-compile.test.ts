import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compileScenario, type CompileOptions, type ScenarioPlan } from '../../scenarios/compile.js'
import type { Scenario, Step } from '../../scenarios/dsl.js'
import { SHIPPED } from '../../scenarios/registry.js'
import { render } from '../../scenarios/template.js'
import { UsageError } from '../../core/errors.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const FIX = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url))
const FILE = join(FIX, 'broken.ts')
const shippedFile = (name: string): string => join(ROOT, 'scenarios/journeys', `${name}.ts`)

function base(over: Partial<Scenario> = {}): Scenario {
  return {
    name: 'checkout',
    profile: { model: 'closed', vus: 2, duration: '10s' },
    steps: [{ name: 'home', path: '/' }],
    ...over,
  }
}
const compile = (s: Scenario, opts: Partial<CompileOptions> = {}): ScenarioPlan => compileScenario(s, { file: FILE, ...opts })
const oneStep = (step: Partial<Step>): Scenario => base({ steps: [{ name: 'home', path: '/', ...step }] })

describe('compileScenario: the shipped scenarios', () => {
  it('all five load shapes and the form login are shipped', () => {
    assert.deepEqual(Object.keys(SHIPPED).sort(), ['form-login', 'load', 'smoke', 'soak', 'spike', 'stress'])
  })

  it('form-login compiles: login page, form POST, account', () => {
    const plan = compileScenario(SHIPPED['form-login']!, { file: shippedFile('form-login') })
    assert.deepEqual(
      plan.steps.map((s) => `${s.method} ${s.name}`),
      ['GET login-page', 'POST login', 'GET account'],
    )
    assert.equal(plan.steps[0]!.captures[0]!.name, 'csrf')
    assert.ok(plan.data!.rows.length > 0)
  })

  for (const name of ['smoke', 'load', 'stress', 'spike', 'soak']) {
    it(`${name} compiles: the ERP journeys, a login per user in setup, demo users per VU, think time`, () => {
      const plan = compileScenario(SHIPPED[name]!, { file: shippedFile(name) })
      assert.equal(plan.name, name)
      assert.ok(plan.description.length > 0)
      assert.deepEqual(
        plan.flow.setup.map((i) => plan.steps[i]!.name),
        ['login'],
        'the user logs in once',
      )
      assert.equal(plan.cookies, 'keep', "a setup keeps the jar for the user's life")
      const journeys = plan.flow.journeys.map((j) => [j.name, j.weight, j.steps.map((i) => `${plan.steps[i]!.method} ${plan.steps[i]!.name}`)])
      if (name === 'smoke') {
        assert.equal(plan.flow.mix, false)
        assert.deepEqual(journeys, [['smoke', 1, ['GET browse', 'GET product', 'GET search', 'POST order', 'GET view-order']]])
      } else {
        assert.equal(plan.flow.mix, true)
        assert.deepEqual(journeys, [
          ['browse', 6, ['GET browse', 'GET product']],
          ['search', 3, ['GET search', 'GET search-hit']],
          ['order', 1, ['GET pick', 'POST order', 'GET view-order']],
        ])
        assert.deepEqual(plan.flow.journeys[2]!.groups, { checkout: 2 })
      }
      assert.deepEqual(plan.flow.groups, ['checkout'])
      assert.deepEqual(plan.flow.metrics, [{ name: 'order_total', type: 'trend' }])
      assert.ok(plan.data, 'data rows')
      assert.equal(plan.data.mode, 'per-vu')
      assert.equal(plan.data.as, 'user')
      assert.deepEqual(plan.data.rows[0], { username: 'user1', password: 'golive-demo' })
      assert.ok(plan.data.rows.length >= 100, `${plan.data.rows.length} demo users: at least one per VU at the expected load`)
      for (const s of plan.steps) assert.deepEqual(s.thinkMs, { min: 500, max: 1500 }, s.name)
      assert.equal(plan.profile.model, 'closed')
      assert.equal(plan.profile.iterations, null)
      assert.equal(plan.profileSource, SHIPPED[name]!.profile)
    })
  }

  it('smoke: 2 users for 10 s', () => {
    const p = compileScenario(SHIPPED.smoke!, { file: shippedFile('smoke') }).profile
    assert.deepEqual(p.stages, [{ durationMs: 10_000, from: 2, to: 2 }])
    assert.equal(p.totalMs, 10_000)
    assert.equal(p.maxVUs, 2)
    assert.equal(p.gracefulStopMs, 5_000)
  })

  it('load: ramp to a peak of 100 users in 5 s, hold for 25 s', () => {
    const p = compileScenario(SHIPPED.load!, { file: shippedFile('load') }).profile
    assert.deepEqual(p.stages, [
      { durationMs: 5_000, from: 0, to: 100 },
      { durationMs: 25_000, from: 100, to: 100 },
    ])
    assert.equal(p.totalMs, 30_000)
    assert.equal(p.maxVUs, 100)
    assert.equal(p.gracefulStopMs, 5_000)
  })

  it('stress: steps of 100, 200, 300 users, then down to 0', () => {
    const p = compileScenario(SHIPPED.stress!, { file: shippedFile('stress') }).profile
    assert.deepEqual(
      p.stages.map((s) => [s.durationMs, s.from, s.to]),
      [
        [10_000, 0, 100],
        [20_000, 100, 100],
        [10_000, 100, 200],
        [20_000, 200, 200],
        [10_000, 200, 300],
        [20_000, 300, 300],
        [10_000, 300, 0],
      ],
    )
    assert.equal(p.totalMs, 100_000)
    assert.equal(p.maxVUs, 300)
  })

  it('spike: 10 users, a jump to 400 in 5 s, held 20 s, back to 10', () => {
    const p = compileScenario(SHIPPED.spike!, { file: shippedFile('spike') }).profile
    assert.deepEqual(
      p.stages.map((s) => [s.durationMs, s.from, s.to]),
      [
        [5_000, 0, 10],
        [5_000, 10, 400],
        [20_000, 400, 400],
        [5_000, 400, 10],
        [10_000, 10, 10],
      ],
    )
    assert.equal(p.totalMs, 45_000)
    assert.equal(p.maxVUs, 400)
  })

  it('soak: 100 users for 30 minutes', () => {
    const p = compileScenario(SHIPPED.soak!, { file: shippedFile('soak') }).profile
    assert.equal(p.totalMs, 30 * 60_000)
    assert.deepEqual(p.stages[0], { durationMs: 60_000, from: 0, to: 100 })
    assert.equal(p.maxVUs, 100)
  })

  it('the ERP login body takes the user row; the order carries the captured token', () => {
    const plan = compileScenario(SHIPPED.load!, { file: shippedFile('load') })
    const login = plan.steps.find((s) => s.name === 'login')!
    assert.equal(login.isJson, true)
    assert.equal(login.body && 'kind' in login.body ? login.body.kind : 'not json', 'dynamic')
    const order = plan.steps.find((s) => s.name === 'order')!
    const auth = order.headers.find(([k]) => k === 'authorization')
    assert.ok(auth)
    assert.equal(render(auth[1], { token: 't0k' }), 'Bearer t0k')
    const browse = plan.steps.find((s) => s.name === 'browse')!
    assert.deepEqual(browse.captures, [{ name: 'productId', kind: 'json', source: '$.items[3].id', keys: ['items', 3, 'id'] }])
    assert.deepEqual(browse.check.status, [200])
  })
})

describe('compileScenario: steps', () => {
  it('method defaults: GET without a body, POST with json or body; an explicit method wins', () => {
    const plan = compile(
      base({
        steps: [
          { name: 'get', path: '/a' },
          { name: 'post-json', path: '/b', json: { a: 1 } },
          { name: 'post-body', path: '/c', body: 'x=1' },
          { name: 'put', method: 'PUT', path: '/d', json: { a: 1 } },
          { name: 'del', method: 'DELETE', path: '/e' },
          { name: 'lower', method: 'patch' as Step['method'], path: '/f' },
        ],
      }),
    )
    assert.deepEqual(
      plan.steps.map((s) => s.method),
      ['GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH'],
    )
    assert.deepEqual(
      plan.steps.map((s) => s.isJson),
      [false, true, false, true, false, false],
    )
    assert.equal(plan.steps[0]!.body, null)
    assert.deepEqual(plan.steps[2]!.body, { parts: ['x=1'], static: 'x=1' })
  })

  it('headers: scenario headers merged under step headers, names lower-cased', () => {
    const plan = compile(
      base({
        headers: { 'X-Team': 'qa', Accept: 'text/html' },
        steps: [{ name: 'a', path: '/', headers: { accept: 'application/json', 'X-Req': '{{id}}' } }],
      }),
    )
    const h = Object.fromEntries(plan.steps[0]!.headers.map(([k, t]) => [k, render(t, { id: 7 })]))
    assert.deepEqual(h, { 'x-team': 'qa', accept: 'application/json', 'x-req': '7', 'accept-encoding': 'gzip, deflate, br' })
  })

  it('readsBody only when a check or a non-header capture needs the body', () => {
    const plan = compile(
      base({
        steps: [
          { name: 'plain', path: '/' },
          { name: 'status-only', path: '/', check: { status: 200 } },
          { name: 'header-capture', path: '/', capture: { loc: { header: 'Location' } } },
          { name: 'json-capture', path: '/', capture: { id: { json: '$.id' } } },
          { name: 'regex-capture', path: '/', capture: { id: { regex: 'id=(\\d+)' } } },
          { name: 'contains', path: '/', check: { bodyContains: 'ok' } },
          { name: 'json-check', path: '/', check: { json: { '$.ok': true } } },
        ],
      }),
    )
    assert.deepEqual(
      plan.steps.map((s) => s.readsBody),
      [false, false, false, true, true, true, true],
    )
    assert.deepEqual(plan.steps[2]!.captures, [{ name: 'loc', kind: 'header', source: 'location' }])
  })

  it("think time: a step's own, else the scenario's default, else none; fixed or a range", () => {
    const plan = compile(
      base({
        thinkTime: '1s',
        steps: [
          { name: 'a', path: '/' },
          { name: 'b', path: '/', thinkTime: { min: '200ms', max: '1m30s' } },
          { name: 'c', path: '/', thinkTime: 0 },
        ],
      }),
    )
    assert.deepEqual(
      plan.steps.map((s) => s.thinkMs),
      [
        { min: 1000, max: 1000 },
        { min: 200, max: 90_000 },
        { min: 0, max: 0 },
      ],
    )
    assert.equal(compile(base()).steps[0]!.thinkMs, null)
  })

  it('pacing and timeouts: default timeout 10 s, durations like 1m30s and 500ms', () => {
    const plan = compile(
      base({
        pacing: { min: '500ms', max: '1s' },
        steps: [
          { name: 'a', path: '/' },
          { name: 'b', path: '/', timeout: '1m30s' },
          { name: 'c', path: '/', timeout: 250 },
        ],
      }),
    )
    assert.deepEqual(plan.pacingMs, { min: 500, max: 1000 })
    assert.deepEqual(
      plan.steps.map((s) => s.timeoutMs),
      [10_000, 90_000, 250],
    )
  })

  it('checks: status as a number or a list; bodyContains; json paths parsed', () => {
    const plan = compile(
      base({
        steps: [
          { name: 'a', path: '/', check: { status: 201, bodyContains: 'created', json: { '$.items[0].id': 5, '$.ok': { exists: true } } } },
          { name: 'b', path: '/', check: { status: [200, 404] } },
          { name: 'c', path: '/' },
        ],
      }),
    )
    assert.deepEqual(plan.steps[0]!.check, {
      status: [201],
      bodyContains: 'created',
      json: [
        { path: '$.items[0].id', keys: ['items', 0, 'id'], expect: 5 },
        { path: '$.ok', keys: ['ok'], expect: { exists: true } },
      ],
    })
    assert.deepEqual(plan.steps[1]!.check.status, [200, 404])
    assert.deepEqual(plan.steps[2]!.check, { status: null, bodyContains: null, json: [] })
  })

  it('data rows from a file relative to the scenario file; mode and name default', () => {
    const plan = compile(base({ data: { file: 'users.csv' } }))
    assert.deepEqual(plan.data, {
      rows: [
        { username: 'ann', password: 'pw-ann' },
        { username: 'bob', password: 'pw-bob' },
        { username: 'cid', password: 'pw-cid' },
      ],
      mode: 'per-vu',
      as: 'data',
    })
    const json = compile(base({ data: { file: './rows.json', mode: 'random', as: 'acct' } }))
    assert.equal(json.data?.mode, 'random')
    assert.equal(json.data?.as, 'acct')
    assert.equal(json.data?.rows.length, 2)
    assert.equal(compile(base()).data, null)
  })

  it("vars: the scenario's, overridden by the environment's", () => {
    assert.deepEqual(compile(base({ vars: { a: '1', b: '2' } })).vars, { a: '1', b: '2' })
    assert.deepEqual(compile(base({ vars: { a: '1', b: '2' } }), { vars: { b: 'env' } }).vars, { a: '1', b: 'env' })
    assert.deepEqual(compile(base()).vars, {})
  })
})

describe('compileScenario: profiles', () => {
  it('closed: vus for a duration; "1m30s" is 90 s', () => {
    const p = compile(base({ profile: { model: 'closed', vus: 7, duration: '1m30s', gracefulStop: '500ms', iterations: 50 } })).profile
    assert.deepEqual(p, { model: 'closed', stages: [{ durationMs: 90_000, from: 7, to: 7 }], totalMs: 90_000, gracefulStopMs: 500, maxVUs: 7, iterations: 50 })
  })

  it('closed with stages: maxVUs is the peak, rounded up', () => {
    const p = compile(
      base({
        profile: {
          model: 'closed',
          stages: [
            { duration: '500ms', target: 2.5 },
            { duration: 1000, target: 1 },
          ],
        },
      }),
    ).profile
    assert.deepEqual(p.stages, [
      { durationMs: 500, from: 0, to: 2.5 },
      { durationMs: 1000, from: 2.5, to: 1 },
    ])
    assert.equal(p.totalMs, 1500)
    assert.equal(p.maxVUs, 3)
  })

  it('open: rate per timeUnit becomes starts per second; maxVUs is the cap as written', () => {
    const perMinute = compile(base({ profile: { model: 'open', rate: 120, timeUnit: '1m', duration: '30s', maxVUs: 40 } })).profile
    assert.deepEqual(perMinute.stages, [{ durationMs: 30_000, from: 2, to: 2 }])
    assert.equal(perMinute.maxVUs, 40)
    assert.equal(perMinute.model, 'open')
    const perSecond = compile(base({ profile: { model: 'open', rate: 5, duration: '10s', maxVUs: 1 } })).profile
    assert.deepEqual(perSecond.stages, [{ durationMs: 10_000, from: 5, to: 5 }])
    const staged = compile(base({ profile: { model: 'open', stages: [{ duration: '10s', target: 50 }], maxVUs: 20 } })).profile
    assert.deepEqual(staged.stages, [{ durationMs: 10_000, from: 0, to: 50 }])
    assert.equal(staged.maxVUs, 20)
  })

  it('overrides --vus and --duration replace the stages with one constant level', () => {
    const p = compileScenario(SHIPPED.load!, { file: shippedFile('load'), vus: 10, duration: '1m30s' }).profile
    assert.deepEqual(p.stages, [{ durationMs: 90_000, from: 10, to: 10 }])
    assert.equal(p.totalMs, 90_000)
    assert.equal(p.maxVUs, 10)
    assert.equal(p.gracefulStopMs, 5_000)
  })

  it('--vus alone on a constant profile keeps its duration; --duration alone keeps its users', () => {
    const vus = compile(base(), { vus: 5 }).profile
    assert.deepEqual(vus.stages, [{ durationMs: 10_000, from: 5, to: 5 }])
    assert.equal(vus.maxVUs, 5)
    const dur = compile(base(), { duration: '500ms' }).profile
    assert.deepEqual(dur.stages, [{ durationMs: 500, from: 2, to: 2 }])
  })

  it("--iterations sets the bound (over the profile's own) and keeps the stages", () => {
    const p = compileScenario(SHIPPED.load!, { file: shippedFile('load'), iterations: 25 }).profile
    assert.equal(p.iterations, 25)
    assert.equal(p.stages.length, 2)
    assert.equal(compile(base({ profile: { model: 'closed', vus: 1, duration: '1s', iterations: 3 } }), { iterations: 9 }).profile.iterations, 9)
  })

  it('--vus on an open profile sets the start rate, and raises the cap to at least that many users', () => {
    const p = compile(base({ profile: { model: 'open', rate: 1, duration: '10s', maxVUs: 4 } }), { vus: 12 }).profile
    assert.deepEqual(p.stages, [{ durationMs: 10_000, from: 12, to: 12 }])
    assert.equal(p.maxVUs, 12)
    assert.equal(compile(base({ profile: { model: 'open', rate: 1, duration: '10s', maxVUs: 40 } }), { vus: 12 }).profile.maxVUs, 40)
  })

  // on a staged profile (load, the default) one override alone keeps the other dimension
  it("--vus alone on a staged profile (load) runs for the stages' length", () => {
    const p = compileScenario(SHIPPED.load!, { file: shippedFile('load'), vus: 10 }).profile
    assert.deepEqual(p.stages, [{ durationMs: 30_000, from: 10, to: 10 }])
  })
  it('--duration alone on a staged profile (load) holds the peak', () => {
    const p = compileScenario(SHIPPED.load!, { file: shippedFile('load'), duration: '10s' }).profile
    assert.deepEqual(p.stages, [{ durationMs: 10_000, from: 100, to: 100 }])
  })
})

describe('compileScenario: errors name the file, the path and a fix', () => {
  const cases: { name: string; scenario: unknown; path: string; problem: RegExp; fix: RegExp }[] = [
    { name: 'not an object', scenario: undefined, path: '(scenario)', problem: /does not export a scenario/, fix: /export default defineScenario/ },
    {
      name: 'bad scenario name',
      scenario: base({ name: 'my checkout' }),
      path: 'name',
      problem: /'my checkout' is not a usable scenario name/,
      fix: /letters, digits/,
    },
    {
      name: 'missing steps',
      scenario: { name: 'x', profile: { model: 'closed', vus: 1, duration: '1s' } },
      path: 'steps',
      problem: /needs steps \(one journey\) or journeys/,
      fix: /add steps/,
    },
    {
      name: 'weight 0 everywhere',
      scenario: {
        name: 'x',
        profile: { model: 'closed', vus: 1, duration: '1s' },
        journeys: [
          { name: 'a', weight: 0, steps: [{ name: 'a', path: '/' }] },
          { name: 'b', weight: 0, steps: [{ name: 'b', path: '/' }] },
        ],
      },
      path: 'journeys',
      problem: /every journey has weight 0/,
      fix: /weight > 0/,
    },
    {
      name: 'a journey without steps',
      scenario: { name: 'x', profile: { model: 'closed', vus: 1, duration: '1s' }, journeys: [{ name: 'a', weight: 1, steps: [] }] },
      path: 'journeys[0].steps',
      problem: /at least one step/,
      fix: /add steps/,
    },
    {
      name: 'a journey missing its steps',
      scenario: { name: 'x', profile: { model: 'closed', vus: 1, duration: '1s' }, journeys: [{ name: 'a', weight: 1 }] },
      path: 'journeys[0].steps',
      problem: /missing required field 'steps'/,
      fix: /add steps/,
    },
    {
      name: 'a negative weight',
      scenario: { name: 'x', profile: { model: 'closed', vus: 1, duration: '1s' }, journeys: [{ name: 'a', weight: -1, steps: [{ name: 'a', path: '/' }] }] },
      path: 'journeys[0].weight',
      problem: /≥ 0/,
      fix: /weight: 3/,
    },
    {
      name: 'steps and journeys',
      scenario: base({ journeys: [{ name: 'a', weight: 1, steps: [{ name: 'a', path: '/' }] }] }),
      path: '(scenario)',
      problem: /both steps and journeys/,
      fix: /keep one/,
    },
    {
      name: 'a step name in setup and a journey',
      scenario: base({ setup: [{ name: 'home', path: '/login' }] }),
      path: 'steps[0].name',
      problem: /'home' is used twice/,
      fix: /setup, teardown and every journey/,
    },
    { name: 'an empty setup', scenario: base({ setup: [] }), path: 'setup', problem: /at least one step/, fix: /setup: \[/ },
    {
      name: 'a group on a setup step',
      scenario: base({ setup: [{ name: 'login', path: '/', group: 'g' }] }),
      path: 'setup[0].group',
      problem: /setup step cannot be in a group/,
      fix: /journey step/,
    },
    { name: 'a bad group name', scenario: oneStep({ group: 'check out' }), path: 'steps[0].group', problem: /group name/, fix: /group: 'checkout'/ },
    {
      name: 'a bad metric type',
      scenario: oneStep({ metric: { name: 't', from: { json: '$.t' }, type: 'avg' as 'trend' } }),
      path: 'steps[0].metric.type',
      problem: /'trend', 'counter' or 'rate'/,
      fix: /trend: a distribution/,
    },
    {
      name: 'a metric without from',
      scenario: oneStep({ metric: { name: 't', type: 'trend' } as never }),
      path: 'steps[0].metric.from',
      problem: /missing required field 'from'/,
      fix: /from: \{ json/,
    },
    {
      name: 'a metric from a cookie',
      scenario: oneStep({ metric: { name: 't', from: { cookie: 'sid' } as never, type: 'counter' } }),
      path: 'steps[0].metric.from.cookie',
      problem: /unknown field/,
      fix: /remove 'cookie'/,
    },
    {
      name: 'one metric name, two types',
      scenario: base({
        steps: [
          { name: 'a', path: '/', metric: { name: 't', from: { json: '$.t' }, type: 'trend' } },
          { name: 'b', path: '/', metric: { name: 't', from: { json: '$.t' }, type: 'rate' } },
        ],
      }),
      path: 'steps[1].metric.type',
      problem: /is a trend elsewhere/,
      fix: /one type per metric/,
    },
    { name: 'empty steps', scenario: base({ steps: [] }), path: 'steps', problem: /at least one step/, fix: /add steps/ },
    {
      name: 'duplicate step names',
      scenario: base({
        steps: [
          { name: 'home', path: '/' },
          { name: 'home', path: '/b' },
        ],
      }),
      path: 'steps[1].name',
      problem: /'home' is used twice/,
      fix: /its own name/,
    },
    {
      name: 'bad step name',
      scenario: base({ steps: [{ name: 'log in', path: '/' }] }),
      path: 'steps[0].name',
      problem: /'log in' is not a usable step name/,
      fix: /letters, digits/,
    },
    {
      name: 'step without a name',
      scenario: base({ steps: [{ path: '/' } as Step] }),
      path: 'steps[0].name',
      problem: /missing required field 'name' \(a usable step name/,
      fix: /letters/,
    },
    {
      name: 'missing path',
      scenario: base({ steps: [{ name: 'a' } as Step] }),
      path: 'steps[0].path',
      problem: /missing required field 'path'/,
      fix: /set path/,
    },
    { name: 'empty path', scenario: oneStep({ path: '' }), path: 'steps[0].path', problem: /a path is required/, fix: /set path/ },
    { name: 'both json and body', scenario: oneStep({ json: { a: 1 }, body: 'a=1' }), path: 'steps[0]', problem: /both json and body/, fix: /keep one/ },
    {
      name: 'bad profile duration',
      scenario: base({ profile: { model: 'closed', vus: 1, duration: '10 seconds' } }),
      path: 'profile.duration',
      problem: /'10 seconds' is not a duration/,
      fix: /like '500ms'/,
    },
    {
      name: 'missing profile duration',
      scenario: base({ profile: { model: 'closed', vus: 1 } }),
      path: 'profile.duration',
      problem: /a duration is required/,
      fix: /'30s'/,
    },
    {
      name: 'bad stage duration',
      scenario: base({
        profile: {
          model: 'closed',
          stages: [
            { duration: '5s', target: 1 },
            { duration: '5 min', target: 2 },
          ],
        },
      }),
      path: 'profile.stages[1].duration',
      problem: /not a duration/,
      fix: /'5m'/,
    },
    {
      name: 'negative stage target',
      scenario: base({ profile: { model: 'closed', stages: [{ duration: '5s', target: -1 }] } }),
      path: 'profile.stages[0].target',
      problem: /number ≥ 0/,
      fix: /user count/,
    },
    { name: 'bad step timeout', scenario: oneStep({ timeout: 'soon' }), path: 'steps[0].timeout', problem: /not a duration/, fix: /'30s'/ },
    { name: 'negative duration', scenario: oneStep({ timeout: -5 }), path: 'steps[0].timeout', problem: /non-negative/, fix: /'500ms'/ },
    {
      name: 'profile lasting no time',
      scenario: base({ profile: { model: 'closed', vus: 1, duration: 0 } }),
      path: 'profile.duration',
      problem: /no time at all/,
      fix: /> 0/,
    },
    { name: 'bad status code', scenario: oneStep({ check: { status: 700 } }), path: 'steps[0].check.status', problem: /HTTP status codes/, fix: /status: 200/ },
    {
      name: 'status as text',
      scenario: oneStep({ check: { status: ['200'] as unknown as number[] } }),
      path: 'steps[0].check.status[0]',
      problem: /HTTP status codes/,
      fix: /status: \[200, 201\]/,
    },
    {
      name: 'capture spec with no source',
      scenario: oneStep({ capture: { token: {} as never } }),
      path: 'steps[0].capture.token',
      problem: /one of json, header, regex, html or cookie, got an object/,
      fix: /json: '\$\.token'/,
    },
    {
      name: 'capture spec written as a bare string',
      scenario: oneStep({ capture: { token: '$.token' as never } }),
      path: 'steps[0].capture.token',
      problem: /one of json, header, regex, html or cookie, got '\$\.token'/,
      fix: /json: '\$\.token'/,
    },
    {
      name: 'bad JSON path in a capture',
      scenario: oneStep({ capture: { token: { json: '$..token' } } }),
      path: 'steps[0].capture.token.json',
      problem: /'\$\.\.token' is not a JSON path/,
      fix: /\$\.items\[0\]\.id/,
    },
    {
      name: 'bad regex in a capture',
      scenario: oneStep({ capture: { id: { regex: 'id=(' } } }),
      path: 'steps[0].capture.id.regex',
      problem: /Invalid regular expression/,
      fix: /fix the regular expression/,
    },
    {
      name: 'bad JSON path in a check',
      scenario: oneStep({ check: { json: { '$.items[x]': 1 } } }),
      path: 'steps[0].check.json',
      problem: /'\$\.items\[x\]' is not a JSON path/,
      fix: /\$\.items\[0\]\.id/,
    },
    {
      name: 'open model without maxVUs',
      scenario: base({ profile: { model: 'open', rate: 10, duration: '10s' } as never }),
      path: 'profile.maxVUs',
      problem: /cap on concurrent users/,
      fix: /set maxVUs/,
    },
    {
      name: 'open model without a rate',
      scenario: base({ profile: { model: 'open', duration: '10s', maxVUs: 5 } }),
      path: 'profile.rate',
      problem: /number > 0/,
      fix: /set rate/,
    },
    {
      name: 'closed model without vus',
      scenario: base({ profile: { model: 'closed', duration: '10s' } }),
      path: 'profile.vus',
      problem: /number > 0/,
      fix: /set vus/,
    },
    {
      name: 'unknown model',
      scenario: base({ profile: { model: 'ramping', vus: 1, duration: '1s' } as never }),
      path: 'profile.model',
      problem: /expected the load model, 'closed' or 'open', got 'ramping'/,
      fix: /closed: users/,
    },
    {
      name: 'no profile',
      scenario: { name: 'x', steps: [{ name: 'a', path: '/' }] },
      path: 'profile',
      problem: /missing required field 'profile'/,
      fix: /model: 'closed'/,
    },
    {
      name: 'data file missing',
      scenario: base({ data: { file: 'nope.csv' } }),
      path: 'data.file',
      problem: /nope\.csv cannot be read/,
      fix: /relative to the scenario file/,
    },
    { name: 'data file empty', scenario: base({ data: { file: 'empty.csv' } }), path: 'data.file', problem: /has no rows/, fix: /at least one row/ },
    {
      name: 'thinkTime max < min',
      scenario: base({ thinkTime: { min: '2s', max: '1s' } }),
      path: 'thinkTime',
      problem: /max \(1s\) is below min \(2s\)/,
      fix: /swap/,
    },
    {
      name: 'step thinkTime max < min',
      scenario: oneStep({ thinkTime: { min: 300, max: 100 } }),
      path: 'steps[0].thinkTime',
      problem: /max \(100\) is below min \(300\)/,
      fix: /swap/,
    },
    {
      name: 'thinkTime range missing max',
      scenario: base({ thinkTime: { min: '1s' } as never }),
      path: 'thinkTime.max',
      problem: /a duration is required/,
      fix: /thinkTime\.max/,
    },
    { name: 'pacing max < min', scenario: base({ pacing: { min: '2s', max: '1s' } }), path: 'pacing', problem: /below min/, fix: /swap/ },
  ]

  for (const c of cases) {
    it(c.name, () => {
      let caught: unknown
      assert.throws(
        () => compileScenario(c.scenario as Scenario, { file: FILE }),
        (e: unknown) => {
          caught = e
          return true
        },
      )
      assert.ok(caught instanceof UsageError, `expected a UsageError, got ${String(caught)}`)
      const prefix = `${FILE}: ${c.path}: `
      assert.ok(caught.message.startsWith(prefix), `expected "${prefix}…", got "${caught.message}"`)
      assert.match(caught.message.slice(prefix.length), c.problem)
      assert.match(caught.hint ?? '', c.fix)
    })
  }

  it('an override that is not a duration names the flag', () => {
    assert.throws(
      () => compile(base(), { duration: 'forever' }),
      (e: Error) => e.message.startsWith(`${FILE}: --duration: `),
    )
  })
})
