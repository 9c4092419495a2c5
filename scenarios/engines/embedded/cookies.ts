// A virtual user's cookie jar (RFC 6265, tough-cookie), made at the first Set-Cookie: a target
// that sets no cookies costs a null test per request, and tough-cookie (about 13 MB per thread,
// with its public-suffix list) is not even loaded. Secure cookies go over https, and over
// http to loopback only (a secure context, as browsers and k6's Go jar treat it); HttpOnly
// cookies are sent (they are hidden from page scripts, not from the server).

import { createRequire } from 'node:module'
import type { CookieJar } from 'tough-cookie'
import type { CookieMode } from '../../compile-session.js'

const OPTIONS = { allowSecureOnLocal: true, rejectPublicSuffixes: true }
let Jar: typeof CookieJar | null = null
const newJar = (): CookieJar => new (Jar ??= (createRequire(import.meta.url)('tough-cookie') as typeof import('tough-cookie')).CookieJar)(undefined, OPTIONS)

export class UserCookies {
  private jar: CookieJar | null = null
  readonly on: boolean
  constructor(private readonly mode: CookieMode) {
    this.on = mode !== 'off'
  }

  /** has any cookie been stored (since the journey started)? */
  get hasJar(): boolean {
    return this.jar !== null
  }

  /** a journey starts: a fresh jar, unless the scenario keeps it for the user's life */
  journeyStart(): void {
    if (this.mode === 'journey') this.jar = null
  }

  /** the Cookie header value for a request to `url`, '' when none applies */
  header(url: string): string {
    return this.jar ? this.jar.getCookieStringSync(url) : ''
  }

  store(setCookie: string[], url: string): void {
    if (!this.on) return
    this.jar ??= newJar()
    // a cookie the rules refuse (another domain, a public suffix) is dropped, as browsers do
    for (const c of setCookie) this.jar.setCookieSync(c, url, { ignoreError: true })
  }

  /** a cookie's value as the jar would send it to `url` */
  value(url: string, name: string): string | undefined {
    return this.jar?.getCookiesSync(url).find((c) => c.key === name)?.value
  }
}
