// The MDN HTTP Observatory's ten tests and its score, as a pure function of what the headers
// check collected. Each test follows the behaviour of @mdn/mdn-http-observatory 1.4.8
// (algorithm version 4); golive's code, the Observatory's rules.

import { cookieJar } from './cookies.js'
import { type CspMap, DUPLICATES_KEY, parseCsp, parseCspMeta } from './csp.js'
import { findTags } from './html.js'
import { type Collected, type HttpResponse, firstHeader, headerValues } from './model.js'
import { BASELINE, MINIMUM_SCORE_FOR_EXTRA_CREDIT, type ResultName, type TestName, fixFor, gradeFor, modifierOf } from './score-table.js'

export interface TestOutcome {
  name: TestName
  result: ResultName
  pass: boolean
  modifier: number
  fix: string
  /** what the test looked at (header value, cookies, scripts, route) */
  data?: unknown
}

export interface ObservatoryScore {
  score: number
  grade: string
  /** 100 plus every penalty: bonuses count only when this reaches 90 */
  scoreWithoutBonuses: number
  bonusesCounted: boolean
  tests: TestOutcome[]
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml'])

/** The page as the tests see it: the final https response, its meta "headers" and the session. */
export interface Page {
  response: HttpResponse
  sessionUrl: URL
  hostname: string
  /** <meta http-equiv="content-security-policy"> contents and <meta name="referrer"> */
  equiv: Map<string, string[]>
  body: string
}

export function pageOf(c: Collected): Page {
  const response = c.https.response
  if (!response) throw new Error('no https response to score')
  const body = response.body ?? ''
  const sessionUrl = new URL(c.https.url)
  const equiv = new Map<string, string[]>([['content-security-policy', []]])
  const type = response.rawHeaders.find(([n]) => n === 'content-type')?.[1]
  if (HTML_TYPES.has(type?.split(';')[0] ?? '') && body) {
    for (const meta of findTags(body, new Set(['meta']))) {
      const httpEquiv = meta.attrs.get('http-equiv')
      const content = meta.attrs.get('content')
      if (httpEquiv !== undefined && content !== undefined) {
        if (httpEquiv.toLowerCase().trim() === 'content-security-policy') equiv.get('content-security-policy')!.push(content)
      } else if (meta.attrs.get('name')?.toLowerCase().trim() === 'referrer' && content !== undefined) {
        equiv.set('referrer-policy', [content])
      }
    }
  }
  return { response, sessionUrl, hostname: sessionUrl.hostname, equiv, body }
}

function outcome(name: TestName, result: ResultName, pass: boolean, data?: unknown): TestOutcome {
  return { name, result, pass, modifier: modifierOf(result), fix: fixFor(result), ...(data === undefined ? {} : { data }) }
}

/** Keeps the worse of two results by their place in `order` (best first). */
function worse<T extends string>(next: T, current: T | null, order: readonly T[]): T {
  if (current === null) return next
  return order.indexOf(next) > order.indexOf(current) ? next : current
}

// ---------------------------------------------------------------- content-security-policy

const BROAD = new Set(['ftp:', 'http:', 'https:', '*', 'http://*', 'http://*.*', 'https://*', 'https://*.*'])
const UNSAFE_INLINE = new Set(["'unsafe-inline'", 'data:'])
const BROAD_OR_INLINE = new Set([...BROAD, ...UNSAFE_INLINE])
const PASSIVE = ['img-src', 'media-src']
const NONCE_HASH = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"]

export interface CspAnalysis {
  outcome: TestOutcome
  /** the combined policy, directive → sources (null when none was parsed) */
  data: Record<string, string[]> | null
}

function hasNonceOrHash(sources: Set<string>): boolean {
  return [...sources].some((s) => NONCE_HASH.some((p) => s.startsWith(p)))
}

export function cspTest(page: Page): CspAnalysis {
  const name = 'content-security-policy'
  const httpPolicies = headerValues(page.response, 'content-security-policy')
  const metaPolicies = page.equiv.get('content-security-policy') ?? []
  let csp: CspMap, headerOnly: CspMap, meta: CspMap
  try {
    csp = parseCsp([...httpPolicies, ...metaPolicies])
  } catch (e) {
    return { outcome: outcome(name, 'csp-header-invalid', false, { header: httpPolicies, meta: metaPolicies, problem: (e as Error).message }), data: null }
  }
  try {
    headerOnly = parseCsp(httpPolicies)
  } catch {
    headerOnly = new Map()
  }
  try {
    meta = parseCspMeta(metaPolicies)
  } catch {
    meta = new Map()
  }

  if (headerOnly.size + meta.size === 0) {
    const reportOnly = firstHeader(page.response, 'content-security-policy-report-only')
    const result = reportOnly ? 'csp-not-implemented-but-reporting-enabled' : 'csp-not-implemented'
    return { outcome: outcome(name, result, false, reportOnly ? { reportOnly } : undefined), data: null }
  }

  let result: ResultName | null = null
  const objectSrc = csp.get('object-src') ?? csp.get('default-src') ?? new Set(['*'])
  const scriptSrc = csp.get('script-src') ?? csp.get('default-src') ?? new Set(['*'])
  const styleSrc = csp.get('style-src') ?? csp.get('default-src') ?? new Set(['*'])

  // a nonce or hash makes browsers ignore 'unsafe-inline'
  for (const list of [scriptSrc, styleSrc]) {
    if (hasNonceOrHash(list) && list.has("'unsafe-inline'")) list.delete("'unsafe-inline'")
  }
  if (hasNonceOrHash(scriptSrc) && scriptSrc.has("'strict-dynamic'")) {
    for (const s of scriptSrc) {
      if ([...BROAD].some((b) => s.startsWith(b)) || s === "'self'" || s === "'unsafe-inline'") scriptSrc.delete(s)
    }
  } else if (scriptSrc.has("'strict-dynamic'")) {
    result = 'csp-header-invalid'
  }

  const active = [...csp.entries()].filter(([d]) => !PASSIVE.includes(d) && d !== 'script-src').flatMap(([, s]) => [...s])
  active.push(...scriptSrc)
  const passive = PASSIVE.flatMap((d) => [...(csp.get(d) ?? csp.get('default-src') ?? new Set<string>())])
  const https = page.sessionUrl.protocol === 'https:'
  const insecure = (s: string) => s.startsWith('http:') || s.startsWith('ftp:')

  if ([...scriptSrc].some((s) => BROAD_OR_INLINE.has(s)) || [...objectSrc].some((s) => BROAD.has(s))) result ??= 'csp-implemented-with-unsafe-inline'
  if (https && active.some(insecure)) result ??= 'csp-implemented-with-insecure-scheme'
  if (new Set([...scriptSrc, ...styleSrc]).has("'unsafe-eval'")) result ??= 'csp-implemented-with-unsafe-eval'
  if (https && passive.some(insecure)) result ??= 'csp-implemented-with-insecure-scheme-in-passive-content-only'
  if ([...styleSrc].some((s) => BROAD_OR_INLINE.has(s))) result ??= 'csp-implemented-with-unsafe-inline-in-style-src-only'
  const defaultSrc = csp.get('default-src')
  if (defaultSrc?.has("'none'") && defaultSrc.size === 1) result ??= 'csp-implemented-with-no-unsafe-default-src-none'
  else result ??= 'csp-implemented-with-no-unsafe'

  const passing: ResultName[] = [
    'csp-implemented-with-no-unsafe',
    'csp-implemented-with-no-unsafe-default-src-none',
    'csp-implemented-with-unsafe-inline-in-style-src-only',
    'csp-implemented-with-insecure-scheme-in-passive-content-only',
  ]
  const pass = passing.includes(result)
  if (pass && csp.has(DUPLICATES_KEY)) result = 'csp-implemented-but-duplicate-directives'

  const data: Record<string, string[]> = {}
  for (const [d, sources] of csp) if (d !== DUPLICATES_KEY) data[d] = [...sources].sort()
  return { outcome: outcome(name, result, pass, { header: httpPolicies, meta: metaPolicies, policy: data }), data }
}

// ---------------------------------------------------------------- strict-transport-security

const SIX_MONTHS = 15_552_000

export function hstsTest(c: Collected): TestOutcome {
  const name = 'strict-transport-security'
  const response = c.https.response
  if (!response) return outcome(name, 'hsts-not-implemented-no-https', false)
  if (!c.https.verified) return outcome(name, 'hsts-invalid-cert', false)
  const header = headerValues(response, 'strict-transport-security')[0]
  if (header === undefined) return outcome(name, 'hsts-not-implemented', false)
  const value = header.slice(0, 1024)
  let maxAge: number | null = null
  let result: ResultName
  if (value.includes(',')) {
    result = 'hsts-header-invalid'
  } else {
    for (const p of value.split(';').map((s) => s.trim().toLowerCase())) {
      if (p.startsWith('max-age=')) maxAge = Number.parseInt(p.slice(8, 128), 10)
    }
    // the HSTS preload list is not consulted: a site on it would get hsts-preloaded (+5)
    if (maxAge === null) result = 'hsts-header-invalid'
    else result = maxAge < SIX_MONTHS ? 'hsts-implemented-max-age-less-than-six-months' : 'hsts-implemented-max-age-at-least-six-months'
  }
  return outcome(name, result, result === 'hsts-implemented-max-age-at-least-six-months', { header: value, maxAge })
}

// ---------------------------------------------------------------- cookies

const COOKIE_ORDER: ResultName[] = [
  'cookies-without-secure-flag-but-protected-by-hsts',
  'cookies-without-secure-flag',
  'cookies-session-without-secure-flag-but-protected-by-hsts',
  'cookies-samesite-flag-invalid',
  'cookies-anticsrf-without-samesite-flag',
  'cookies-session-without-httponly-flag',
  'cookies-session-without-secure-flag',
]

function invalidSameSite(header: string): boolean {
  for (const part of header.trim().split(';')) {
    const [key, value] = part.trim().split('=')
    if (key!.trim().toLowerCase() === 'samesite') {
      if (!value) return true
      if (!['lax', 'strict', 'none'].includes(value.trim().toLowerCase())) return true
    }
  }
  return false
}

export function cookiesTest(c: Collected, hstsPasses: boolean): TestOutcome {
  const name = 'cookies'
  let result: ResultName | null = null
  for (const raw of headerValues(c.https.response, 'set-cookie')) {
    if (invalidSameSite(raw)) result = worse('cookies-samesite-flag-invalid', result, COOKIE_ORDER)
  }
  const jar = cookieJar(c.https.setCookies).filter((k) => k.name !== 'heroku-session-affinity')
  if (jar.length === 0) return outcome(name, 'cookies-not-found', true)
  let missingSameSite = false
  for (const k of jar) {
    const lc = k.name.toLowerCase()
    const session = lc.includes('login') || lc.includes('sess')
    const antiCsrf = lc.includes('csrf')
    if (!k.secure && k.sameSite === 'none') result = worse('cookies-samesite-flag-invalid', result, COOKIE_ORDER)
    if (!k.secure) result = worse(hstsPasses ? 'cookies-without-secure-flag-but-protected-by-hsts' : 'cookies-without-secure-flag', result, COOKIE_ORDER)
    if (antiCsrf && !k.sameSite) result = worse('cookies-anticsrf-without-samesite-flag', result, COOKIE_ORDER)
    if (session && !k.secure)
      result = worse(hstsPasses ? 'cookies-session-without-secure-flag-but-protected-by-hsts' : 'cookies-session-without-secure-flag', result, COOKIE_ORDER)
    if (session && !k.httpOnly) result = worse('cookies-session-without-httponly-flag', result, COOKIE_ORDER)
    if (!k.sameSite) missingSameSite = true
  }
  result ??= missingSameSite ? 'cookies-secure-with-httponly-sessions' : 'cookies-secure-with-httponly-sessions-and-samesite'
  const pass = result === 'cookies-secure-with-httponly-sessions' || result === 'cookies-secure-with-httponly-sessions-and-samesite'
  const data = jar.map((k) => ({ name: k.name, secure: k.secure, httpOnly: k.httpOnly, sameSite: k.sameSite ?? null }))
  return outcome(name, result, pass, data)
}

// ---------------------------------------------------------------- cross-origin-resource-sharing

export function corsTest(c: Collected): TestOutcome {
  const name = 'cross-origin-resource-sharing'
  const acao = firstHeader(c.cors, 'access-control-allow-origin')
  if (!c.cors || !acao) return outcome(name, 'cross-origin-resource-sharing-not-implemented', true)
  const value = acao.slice(0, 256).trim().toLowerCase()
  const credentials = firstHeader(c.cors, 'access-control-allow-credentials')
  // The table has universal-access (-50) for an Origin reflected with credentials allowed, but
  // 1.4.8 looks for the Origin it sent on the request object, where it never finds it, so it
  // rates that case restricted-access (0). golive scores as 1.4.8 does and reports the
  // reflection separately (figure cors_origin_reflected_with_credentials).
  const reflected = acao === c.corsOrigin && credentials?.toLowerCase().trim() === 'true'
  const result: ResultName =
    value === '*' ? 'cross-origin-resource-sharing-implemented-with-public-access' : 'cross-origin-resource-sharing-implemented-with-restricted-access'
  return outcome(name, result, true, { allowOrigin: value, allowCredentials: credentials, originReflectedWithCredentials: reflected })
}

/** Whether the preflight's Origin came back in Access-Control-Allow-Origin with credentials allowed. */
export function corsReflectsOrigin(c: Collected): boolean {
  const acao = firstHeader(c.cors, 'access-control-allow-origin')
  return !!acao && acao === c.corsOrigin && firstHeader(c.cors, 'access-control-allow-credentials')?.toLowerCase().trim() === 'true'
}

// ---------------------------------------------------------------- redirection

export function redirectionTest(c: Collected): TestOutcome {
  const name = 'redirection'
  if (!c.http.response) return outcome(name, 'redirection-not-needed-no-http', true, { error: c.http.error ?? null })
  if (!c.http.verified) return outcome(name, 'redirection-invalid-cert', false, { route: c.http.hops.map((h) => h.url) })
  const route = c.http.hops.map((h) => new URL(h.url))
  const data = { route: c.http.hops.map((h) => `${h.status} ${h.url}`) }
  // (no host is taken to be on the HSTS preload list, so redirection-all-redirects-preloaded never applies)
  let result: ResultName
  if (route.length === 1) result = 'redirection-missing'
  else if (route.at(-1)!.protocol !== 'https:') result = 'redirection-not-to-https'
  else if (route[1]!.protocol === 'http:') result = 'redirection-not-to-https-on-initial-redirection'
  else if (route[0]!.protocol === 'http:' && route[1]!.protocol === 'https:' && route[0]!.hostname !== route[1]!.hostname)
    result = 'redirection-off-host-from-http'
  else result = 'redirection-to-https'
  return outcome(name, result, result === 'redirection-to-https', data)
}

// ---------------------------------------------------------------- referrer-policy

const REFERRER_GOOD = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']
const REFERRER_BAD = ['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade']

export function referrerPolicyTest(page: Page): TestOutcome {
  const name = 'referrer-policy'
  const http = headerValues(page.response, 'referrer-policy')
  const meta = page.equiv.get('referrer-policy') ?? []
  if (http.length === 0 && meta.length === 0) return outcome(name, 'referrer-policy-not-implemented', true)
  // the last known value wins; a meta tag comes after the header
  const data = [...http, ...meta].join(', ')
  const valid = new Set([...REFERRER_GOOD, ...REFERRER_BAD])
  const policy =
    data
      .split(',')
      .filter((e) => valid.has(e.toLowerCase().trim()))
      .reverse()[0]
      ?.toLowerCase()
      .trim() ?? ''
  const result: ResultName = REFERRER_GOOD.includes(policy)
    ? 'referrer-policy-private'
    : REFERRER_BAD.includes(policy)
      ? 'referrer-policy-unsafe'
      : 'referrer-policy-header-invalid'
  return outcome(name, result, result === 'referrer-policy-private', { header: http[0] ?? null, meta: meta[0] ?? null })
}

// ---------------------------------------------------------------- subresource-integrity

const SRI_ORDER: ResultName[] = [
  'sri-implemented-and-all-scripts-loaded-securely',
  'sri-implemented-and-external-scripts-loaded-securely',
  'sri-implemented-but-external-scripts-not-loaded-securely',
  'sri-not-implemented-but-external-scripts-loaded-securely',
  'sri-not-implemented-and-external-scripts-not-loaded-securely',
  'sri-not-implemented-response-not-html',
]

// Second-level public suffixes common enough to matter; everything else counts its last two
// labels as the registrable domain (the Observatory uses the full Public Suffix List via tldts).
const TWO_LABEL_SUFFIXES = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'me.uk',
  'ltd.uk',
  'plc.uk',
  'net.uk',
  'com.au',
  'net.au',
  'org.au',
  'edu.au',
  'gov.au',
  'co.nz',
  'org.nz',
  'co.jp',
  'ne.jp',
  'or.jp',
  'ac.jp',
  'go.jp',
  'co.in',
  'co.kr',
  'co.za',
  'com.br',
  'com.cn',
  'com.mx',
  'com.ar',
  'com.tr',
  'com.sg',
  'com.hk',
  'com.tw',
  'co.il',
  'com.pl',
  'co.id',
  'com.my',
  'com.ph',
  'com.vn',
  'com.ua',
])

