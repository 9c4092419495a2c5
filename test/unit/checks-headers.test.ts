// The headers check's scorer, without a network: hand-made collections scored against the
// MDN HTTP Observatory 1.4.8 score table (algorithm 4). Each expected modifier is the table's
// value for the result named next to it; totals are worked out in the comments.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { measureHeaders } from '../../checks/headers.js'
import { checklist } from '../../checks/headers/checklist.js'
import { cookieJar } from '../../checks/headers/cookies.js'
import { parseCsp } from '../../checks/headers/csp.js'
import { findTags } from '../../checks/headers/html.js'
import type { Collected, HttpResponse } from '../../checks/headers/model.js'
import { registrableDomain, score } from '../../checks/headers/observatory.js'
import { gradeFor } from '../../checks/headers/score-table.js'

const HOST = 'https://www.example.com/'
const GOOD_HSTS: [string, string] = ['strict-transport-security', 'max-age=31536000']

interface SiteOptions {
  body?: string
  contentType?: string | null
  /** the plain-http chain: URLs after http://www.example.com/ (empty: no redirect); null: no http */
  http?: string[] | null
  verified?: boolean
  cors?: [string, string][] | null
}

function site(headers: [string, string][], o: SiteOptions = {}): Collected {
  const raw: [string, string][] = headers.map(([n, v]) => [n.toLowerCase(), v])
  if (o.contentType !== null) raw.push(['content-type', o.contentType ?? 'text/html; charset=utf-8'])
  const response: HttpResponse = { url: HOST, status: 200, rawHeaders: raw, body: o.body ?? '<!doctype html><p>hi</p>' }
  const chain = o.http === undefined ? [HOST] : o.http
  const httpHops =
    chain === null
      ? []
      : [{ url: 'http://www.example.com/', status: chain.length ? 301 : 200 }, ...chain.map((url, i) => ({ url, status: i === chain.length - 1 ? 200 : 301 }))]
  return {
    target: HOST,
    https: {
      url: HOST,
      hops: [{ url: HOST, status: 200 }],
      response,
      verified: o.verified ?? true,
      setCookies: raw.filter(([n]) => n === 'set-cookie').map(([, v]) => ({ url: HOST, header: v })),
    },
    http:
      chain === null
        ? { url: 'http://www.example.com/', hops: [], response: null, verified: true, setCookies: [], error: 'ECONNREFUSED' }
        : {
            url: 'http://www.example.com/',
            hops: httpHops,
            response: { url: httpHops.at(-1)!.url, status: 200, rawHeaders: [] },
            verified: o.verified ?? true,
            setCookies: [],
          },
    cors: o.cors ? { url: HOST, status: 200, rawHeaders: o.cors.map(([n, v]) => [n.toLowerCase(), v]) } : null,
    corsOrigin: 'https://http-observatory.security.mozilla.org',
  }
}

function test(c: Collected, name: string): { result: string; modifier: number } {
  const t = score(c).tests.find((x) => x.name === name)!
  return { result: t.result, modifier: t.modifier }
}

describe('grade table', () => {
  it('maps scores to grades in steps of five, A+ from 100, F below 25', () => {
    const table: [number, string][] = [
      [140, 'A+'],
      [100, 'A+'],
      [99, 'A'],
      [90, 'A'],
      [89, 'A-'],
      [85, 'A-'],
      [84, 'B+'],
      [80, 'B+'],
      [79, 'B'],
      [70, 'B'],
      [69, 'B-'],
      [65, 'B-'],
      [64, 'C+'],
      [60, 'C+'],
      [59, 'C'],
      [50, 'C'],
      [49, 'C-'],
      [45, 'C-'],
      [44, 'D+'],
      [40, 'D+'],
      [39, 'D'],
      [30, 'D'],
      [29, 'D-'],
      [25, 'D-'],
      [24, 'F'],
      [0, 'F'],
      [-30, 'F'],
    ]
    for (const [s, g] of table) assert.equal(gradeFor(s), g, `score ${s}`)
  })
})

