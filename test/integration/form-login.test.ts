// The demo app's server-rendered login, walked as a browser would with fetch and a hand-kept
// cookie jar: CSRF token in the form and a cookie, session cookie, 303 to /account, and every
// way in without them refused.

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Results } from '../../core/results.js'
import { findK6 } from '../../scenarios/engines/k6/index.js'
import { startDemoTarget, type DemoTarget } from '../../staging/app/demo-target.js'
import { golive } from '../support/cli.js'

let demo: DemoTarget
before(async () => {
  demo = await startDemoTarget()
})
after(async () => {
  await demo.stop()
})

/** name=value pairs from a response's set-cookie headers, and the raw attributes by name. */
function setCookies(res: Response): Map<string, { value: string; attrs: string }> {
  const out = new Map<string, { value: string; attrs: string }>()
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';')
    const eq = pair!.indexOf('=')
    out.set(pair!.slice(0, eq).trim(), { value: pair!.slice(eq + 1).trim(), attrs: attrs.join(';').trim() })
  }
  return out
}

async function loginPage(): Promise<{ token: string; cookie: string }> {
  const res = await fetch(`${demo.url}/login`)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /text\/html/)
  const body = await res.text()
  const token = /name="csrf" value="([^"]+)"/.exec(body)?.[1]
  assert.ok(token, 'a hidden csrf input')
  const csrf = setCookies(res).get('golive_csrf')
  assert.ok(csrf, 'a csrf cookie')
  assert.match(csrf.attrs, /HttpOnly/)
  return { token, cookie: `golive_csrf=${csrf.value}` }
}

const post = (form: Record<string, string>, cookie?: string) =>
  fetch(`${demo.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(form),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
  })

test('GET /login → POST /login (form, csrf) → 303 /account with a session cookie → "Signed in as user3"', async () => {
  const { token, cookie } = await loginPage()
  const res = await post({ csrf: token, username: 'user3', password: 'golive-demo' }, cookie)
  assert.equal(res.status, 303)
  assert.equal(res.headers.get('location'), '/account')
  const session = setCookies(res).get('golive_session')
  assert.ok(session && session.value.length >= 16, 'a session cookie')
  for (const attr of [/HttpOnly/i, /Path=\//, /SameSite=Lax/i]) assert.match(session.attrs, attr)
  const account = await fetch(`${demo.url}/account`, { headers: { cookie: `golive_session=${session.value}` }, redirect: 'manual' })
  assert.equal(account.status, 200)
  assert.match(await account.text(), /Signed in as user3/)
})

test('without the csrf cookie, with another token, or with a wrong password the login is refused', async () => {
  const { token, cookie } = await loginPage()
  const good = { csrf: token, username: 'user3', password: 'golive-demo' }
  assert.equal((await post(good)).status, 403, 'no csrf cookie')
  assert.equal((await post({ ...good, csrf: `${token.slice(1)}x` }, cookie)).status, 403, 'token does not match the cookie')
  const other = await loginPage()
  assert.equal((await post(good, other.cookie)).status, 403, "another visitor's cookie")
  const wrong = await post({ ...good, password: 'nope' }, cookie)
  assert.equal(wrong.status, 401)
  assert.match(await wrong.text(), /Wrong username or password/)
  assert.equal(setCookies(wrong).has('golive_session'), false)
  const json = await fetch(`${demo.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(good),
  })
  assert.equal(json.status, 415)
})

test('/account without a valid session redirects 302 to /login', async () => {
  for (const headers of [{}, { cookie: 'golive_session=forged' }] as Record<string, string>[]) {
    const res = await fetch(`${demo.url}/account`, { headers, redirect: 'manual' })
    assert.equal(res.status, 302)
    assert.equal(res.headers.get('location'), '/login')
  }
})

test('the JSON API routes are unchanged', async () => {
  const res = await fetch(`${demo.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'user1', password: 'golive-demo' }),
  })
  assert.equal(res.status, 200)
  assert.ok(((await res.json()) as { token?: string }).token)
})

test('the shipped form-login scenario walks it on both engines: 0 errors, the 303 hop counted alike', async (t) => {
  let k6 = true
  try {
    findK6()
  } catch (e) {
    if (process.env.CI) throw e
    k6 = false
  }
  const perStep: Record<string, string> = {}
  for (const engine of k6 ? ['embedded', 'k6'] : ['embedded']) {
    const out = mkdtempSync(join(tmpdir(), 'golive-form-login-'))
    const r = await golive(['loadtest', '-s', 'form-login', '--target', demo.url, '--engine', engine, '--vus', '4', '--iterations', '12', '--out', out])
    assert.ok(r.code === 0 || r.code === 1, r.stderr)
    const s = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results).scenarios[0]!
    assert.equal(s.errors, 0, `${engine}: ${JSON.stringify(s.topErrors)}`)
    assert.equal(s.iterations, 12)
    perStep[engine] = JSON.stringify(s.steps.map((st) => [st.name, st.requests, st.statuses]))
  }
  // login: the POST (303) and the followed GET /account (200), once per journey each
  assert.equal(
    perStep.embedded,
    JSON.stringify([
      ['login-page', 12, { 200: 12 }],
      ['login', 24, { 200: 12, 303: 12 }],
      ['account', 12, { 200: 12 }],
    ]),
  )
  if (k6) assert.equal(perStep.k6, perStep.embedded)
  else t.diagnostic('k6 is not installed: the k6 half was not run')
})