/** The registrable domain ("example.co.uk" for "cdn.example.co.uk"); null for IP addresses and single labels. */
export function registrableDomain(host: string): string | null {
  const h = host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '')
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':')) return null
  const labels = h.split('.')
  if (labels.length < 2) return null
  const lastTwo = labels.slice(-2).join('.')
  if (TWO_LABEL_SUFFIXES.has(lastTwo)) return labels.length >= 3 ? labels.slice(-3).join('.') : null
  return lastTwo
}

/** script.src as a DOM reports it for a page parsed without a base URL: absolute URLs
 *  serialized, anything relative as written. */
function reflectedSrc(value: string): string {
  try {
    return new URL(value).href
  } catch {
    return value
  }
}

export function sriTest(page: Page): TestOutcome {
  const name = 'subresource-integrity'
  const mime = (firstHeader(page.response, 'content-type') ?? '').split(';')[0]!
  if (!HTML_TYPES.has(mime)) return outcome(name, 'sri-not-implemented-response-not-html', true)
  const scripts = findTags(page.body, new Set(['script']))
  if (scripts.length === 0) return outcome(name, 'sri-not-implemented-but-no-scripts-loaded', true)
  let result: ResultName | null = null
  let foreign = false
  const external: { src: string; integrity: string | null; crossorigin: string | null }[] = []
  const siteDomain = registrableDomain(page.hostname)
  for (const script of scripts) {
    const attr = script.attrs.get('src')
    if (attr === undefined) continue
    const src = reflectedSrc(attr)
    if (!src) continue
    const integrity = script.attrs.get('integrity') ?? null
    let relativeOrigin = false,
      relativeProtocol = false,
      sameDomain = false
    if (/^(\/\/)[^/]/.test(src)) {
      relativeProtocol = true
      sameDomain = true
    } else if (/^https?:\/\//.test(src)) {
      let host = ''
      try {
        host = new URL(src).hostname
      } catch {
        /* not reachable: src parsed above */
      }
      sameDomain = registrableDomain(host) === siteDomain
    } else {
      relativeOrigin = true
      sameDomain = true
    }
    const secureOrigin = relativeOrigin || (sameDomain && !relativeProtocol)
    if (!secureOrigin) foreign = true
    const scheme = !relativeProtocol && !relativeOrigin ? new URL(src).protocol : null
    const secureScheme = scheme === 'https:' || (relativeOrigin && page.sessionUrl.protocol === 'https:')
    if (!secureOrigin) {
      external.push({ src, integrity, crossorigin: script.attrs.get('crossorigin') ?? null })
      if (integrity && !secureScheme) result = worse('sri-implemented-but-external-scripts-not-loaded-securely', result, SRI_ORDER)
      else if (!integrity && secureScheme) result = worse('sri-not-implemented-but-external-scripts-loaded-securely', result, SRI_ORDER)
      else if (!integrity && !secureScheme) result = worse('sri-not-implemented-and-external-scripts-not-loaded-securely', result, SRI_ORDER)
    } else if (integrity && secureScheme && !result) {
      result = 'sri-implemented-and-all-scripts-loaded-securely'
    }
  }
  result ??= foreign ? 'sri-implemented-and-external-scripts-loaded-securely' : 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin'
  const passing: ResultName[] = [
    'sri-implemented-and-all-scripts-loaded-securely',
    'sri-implemented-and-external-scripts-loaded-securely',
    'sri-not-implemented-response-not-html',
    'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
    'sri-not-implemented-but-no-scripts-loaded',
  ]
  return outcome(name, result, passing.includes(result), { scripts: scripts.length, external })
}