describe('score: baseline 100, bonuses only from 90 up', () => {
  it('a site with every header right scores 100 plus its bonuses', () => {
    // csp default-src none +10, referrer +5, xfo via frame-ancestors +5, corp +10; no penalties → 130
    const s = score(
      site([
        ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
        GOOD_HSTS,
        ['x-content-type-options', 'nosniff'],
        ['referrer-policy', 'no-referrer'],
        ['cross-origin-resource-policy', 'same-origin'],
      ]),
    )
    assert.equal(s.scoreWithoutBonuses, 100)
    assert.equal(s.score, 130)
    assert.equal(s.grade, 'A+')
  })
  it('bonuses count when the penalties leave 90 or more', () => {
    // xcto missing -5 → 95 >= 90; csp +10 and referrer +5 count → 110
    const s = score(site([['content-security-policy', "default-src 'none'; frame-ancestors 'none'"], GOOD_HSTS, ['referrer-policy', 'no-referrer']]))
    assert.equal(s.scoreWithoutBonuses, 95)
    assert.equal(s.bonusesCounted, true)
    assert.equal(s.score, 115) // 100 - 5 + 10 + 5 + 5 (frame-ancestors)
  })
  it('bonuses do not count below 90', () => {
    // xcto -5, hsts missing -20 → 75; csp +10, referrer +5, frame-ancestors +5 ignored → 75 (B)
    const s = score(
      site([
        ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
        ['referrer-policy', 'no-referrer'],
      ]),
    )
    assert.equal(s.bonusesCounted, false)
    assert.equal(s.score, 75)
    assert.equal(s.grade, 'B')
  })
  it('a bare site: no CSP -25, no HSTS -20, no XCTO -5, no XFO -20 → 30 (D)', () => {
    const s = score(site([]))
    assert.deepEqual([s.score, s.grade], [30, 'D'])
  })
  it('scores below zero are reported as 0', () => {
    // 30 (bare) - 50 (http script, no SRI) - 40 (session cookie without Secure) - 30 (without HttpOnly: only the worst counts) ...
    const s = score(site([['set-cookie', 'sessionid=1']], { body: '<script src="http://cdn.other.org/a.js"></script>', http: [] }))
    // -25 -20 -5 -20 -20 (redirection missing) -50 (sri) -40 (cookie) = -80 → 0
    assert.equal(s.score, 0)
    assert.equal(s.grade, 'F')
  })
})

