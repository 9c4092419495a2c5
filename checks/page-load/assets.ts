// The asset audit: from the resources one page load fetched (as Chromium reported them) to the
// findings a person fixes and the counts gates judge. Pure, so the unit tests and a re-scoring use
// the code a live run uses. Anchors: Lighthouse's uses-long-cache-ttl, uses-text-compression and
// uses-http2 audits; where golive decides differently, the comment says why.

/** One response of the page load, as the collector (assets-collect.ts) read it from CDP. */
export interface CollectedResource {
  url: string
  /** Chromium's resource type: Document, Stylesheet, Script, Image, Font, Media, XHR, Fetch, Other, ... */
  type: string
  status: number
  /** the protocol Chromium reports for the response: 'h2', 'h3', 'http/1.1', 'http/1.0' */
  protocol: string
  mimeType: string
  /** response headers, names lower-case (several values of one header joined by '\n', as CDP does) */
  headers: Record<string, string>
  /** bytes on the wire, headers included (CDP loadingFinished.encodedDataLength) */
  transferBytes: number
  /** the body after decoding (the sum of CDP dataReceived.dataLength) */
  bodyBytes: number
  /** answered from the browser's memory or disk cache: nothing crossed the network */
  fromCache: boolean
  /** Chromium's renderBlockingStatus for it (Resource Timing) */
  renderBlocking: boolean
  /** for an uncompressed text response: its body gzipped here (level 6), to see what compression saves */
  gzipBytes?: number
  /** when the response arrived (ms since the epoch): the clock an Expires date is read against when there is no Date */
  receivedAt: number
}

/** the counts' names, for the check's figure declaration (keyof cannot be listed at run time) */
export const ASSET_COUNTS = [
  'requests',
  'static',
  'uncached',
  'uncompressed',
  'http1_requests',
  'bytes_total',
  'image_bytes',
  'render_blocking',
  'cdn',
] as const satisfies readonly (keyof AssetAudit['counts'])[]

export type FindingKind = 'cache' | 'compression' | 'http1' | 'render-blocking'
export interface AssetFinding {
  url: string
  type: string
  kind: FindingKind
  problem: string
  fix: string
}

export interface CdnSignals {
  age?: string
  via?: string
  'x-cache'?: string
  'cf-cache-status'?: string
}

export interface AuditedResource {
  url: string
  type: string
  status: number
  protocol: string
  transferBytes: number
  bodyBytes: number
  cacheControl: string | null
  lifetimeSeconds: number | null
  hashed: boolean
  static: boolean
  encoding: string | null
  renderBlocking: boolean
  cdn: CdnSignals | null
  fromCache: boolean
}

export interface AssetAudit {
  counts: {
    requests: number
    static: number
    uncached: number
    uncompressed: number
    http1_requests: number
    bytes_total: number
    image_bytes: number
    render_blocking: number
    cdn: number
  }
  findings: AssetFinding[]
  resources: AuditedResource[]
}

/** Resource types whose files are the same for every user until the next deploy (Lighthouse's set). */
export const STATIC_TYPES = new Set(['Stylesheet', 'Script', 'Font', 'Image', 'Media'])
/** Statuses whose response a cache may keep and the audit judges (Lighthouse's set): not a 304 (the
 *  browser already held the body), a redirect or an error. */
const CACHEABLE_STATUS = new Set([200, 203, 206])
/** An unhashed static file: a week keeps returning visitors cached; longer risks old files after a
 *  deploy, which only a content hash in the name avoids. */
export const MIN_LIFETIME_S = 7 * 86_400
/** A hashed file never changes under its name: a year (what bundler guides and Lighthouse want). */
export const HASHED_LIFETIME_S = 365 * 86_400
/** Below this a body fits in the first packets anyway (Lighthouse's 1400-byte threshold). */
export const COMPRESS_MIN_BYTES = 1_400
/** gzip must save at least this share to count as a finding (Lighthouse: 10 %). */
const COMPRESS_MIN_SAVING = 0.1
const ENCODINGS = /\b(gzip|br|zstd|deflate)\b/i

/** Text a server should compress: text/*, JavaScript, JSON, XML (and +json, +xml), SVG. */
export function isTextType(mime: string): boolean {
  const m = mime.toLowerCase().split(';')[0]!.trim()
  return (
    m.startsWith('text/') ||
    /^application\/(javascript|x-javascript|ecmascript|json|xml|manifest\+json|ld\+json|xhtml\+xml)$/.test(m) ||
    m.endsWith('+json') ||
    m.endsWith('+xml') ||
    m === 'image/svg+xml'
  )
}