// ---------------------------------------------------------------- x-content-type-options

export function xContentTypeOptionsTest(page: Page): TestOutcome {
  const name = 'x-content-type-options'
  const header = firstHeader(page.response, 'x-content-type-options')
  if (!header) return outcome(name, 'x-content-type-options-not-implemented', false)
  const ok = header.slice(0, 256).trim().toLowerCase() === 'nosniff'
  return outcome(name, ok ? 'x-content-type-options-nosniff' : 'x-content-type-options-header-invalid', ok, { header })
}

// ---------------------------------------------------------------- x-frame-options

export function xFrameOptionsTest(page: Page, csp: CspAnalysis): TestOutcome {
  const name = 'x-frame-options'
  const header = firstHeader(page.response, 'x-frame-options')
  let result: ResultName
  if (header) {
    const xfo = header.slice(0, 1024).trim().toLowerCase()
    result =
      xfo === 'deny' || xfo === 'sameorigin'
        ? 'x-frame-options-sameorigin-or-deny'
        : xfo.startsWith('allow-from')
          ? 'x-frame-options-allow-from-origin'
          : 'x-frame-options-header-invalid'
  } else {
    result = 'x-frame-options-not-implemented'
  }
  if (csp.data?.['frame-ancestors']) result = 'x-frame-options-implemented-via-csp'
  const pass = ['x-frame-options-allow-from-origin', 'x-frame-options-sameorigin-or-deny', 'x-frame-options-implemented-via-csp'].includes(result)
  return outcome(name, result, pass, { header, frameAncestors: csp.data?.['frame-ancestors'] ?? null })
}