describe('content-security-policy', () => {
  const cases: [string, string, number][] = [
    ["default-src 'none'", 'csp-implemented-with-no-unsafe-default-src-none', 10],
    ["default-src 'self'", 'csp-implemented-with-no-unsafe', 5],
    ["default-src 'self'; script-src 'self' 'unsafe-inline'", 'csp-implemented-with-unsafe-inline', -20],
    ["default-src 'self'; script-src 'self' data:", 'csp-implemented-with-unsafe-inline', -20],
    ['default-src https:', 'csp-implemented-with-unsafe-inline', -20],
    ["script-src 'self'", 'csp-implemented-with-unsafe-inline', -20], // object-src unrestricted
    // a nonce makes 'unsafe-inline' in script-src moot; style-src falls back to * (broad)
    ["script-src 'self' 'nonce-abc' 'unsafe-inline'; object-src 'none'", 'csp-implemented-with-unsafe-inline-in-style-src-only', 0],
    ["default-src 'self'; style-src 'self' 'unsafe-inline'", 'csp-implemented-with-unsafe-inline-in-style-src-only', 0],
    ["script-src 'strict-dynamic'; object-src 'none'", 'csp-header-invalid', -25], // strict-dynamic without a nonce or hash
    ["script-src 'strict-dynamic' 'nonce-x' https:; object-src 'none'; style-src 'self'", 'csp-implemented-with-no-unsafe', 5],
    ["default-src 'self'; script-src 'self' 'unsafe-eval'", 'csp-implemented-with-unsafe-eval', -10],
    ["default-src 'self'; img-src 'self' http://img.example.com", 'csp-implemented-with-insecure-scheme-in-passive-content-only', -10],
    ["default-src 'self'; connect-src http://api.example.com", 'csp-implemented-with-insecure-scheme', -20],
    ["default-src 'self'; default-src 'none'", 'csp-header-invalid', -25],
    ["default-src 'none'; report-uri /a; report-uri /b", 'csp-implemented-but-duplicate-directives', 0],
    ['abc', 'csp-header-invalid', -25], // shorter than any directive
  ]
  for (const [policy, result, modifier] of cases) {
    it(`${policy} → ${result} (${modifier})`, () => {
      assert.deepEqual(test(site([['content-security-policy', policy]]), 'content-security-policy'), { result, modifier })
    })
  }
  it('two CSP headers arrive joined with ", " as one policy', () => {
    const c = site([
      ['content-security-policy', "default-src 'self'"],
      ['content-security-policy', "script-src 'self'; default-src 'none'"],
    ])
    assert.equal(test(c, 'content-security-policy').result, 'csp-header-invalid')
  })
  it('report-only alone is not a policy: -25 with its own result', () => {
    assert.deepEqual(test(site([['content-security-policy-report-only', "default-src 'none'"]]), 'content-security-policy'), {
      result: 'csp-not-implemented-but-reporting-enabled',
      modifier: -25,
    })
    assert.deepEqual(test(site([]), 'content-security-policy'), { result: 'csp-not-implemented', modifier: -25 })
  })
  it('a <meta http-equiv> policy counts; one holding only frame-ancestors does not', () => {
    const meta = (content: string) => site([], { body: `<html><head><meta http-equiv="Content-Security-Policy" content="${content}"></head></html>` })
    assert.equal(test(meta("default-src 'none'"), 'content-security-policy').result, 'csp-implemented-with-no-unsafe-default-src-none')
    assert.equal(test(meta("frame-ancestors 'none'"), 'content-security-policy').result, 'csp-not-implemented')
    // not HTML: meta tags are not read
    const json = site([], { body: `<meta http-equiv="Content-Security-Policy" content="default-src 'none'">`, contentType: 'application/json' })
    assert.equal(test(json, 'content-security-policy').result, 'csp-not-implemented')
  })
  it('several policies keep only the sources every policy allows', () => {
    const csp = parseCsp(["default-src 'self' https://a.example; script-src 'self'", "default-src 'self'"])
    assert.deepEqual([...csp.get('default-src')!], ["'self'"])
    // a directive only one policy names is kept as that policy has it
    assert.deepEqual([...csp.get('script-src')!], ["'self'"])
  })
  it('within one policy a source whose prefix is also listed is dropped', () => {
    assert.deepEqual([...parseCsp(['default-src https: https://a.example'])!.get('default-src')!], ['https:'])
  })
})

