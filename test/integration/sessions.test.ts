// Sessions on both engines against a truth server on loopback: what the cookie jar sends after
// each Set-Cookie (RFC 6265 rules), redirect chains (method and body at each hop, a loop stopped
// at the limit), form and multipart bodies, where credentials go, and the jar's lifetime. Each
// test runs the same plan on the embedded engine and on k6, and the two must agree with the
// server's record and with each other, request for request.

import { test, before, after, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ScenarioResult } from '../../core/results.js'
import { notAllowedMessage } from '../../core/origins.js'
import { compileScenario } from '../../scenarios/compile.js'
import type { Scenario, Step } from '../../scenarios/dsl.js'
import { EmbeddedRun } from '../../scenarios/engines/embedded/run.js'
import type { Target } from '../../scenarios/engines/embedded/http.js'
import { K6Run, findK6 } from '../../scenarios/engines/k6/index.js'
import { cookieList, startSessionServer, type Seen, type SessionServer } from '../support/session-server.js'

let k6: string | null = null
let work: string
let server: SessionServer
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'golive-sessions-'))
  server = await startSessionServer()
  try {
    k6 = findK6()
  } catch (e) {
    if (process.env.CI) throw new Error(`k6 is required under CI: ${(e as Error).message}`)
  }
})
after(async () => {
  await server.close()
  rmSync(work, { recursive: true, force: true })
})

type Engine = 'embedded' | 'k6'
interface Run {
  result: ScenarioResult
  seen: Seen[]
}

/** One journey (or `iterations`) by one user on each engine; what the server saw, per engine. */
async function both(
  t: TestContext,
  steps: Step[],
  opts: { target?: Partial<Target>; iterations?: number; extra?: Partial<Scenario> } = {},
): Promise<Record<Engine, Run> | null> {
  if (!k6) {
    t.skip('k6 is not installed: npm run install-k6')
    return null
  }
  const file = join(work, 'session.ts')
  const plan = compileScenario(
    { name: 'session', profile: { model: 'closed', vus: 1, duration: '20s', iterations: opts.iterations ?? 1 }, steps, ...opts.extra },
    { file },
  )
  const target: Target = { origin: server.url, basePath: '', headers: [], ...opts.target }
  const out = {} as Record<Engine, Run>
  for (const engine of ['embedded', 'k6'] as const) {
    server.seen.length = 0
    const result =
      engine === 'k6'
        ? await new K6Run(plan, { target, runDir: mkdtempSync(join(work, 'k6-')), thresholds: {}, file }).run()
        : await new EmbeddedRun(plan, { target }).run()
    assert.equal(result.status, 'measured', `${engine}: ${result.reason}`)
    out[engine] = { result, seen: [...server.seen] }
  }
  // request for request: every step counts the same on both engines
  const counts = (r: ScenarioResult) => r.steps.map((s) => [s.name, s.requests, s.errors, s.statuses])
  assert.deepEqual(counts(out.k6.result), counts(out.embedded.result), 'per-step requests, errors and statuses agree')
  assert.deepEqual(
    out.k6.seen.map((s) => `${s.method} ${s.host} ${s.path}`),
    out.embedded.seen.map((s) => `${s.method} ${s.host} ${s.path}`),
    'the server saw the same requests',
  )
  return out
}

const stepOf = (r: ScenarioResult, name: string) => r.steps.find((s) => s.name === name)!
const cookiesAt = (run: Run, path: string) => run.seen.filter((s) => s.path === path).map((s) => cookieList(s.headers.cookie))

test('cookie jar: Path, host-only, Domain, Expires/Max-Age, Secure, HttpOnly and deletion, the same on both engines', async (t) => {
  const runs = await both(
    t,
    [
      { name: 'set', path: '/c/set' },
      { name: 'see-c', path: '/c/see' },
      { name: 'see-a', path: '/c/a/see' },
      { name: 'see-x', path: '/x/see' },
      { name: 'other-host', path: `${server.other}/x/other` },
      { name: 'del', path: '/c/del' },
      { name: 'after', path: '/x/after', capture: { ho: { cookie: 'ho' } } },
      { name: 'hand', path: '/x/hand?ho={{ho}}', headers: { cookie: 'manual=1' } },
    ],
    { target: { hosts: [server.other] } },
  )
  if (!runs) return
  // Secure goes to loopback over http too: a secure context for browsers, Go's jar and tough-cookie
  const always = ['dom=1', 'exp=1', 'ho=h1', 'ma=1', 'root=1', 'sec=1']
  for (const [engine, run] of Object.entries(runs)) {
    assert.equal(run.result.errors, 0, `${engine}: ${JSON.stringify(run.result.topErrors)}`)
    // an expired or Max-Age=0 cookie and another domain's are never stored
    assert.deepEqual(cookiesAt(run, '/c/see'), [[...always, 'gone2=1', 'gone=1', 'host=1'].sort()], engine)
    assert.deepEqual(cookiesAt(run, '/c/a/see'), [[...always, 'gone2=1', 'gone=1', 'host=1', 'pa=1'].sort()], `${engine}: Path=/c/a`)
    assert.deepEqual(cookiesAt(run, '/x/see'), [[...always, 'gone2=1', 'gone=1'].sort()], `${engine}: the default path is /c`)
    assert.deepEqual(cookiesAt(run, '/x/other'), [[]], `${engine}: host-only cookies stay on their host`)
    assert.deepEqual(cookiesAt(run, '/x/after'), [always], `${engine}: deleted by Max-Age=0 and a past Expires`)
    // a hand-set cookie header comes first, the jar's follow; the capture read the HttpOnly cookie
    const hand = run.seen.find((s) => s.path.startsWith('/x/hand'))!
    assert.equal(hand.path, '/x/hand?ho=h1', engine)
    assert.match(hand.headers.cookie ?? '', /^manual=1; /, engine)
    assert.deepEqual(cookieList(hand.headers.cookie), ['manual=1', ...always].sort(), engine)
  }
})

