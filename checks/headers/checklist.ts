// The six headers securityheaders.com checks, each present, missing or weak with its fix.
// Judged from the same collection as the Observatory score, with the Observatory's verdicts
// on each header where it has one.

import { type HttpResponse, firstHeader } from './model.js'
import type { TestOutcome } from './observatory.js'

export interface ChecklistRow {
  header: string
  status: 'present' | 'missing' | 'weak'
  value: string | null
  /** what to change; empty when nothing */
  fix: string
}

const WEAK_CSP: string[] = [
  'csp-implemented-with-unsafe-inline',
  'csp-implemented-with-unsafe-eval',
  'csp-implemented-with-insecure-scheme',
  'csp-implemented-with-insecure-scheme-in-passive-content-only',
]

function clip(v: string | null): string | null {
  return v === null ? null : v.length > 200 ? `${v.slice(0, 200)}…` : v
}

export function checklist(response: HttpResponse, tests: TestOutcome[]): ChecklistRow[] {
  const result = (name: string) => tests.find((t) => t.name === name)?.result ?? ''
  const rows: ChecklistRow[] = []

  const hsts = firstHeader(response, 'strict-transport-security')
  const hstsResult = result('strict-transport-security')
  rows.push(
    hsts === null
      ? { header: 'Strict-Transport-Security', status: 'missing', value: null, fix: 'add Strict-Transport-Security: max-age=31536000; includeSubDomains' }
      : hstsResult === 'hsts-implemented-max-age-at-least-six-months'
        ? { header: 'Strict-Transport-Security', status: 'present', value: clip(hsts), fix: '' }
        : {
            header: 'Strict-Transport-Security',
            status: 'weak',
            value: clip(hsts),
            fix:
              hstsResult === 'hsts-invalid-cert'
                ? 'the certificate does not verify, so browsers ignore HSTS: install a trusted certificate'
                : 'send one header with max-age of at least 15552000 (six months), e.g. max-age=31536000; includeSubDomains',
          },
  )

  const csp = firstHeader(response, 'content-security-policy')
  const cspResult = result('content-security-policy')
  const reportOnly = firstHeader(response, 'content-security-policy-report-only')
  // a <meta http-equiv> policy the score credits is a CSP too: say where it came from, never "missing"
  const cspTest = tests.find((t) => t.name === 'content-security-policy')
  const metaCsp = ((cspTest?.data as { meta?: string[] } | undefined)?.meta ?? []).join('; ')
  const credited = cspResult !== '' && !cspResult.startsWith('csp-not-implemented') && cspResult !== 'csp-header-invalid'
  if (csp === null && metaCsp && credited) {
    const weak = WEAK_CSP.includes(cspResult)
    rows.push({
      header: 'Content-Security-Policy',
      status: weak ? 'weak' : 'present',
      value: clip(`<meta http-equiv> ${metaCsp}`),
      fix: weak ? cspTest!.fix : '',
    })
  } else if (csp === null) {
    rows.push({
      header: 'Content-Security-Policy',
      status: 'missing',
      value: null,
      fix: reportOnly
        ? 'only Content-Security-Policy-Report-Only is sent: enforce it as Content-Security-Policy'
        : "add Content-Security-Policy, e.g. default-src 'self'; object-src 'none'; frame-ancestors 'none'",
    })
  } else {
    const weak = WEAK_CSP.includes(cspResult) || cspResult === 'csp-header-invalid'
    rows.push({
      header: 'Content-Security-Policy',
      status: weak ? 'weak' : 'present',
      value: clip(csp),
      fix: weak ? tests.find((t) => t.name === 'content-security-policy')!.fix : '',
    })
  }

  const xfo = firstHeader(response, 'x-frame-options')
  const xfoResult = result('x-frame-options')
  if (xfo === null) {
    rows.push(
      xfoResult === 'x-frame-options-implemented-via-csp'
        ? { header: 'X-Frame-Options', status: 'present', value: 'CSP frame-ancestors', fix: '' }
        : { header: 'X-Frame-Options', status: 'missing', value: null, fix: "add X-Frame-Options: DENY (or CSP frame-ancestors 'none')" },
    )
  } else {
    const ok = ['deny', 'sameorigin'].includes(xfo.trim().toLowerCase()) || xfoResult === 'x-frame-options-implemented-via-csp'
    rows.push({
      header: 'X-Frame-Options',
      status: ok ? 'present' : 'weak',
      value: clip(xfo),
      fix: ok ? '' : 'X-Frame-Options must be DENY or SAMEORIGIN (ALLOW-FROM is ignored by browsers)',
    })
  }

  const xcto = firstHeader(response, 'x-content-type-options')
  rows.push(
    xcto === null
      ? { header: 'X-Content-Type-Options', status: 'missing', value: null, fix: 'add X-Content-Type-Options: nosniff' }
      : xcto.trim().toLowerCase() === 'nosniff'
        ? { header: 'X-Content-Type-Options', status: 'present', value: clip(xcto), fix: '' }
        : { header: 'X-Content-Type-Options', status: 'weak', value: clip(xcto), fix: 'the only value is nosniff, sent once' },
  )

  const referrer = firstHeader(response, 'referrer-policy')
  const refResult = result('referrer-policy')
  rows.push(
    referrer === null
      ? { header: 'Referrer-Policy', status: 'missing', value: null, fix: 'add Referrer-Policy: strict-origin-when-cross-origin' }
      : refResult === 'referrer-policy-private'
        ? { header: 'Referrer-Policy', status: 'present', value: clip(referrer), fix: '' }
        : {
            header: 'Referrer-Policy',
            status: 'weak',
            value: clip(referrer),
            fix: 'use strict-origin-when-cross-origin, strict-origin, same-origin or no-referrer',
          },
  )

  const permissions = firstHeader(response, 'permissions-policy')
  const featurePolicy = firstHeader(response, 'feature-policy')
  rows.push(
    permissions !== null && permissions.trim() !== ''
      ? { header: 'Permissions-Policy', status: 'present', value: clip(permissions), fix: '' }
      : featurePolicy !== null
        ? {
            header: 'Permissions-Policy',
            status: 'weak',
            value: clip(featurePolicy),
            fix: 'Feature-Policy is superseded: send Permissions-Policy, e.g. camera=(), microphone=(), geolocation=()',
          }
        : { header: 'Permissions-Policy', status: 'missing', value: null, fix: 'add Permissions-Policy, e.g. camera=(), microphone=(), geolocation=()' },
  )
  return rows
}