describe('cookies', () => {
  const cases: [[string, string][], string, number][] = [
    [[GOOD_HSTS], 'cookies-not-found', 0],
    [[GOOD_HSTS, ['set-cookie', 'sid=1; Secure; HttpOnly; SameSite=Lax']], 'cookies-secure-with-httponly-sessions-and-samesite', 5],
    [[GOOD_HSTS, ['set-cookie', 'theme=dark; Secure']], 'cookies-secure-with-httponly-sessions', 0],
    [[GOOD_HSTS, ['set-cookie', 'theme=dark']], 'cookies-without-secure-flag-but-protected-by-hsts', -5],
    [[['set-cookie', 'theme=dark']], 'cookies-without-secure-flag', -20],
    [[GOOD_HSTS, ['set-cookie', 'sessionid=1; HttpOnly; SameSite=Lax']], 'cookies-session-without-secure-flag-but-protected-by-hsts', -10],
    [[GOOD_HSTS, ['set-cookie', 'SESSIONID=1; Secure']], 'cookies-session-without-httponly-flag', -30],
    [[['set-cookie', 'loginToken=1; HttpOnly']], 'cookies-session-without-secure-flag', -40],
    [[GOOD_HSTS, ['set-cookie', 'csrftoken=1; Secure']], 'cookies-anticsrf-without-samesite-flag', -20],
    [[GOOD_HSTS, ['set-cookie', 'a=1; Secure; SameSite=Bogus']], 'cookies-samesite-flag-invalid', -20],
    [[GOOD_HSTS, ['set-cookie', 'a=1; SameSite=None']], 'cookies-samesite-flag-invalid', -20],
    // cookies the jar refuses do not count
    [[GOOD_HSTS, ['set-cookie', '__Secure-a=1']], 'cookies-not-found', 0],
    [[GOOD_HSTS, ['set-cookie', 'a=1; Domain=other.org']], 'cookies-not-found', 0],
    [[GOOD_HSTS, ['set-cookie', 'novalue']], 'cookies-not-found', 0],
    [[GOOD_HSTS, ['set-cookie', 'heroku-session-affinity=1']], 'cookies-not-found', 0],
  ]
  for (const [headers, result, modifier] of cases) {
    it(`${
      headers
        .filter(([n]) => n === 'set-cookie')
        .map(([, v]) => v)
        .join(' + ') || 'none'
    }${headers.includes(GOOD_HSTS) ? ' (HSTS)' : ''} → ${result}`, () => {
      assert.deepEqual(test(site(headers), 'cookies'), { result, modifier })
    })
  }
  it('the worst of several problems wins', () => {
    // without-secure-but-hsts (-5), session-without-secure-but-hsts (-10), session-without-httponly (-30), anticsrf (-20)
    const c = site([GOOD_HSTS, ['set-cookie', 'sessionid=1'], ['set-cookie', 'csrftoken=2; Secure']])
    assert.deepEqual(test(c, 'cookies'), { result: 'cookies-session-without-httponly-flag', modifier: -30 })
  })
  it('a later Set-Cookie replaces an earlier one with the same name, domain and path', () => {
    const jar = cookieJar([
      { url: HOST, header: 'a=1' },
      { url: HOST, header: 'a=2; Secure' },
      { url: `${HOST}x/y`, header: 'a=3' },
    ])
    assert.deepEqual(
      jar.map((k) => [k.name, k.path, k.secure]),
      [
        ['a', '/', true],
        ['a', '/x', false],
      ],
    )
  })
})

describe('redirection', () => {
  const cases: [string[] | null, string, number][] = [
    [['https://www.example.com/'], 'redirection-to-https', 0],
    [null, 'redirection-not-needed-no-http', 0],
    [[], 'redirection-missing', -20],
    [['http://example.com/', 'https://example.com/'], 'redirection-not-to-https-on-initial-redirection', -10],
    [['https://example.com/'], 'redirection-off-host-from-http', -5],
    [['http://example.com/'], 'redirection-not-to-https', -20],
  ]
  for (const [chain, result, modifier] of cases) {
    it(`http → ${chain === null ? '(no answer)' : chain.join(' → ') || '(200, no redirect)'}: ${result}`, () => {
      assert.deepEqual(test(site([], { http: chain }), 'redirection'), { result, modifier })
    })
  }
  it('a chain that needed verification off is an invalid certificate', () => {
    assert.deepEqual(test(site([], { verified: false }), 'redirection'), { result: 'redirection-invalid-cert', modifier: -20 })
  })
})

describe('referrer-policy', () => {
  const cases: [[string, string][], string, number][] = [
    [[], 'referrer-policy-not-implemented', 0],
    [[['referrer-policy', 'no-referrer']], 'referrer-policy-private', 5],
    [[['referrer-policy', 'Strict-Origin-When-Cross-Origin']], 'referrer-policy-private', 5],
    [[['referrer-policy', 'unsafe-url']], 'referrer-policy-unsafe', -5],
    [[['referrer-policy', 'nonsense']], 'referrer-policy-header-invalid', -5],
    [[['referrer-policy', 'unsafe-url, strict-origin']], 'referrer-policy-private', 5], // the last known value wins
  ]
  for (const [headers, result, modifier] of cases) {
    it(`${headers[0]?.[1] ?? 'none'} → ${result}`, () => assert.deepEqual(test(site(headers), 'referrer-policy'), { result, modifier }))
  }
  it('<meta name="referrer"> comes after the header', () => {
    const c = site([['referrer-policy', 'unsafe-url']], { body: '<meta name="referrer" content="no-referrer">' })
    assert.equal(test(c, 'referrer-policy').result, 'referrer-policy-private')
  })
})

