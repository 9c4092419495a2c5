// Redirects and the URLs they point to, decided in one pure module both engines share (the k6
// runtime bundles it), so the two follow, refuse and count hops identically. k6's JavaScript
// runtime has no WHATWG URL, hence the small RFC 3986 resolver here.

export const DEFAULT_REDIRECTS = 10
const REDIRECT = new Set([301, 302, 303, 307, 308])

/** An absolute http(s) URL in parts: origin normalised (lower-case host, default port dropped). */
export interface UrlParts {
  scheme: 'http:' | 'https:'
  host: string
  path: string
}

const ABSOLUTE = /^(https?):\/\/([^/?#]*)([^#]*)/i

export function parseUrl(text: string): UrlParts | null {
  const m = ABSOLUTE.exec(text.trim())
  if (!m) return null
  const scheme = (m[1]!.toLowerCase() + ':') as UrlParts['scheme']
  // userinfo is never carried: credentials come from the environment, to its own origin only
  let host = m[2]!.slice(m[2]!.lastIndexOf('@') + 1).toLowerCase()
  if (host === '') return null
  if ((scheme === 'http:' && host.endsWith(':80')) || (scheme === 'https:' && host.endsWith(':443'))) host = host.replace(/:\d+$/, '')
  const rest = m[3] ?? ''
  return { scheme, host, path: normalisePath(rest.startsWith('/') ? rest : `/${rest}`) }
}

export const originOf = (u: UrlParts): string => `${u.scheme}//${u.host}`
export const hrefOf = (u: UrlParts): string => `${u.scheme}//${u.host}${u.path}`

/** Resolves a Location (or any reference) against the URL it came from (RFC 3986 §5.2). */
export function resolveReference(ref: string, base: UrlParts): UrlParts | null {
  const r = ref.trim().replace(/#.*$/, '')
  if (/^[a-z][a-z\d+.-]*:/i.test(r)) return parseUrl(r)
  if (r.startsWith('//')) return parseUrl(base.scheme + r)
  const basePath = base.path.replace(/\?.*$/, '')
  if (r === '') return base
  if (r.startsWith('/')) return { ...base, path: normalisePath(r) }
  if (r.startsWith('?')) return { ...base, path: basePath + r }
  return { ...base, path: normalisePath(basePath.slice(0, basePath.lastIndexOf('/') + 1) + r) }
}

/** Removes . and .. segments from the path (not the query). */
function normalisePath(pathAndQuery: string): string {
  const q = pathAndQuery.indexOf('?')
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q)
  const query = q < 0 ? '' : pathAndQuery.slice(q)
  if (!/(^|\/)\.\.?(\/|$)/.test(path)) return path + query
  const out: string[] = []
  const segs = path.split('/')
  segs.forEach((s, i) => {
    if (s === '..') {
      if (out.length > 1) out.pop()
    } else if (s !== '.') out.push(s)
    if ((s === '.' || s === '..') && i === segs.length - 1) out.push('')
  })
  return (out.join('/') || '/') + query
}

export function isRedirect(status: number): boolean {
  return REDIRECT.has(status)
}

/** What the next hop sends, as browsers do: 303 → GET without body (HEAD stays HEAD);
 *  301/302 after POST → GET without body; 307/308 keep method and body. */
export function nextMethod(status: number, method: string): { method: string; keepBody: boolean } {
  if (status === 303) return method === 'HEAD' ? { method, keepBody: false } : { method: 'GET', keepBody: false }
  if ((status === 301 || status === 302) && method === 'POST') return { method: 'GET', keepBody: false }
  return { method, keepBody: true }
}

/** Headers that describe a body: dropped with the body (fetch's request-body-header names). */
export const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']

/** Headers a step set by hand that never follow a redirect to another origin (fetch drops
 *  Authorization; a hand-set Cookie belongs to the origin it was written for). */
export const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie']

export function tooManyRedirects(limit: number, next: string): string {
  return (
    `stopped after ${limit} redirect${limit === 1 ? '' : 's'} (the limit; a loop?): the last response redirects again, to ${next}; ` +
    'raise redirects on the step or scenario if the chain is meant to be longer'
  )
}

export function badLocation(location: string): string {
  return `redirect to '${location.length > 80 ? `${location.slice(0, 77)}...` : location}', which is not an http(s) URL`
}
