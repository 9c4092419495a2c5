// The network half of the headers check: the visits the Observatory's retriever makes, with
// undici. https://target and http://host:httpPort/ in parallel, each following up to ten
// redirects and keeping every hop and Set-Cookie; then a CORS preflight to the final URL.
// Certificates are verified against the system roots plus the configured CA; a chain that
// does not verify is visited again without verification and marked unverified, as the
// Observatory does (HSTS and redirection then score as "invalid certificate").
// Host rules (core/origins.ts): a redirect to an origin the environment does not list is not
// followed (the evidence says so); the environment's headers ride only to its own origin, so
// never to another host and never after an https → http downgrade.

import { rootCertificates } from 'node:tls'
import { Agent, request } from 'undici'
import { mayCarryCredentials, mayLoad, notAllowedMessage, type OriginPolicy } from '../../core/origins.js'
import type { Collected, HttpResponse, SessionRecord } from './model.js'

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 10
const MAX_BODY = 4 * 1024 * 1024
const ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
export const CORS_ORIGIN = 'https://http-observatory.security.mozilla.org'

const CERT_ERRORS = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

export interface CollectOptions {
  target: URL
  httpPort: number
  /** PEM text of an extra CA to trust */
  ca?: string
  /** headers sent on the https visits only (like the Observatory's --headers), and only to
   *  the environment's own origin */
  headers?: Record<string, string>
  /** where the visits may go and where the headers may ride; default: the target's origin and
   *  the plain-http probe's */
  policy?: OriginPolicy
  userAgent: string
  corsOrigin?: string
  timeoutMs?: number
  signal?: AbortSignal
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code
    if (typeof code === 'string' && CERT_ERRORS.has(code)) return code
    cur = (cur as { cause?: unknown }).cause
  }
  return undefined
}

export function describe(e: unknown): string {
  const parts: string[] = []
  let cur: unknown = e
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const { code, message } = cur as { code?: unknown; message?: unknown }
    const text = [typeof code === 'string' ? code : '', typeof message === 'string' ? message : ''].filter(Boolean).join(' ')
    if (text && !parts.some((p) => p.includes(text))) parts.push(text)
    cur = (cur as { cause?: unknown }).cause
  }
  return parts.join(': ') || String(e)
}

function rawHeaders(headers: Record<string, string | string[] | undefined>): [string, string][] {
  const out: [string, string][] = []
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) out.push([name.toLowerCase(), v])
  }
  return out
}

class Visitor {
  private readonly agents = new Map<boolean, Agent>()
  constructor(
    private readonly opts: CollectOptions,
    private readonly policy: OriginPolicy,
  ) {}

  /** The headers of one request: the environment's credentials only where they belong. */
  private headersFor(url: URL, base: Record<string, string>, creds: Record<string, string>): Record<string, string> {
    return mayCarryCredentials(this.policy, url) ? { ...base, ...creds } : base
  }

