// from-har's conversion on recordings whose truth the test writes: which captures are inferred
// (JSON token and id, Location, cookie echoed in a header, <meta> token, a value in plain text),
// which are not (a short word, a constant redirect), secrets, assets, other origins, think times,
// and the messages for a file that is not a HAR.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseHar } from '../../scenarios/har.js'
import { scenarioFromHar } from '../../scenarios/from-har.js'
import { compileScenario } from '../../scenarios/compile.js'
import { renderDraft } from '../../scenarios/ts-source.js'
import { UsageError } from '../../core/errors.js'
import type { Scenario } from '../../scenarios/dsl.js'

const T0 = Date.parse('2026-12-01T10:00:00.000Z')
const O = 'https://shop.test'
type H = Record<string, string | string[]>
const hs = (h: H = {}) => Object.entries(h).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })))

/** one HAR entry: at t ms after T0, lasting `time` ms */
function entry(
  t: number,
  time: number,
  method: string,
  url: string,
  req: { headers?: H; json?: unknown; form?: Record<string, string>; type?: string } = {},
  res: { status?: number; headers?: H; json?: unknown; html?: string; mime?: string } = {},
) {
  const mime = res.mime ?? (res.html !== undefined ? 'text/html' : res.json !== undefined ? 'application/json' : 'text/plain')
  return {
    startedDateTime: new Date(T0 + t).toISOString(),
    time,
    ...(req.type ? { _resourceType: req.type } : {}),
    request: {
      method,
      url,
      httpVersion: 'HTTP/1.1',
      headers: hs({ 'user-agent': 'Chrome', accept: '*/*', ...req.headers }),
      ...(req.json !== undefined ? { postData: { mimeType: 'application/json', text: JSON.stringify(req.json) } } : {}),
      ...(req.form ? { postData: { mimeType: 'application/x-www-form-urlencoded', text: new URLSearchParams(req.form).toString() } } : {}),
    },
    response: {
      status: res.status ?? 200,
      headers: hs({ date: 'x', ...res.headers }),
      content: { mimeType: mime, text: res.html ?? (res.json !== undefined ? JSON.stringify(res.json) : '') },
    },
  }
}

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c3ViOjQy.Qk9Xw1'
const XSRF = 'x7Rt2kLm9Qp4Zs8V'
const META = 'mEtA5tOkEn6789xyz'
const NONCE = 'n0nce4567abcd'

function shop() {
  return {
    log: {
      version: '1.2',
      entries: [
        entry(
          0,
          100,
          'GET',
          `${O}/`,
          { type: 'document' },
          {
            html: `<html><head><meta name="csrf-token" content="${META}"><script>window.cfg = { nonce: "${NONCE}" }</script></head><body>hi alice</body></html>`,
            headers: { 'set-cookie': [`XSRF-TOKEN=${XSRF}; Path=/`, 'sid=s3cr3tSession99; HttpOnly'] },
          },
        ),
        entry(110, 20, 'GET', `${O}/app.js`, { type: 'script' }, { mime: 'application/javascript' }),
        entry(120, 20, 'GET', `${O}/logo.png`, {}, { mime: 'image/png' }),
        entry(130, 30, 'GET', 'https://cdn.other.test/lib.js', { type: 'script' }, { mime: 'application/javascript' }),
        entry(
          1100,
          100,
          'POST',
          `${O}/api/login`,
          {
            type: 'fetch',
            json: { username: 'alice', password: 'hunter2hunter2' },
            headers: { cookie: `XSRF-TOKEN=${XSRF}; sid=s3cr3tSession99`, 'x-xsrf-token': XSRF },
          },
          { json: { token: TOKEN, user: 'alice' } },
        ),
        entry(
          1300,
          50,
          'GET',
          `${O}/api/orders?nonce=${NONCE}`,
          { type: 'fetch', headers: { authorization: `Bearer ${TOKEN}`, cookie: 'sid=s3cr3tSession99' } },
          { json: { items: [{ id: 4711, name: 'bolt' }] } },
        ),
        entry(1400, 50, 'GET', `${O}/api/orders/4711`, { type: 'fetch', headers: { authorization: `Bearer ${TOKEN}` } }, { json: { id: 4711 } }),
        entry(
          3450,
          50,
          'POST',
          `${O}/api/orders`,
          { type: 'fetch', json: { sku: 'A-1', qty: 2 }, headers: { authorization: `Bearer ${TOKEN}` } },
          { status: 201, headers: { location: '/api/orders/9912' }, json: {} },
        ),
        entry(3600, 50, 'GET', `${O}/api/orders/9912`, { type: 'fetch', headers: { authorization: `Bearer ${TOKEN}` } }, { json: { id: 9912 } }),
        entry(
          3700,
          50,
          'POST',
          `${O}/profile`,
          { type: 'document', form: { _token: META, name: 'alice' } },
          { status: 302, headers: { location: '/account' } },
        ),
        entry(3760, 50, 'GET', `${O}/account`, { type: 'document' }, { html: '<p>ok</p>' }),
      ],
    },
  }
}

