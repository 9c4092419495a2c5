// The header sets the headers check is tested against, each with the score and grade worked
// out by hand from the MDN HTTP Observatory 1.4.8 score table (baseline 100; bonuses count
// only when 100 plus the penalties is at least 90; grade steps of five). Modifiers per test
// are listed in each case's `tests` in the Observatory's test order.

import type { HeaderCase } from './headers-nginx.js'

export interface CorpusCase extends HeaderCase {
  score: number
  grade: string
  /** expected result per test (only the ones the case is about) */
  results: Record<string, string>
  /** the arithmetic, for people */
  why: string
}

const PAGE = (scripts = '') => `<!doctype html><html><head><meta charset="utf-8"><title>golive</title>${scripts}</head><body><p>hello</p></body></html>\n`
const SRI = 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC'
const HSTS: [string, string] = ['Strict-Transport-Security', 'max-age=63072000; includeSubDomains']
const NOSNIFF: [string, string] = ['X-Content-Type-Options', 'nosniff']

export const CORPUS: CorpusCase[] = [
  {
    name: 'strong',
    headers: [
      [
        'Content-Security-Policy',
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      ],
      HSTS,
      NOSNIFF,
      ['Referrer-Policy', 'no-referrer'],
      ['Cross-Origin-Resource-Policy', 'same-origin'],
      ['Permissions-Policy', 'camera=(), microphone=(), geolocation=()'],
      ['X-Frame-Options', 'DENY'],
      ['Set-Cookie', 'sessionid=abc123; Path=/; Secure; HttpOnly; SameSite=Strict'],
    ],
    html: PAGE(`<script src="/app.js" integrity="${SRI}"></script>`),
    // no penalties (100 >= 90, bonuses count): csp default-src none +10, cookies +5, referrer +5,
    // sri same-origin with integrity +5, xfo via frame-ancestors +5, corp +10 → 140
    score: 140,
    grade: 'A+',
    why: '100 + 10 (CSP default-src none) + 5 (cookies) + 5 (referrer) + 5 (SRI) + 5 (frame-ancestors) + 10 (CORP)',
    results: {
      'content-security-policy': 'csp-implemented-with-no-unsafe-default-src-none',
      cookies: 'cookies-secure-with-httponly-sessions-and-samesite',
      redirection: 'redirection-to-https',
      'subresource-integrity': 'sri-implemented-and-all-scripts-loaded-securely',
      'x-frame-options': 'x-frame-options-implemented-via-csp',
      'cross-origin-resource-policy': 'corp-implemented-with-same-origin',
    },
  },
  {
    name: 'typical-unsafe-inline',
    headers: [
      ['Content-Security-Policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'"],
      HSTS,
      NOSNIFF,
      ['X-Frame-Options', 'SAMEORIGIN'],
      ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ],
    html: PAGE('<script src="/app.js"></script><script>console.log(1)</script>'),
    // csp unsafe-inline -20 → 80 < 90 so the referrer bonus (+5) does not count → 80
    score: 80,
    grade: 'B+',
    why: '100 - 20 (unsafe-inline); referrer +5 not counted because 80 < 90',
    results: {
      'content-security-policy': 'csp-implemented-with-unsafe-inline',
      'referrer-policy': 'referrer-policy-private',
      'subresource-integrity': 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
      'x-frame-options': 'x-frame-options-sameorigin-or-deny',
    },
  },
  {
    name: 'report-only-csp',
    headers: [
      ['Content-Security-Policy-Report-Only', "default-src 'self'; report-uri /csp"],
      HSTS,
      NOSNIFF,
      ['X-Frame-Options', 'DENY'],
      ['Referrer-Policy', 'no-referrer'],
    ],
    html: PAGE(),
    // csp -25 (report-only is not enforcement) → 75
    score: 75,
    grade: 'B',
    why: '100 - 25 (report-only CSP); referrer +5 not counted',
    results: {
      'content-security-policy': 'csp-not-implemented-but-reporting-enabled',
      'subresource-integrity': 'sri-not-implemented-but-no-scripts-loaded',
    },
  },
  {
    name: 'insecure-cookies',
    headers: [
      ['Content-Security-Policy', "default-src 'self'; frame-ancestors 'self'"],
      HSTS,
      NOSNIFF,
      ['Set-Cookie', 'sessionid=abc123; Path=/'],
      ['Set-Cookie', 'csrftoken=xyz; Path=/; Secure'],
    ],
    html: PAGE(),
    // cookies: the worst of session-without-httponly (-30), session-without-secure-but-hsts (-10),
    // anti-csrf-without-samesite (-20), without-secure-but-hsts (-5) is -30 → 70; bonuses not counted
    score: 70,
    grade: 'B',
    why: '100 - 30 (session cookie without HttpOnly); CSP +5 and frame-ancestors +5 not counted',
    results: {
      'content-security-policy': 'csp-implemented-with-no-unsafe',
      cookies: 'cookies-session-without-httponly-flag',
      'x-frame-options': 'x-frame-options-implemented-via-csp',
    },
  },
  {
    name: 'missing-redirect',
    http: 'serve',
    headers: [
      ['Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'self'"],
      HSTS,
      NOSNIFF,
      ['X-Frame-Options', 'DENY'],
      ['Referrer-Policy', 'no-referrer'],
    ],
    html: PAGE(),
    // redirection -20 → 80; csp default-src none +10 and referrer +5 not counted
    score: 80,
    grade: 'B+',
    why: '100 - 20 (http answers without redirecting to https)',
    results: { redirection: 'redirection-missing', 'content-security-policy': 'csp-implemented-with-no-unsafe-default-src-none' },
  },
  {
    name: 'external-script-without-sri',
    headers: [
      ['Content-Security-Policy', "default-src 'none'; script-src 'self' https://cdn.example.com; frame-ancestors 'none'"],
      HSTS,
      NOSNIFF,
      ['Referrer-Policy', 'no-referrer'],
      ['Cross-Origin-Resource-Policy', 'same-site'],
    ],
    html: PAGE('<script src="https://cdn.example.com/lib.js" crossorigin="anonymous"></script>'),
    // sri -5 → 95 >= 90 so bonuses count: +10 csp, +5 referrer, +5 frame-ancestors, +10 corp → 125
    score: 125,
    grade: 'A+',
    why: '100 - 5 (external script without SRI) = 95 >= 90, so + 10 + 5 + 5 + 10',
    results: { 'subresource-integrity': 'sri-not-implemented-but-external-scripts-loaded-securely' },
  },
  {
    name: 'external-script-with-sri',
    headers: [
      ['Content-Security-Policy', "default-src 'none'; script-src 'self' https://cdn.example.com; frame-ancestors 'none'"],
      HSTS,
      NOSNIFF,
      ['Referrer-Policy', 'no-referrer'],
      ['Cross-Origin-Resource-Policy', 'same-site'],
    ],
    html: PAGE(`<script src="https://cdn.example.com/lib.js" integrity="${SRI}" crossorigin="anonymous"></script>`),
    // no penalties: +10 csp, +5 referrer, +5 sri, +5 frame-ancestors, +10 corp → 135
    score: 135,
    grade: 'A+',
    why: '100 + 10 + 5 + 5 (SRI on the external script) + 5 + 10',
    results: { 'subresource-integrity': 'sri-implemented-and-external-scripts-loaded-securely' },
  },
  {
    name: 'external-script-over-http',
    headers: [
      ['Content-Security-Policy', "default-src 'none'; script-src 'self' https://cdn.example.com; frame-ancestors 'none'"],
      HSTS,
      NOSNIFF,
      ['Referrer-Policy', 'no-referrer'],
    ],
    html: PAGE('<script src="http://cdn.example.com/lib.js"></script>'),
    // sri -50 → 50; bonuses not counted
    score: 50,
    grade: 'C',
    why: '100 - 50 (external script over http without SRI)',
    results: { 'subresource-integrity': 'sri-not-implemented-and-external-scripts-not-loaded-securely' },
  },
  {
    name: 'no-headers',
    headers: [],
    html: PAGE(),
    // csp -25, hsts -20, xcto -5, xfo -20 → 30
    score: 30,
    grade: 'D',
    why: '100 - 25 (no CSP) - 20 (no HSTS) - 5 (no X-Content-Type-Options) - 20 (no X-Frame-Options)',
    results: {
      'content-security-policy': 'csp-not-implemented',
      'strict-transport-security': 'hsts-not-implemented',
      'x-content-type-options': 'x-content-type-options-not-implemented',
      'x-frame-options': 'x-frame-options-not-implemented',
      'referrer-policy': 'referrer-policy-not-implemented',
      cookies: 'cookies-not-found',
    },
  },
  {
    name: 'csp-sent-twice-short-hsts',
    headers: [
      ['Content-Security-Policy', "default-src 'self'"],
      ['Content-Security-Policy', "script-src 'self'; default-src 'none'"],
      ['Strict-Transport-Security', 'max-age=86400'],
      NOSNIFF,
      ['X-Frame-Options', 'DENY'],
    ],
    html: PAGE(),
    // two CSP headers reach the Observatory joined with ', ' as ONE policy:
    // "default-src 'self', script-src 'self'; default-src 'none'" repeats default-src
    // → csp-header-invalid -25; hsts under six months -10 → 65
    score: 65,
    grade: 'B-',
    why: '100 - 25 (CSP sent twice: invalid) - 10 (HSTS max-age under six months)',
    results: {
      'content-security-policy': 'csp-header-invalid',
      'strict-transport-security': 'hsts-implemented-max-age-less-than-six-months',
    },
  },
  {
    name: 'cors-reflects-origin-with-credentials',
    headers: [
      ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
      HSTS,
      NOSNIFF,
      ['Referrer-Policy', 'no-referrer'],
      ['Access-Control-Allow-Origin', '$http_origin'],
      ['Access-Control-Allow-Credentials', 'true'],
    ],
    extra: '    if ($request_method = OPTIONS) { return 204; }',
    html: PAGE(),
    // the preflight's Origin comes back with credentials allowed. The table's universal-access
    // (-50) is never reached by 1.4.8 (checked against the package itself): it rates this
    // restricted-access (0). No penalties → 100 + 10 (csp) + 5 (referrer) + 5 (frame-ancestors) = 120;
    // the reflection is its own figure, cors_origin_reflected_with_credentials = 1
    score: 120,
    grade: 'A+',
    why: '100 + 10 + 5 + 5; the reflected Origin scores 0 in 1.4.8 and is reported as its own figure',
    results: { 'cross-origin-resource-sharing': 'cross-origin-resource-sharing-implemented-with-restricted-access' },
  },
]