  agent(verify: boolean): Agent {
    let a = this.agents.get(verify)
    if (!a) {
      const ca = this.opts.ca ? [...rootCertificates, this.opts.ca] : undefined
      const timeout = this.opts.timeoutMs ?? 10_000
      a = new Agent({ connect: { rejectUnauthorized: verify, ...(ca ? { ca } : {}), timeout }, headersTimeout: timeout, bodyTimeout: timeout })
      this.agents.set(verify, a)
    }
    return a
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close().catch(() => {})))
  }

  async fetch(url: URL, method: 'GET' | 'OPTIONS', headers: Record<string, string>, verify: boolean, keepBody: boolean): Promise<HttpResponse> {
    const signal = this.opts.signal
      ? AbortSignal.any([this.opts.signal, AbortSignal.timeout(this.opts.timeoutMs ?? 10_000)])
      : AbortSignal.timeout(this.opts.timeoutMs ?? 10_000)
    const res = await request(url, { method, headers, dispatcher: this.agent(verify), signal })
    const response: HttpResponse = { url: url.href, status: res.statusCode, rawHeaders: rawHeaders(res.headers) }
    if (keepBody) {
      let size = 0
      const chunks: Buffer[] = []
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length
        if (size > MAX_BODY) {
          res.body.destroy()
          break
        }
        chunks.push(chunk as Buffer)
      }
      response.body = Buffer.concat(chunks).toString('utf8')
    } else {
      await res.body.dump().catch(() => {})
    }
    return response
  }

  /** A GET that follows redirects, recording every hop; on a certificate error the whole
   *  visit is repeated without verification. */
  async visit(start: URL, headers: Record<string, string>, creds: Record<string, string>, keepBody: boolean): Promise<SessionRecord> {
    try {
      return await this.chain(start, headers, creds, true, keepBody)
    } catch (e) {
      const code = errorCode(e)
      if (code) {
        try {
          return { ...(await this.chain(start, headers, creds, false, keepBody)), error: `certificate not trusted (${code}): ${describe(e)}` }
        } catch (e2) {
          return { url: start.href, hops: [], response: null, verified: false, setCookies: [], error: describe(e2) }
        }
      }
      return { url: start.href, hops: [], response: null, verified: true, setCookies: [], error: describe(e) }
    }
  }

  private async chain(start: URL, headers: Record<string, string>, creds: Record<string, string>, verify: boolean, keepBody: boolean): Promise<SessionRecord> {
    const record: SessionRecord = { url: start.href, hops: [], response: null, verified: verify, setCookies: [] }
    let url = start
    for (let redirects = 0; ; redirects++) {
      const res = await this.fetch(url, 'GET', this.headersFor(url, headers, creds), verify, true)
      record.hops.push({ url: url.href, status: res.status })
      for (const [n, v] of res.rawHeaders) if (n === 'set-cookie') record.setCookies.push({ url: url.href, header: v })
      const location = res.rawHeaders.find(([n]) => n === 'location')?.[1]
      if (redirects < MAX_REDIRECTS && REDIRECTS.has(res.status) && location !== undefined) {
        const next = new URL(location, url)
        if (mayLoad(this.policy, next)) {
          url = next
          continue
        }
        // the chain ends at this redirect: golive does not visit hosts the environment does not list
        record.notFollowed = { url: next.href, reason: notAllowedMessage(next) }
      }
      if (!keepBody) delete res.body
      record.response = res
      return record
    }
  }

  /** The CORS preflight: OPTIONS with Origin, following redirects; kept only when it answers 2xx. */
  async preflight(start: URL, headers: Record<string, string>, creds: Record<string, string>, verify: boolean): Promise<HttpResponse | null> {
    try {
      let url = start
      for (let redirects = 0; ; redirects++) {
        if (!mayLoad(this.policy, url)) return null
        const res = await this.fetch(url, 'OPTIONS', this.headersFor(url, headers, creds), verify, false)
        const location = res.rawHeaders.find(([n]) => n === 'location')?.[1]
        if (redirects < MAX_REDIRECTS && REDIRECTS.has(res.status) && location !== undefined) {
          url = new URL(location, url)
          continue
        }
        return res.status >= 200 && res.status < 300 ? res : null
      }
    } catch {
      return null
    }
  }
}

export async function collect(opts: CollectOptions): Promise<Collected> {
  const base = { Accept: ACCEPT, 'User-Agent': opts.userAgent }
  const httpUrl = new URL(opts.target.href)
  httpUrl.protocol = 'http:'
  httpUrl.port = String(opts.httpPort)
  const policy = opts.policy ?? { home: opts.target.origin, allowed: new Set([opts.target.origin, httpUrl.origin]) }
  const visitor = new Visitor(opts, policy)
  const creds = opts.headers ?? {}
  try {
    const [https, http] = await Promise.all([
      visitor.visit(opts.target, base, creds, true),
      // the plain-http probe never carries the environment's headers, whatever the policy says
      visitor.visit(httpUrl, base, {}, false),
    ])
    const corsOrigin = opts.corsOrigin ?? CORS_ORIGIN
    const last = https.hops.at(-1)?.url ?? https.url
    const cors = https.response
      ? await visitor.preflight(new URL(last), { ...base, 'Access-Control-Request-Method': 'GET', Origin: corsOrigin }, creds, https.verified)
      : null
    return { target: opts.target.href, https, http, cors, corsOrigin }
  } finally {
    await visitor.close()
  }
}