describe('strict-transport-security', () => {
  const cases: [[string, string][], string, number][] = [
    [[['strict-transport-security', 'max-age=15552000']], 'hsts-implemented-max-age-at-least-six-months', 0],
    [[['strict-transport-security', 'max-age=15551999; includeSubDomains']], 'hsts-implemented-max-age-less-than-six-months', -10],
    [[['strict-transport-security', 'includeSubDomains']], 'hsts-header-invalid', -20],
    [
      [
        ['strict-transport-security', 'max-age=31536000'],
        ['strict-transport-security', 'max-age=31536000'],
      ],
      'hsts-header-invalid',
      -20,
    ],
    [[], 'hsts-not-implemented', -20],
  ]
  for (const [headers, result, modifier] of cases) {
    it(`${headers.map(([, v]) => v).join(' + ') || 'none'} → ${result}`, () =>
      assert.deepEqual(test(site(headers), 'strict-transport-security'), { result, modifier }))
  }
  it('an unverified chain cannot have HSTS', () => {
    assert.deepEqual(test(site([GOOD_HSTS], { verified: false }), 'strict-transport-security'), { result: 'hsts-invalid-cert', modifier: -20 })
  })
})

describe('subresource-integrity', () => {
  const sri = (body: string, contentType?: string | null) =>
    test(site([], { body, ...(contentType === undefined ? {} : { contentType }) }), 'subresource-integrity')
  it('not HTML, or no Content-Type: nothing to check (0)', () => {
    assert.deepEqual(sri('<script src="http://x.org/a.js"></script>', 'application/json'), { result: 'sri-not-implemented-response-not-html', modifier: 0 })
    assert.deepEqual(sri('<script src="http://x.org/a.js"></script>', null), { result: 'sri-not-implemented-response-not-html', modifier: 0 })
  })
  it('no scripts, inline or same-origin scripts: 0; same-origin with integrity: +5', () => {
    assert.deepEqual(sri('<p>no scripts</p>'), { result: 'sri-not-implemented-but-no-scripts-loaded', modifier: 0 })
    assert.deepEqual(sri('<script>1</script><script src="/a.js"></script>'), {
      result: 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
      modifier: 0,
    })
    // a subdomain of the same registrable domain is "similar origin"
    assert.deepEqual(sri('<script src="https://static.example.com/a.js"></script>'), {
      result: 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
      modifier: 0,
    })
    assert.deepEqual(sri('<script src="/a.js" integrity="sha384-x"></script>'), { result: 'sri-implemented-and-all-scripts-loaded-securely', modifier: 5 })
  })
  it('external scripts: https with integrity +5, without -5, over http or // without -50, with -20', () => {
    assert.deepEqual(sri('<script src="https://cdn.other.org/a.js" integrity="sha384-x"></script>'), {
      result: 'sri-implemented-and-external-scripts-loaded-securely',
      modifier: 5,
    })
    assert.deepEqual(sri('<script src="https://cdn.other.org/a.js"></script>'), {
      result: 'sri-not-implemented-but-external-scripts-loaded-securely',
      modifier: -5,
    })
    assert.deepEqual(sri('<script src="http://cdn.other.org/a.js"></script>'), {
      result: 'sri-not-implemented-and-external-scripts-not-loaded-securely',
      modifier: -50,
    })
    assert.deepEqual(sri('<script src="//cdn.other.org/a.js"></script>'), {
      result: 'sri-not-implemented-and-external-scripts-not-loaded-securely',
      modifier: -50,
    })
    assert.deepEqual(sri('<script src="//cdn.other.org/a.js" integrity="sha384-x"></script>'), {
      result: 'sri-implemented-but-external-scripts-not-loaded-securely',
      modifier: -20,
    })
  })
  it('scripts in comments or inside other scripts do not count', () => {
    assert.deepEqual(
      sri('<!-- <script src="http://evil.org/a.js"></script> --><script>document.write("<script src=http://evil.org/b.js></scr"+"ipt>")</script>'),
      { result: 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin', modifier: 0 },
    )
  })
  it('registrable domains', () => {
    assert.equal(registrableDomain('cdn.example.co.uk'), 'example.co.uk')
    assert.equal(registrableDomain('a.b.example.com'), 'example.com')
    assert.equal(registrableDomain('127.0.0.1'), null)
    assert.equal(registrableDomain('localhost'), null)
  })
})

describe('x-content-type-options, x-frame-options, cross-origin-resource-policy, cors', () => {
  const one = (headers: [string, string][], name: string) => test(site(headers), name)
  it('x-content-type-options', () => {
    assert.deepEqual(one([['x-content-type-options', 'nosniff']], 'x-content-type-options'), { result: 'x-content-type-options-nosniff', modifier: 0 })
    assert.deepEqual(
      one(
        [
          ['x-content-type-options', 'nosniff'],
          ['x-content-type-options', 'nosniff'],
        ],
        'x-content-type-options',
      ),
      { result: 'x-content-type-options-header-invalid', modifier: -5 },
    )
    assert.deepEqual(one([], 'x-content-type-options'), { result: 'x-content-type-options-not-implemented', modifier: -5 })
  })
  it('x-frame-options', () => {
    assert.deepEqual(one([['x-frame-options', 'DENY']], 'x-frame-options'), { result: 'x-frame-options-sameorigin-or-deny', modifier: 0 })
    assert.deepEqual(one([['x-frame-options', 'ALLOW-FROM https://a.org']], 'x-frame-options'), { result: 'x-frame-options-allow-from-origin', modifier: 0 })
    assert.deepEqual(one([['x-frame-options', 'deny, deny']], 'x-frame-options'), { result: 'x-frame-options-header-invalid', modifier: -20 })
    assert.deepEqual(one([], 'x-frame-options'), { result: 'x-frame-options-not-implemented', modifier: -20 })
    assert.deepEqual(one([['content-security-policy', "default-src 'self'; frame-ancestors 'self'"]], 'x-frame-options'), {
      result: 'x-frame-options-implemented-via-csp',
      modifier: 5,
    })
  })
  it('cross-origin-resource-policy', () => {
    assert.deepEqual(one([['cross-origin-resource-policy', 'same-site']], 'cross-origin-resource-policy'), {
      result: 'corp-implemented-with-same-site',
      modifier: 10,
    })
    assert.deepEqual(one([['cross-origin-resource-policy', 'Same-Origin']], 'cross-origin-resource-policy'), {
      result: 'corp-implemented-with-same-origin',
      modifier: 10,
    })
    assert.deepEqual(one([['cross-origin-resource-policy', 'cross-origin']], 'cross-origin-resource-policy'), {
      result: 'corp-implemented-with-cross-origin',
      modifier: 0,
    })
    assert.deepEqual(one([['cross-origin-resource-policy', 'bogus']], 'cross-origin-resource-policy'), { result: 'corp-header-invalid', modifier: -5 })
  })
  it('cors: reflecting the Origin with credentials scores as 1.4.8 does (restricted, 0) and is reported apart', () => {
    const cors = (h: [string, string][] | null) => test(site([], { cors: h }), 'cross-origin-resource-sharing')
    assert.deepEqual(cors(null), { result: 'cross-origin-resource-sharing-not-implemented', modifier: 0 })
    assert.deepEqual(cors([['access-control-allow-origin', '*']]), { result: 'cross-origin-resource-sharing-implemented-with-public-access', modifier: 0 })
    assert.deepEqual(cors([['access-control-allow-origin', 'https://app.example.com']]), {
      result: 'cross-origin-resource-sharing-implemented-with-restricted-access',
      modifier: 0,
    })
    const reflected = site([], {
      cors: [
        ['access-control-allow-origin', 'https://http-observatory.security.mozilla.org'],
        ['access-control-allow-credentials', 'true'],
      ],
    })
    assert.deepEqual(test(reflected, 'cross-origin-resource-sharing'), {
      result: 'cross-origin-resource-sharing-implemented-with-restricted-access',
      modifier: 0,
    })
    assert.equal(measureHeaders(reflected).figures.cors_origin_reflected_with_credentials?.value, 1)
    assert.equal(measureHeaders(site([], { cors: [['access-control-allow-origin', '*']] })).figures.cors_origin_reflected_with_credentials?.value, 0)
  })
})

describe('checklist and figures', () => {
  it('names each of the six headers present, missing or weak, with a fix where needed', () => {
    const c = site([
      ['strict-transport-security', 'max-age=60'],
      ['x-content-type-options', 'nosniff'],
      ['x-frame-options', 'ALLOW-FROM https://a.org'],
      ['referrer-policy', 'unsafe-url'],
      ['feature-policy', "camera 'none'"],
    ])
    const rows = checklist(c.https.response!, score(c).tests)
    assert.deepEqual(
      rows.map((r) => [r.header, r.status]),
      [
        ['Strict-Transport-Security', 'weak'],
        ['Content-Security-Policy', 'missing'],
        ['X-Frame-Options', 'weak'],
        ['X-Content-Type-Options', 'present'],
        ['Referrer-Policy', 'weak'],
        ['Permissions-Policy', 'weak'],
      ],
    )
    assert.ok(rows.filter((r) => r.status !== 'present').every((r) => r.fix.length > 10))
  })
  it('a <meta http-equiv> CSP the score credits is not "missing" in the checklist', () => {
    const c = site([], { body: `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; object-src 'none'"></head></html>` })
    const row = checklist(c.https.response!, score(c).tests).find((r) => r.header === 'Content-Security-Policy')!
    assert.equal(row.status, 'present')
    assert.match(String(row.value), /^<meta http-equiv> default-src 'self'/)
  })
  it('figures: grade, score, one modifier per test, missing headers', () => {
    const { figures, evidence } = measureHeaders(site([['content-security-policy', "default-src 'self'; script-src 'unsafe-inline'"]]))
    // csp -20, hsts -20, xcto -5, xfo -20 → 35 (D)
    assert.deepEqual(figures.grade, { value: 'D', unit: 'grade' })
    assert.deepEqual(figures.score, { value: 35, unit: 'count' })
    assert.equal(figures['test.content-security-policy']?.value, -20)
    assert.equal(figures['test.redirection']?.value, 0)
    assert.equal(Object.keys(figures).filter((k) => k.startsWith('test.')).length, 10)
    assert.equal(figures.missing_headers?.value, 5)
    assert.equal((evidence.tests as unknown[]).length, 10)
  })
  it('evidence keeps cookie names and flags but not their values', () => {
    const { evidence } = measureHeaders(site([['set-cookie', 'sessionid=s3cr3t; Secure; HttpOnly']]))
    const shown = JSON.stringify(evidence)
    assert.ok(!shown.includes('s3cr3t'), shown)
    assert.ok(shown.includes('sessionid=<redacted>; Secure; HttpOnly'))
  })
})

describe('html tags', () => {
  it('reads attributes (quoted, unquoted, entities, first wins) and skips comments and raw text', () => {
    const tags = findTags(
      `<!-- <meta name=a> --><META Name=referrer CONTENT='no-referrer' content=x><title><script src=t></title><script SRC="a.js?x=1&amp;y=2" integrity=abc defer></script>`,
      new Set(['meta', 'script']),
    )
    assert.deepEqual(
      tags.map((t) => [t.name, Object.fromEntries(t.attrs)]),
      [
        ['meta', { name: 'referrer', content: 'no-referrer' }],
        ['script', { src: 'a.js?x=1&y=2', integrity: 'abc', defer: '' }],
      ],
    )
  })
})
