// The environment's `auth` as request headers: the one place it is spelled out. Where they may
// go (the base URL's origin only) is core/origins.ts's rule.

import type { AuthConfig } from './config.js'

/** The headers `auth` adds (lower-case names); none without auth. */
export function authHeaders(a: AuthConfig | undefined): Record<string, string> {
  if (!a) return {}
  if (a.type === 'bearer') return { authorization: `Bearer ${a.token ?? ''}` }
  if (a.type === 'basic') return { authorization: basic(a.username ?? '', a.password ?? '') }
  return { [(a.header ?? 'authorization').toLowerCase()]: a.value ?? '' }
}

/** The Authorization of a URL's userinfo (https://user:pass@host): basic auth to that origin. */
export function userinfoAuth(url: URL): string | null {
  if (!url.username && !url.password) return null
  return basic(decodeURIComponent(url.username), decodeURIComponent(url.password))
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