test('cookie lifetime: emptied at each journey start, kept with cookies: keep, none with cookies: false', async (t) => {
  const steps: Step[] = [
    { name: 'first', path: '/n' },
    { name: 'second', path: '/n' },
  ]
  const sent = (run: Run) => run.seen.map((s) => /n=(\d+)/.exec(s.headers.cookie ?? '')?.[1] ?? '-').join(' ')
  const expect = { journey: '- 1 - 1 - 1', keep: '- 1 2 3 4 5', off: '- - - - - -' }
  for (const [mode, cookies] of [
    ['journey', true],
    ['keep', 'keep'],
    ['off', false],
  ] as const) {
    const runs = await both(t, steps, { iterations: 3, extra: { cookies } })
    if (!runs) return
    assert.equal(sent(runs.embedded), expect[mode], `embedded, cookies: ${String(cookies)}`)
    assert.equal(sent(runs.k6), expect[mode], `k6, cookies: ${String(cookies)}`)
  }
})

test('redirects: 307/308 keep method and body, 303 and 301/302 after POST become GET, a loop stops at the limit', async (t) => {
  const form = { a: '1 &2' }
  const runs = await both(t, [
    { name: 'chain', method: 'POST', path: '/r/307', form, check: { status: 200 } },
    { name: 'p301', method: 'POST', path: '/r/p301', form },
    { name: 'p302', method: 'POST', path: '/r/p302', form },
    { name: 'nofollow', path: '/r/302', redirects: 0, check: { status: 302 } },
    { name: 'loop', path: '/r/loop', redirects: 3 },
    { name: 'hop-cookie', path: '/r/set-hop' },
  ])
  if (!runs) return
  const hops = (run: Run) => run.seen.map((s) => `${s.method} ${s.path} ${s.body || '-'} ${s.headers['content-type'] ?? '-'}`)
  const FORM = 'application/x-www-form-urlencoded'
  const expected = [
    `POST /r/307 a=1+%262 ${FORM}`,
    `POST /r/308 a=1+%262 ${FORM}`,
    `POST /r/303 a=1+%262 ${FORM}`,
    'GET /r/302 - -',
    'GET /r/301 - -',
    'GET /r/end?x=1 - -',
    `POST /r/p301 a=1+%262 ${FORM}`,
    'GET /r/end - -',
    `POST /r/p302 a=1+%262 ${FORM}`,
    'GET /r/end - -',
    'GET /r/302 - -',
    'GET /r/loop - -',
    'GET /r/loop - -',
    'GET /r/loop - -',
    'GET /r/loop - -',
    'GET /r/set-hop - -',
    'GET /r/end - -',
  ]
  for (const [engine, run] of Object.entries(runs)) {
    assert.deepEqual(hops(run), expected, engine)
    const r = run.result
    // every hop is a request of its step (k6's way), the loop's last response its one error
    assert.deepEqual(
      r.steps.map((s) => [s.name, s.requests, s.errors]),
      [
        ['chain', 6, 0],
        ['p301', 2, 0],
        ['p302', 2, 0],
        ['nofollow', 1, 0],
        ['loop', 4, 1],
        ['hop-cookie', 2, 0],
      ],
      engine,
    )
    assert.deepEqual(stepOf(r, 'chain').statuses, { 200: 1, 301: 1, 302: 1, 303: 1, 307: 1, 308: 1 }, engine)
    const loop = r.topErrors.find((e) => e.step === 'loop')
    assert.match(loop?.message ?? '', /^stopped after 3 redirects \(the limit; a loop\?\)/, engine)
    assert.deepEqual(cookieList(run.seen.at(-1)!.headers.cookie), ['hop=1'], `${engine}: a cookie set on a hop is sent on the next`)
  }
})