// A content hash is a token of the file name (or a query value) between '.', '-', '_' or '~':
// 8+ hex characters with a digit and a letter (webpack [contenthash], 'app.3f9a1c2b.js'), or 8+
// letters and digits with an upper-case letter, a lower-case one and a digit (Rollup/Vite
// base64, 'index-BxK3d9Qa.js'). Dates (20240101), versions (3.7.1) and words ('html5shiv',
// 'VariableFont') are not hashes. A Vite hash without a digit is missed: the file is then judged
// as unhashed (a week, not a year), never the other way round.
function isHashToken(t: string): boolean {
  if (t.length < 8 || !/^[A-Za-z0-9]+$/.test(t) || !/\d/.test(t)) return false
  if (/^[0-9a-f]+$/i.test(t) && /[a-f]/i.test(t)) return true
  return /[A-Z]/.test(t) && /[a-z]/.test(t)
}

/** Whether the URL names its file by content: a hash in the file name or in a query value. */
export function isHashedName(url: string): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  const file = decodeURIComponent(u.pathname.split('/').pop() ?? '')
  const tokens = file.split(/[.\-_~]/)
  if (tokens.length > 1) tokens.pop() // the extension
  if (tokens.some(isHashToken)) return true
  return [...u.searchParams.values()].some(isHashToken)
}

/** Cache-Control directives, names lower-case: { 'max-age': '600', immutable: '' }. */
export function parseCacheControl(v: string | undefined): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of (v ?? '').split(/[,\n]/)) {
    const [k, ...rest] = part.split('=')
    const key = k!.trim().toLowerCase()
    if (key) out.set(key, rest.join('=').trim().replace(/^"|"$/g, ''))
  }
  return out
}

/** How long a browser may use the response without asking again, in seconds, and why; null when
 *  the response says nothing (the browser then guesses from Last-Modified: heuristic freshness). */
export function cacheLifetime(headers: Record<string, string>, receivedAt: number): { seconds: number | null; why: string } {
  const cc = parseCacheControl(headers['cache-control'])
  if (cc.has('no-store')) return { seconds: 0, why: 'Cache-Control: no-store (downloaded again on every view)' }
  if (cc.has('no-cache')) return { seconds: 0, why: 'Cache-Control: no-cache (revalidated on every view)' }
  if (cc.has('max-age')) {
    const n = Number(cc.get('max-age'))
    return Number.isFinite(n) && n >= 0
      ? { seconds: Math.floor(n), why: `max-age=${Math.floor(n)}` }
      : { seconds: 0, why: `an unreadable max-age (${cc.get('max-age')})` }
  }
  if (!headers['cache-control'] && /no-cache/i.test(headers.pragma ?? '')) return { seconds: 0, why: 'Pragma: no-cache' }
  if (headers.expires !== undefined) {
    const exp = Date.parse(headers.expires)
    const now = headers.date !== undefined && Number.isFinite(Date.parse(headers.date)) ? Date.parse(headers.date) : receivedAt
    // an invalid Expires ('0', '-1') means already expired (RFC 9111 5.3)
    const s = Number.isFinite(exp) ? Math.max(0, Math.floor((exp - now) / 1000)) : 0
    return { seconds: s, why: `Expires ${Number.isFinite(exp) ? `in ${s} s` : `invalid (${headers.expires}): already expired`}` }
  }
  return { seconds: null, why: 'no Cache-Control max-age or Expires (the browser guesses a lifetime from Last-Modified)' }
}

const days = (s: number) => (s >= 86_400 ? `${Math.round((s / 86_400) * 10) / 10} d` : `${s} s`)

function cdnSignals(h: Record<string, string>): CdnSignals | null {
  const out: CdnSignals = {}
  for (const k of ['age', 'via', 'x-cache', 'cf-cache-status'] as const) if (h[k] !== undefined) out[k] = h[k]
  return Object.keys(out).length ? out : null
}

/** The audit of one page load's resources. Resources answered from the browser's cache are listed
 *  but not judged (nothing crossed the network); bytes count what did. */
