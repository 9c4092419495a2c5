// What the headers check collects from the network, as plain data. The scorer works from this
// alone, so it is unit-tested without a network and can re-score a recorded collection.

/** One response of a redirect chain. */
export interface Hop {
  url: string
  status: number
}

export interface HttpResponse {
  /** the URL that answered */
  url: string
  status: number
  /** header lines in arrival order, names in lower case */
  rawHeaders: [string, string][]
  /** the body (text), kept only for the page that is scored */
  body?: string
}

/** One visit as the Observatory's retriever makes it: a GET that follows up to ten redirects. */
export interface SessionRecord {
  /** where the visit started */
  url: string
  /** every response of the chain, in order; the last one is `response` */
  hops: Hop[]
  /** the last response, or null when the visit failed (refused, timeout, TLS error) */
  response: HttpResponse | null
  /** false when the certificate chain did not verify and the visit was retried without verification */
  verified: boolean
  /** every Set-Cookie header of the chain, with the URL that sent it */
  setCookies: { url: string; header: string }[]
  /** why the visit failed, or why verification was turned off */
  error?: string
  /** a redirect the visit did not follow: its origin is not one of the environment's hosts */
  notFollowed?: { url: string; reason: string }
}

export interface Collected {
  /** the https URL that was scored */
  target: string
  /** the visit to the target (https) */
  https: SessionRecord
  /** the visit to http://host:httpPort/ for the redirect test */
  http: SessionRecord
  /** the CORS preflight (OPTIONS) to the final URL, when it answered 2xx */
  cors: HttpResponse | null
  /** the Origin the preflight sent */
  corsOrigin: string
}

// Node's http parser (which axios, and so the Observatory, reads headers through) keeps only
// the first of these when a response repeats them, and joins every other repeat with ', '.
const FIRST_ONLY = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
])

/** The headers as the Observatory sees them: one string per name (repeats joined with ', '),
 *  Set-Cookie as a list. */
export function headerValues(response: HttpResponse | null, name: string): string[] {
  if (!response) return []
  const lc = name.toLowerCase()
  const values = response.rawHeaders.filter(([n]) => n === lc).map(([, v]) => v)
  if (values.length === 0) return []
  if (lc === 'set-cookie') return values
  if (FIRST_ONLY.has(lc)) return [values[0]!]
  if (lc === 'cookie') return [values.join('; ')]
  return [values.join(', ')]
}

export function firstHeader(response: HttpResponse | null, name: string): string | null {
  return headerValues(response, name)[0] ?? null
}