const convert = (har: unknown, keepAssets = false) => scenarioFromHar(parseHar(JSON.stringify(har), 'shop.har'), { file: 'shop.har', name: 'shop', keepAssets })

test('captures are inferred from the response that carried each value, and the later requests use them', () => {
  const r = convert(shop())
  const steps = r.draft.steps.map((d) => d.step)
  assert.deepEqual(
    steps.map((s) => `${s.method ?? 'GET'} ${s.path}`),
    ['GET /', 'POST /api/login', 'GET /api/orders?nonce={{nonce}}', 'GET /api/orders/{{id}}', 'POST /api/orders', 'GET {{location}}', 'POST /profile'],
  )
  // the page: the <meta> token, the nonce in a script (plain text), the XSRF cookie echoed in a header
  assert.deepEqual(steps[0]!.capture, {
    csrf_token: { html: 'meta[name="csrf-token"]', attr: 'content' },
    nonce: { regex: 'cfg = \\{ nonce: "([\\w-]+)' },
    XSRF_TOKEN: { cookie: 'XSRF-TOKEN' },
  })
  assert.deepEqual(steps[1]!.headers, { 'x-xsrf-token': '{{XSRF_TOKEN}}' })
  assert.deepEqual(steps[1]!.capture, { token: { json: '$.token' } })
  // a short word the page also shows ('alice') is data, not a capture; the password is a variable
  assert.deepEqual(steps[1]!.json, { username: 'alice', password: '{{password}}' })
  assert.deepEqual(steps[2]!.headers, { authorization: 'Bearer {{token}}' })
  assert.deepEqual(steps[2]!.capture, { id: { json: '$.items[0].id' } })
  assert.deepEqual(steps[4]!.capture, { location: { header: 'location' } })
  assert.deepEqual(steps[4]!.check, { status: 201 })
  // the 302 to a constant /account is followed inside the step, not captured
  assert.deepEqual(steps[6]!.form, { _token: '{{csrf_token}}', name: 'alice' })
  assert.equal(steps[6]!.capture, undefined)
  assert.deepEqual(steps[6]!.check, { status: 200 })
  assert.deepEqual(
    r.secrets.map((s) => s.name),
    ['password'],
  )
  assert.equal(r.inferred.length, 6)
  for (const d of r.draft.steps)
    for (const c of Object.keys(d.step.capture ?? {}))
      assert.ok(
        d.fields?.capture?.some((l) => l.startsWith(`${c}: inferred: `)),
        `${c} is commented`,
      )
})

test('the regex inferred for a value in plain text finds that value again', () => {
  const r = convert(shop())
  const re = new RegExp((r.draft.steps[0]!.step.capture!.nonce as { regex: string }).regex)
  assert.equal(re.exec(`<script>window.cfg = { nonce: "other123value" }</script>`)?.[1], 'other123value')
})

test('nothing secret is copied: no Cookie header, no token, session or password in the file', () => {
  const text = renderDraft(convert(shop()).draft)
  for (const s of [TOKEN, XSRF, META, NONCE, 's3cr3tSession99', 'hunter2hunter2']) assert.ok(!text.includes(s), `${s} is not in the file`)
  assert.doesNotMatch(text, /headers: \{[^}]*cookie/i)
  assert.doesNotMatch(text, /user-agent|accept:/i, "the browser's own headers are not copied")
  assert.match(text, /vars: \{ password: '\$\{env:GOLIVE_PASSWORD\}' \}/)
})