export function auditAssets(resources: CollectedResource[]): AssetAudit {
  const findings: AssetFinding[] = []
  const audited: AuditedResource[] = []
  const counts = { requests: 0, static: 0, uncached: 0, uncompressed: 0, http1_requests: 0, bytes_total: 0, image_bytes: 0, render_blocking: 0, cdn: 0 }
  for (const r of resources) {
    const h = r.headers
    const isStatic = STATIC_TYPES.has(r.type) && CACHEABLE_STATUS.has(r.status)
    const hashed = isHashedName(r.url)
    const life = cacheLifetime(h, r.receivedAt)
    const encoding = h['content-encoding'] ?? null
    const cdn = cdnSignals(h)
    audited.push({
      url: r.url,
      type: r.type,
      status: r.status,
      protocol: r.protocol,
      transferBytes: r.transferBytes,
      bodyBytes: r.bodyBytes,
      cacheControl: h['cache-control'] ?? null,
      lifetimeSeconds: life.seconds,
      hashed,
      static: isStatic,
      encoding,
      renderBlocking: r.renderBlocking,
      cdn,
      fromCache: r.fromCache,
    })
    if (r.renderBlocking) {
      counts.render_blocking++
      // a stylesheet in <head> is how CSS works; a script there holds the first paint for nothing
      if (r.type === 'Script')
        findings.push({
          url: r.url,
          type: r.type,
          kind: 'render-blocking',
          problem: 'a synchronous script holds the first paint',
          fix: 'add defer (or async, or type="module") to its <script>, or move it to the end of <body>',
        })
    }
    if (r.fromCache) continue
    counts.requests++
    counts.bytes_total += r.transferBytes
    if (r.type === 'Image') counts.image_bytes += r.transferBytes
    if (isStatic) {
      counts.static++
      if (cdn) counts.cdn++
      const cc = parseCacheControl(h['cache-control'])
      const want = hashed ? HASHED_LIFETIME_S : MIN_LIFETIME_S
      // immutable on a hashed name says "never revalidate": long enough at a week
      const ok = life.seconds !== null && (life.seconds >= want || (hashed && cc.has('immutable') && life.seconds >= MIN_LIFETIME_S))
      if (!ok) {
        counts.uncached++
        findings.push({
          url: r.url,
          type: r.type,
          kind: 'cache',
          problem: `${life.why}${life.seconds !== null && life.seconds > 0 ? ` (${days(life.seconds)})` : ''}: below ${days(want)} for ${hashed ? 'a hashed' : 'an unhashed'} file name`,
          fix: hashed
            ? 'serve it with Cache-Control: public, max-age=31536000, immutable (the hash changes when the file does)'
            : `put a content hash in its file name and serve it with Cache-Control: public, max-age=31536000, immutable; or give it at least max-age=${MIN_LIFETIME_S}`,
        })
      }
    }
    const bodyful = r.status >= 200 && r.status < 300 && r.status !== 204 && r.status !== 206
    if (bodyful && isTextType(r.mimeType || h['content-type'] || '') && r.bodyBytes >= COMPRESS_MIN_BYTES && !ENCODINGS.test(encoding ?? '')) {
      const saves = r.gzipBytes === undefined ? null : 1 - r.gzipBytes / r.bodyBytes
      if (saves === null || saves >= COMPRESS_MIN_SAVING) {
        counts.uncompressed++
        findings.push({
          url: r.url,
          type: r.type,
          kind: 'compression',
          problem: `${r.bodyBytes} B of ${(r.mimeType || 'text').split(';')[0]} sent uncompressed${saves === null ? '' : ` (gzip: ${r.gzipBytes} B, ${Math.round(saves * 100)} % less)`}`,
          fix: 'compress text at the edge: gzip or br for text/html, text/css, JavaScript, JSON, SVG (nginx: gzip on; gzip_types …; HAProxy: compression algo gzip)',
        })
      }
    }
    if (/^http\/1/i.test(r.protocol)) {
      counts.http1_requests++
      findings.push({
        url: r.url,
        type: r.type,
        kind: 'http1',
        problem: `served over ${r.protocol}: one request at a time per connection`,
        fix: `serve ${originOf(r.url)} over HTTP/2 or HTTP/3 (TLS with ALPN h2; nginx: listen 443 ssl http2, or http2 on)`,
      })
    }
  }
  return { counts, findings, resources: audited }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}

/** page.<name>.assets.<count>: bytes in B, the rest counts. */
export function assetFigures(page: string, audit: AssetAudit): Record<string, { value: number; unit: 'B' | 'count' }> {
  return Object.fromEntries(
    Object.entries(audit.counts).map(([k, v]) => [`page.${page}.assets.${k}`, { value: v, unit: k.endsWith('bytes') || k === 'bytes_total' ? 'B' : 'count' }]),
  )
}

/** The audit as results.json keeps it: the counts, every finding, and the resources (at most 200). */
export function assetEvidence(audit: AssetAudit, run: number): Record<string, unknown> {
  return {
    run,
    counts: audit.counts,
    findings: audit.findings.slice(0, 200),
    resources: audit.resources.slice(0, 200),
    ...(audit.resources.length > 200 ? { resourcesLeftOff: audit.resources.length - 200 } : {}),
    rules: {
      staticTypes: [...STATIC_TYPES],
      minLifetimeSeconds: MIN_LIFETIME_S,
      hashedLifetimeSeconds: HASHED_LIFETIME_S,
      compressMinBytes: COMPRESS_MIN_BYTES,
    },
  }
}
