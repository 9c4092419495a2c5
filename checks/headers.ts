// The `headers` check: the MDN HTTP Observatory score and grade for the target, computed
// locally by the published method (@mdn/mdn-http-observatory 1.4.8, algorithm version 4),
// plus the six-header checklist people know from securityheaders.com. It measures; gates
// (e.g. 'headers.grade >= A') judge.
//
// Collection (checks/headers/collect.ts) talks to the network; the score
// (checks/headers/observatory.ts) is a pure function of what was collected.

import { resultClock, settingsSchema, targetOf, type Check, type CheckContext } from '../core/check.js'
import type { CheckTarget } from '../core/target.js'
import { userAgentOf } from '../core/user-agent.js'
import type { CheckResult, Detail, Figure } from '../core/results.js'
import { headings, listDetail, tableDetail } from '../core/details.js'
import { checklist } from './headers/checklist.js'
import { CORS_ORIGIN, collect } from './headers/collect.js'
import type { Collected } from './headers/model.js'
import { corsReflectsOrigin, score } from './headers/observatory.js'
import { ALGORITHM } from './headers/score-table.js'

const clip = (v: string, n = 300) => (v.length > n ? `${v.slice(0, n)}…` : v)
/** A Set-Cookie header without its value: cookies of a real session have no place in results.json. */
const redactCookie = (v: string) => v.replace(/^([^=;]*)=[^;]*/, '$1=<redacted>')

/** The figures and evidence for a collection: pure, so tests and `--from` re-scoring use it too. */
export function measureHeaders(c: Collected): { figures: Record<string, Figure>; evidence: Record<string, unknown>; details: Detail[] } {
  const s = score(c)
  const response = c.https.response!
  const rows = checklist(response, s.tests)
  const figures: Record<string, Figure> = {
    grade: { value: s.grade, unit: 'grade' },
    score: { value: s.score, unit: 'count' },
    tests_passed: { value: s.tests.filter((t) => t.pass).length, unit: 'count' },
    tests_failed: { value: s.tests.filter((t) => !t.pass).length, unit: 'count' },
    missing_headers: { value: rows.filter((r) => r.status === 'missing').length, unit: 'count' },
    weak_headers: { value: rows.filter((r) => r.status === 'weak').length, unit: 'count' },
    cors_origin_reflected_with_credentials: { value: corsReflectsOrigin(c) ? 1 : 0, unit: 'count' },
  }
  for (const t of s.tests) figures[`test.${t.name}`] = { value: t.modifier, unit: 'count' }
  const notes = [
    'the HSTS preload list is not consulted: a host on it would get hsts-preloaded (+5) instead of its header result',
    'registrable domains for subresource-integrity come from a short built-in suffix list, not the full Public Suffix List',
  ]
  if (corsReflectsOrigin(c))
    notes.unshift(
      `CORS: the preflight's Origin (${c.corsOrigin}) is reflected with Access-Control-Allow-Credentials: true, ` +
        "so any site can read responses with the user's cookies; the Observatory's table rates this -50 (universal access) " +
        'but 1.4.8 never detects it and neither does this score: fix it anyway (allow only known origins), ' +
        'and gate on headers.cors_origin_reflected_with_credentials == 0',
    )
  for (const [visit, r] of [
    ['https', c.https],
    ['http', c.http],
  ] as const) {
    if (r.notFollowed)
      notes.unshift(`the ${visit} visit's redirect to ${r.notFollowed.url} was not followed: ${r.notFollowed.reason}; the chain is scored as it stands`)
  }
  if (!c.https.verified)
    notes.unshift(
      `the certificate did not verify (${c.https.error ?? 'unknown'}): scored as the Observatory scores an invalid chain; pass --ca FILE if a private CA signed it`,
    )
  const evidence = {
    algorithm: ALGORITHM,
    target: c.target,
    finalUrl: c.https.hops.at(-1)?.url ?? c.target,
    status: response.status,
    score: s.score,
    scoreWithoutBonuses: s.scoreWithoutBonuses,
    bonusesCounted: s.bonusesCounted,
    tests: s.tests.map((t) => ({
      test: t.name,
      result: t.result,
      modifier: t.modifier,
      pass: t.pass,
      fix: t.fix,
      ...(t.data === undefined ? {} : { data: t.data }),
    })),
    checklist: rows,
    responseHeaders: response.rawHeaders.map(([name, value]) => ({ name, value: clip(name === 'set-cookie' ? redactCookie(value) : value) })),
    redirects: {
      https: c.https.hops,
      http: c.http.response ? c.http.hops : null,
      ...(c.http.response ? {} : { httpError: c.http.error ?? 'no answer' }),
      ...(c.https.notFollowed ? { httpsNotFollowed: c.https.notFollowed } : {}),
      ...(c.http.notFollowed ? { httpNotFollowed: c.http.notFollowed } : {}),
    },
    cors: c.cors ? { origin: c.corsOrigin, status: c.cors.status } : { origin: c.corsOrigin, status: null },
    certificateVerified: c.https.verified,
    notes,
  }
  const details: Detail[] = [
    tableDetail(
      headings(['test', 'test'], ['result', 'result', 'code'], ['modifier', 'modifier', 'number'], ['pass', 'pass', 'bool'], ['fix', 'fix', 'text']),
      evidence.tests,
      { title: 'Observatory tests', note: `${ALGORITHM}: score ${s.score}, baseline 100 plus each test's modifier.` },
    ),
    tableDetail(headings(['header', 'header'], ['status', 'status'], ['value', 'value', 'code'], ['fix', 'fix', 'text']), rows, { title: 'Header checklist' }),
    tableDetail([...headings(['name', 'name', 'code']), { key: 'value', label: 'value', unit: 'code', name: 'header-value' }], evidence.responseHeaders, {
      title: 'Response headers seen',
    }),
    listDetail(notes, 'Notes'),
  ]
  return { figures, evidence, details }
}

