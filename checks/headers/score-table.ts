// The MDN HTTP Observatory's score table (@mdn/mdn-http-observatory 1.4.8, algorithm version 4):
// each test result with its score modifier, plus golive's one-line fix. Modifiers are the
// published ones; the wording of the fixes is ours.

export const ALGORITHM = 'MDN HTTP Observatory 1.4.8 (algorithm version 4)'
export const BASELINE = 100
/** bonuses (positive modifiers) count only when the score without them reaches this */
export const MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90

export const TESTS = [
  'content-security-policy',
  'cookies',
  'cross-origin-resource-sharing',
  'redirection',
  'referrer-policy',
  'strict-transport-security',
  'subresource-integrity',
  'x-content-type-options',
  'x-frame-options',
  'cross-origin-resource-policy',
] as const
export type TestName = (typeof TESTS)[number]

interface Row {
  modifier: number
  fix: string
}

const ROWS = {
  // content-security-policy
  'csp-implemented-with-no-unsafe-default-src-none': { modifier: 10, fix: '' },
  'csp-implemented-with-no-unsafe': { modifier: 5, fix: "for the bonus, start from default-src 'none' and allow only what the page needs" },
  'csp-implemented-with-unsafe-inline-in-style-src-only': { modifier: 0, fix: "remove 'unsafe-inline', data: and broad sources from style-src" },
  'csp-implemented-with-insecure-scheme-in-passive-content-only': {
    modifier: -10,
    fix: 'load images and media over https: drop http: sources from img-src / media-src / default-src',
  },
  'csp-implemented-with-unsafe-eval': { modifier: -10, fix: "stop using eval() and remove 'unsafe-eval' from the CSP" },
  'csp-implemented-with-unsafe-inline': {
    modifier: -20,
    fix: "remove 'unsafe-inline' and data: from script-src (use nonces or hashes), set object-src and script-src, no broad sources like https: or *",
  },
  'csp-implemented-with-insecure-scheme': { modifier: -20, fix: 'remove http: sources from the CSP and load every resource over https' },
  'csp-header-invalid': {
    modifier: -25,
    fix: 'the CSP does not parse (repeated directive, two CSP headers, strict-dynamic without nonce/hash): send one valid policy',
  },
  'csp-not-implemented': { modifier: -25, fix: "send a Content-Security-Policy header, e.g. default-src 'self'; object-src 'none'; frame-ancestors 'none'" },
  'csp-not-implemented-but-reporting-enabled': {
    modifier: -25,
    fix: 'only Content-Security-Policy-Report-Only is sent: enforce the policy with Content-Security-Policy',
  },
  'csp-implemented-but-duplicate-directives': { modifier: 0, fix: 'report-uri / report-to appear twice: keep one of each' },
  // cookies
  'cookies-secure-with-httponly-sessions-and-samesite': { modifier: 5, fix: '' },
  'cookies-secure-with-httponly-sessions': { modifier: 0, fix: 'add SameSite=Lax or Strict to every cookie' },
  'cookies-not-found': { modifier: 0, fix: '' },
  'cookies-without-secure-flag-but-protected-by-hsts': { modifier: -5, fix: 'add the Secure flag to every cookie' },
  'cookies-session-without-secure-flag-but-protected-by-hsts': { modifier: -10, fix: 'add the Secure flag to session cookies' },
  'cookies-without-secure-flag': { modifier: -20, fix: 'add the Secure flag to every cookie and send HSTS' },
  'cookies-samesite-flag-invalid': { modifier: -20, fix: 'set SameSite to Strict or Lax (SameSite=None needs Secure)' },
  'cookies-anticsrf-without-samesite-flag': { modifier: -20, fix: 'set SameSite=Strict or Lax on anti-CSRF cookies' },
  'cookies-session-without-httponly-flag': { modifier: -30, fix: 'add HttpOnly to session cookies' },
  'cookies-session-without-secure-flag': { modifier: -40, fix: 'add Secure to session cookies and send HSTS' },
  // cross-origin-resource-sharing
  'cross-origin-resource-sharing-not-implemented': { modifier: 0, fix: '' },
  'cross-origin-resource-sharing-implemented-with-public-access': { modifier: 0, fix: '' },
  'cross-origin-resource-sharing-implemented-with-restricted-access': { modifier: 0, fix: '' },
  'cross-origin-resource-sharing-implemented-with-universal-access': {
    modifier: -50,
    fix: 'do not reflect the Origin with Access-Control-Allow-Credentials: true; allow only known origins',
  },
  // redirection
  'redirection-all-redirects-preloaded': { modifier: 0, fix: '' },
  'redirection-to-https': { modifier: 0, fix: '' },
  'redirection-not-needed-no-http': { modifier: 0, fix: '' },
  'redirection-off-host-from-http': { modifier: -5, fix: 'redirect http:// to https:// on the same host first, then to the final host' },
  'redirection-not-to-https-on-initial-redirection': { modifier: -10, fix: 'make the first redirect from http:// go to https:// on the same host' },
  'redirection-not-to-https': { modifier: -20, fix: 'make the http:// redirect chain end on an https:// URL' },
  'redirection-missing': { modifier: -20, fix: 'answer http:// with a 301 to the same host on https://' },
  'redirection-invalid-cert': { modifier: -20, fix: 'the redirect chain reaches a certificate that does not verify: install a trusted certificate' },
  // referrer-policy
  'referrer-policy-private': { modifier: 5, fix: '' },
  'referrer-policy-not-implemented': { modifier: 0, fix: 'for the bonus, send Referrer-Policy: strict-origin-when-cross-origin (or stricter)' },
  'referrer-policy-unsafe': { modifier: -5, fix: 'send Referrer-Policy: strict-origin-when-cross-origin (or stricter)' },
  'referrer-policy-header-invalid': { modifier: -5, fix: 'Referrer-Policy has no known value: send strict-origin-when-cross-origin' },
  // strict-transport-security
  'hsts-preloaded': { modifier: 5, fix: '' },
  'hsts-implemented-max-age-at-least-six-months': { modifier: 0, fix: '' },
  'hsts-implemented-max-age-less-than-six-months': { modifier: -10, fix: 'raise Strict-Transport-Security max-age to at least 15552000 (six months)' },
  'hsts-not-implemented': { modifier: -20, fix: 'send Strict-Transport-Security: max-age=31536000; includeSubDomains' },
  'hsts-header-invalid': { modifier: -20, fix: 'send one Strict-Transport-Security header with a max-age, e.g. max-age=31536000' },
  'hsts-not-implemented-no-https': { modifier: -20, fix: 'serve the site over https' },
  'hsts-invalid-cert': { modifier: -20, fix: 'HSTS needs a certificate that verifies: install a trusted certificate (or pass --ca for a private CA)' },
  // subresource-integrity
  'sri-implemented-and-all-scripts-loaded-securely': { modifier: 5, fix: '' },
  'sri-implemented-and-external-scripts-loaded-securely': { modifier: 5, fix: '' },
  'sri-not-implemented-response-not-html': { modifier: 0, fix: '' },
  'sri-not-implemented-but-no-scripts-loaded': { modifier: 0, fix: '' },
  'sri-not-implemented-but-all-scripts-loaded-from-secure-origin': { modifier: 0, fix: 'for the bonus, add integrity= to the page scripts' },
  'sri-not-implemented-but-external-scripts-loaded-securely': {
    modifier: -5,
    fix: 'add integrity="sha384-..." crossorigin="anonymous" to scripts from other sites',
  },
  'sri-implemented-but-external-scripts-not-loaded-securely': { modifier: -20, fix: 'load external scripts over https:// (not http:// or //host/...)' },
  'sri-not-implemented-and-external-scripts-not-loaded-securely': { modifier: -50, fix: 'load external scripts over https:// and add integrity= to them' },
  'html-not-parseable': { modifier: -20, fix: 'serve HTML that parses' },
  // x-content-type-options
  'x-content-type-options-nosniff': { modifier: 0, fix: '' },
  'x-content-type-options-not-implemented': { modifier: -5, fix: 'send X-Content-Type-Options: nosniff' },
  'x-content-type-options-header-invalid': { modifier: -5, fix: 'send exactly one X-Content-Type-Options: nosniff' },
  // x-frame-options
  'x-frame-options-implemented-via-csp': { modifier: 5, fix: '' },
  'x-frame-options-sameorigin-or-deny': { modifier: 0, fix: "for the bonus, add frame-ancestors 'none' (or 'self') to the CSP" },
  'x-frame-options-allow-from-origin': { modifier: 0, fix: 'ALLOW-FROM is ignored by browsers: use CSP frame-ancestors' },
  'x-frame-options-not-implemented': { modifier: -20, fix: "send CSP frame-ancestors 'none' (or X-Frame-Options: DENY)" },
  'x-frame-options-header-invalid': { modifier: -20, fix: "X-Frame-Options must be DENY or SAMEORIGIN; better, CSP frame-ancestors 'none'" },
  // cross-origin-resource-policy
  'corp-not-implemented': { modifier: 0, fix: 'for the bonus, send Cross-Origin-Resource-Policy: same-origin (or same-site)' },
  'corp-implemented-with-same-origin': { modifier: 10, fix: '' },
  'corp-implemented-with-same-site': { modifier: 10, fix: '' },
  'corp-implemented-with-cross-origin': { modifier: 0, fix: '' },
  'corp-header-invalid': { modifier: -5, fix: 'Cross-Origin-Resource-Policy must be same-origin, same-site or cross-origin' },
} satisfies Record<string, Row>

export type ResultName = keyof typeof ROWS

export function modifierOf(result: ResultName): number {
  return ROWS[result].modifier
}

export function fixFor(result: ResultName): string {
  return ROWS[result].fix
}

/** The Observatory's grade for a score: A+ from 100, A from 90, A- 85, B+ 80, B 70, B- 65,
 *  C+ 60, C 50, C- 45, D+ 40, D 30, D- 25, F below (in steps of five, rounded down). */
export function gradeFor(score: number): string {
  const s = Math.min(Math.max(score, 0) - (Math.max(score, 0) % 5), 100)
  if (s >= 100) return 'A+'
  if (s >= 90) return 'A'
  if (s >= 85) return 'A-'
  if (s >= 80) return 'B+'
  if (s >= 70) return 'B'
  if (s >= 65) return 'B-'
  if (s >= 60) return 'C+'
  if (s >= 50) return 'C'
  if (s >= 45) return 'C-'
  if (s >= 40) return 'D+'
  if (s >= 30) return 'D'
  if (s >= 25) return 'D-'
  return 'F'
}