test('credentials and hosts: no request outside hosts, no auth or environment headers on another origin', async (t) => {
  const secret: Target['headers'] = [
    ['authorization', 'Bearer s3cret'],
    ['x-api-key', 'k3y'],
  ]
  const toOther = (run: Run) => run.seen.filter((s) => s.host === '127.0.0.2')
  // not in hosts: an absolute URL and a redirect to 127.0.0.2 are errors of their steps, never requests
  for (const steps of [
    [
      { name: 'home', path: '/x/home' },
      { name: 'abs', path: `${server.other}/x/abs` },
    ],
    [{ name: 'cross', path: '/r/cross' }],
  ]) {
    const runs = await both(t, steps, { target: { headers: secret } })
    if (!runs) return
    for (const [engine, run] of Object.entries(runs)) {
      assert.equal(toOther(run).length, 0, `${engine}: 127.0.0.2 received nothing`)
      const last = run.result.steps.at(-1)!
      assert.deepEqual(
        [last.requests, last.errors, last.statuses],
        [1 + (last.name === 'cross' ? 1 : 0), 1, last.name === 'cross' ? { 302: 1, NOT_ALLOWED: 1 } : { NOT_ALLOWED: 1 }],
        engine,
      )
      assert.equal(run.result.topErrors.find((e) => e.step === last.name)?.message, notAllowedMessage(server.other), engine)
      assert.equal(run.seen[0]!.headers.authorization, 'Bearer s3cret', `${engine}: the home origin gets the credentials`)
    }
  }
  // in hosts: loaded, without the environment's credentials; a step's own header still goes
  const runs = await both(
    t,
    [
      { name: 'abs', path: `${server.other}/x/abs`, headers: { 'x-step': 'a' } },
      { name: 'cross', path: '/r/cross', headers: { 'x-step': 'c', authorization: 'Basic hand' } },
      { name: 'away', path: '/r/away' },
    ],
    { target: { headers: secret, hosts: [server.other] } },
  )
  if (!runs) return
  for (const [engine, run] of Object.entries(runs)) {
    const other = toOther(run)
    assert.deepEqual(
      other.map((s) => s.path),
      ['/x/abs', '/r/end'],
      engine,
    )
    for (const s of other) {
      assert.equal(s.headers.authorization, undefined, `${engine}: no Authorization on ${s.path}`)
      assert.equal(s.headers['x-api-key'], undefined, `${engine}: no environment header on ${s.path}`)
    }
    assert.deepEqual(
      other.map((s) => s.headers['x-step']),
      ['a', 'c'],
      engine,
    )
    assert.equal(run.seen.find((s) => s.path === '/r/cross')?.headers.authorization, 'Basic hand', engine)
    assert.deepEqual(stepOf(run.result, 'away').statuses, { 302: 1, NOT_ALLOWED: 1 }, `${engine}: 127.0.0.3 is not in hosts`)
  }
})

test('form and multipart bodies: templated, the same bytes on both engines, read by an independent parser', async (t) => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255])
  writeFileSync(join(work, 'avatar.png'), png)
  const runs = await both(
    t,
    [
      { name: 'form', path: '/f/form', form: { user: '{{name}}', pw: 'é&=+ ~' } },
      { name: 'multi', path: '/f/multi', multipart: { user: '{{name}}', avatar: { file: './avatar.png', contentType: 'image/png' } } },
    ],
    { extra: { vars: { name: 'ann b' } } },
  )
  if (!runs) return
  const [fe, me] = runs.embedded.seen,
    [fk, mk] = runs.k6.seen
  assert.equal(fe!.body, 'user=ann+b&pw=%C3%A9%26%3D%2B+%7E')
  assert.equal(fk!.body, fe!.body)
  assert.equal(fk!.headers['content-type'], 'application/x-www-form-urlencoded')
  for (const [engine, m] of [
    ['embedded', me!],
    ['k6', mk!],
  ] as const) {
    const parsed = await new Response(Buffer.from(m.body, 'latin1'), { headers: { 'content-type': m.headers['content-type']! } }).formData()
    assert.equal(parsed.get('user'), 'ann b', engine)
    const file = parsed.get('avatar') as File
    assert.equal(file.name, 'avatar.png', engine)
    assert.equal(file.type, 'image/png', engine)
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), png, engine)
  }
  const boundary = (s: Seen) => /boundary=(\S+)/.exec(s.headers['content-type']!)![1]!
  assert.equal(mk!.body.replaceAll(boundary(mk!), 'B'), me!.body.replaceAll(boundary(me!), 'B'), 'byte for byte, but for the boundary')
})
