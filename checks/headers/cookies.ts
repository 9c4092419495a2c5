// The cookie jar the Observatory's retriever fills (tough-cookie, strict parsing): which
// Set-Cookie headers become cookies, and with which Secure / HttpOnly / SameSite flags.

export interface Cookie {
  name: string
  domain: string
  path: string
  secure: boolean
  httpOnly: boolean
  /** 'strict' | 'lax' | 'none', or undefined when absent or not one of those */
  sameSite?: 'strict' | 'lax' | 'none'
  /** the header it came from, for evidence */
  header: string
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1F]/

/** Parses one Set-Cookie header; undefined where tough-cookie (non-loose) rejects it. */
export function parseSetCookie(header: string): (Omit<Cookie, 'domain' | 'path'> & { domainAttr?: string; pathAttr?: string }) | undefined {
  const text = header.trim()
  const semi = text.indexOf(';')
  const pair = semi < 0 ? text : text.slice(0, semi)
  const eq = pair.indexOf('=')
  if (eq <= 0) return undefined
  const name = pair.slice(0, eq).trim()
  const value = pair.slice(eq + 1).trim()
  if (!name || CONTROL.test(name) || CONTROL.test(value)) return undefined
  const cookie: ReturnType<typeof parseSetCookie> & object = { name, secure: false, httpOnly: false, header }
  if (semi < 0) return cookie
  for (const av of text.slice(semi + 1).split(';')) {
    const part = av.trim()
    if (!part) continue
    const i = part.indexOf('=')
    const key = (i < 0 ? part : part.slice(0, i)).trim().toLowerCase()
    const val = i < 0 ? undefined : part.slice(i + 1).trim()
    switch (key) {
      case 'secure':
        cookie.secure = true
        break
      case 'httponly':
        cookie.httpOnly = true
        break
      case 'domain':
        if (val) cookie.domainAttr = val.replace(/^\./, '').toLowerCase()
        break
      case 'path':
        cookie.pathAttr = val && val.startsWith('/') ? val : undefined
        break
      case 'samesite': {
        const v = (val ?? '').toLowerCase()
        cookie.sameSite = v === 'strict' || v === 'lax' || v === 'none' ? v : undefined
        break
      }
    }
  }
  return cookie
}

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':')
}

function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true
  if (isIp(host)) return false
  return host.endsWith(`.${domain}`)
}

function defaultPath(url: URL): string {
  const p = url.pathname
  if (!p.startsWith('/') || p.lastIndexOf('/') === 0) return '/'
  return p.slice(0, p.lastIndexOf('/'))
}

/** The jar after every Set-Cookie of a visit, in order: later cookies with the same name,
 *  domain and path replace earlier ones; cookies the jar refuses (bad domain, __Secure- or
 *  __Host- prefix rules) are left out silently, as tough-cookie does. */
export function cookieJar(setCookies: { url: string; header: string }[]): Cookie[] {
  const jar = new Map<string, Cookie>()
  for (const { url, header } of setCookies) {
    const parsed = parseSetCookie(header)
    if (!parsed) continue
    const u = new URL(url)
    const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase()
    let domain = host
    if (parsed.domainAttr) {
      // a domain attribute must cover the host and may not be a bare top-level domain
      if (!domainMatches(host, parsed.domainAttr)) continue
      if (!parsed.domainAttr.includes('.') && parsed.domainAttr !== host) continue
      domain = parsed.domainAttr
    }
    const path = parsed.pathAttr ?? defaultPath(u)
    if (parsed.name.startsWith('__Secure-') && !parsed.secure) continue
    if (parsed.name.startsWith('__Host-') && (!parsed.secure || parsed.domainAttr || path !== '/')) continue
    const cookie: Cookie = { name: parsed.name, domain, path, secure: parsed.secure, httpOnly: parsed.httpOnly, header }
    if (parsed.sameSite) cookie.sameSite = parsed.sameSite
    const key = `${domain}\u0000${path}\u0000${parsed.name}`
    jar.delete(key)
    jar.set(key, cookie)
  }
  return [...jar.values()]
}