// ---------------------------------------------------------------- cross-origin-resource-policy

export function corpTest(page: Page): TestOutcome {
  const name = 'cross-origin-resource-policy'
  const header = firstHeader(page.response, 'cross-origin-resource-policy')
  if (!header) return outcome(name, 'corp-not-implemented', true)
  const value = header.slice(0, 256).trim().toLowerCase()
  const result: ResultName =
    value === 'same-site'
      ? 'corp-implemented-with-same-site'
      : value === 'same-origin'
        ? 'corp-implemented-with-same-origin'
        : value === 'cross-origin'
          ? 'corp-implemented-with-cross-origin'
          : 'corp-header-invalid'
  return outcome(name, result, result !== 'corp-header-invalid', { header: value })
}

// ---------------------------------------------------------------- score

/** Runs the ten tests in the Observatory's order and scores them: 100 plus every modifier,
 *  where bonuses count only if 100 plus the penalties alone is at least 90. */
export function score(c: Collected): ObservatoryScore {
  const page = pageOf(c)
  const csp = cspTest(page)
  const hsts = hstsTest(c)
  const tests: TestOutcome[] = [
    csp.outcome,
    cookiesTest(c, hsts.pass),
    corsTest(c),
    redirectionTest(c),
    referrerPolicyTest(page),
    hsts,
    sriTest(page),
    xContentTypeOptionsTest(page),
    xFrameOptionsTest(page, csp),
    corpTest(page),
  ]
  const withBonuses = BASELINE + tests.reduce((sum, t) => sum + t.modifier, 0)
  const withoutBonuses = BASELINE + tests.reduce((sum, t) => sum + Math.min(t.modifier, 0), 0)
  const bonusesCounted = withoutBonuses >= MINIMUM_SCORE_FOR_EXTRA_CREDIT
  const total = Math.max(bonusesCounted ? withBonuses : withoutBonuses, 0)
  return { score: total, grade: gradeFor(total), scoreWithoutBonuses: withoutBonuses, bonusesCounted, tests }
}
