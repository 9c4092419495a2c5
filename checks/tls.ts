// `tls`: the SSL Labs rating of the target's TLS endpoint, computed here, offline, in seconds:
// probe (checks/tls/probe.ts) then rate (checks/tls/grade.ts, a pure function of the probe).

import { readFileSync } from 'node:fs'
import { resultClock, settingsSchema, type Check } from '../core/check.js'
import type { CheckResult, Detail, Figure } from '../core/results.js'
import { headings, kvDetail, tableDetail } from '../core/details.js'
import { probe } from './tls/probe.js'
import { rate, type TlsProbe, type TlsRating } from './tls/grade.js'
import { PROTOCOLS } from './tls/hello.js'

export const tls: Check = {
  id: 'tls',
  title: 'TLS configuration (SSL Labs rating)',
  group: 'Security',
  requires: ['baseUrl'],
  settings: settingsSchema({
    timeoutMs: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 3000,
      description: 'the time limit of each TLS handshake, in ms',
      'x-expected': 'a number of milliseconds',
      'x-fix': 'set timeoutMs to a number of milliseconds, e.g. 3000',
    },
  }),
  figures: [
    { name: 'grade', unit: 'grade', meaning: 'the SSL Labs rating (A+ … F, T when the certificate is not trusted)' },
    { name: 'grade_if_trusted', unit: 'grade', meaning: 'the rating were the certificate trusted' },
    { name: 'score', unit: 'count', meaning: 'the SSL Labs score (0-100)' },
    { name: 'protocol_score', unit: 'count', meaning: 'the protocol support score' },
    { name: 'key_exchange_score', unit: 'count', meaning: 'the key exchange score' },
    { name: 'cipher_score', unit: 'count', meaning: 'the cipher strength score' },
    { name: 'protocols', meaning: 'the TLS versions offered, space-separated' },
    { name: 'suites', unit: 'count', meaning: 'cipher suites offered over all versions' },
    { name: 'caps', meaning: "the rules that capped the grade ('rule→grade', or none)" },
    { name: 'days_to_expiry', unit: 'count', meaning: 'days until the leaf certificate expires' },
  ],
  async run(ctx): Promise<CheckResult> {
    const result = resultClock(tls)
    const fail = (reason: string): CheckResult => result({ status: 'error', reason, figures: {}, evidence: null })
    let url: URL
    try {
      url = new URL(String(ctx.env.baseUrl))
    } catch {
      return fail(`the target '${ctx.env.baseUrl}' is not a URL: give an https:// URL`)
    }
    if (url.protocol !== 'https:') return fail(`the target ${url.origin} is not https: the TLS check needs an https:// URL (--target https://host:port)`)
    const host = url.hostname.replace(/^\[|\]$/g, '')
    const port = Number(url.port) || 443
    let ca: string | undefined
    if (ctx.env.ca) {
      try {
        ca = readFileSync(ctx.env.ca, 'utf8')
      } catch {
        return fail(`the CA file ${ctx.env.ca} cannot be read: point ca (or --ca) at a PEM file`)
      }
    }
    const timeoutMs = typeof ctx.settings.timeoutMs === 'number' ? ctx.settings.timeoutMs : 3000
    const p = await probe({ host, port, servername: host, ca, timeoutMs, path: url.pathname || '/' })
    const offered = PROTOCOLS.filter((k) => p.protocols[k])
    if (offered.length === 0) return fail(`no TLS handshake succeeded with ${host}:${port}: is it a TLS endpoint, and reachable?`)
    const r = rate(p)
    const figures: Record<string, Figure> = {
      grade: { value: r.grade, unit: 'grade' },
      grade_if_trusted: { value: r.gradeIfTrusted, unit: 'grade' },
      score: { value: r.score, unit: 'count' },
      protocol_score: { value: r.protocolScore, unit: 'count' },
      key_exchange_score: { value: r.keyExchangeScore, unit: 'count' },
      cipher_score: { value: r.cipherScore, unit: 'count' },
      protocols: { value: offered.join(' ') },
      suites: { value: offered.reduce((a, k) => a + (p.suites[k]?.length ?? 0), 0), unit: 'count' },
      caps: { value: [...r.caps, ...r.warnings].map((c) => `${c.rule}→${c.grade}`).join(' ') || 'none' },
    }
    if (p.certificate) figures.days_to_expiry = { value: p.certificate.daysToExpiry, unit: 'count' }
    return result({
      status: 'measured',
      figures,
      evidence: {
        target: `${host}:${port}`,
        rating: { caps: r.caps, warnings: r.warnings, method: 'Qualys SSL Labs SSL Server Rating Guide 2009r' },
        protocols: p.protocols,
        suites: Object.fromEntries(offered.map((k) => [k, (p.suites[k] ?? []).map((s) => s.name)])),
        keyExchange: { dhBits: p.dhBits, curves: p.curves },
        certificate: p.certificate,
        certificatesSent: p.certificatesSent,
        secureRenegotiation: p.secureRenegotiation,
        hsts: p.hsts,
      },
      details: tlsDetails(r, p),
    })
  },
}

/** What report.html shows: the rules that cap the grade, the protocols offered, the certificate. */
export function tlsDetails(r: Pick<TlsRating, 'caps' | 'warnings'>, p: Pick<TlsProbe, 'protocols' | 'certificate'>): Detail[] {
  const caps = [...r.caps.map((c) => ({ ...c, kind: 'cap' })), ...r.warnings.map((c) => ({ ...c, kind: 'warning' }))]
  const details: Detail[] = [
    tableDetail(headings(['rule', 'rule'], ['kind', 'kind'], ['grade', 'caps the grade at', 'grade'], ['why', 'why', 'text']), caps, {
      title: 'Grade caps',
      note: caps.length ? 'Qualys SSL Labs SSL Server Rating Guide 2009r: each rule caps the grade at most at the grade shown.' : 'No rule caps the grade.',
    }),
    tableDetail(
      headings(['protocol', 'protocol'], ['offered', 'offered', 'bool']),
      Object.entries(p.protocols).map(([protocol, offered]) => ({ protocol, offered: Boolean(offered) })),
      { title: 'Protocols' },
    ),
  ]
  if (p.certificate) {
    details.push(
      kvDetail(
        Object.entries(p.certificate)
          .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
          .map(([label, value]) => ({ label, value })),
        'Certificate',
      ),
    )
  }
  return details
}