function httpPortOf(settings: Record<string, unknown>): number {
  const v = settings.httpPort
  if (v === undefined) return 80
  const n = typeof v === 'string' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`checks.headers.httpPort must be a port number (1-65535), got ${JSON.stringify(v)}`)
  }
  return n
}

export const headers: Check = {
  id: 'headers',
  title: 'Security headers (MDN HTTP Observatory grade)',
  group: 'Security',
  requires: ['baseUrl'],
  settings: settingsSchema({
    httpPort: {
      anyOf: [
        {
          type: 'integer',
          minimum: 1,
          maximum: 65535,
          'x-expected': 'a port number (1-65535)',
          'x-fix': 'set httpPort to the port plain http listens on, e.g. 80',
        },
        { type: 'string', pattern: '^[0-9]+$', 'x-expected': 'a port number (1-65535)', 'x-fix': 'set httpPort to the port plain http listens on, e.g. 80' },
      ],
      default: 80,
      description: 'the plain-http port the redirect to https is probed on (golive check headers --http-port)',
      'x-expected': 'a port number (1-65535)',
      'x-fix': 'set httpPort to the port plain http listens on, e.g. 80',
    },
    corsOrigin: {
      type: 'string',
      default: CORS_ORIGIN,
      description: "the Origin of the CORS preflight that tests whether any site's origin is reflected with credentials",
      'x-expected': 'an origin (https://host)',
      'x-fix': "set corsOrigin to an origin your site does not trust, e.g. 'https://evil.example'",
    },
  }),
  figures: [
    { name: 'grade', unit: 'grade', meaning: 'the MDN HTTP Observatory grade (A+ … F)' },
    { name: 'score', unit: 'count', meaning: 'the Observatory score (100 + modifiers, not below 0)' },
    { name: 'tests_passed', unit: 'count', meaning: 'Observatory tests passed' },
    { name: 'tests_failed', unit: 'count', meaning: 'Observatory tests failed' },
    { name: 'missing_headers', unit: 'count', meaning: 'security headers absent' },
    { name: 'weak_headers', unit: 'count', meaning: 'security headers present but weak' },
    { name: 'cors_origin_reflected_with_credentials', unit: 'count', meaning: "1 when the preflight's Origin is reflected with Allow-Credentials: true" },
    { name: 'test.<test>', unit: 'count', meaning: "one Observatory test's score modifier" },
  ],
  async run(ctx: CheckContext): Promise<CheckResult> {
    const result = resultClock(headers)
    const fail = (reason: string, evidence: unknown = null): CheckResult => result({ status: 'error', reason, figures: {}, evidence })

    let target: URL
    try {
      target = new URL(ctx.env.baseUrl)
    } catch {
      return fail(`the target '${ctx.env.baseUrl}' is not a URL: give --target https://HOST[:PORT]`)
    }
    if (target.protocol !== 'https:') {
      return fail(
        `the target ${target.href} is not https: the Observatory grades the https site (HSTS, cookies, redirect from http); ` +
          `give --target https://${target.host}${target.pathname === '/' ? '' : target.pathname} (and --http-port for the plain-http port)`,
      )
    }
    let httpPort: number
    try {
      httpPort = httpPortOf(ctx.settings)
    } catch (e) {
      return fail((e as Error).message)
    }
    // the page a signed-in user gets: the environment's headers and auth ride on the https
    // visits to its own origin (never on the plain-http probe, another host or a downgrade)
    let t: CheckTarget | undefined
    try {
      t = targetOf(ctx)
    } catch (e) {
      return fail(`${(e as Error).message} (--ca, or environments.${ctx.envName}.ca)`)
    }
    if (!t) return fail(`the target '${ctx.env.baseUrl}' is not a URL: give --target https://HOST[:PORT]`)
    ctx.log(`headers: visiting ${target.href} and http://${target.hostname}:${httpPort}/`)
    // where the visits may go: the environment's hosts, plus this check's own plain-http probe
    const probe = new URL(target.href)
    probe.protocol = 'http:'
    probe.port = String(httpPort)
    const policy = { home: t.policy.home, allowed: new Set([...t.policy.allowed, probe.origin]) }
    const collected = await collect({
      policy,
      target,
      httpPort,
      ...(t.ca !== undefined ? { ca: t.ca } : {}),
      headers: t.headers,
      userAgent: userAgentOf(ctx.env, 'headers check'),
      corsOrigin: typeof ctx.settings.corsOrigin === 'string' ? ctx.settings.corsOrigin : CORS_ORIGIN,
      signal: ctx.signal,
    })
    const res = collected.https.response
    if (!res) {
      return fail(
        `could not fetch ${target.href}: ${collected.https.error ?? 'no answer'}; check the target is up and serves TLS on that port (--target https://HOST:PORT)`,
        { target: target.href, error: collected.https.error ?? null },
      )
    }
    // the Observatory scores pages that answer 2xx, 3xx, 401 or 403
    if (res.status < 200 || (res.status >= 400 && res.status !== 401 && res.status !== 403)) {
      return fail(
        `${res.url} answered ${res.status}: the Observatory grades only pages answering 2xx, 3xx, 401 or 403; point --target at a page that answers`,
        { target: target.href, redirects: collected.https.hops },
      )
    }
    const { figures, evidence, details } = measureHeaders(collected)
    ctx.log(`headers: ${figures.grade!.value} (${figures.score!.value})`)
    return result({ status: 'measured', figures, evidence, details })
  },
}