test('assets and other origins are left out and said; --keep-assets keeps the assets; think times come from the timestamps', () => {
  const r = convert(shop())
  assert.equal(r.assetsDropped, 2)
  assert.ok(
    r.notes.some((n) => n === '1 request to https://cdn.other.test left out: a scenario loads its own target, not a third party'),
    r.notes.join('\n'),
  )
  const steps = r.draft.steps.map((d) => d.step)
  // GET / ended at 100 ms, the login started at 1100 ms; the orders list ended at 1350, the next read started at 1400
  assert.equal(steps[0]!.thinkTime, '1000ms')
  assert.equal(steps[1]!.thinkTime, '100ms')
  assert.equal(steps[2]!.thinkTime, '50ms')
  assert.equal(steps[3]!.thinkTime, '2000ms')
  assert.equal(steps[5]!.thinkTime, '50ms')
  assert.equal(steps[6]!.thinkTime, undefined, 'the last step pauses for nothing')
  const kept = convert(shop(), true).draft.steps.map((d) => d.step.path)
  assert.deepEqual(kept.slice(0, 3), ['/', '/app.js', '/logo.png'])
})

test('the draft is a valid scenario (the compiler accepts every step)', () => {
  const d = convert(shop()).draft
  const s: Scenario = { name: d.name, profile: { model: 'closed', vus: 1, duration: '1s' }, steps: d.steps.map((x) => x.step) }
  const plan = compileScenario(s, { file: 'shop.ts' })
  assert.equal(plan.steps.length, 7)
})

test('a cookie the browser sent that no recorded response set is said, not copied', () => {
  const har = { log: { entries: [entry(0, 10, 'GET', `${O}/home`, { type: 'document', headers: { cookie: 'remember=abc123abc123' } }, { html: '<p>x</p>' })] } }
  const r = convert(har)
  assert.ok(
    r.notes.some((n) => n.startsWith('cookie remember was sent before any recorded response set it')),
    r.notes.join('\n'),
  )
  assert.equal(r.draft.steps[0]!.step.headers, undefined)
})

test('an absolute Location is captured whole; a constant word is not; a cookie only an asset set is said', () => {
  const har = {
    log: {
      entries: [
        entry(0, 10, 'GET', `${O}/`, { type: 'document' }, { html: '<script>var x = "XMLHttpRequest"</script>' }),
        entry(20, 10, 'GET', `${O}/pixel.gif`, { type: 'image' }, { mime: 'image/gif', headers: { 'set-cookie': 'seen=yes1234567' } }),
        entry(
          40,
          10,
          'POST',
          `${O}/api/carts`,
          { type: 'xhr', json: {}, headers: { 'x-requested-with': 'XMLHttpRequest', cookie: 'seen=yes1234567' } },
          { status: 201, headers: { location: `${O}/api/carts/c0ffee42` } },
        ),
        entry(60, 10, 'GET', `${O}/api/carts/c0ffee42`, { type: 'xhr', headers: { 'x-requested-with': 'XMLHttpRequest' } }, { json: {} }),
      ],
    },
  }
  const r = convert(har)
  const steps = r.draft.steps.map((d) => d.step)
  assert.deepEqual(
    steps.map((s) => s.path),
    ['/', '/api/carts', '{{location}}'],
  )
  assert.deepEqual(steps[1]!.capture, { location: { header: 'location' } })
  assert.deepEqual(steps[1]!.headers, { 'x-requested-with': 'XMLHttpRequest' })
  assert.equal(steps[0]!.capture, undefined, 'a word a page also contains is not a token')
  assert.ok(
    r.notes.some((n) => n.startsWith('cookie seen was set only by a response left out (a static asset)')),
    r.notes.join('\n'),
  )
})

test('a file that is not a HAR: the file, the place and the fix', () => {
  const cases: [string, RegExp][] = [
    ['{"log": ', /^x\.har: not JSON: /],
    ['{"name": "x"}', /^x\.har: log: missing: this is JSON but not a HAR file/],
    ['{"log": {"entries": []}}', /^x\.har: log\.entries: the recording holds no requests/],
    [
      '{"log": {"entries": [{"startedDateTime": "2026-01-01T00:00:00Z", "request": {"method": "GET"}, "response": {"status": 200}}]}}',
      /^x\.har: log\.entries\[0\]\.request\.url: expected a string/,
    ],
    [
      '{"log": {"entries": [{"startedDateTime": "yesterday", "request": {"method": "GET", "url": "http://a/"}, "response": {"status": 200}}]}}',
      /^x\.har: log\.entries\[0\]\.startedDateTime: expected an ISO 8601 date/,
    ],
  ]
  for (const [text, message] of cases) {
    assert.throws(
      () => parseHar(text, 'x.har'),
      (e: unknown) => {
        assert.ok(e instanceof UsageError)
        assert.match(e.message, message)
        assert.match(e.hint ?? '', /HAR/)
        return true
      },
    )
  }
})
