// The system a run drives, resolved once: its origin, base path, CA and the headers that carry
// the environment's credentials. The engines take `Target`; checks get `CheckTarget` as
// ctx.target from the runner, and send its headers only where core/origins.ts lets them.

import { readFileSync } from 'node:fs'
import type { EnvironmentConfig } from './config.js'
import { authHeaders, userinfoAuth } from './auth.js'
import { mayCarryCredentials, originPolicy, type OriginPolicy } from './origins.js'

/** What the load engines drive. */
export interface Target {
  origin: string
  basePath: string
  ca?: string
  /** the environment's headers and auth: sent to `origin` only */
  headers: [string, string][]
  /** origins besides `origin` steps and redirects may load (the environment's hosts) */
  hosts?: string[]
}

/** What a check probes: given by the runner as ctx.target. */
export interface CheckTarget {
  /** the base URL's origin (never its userinfo) */
  origin: string
  /** the base URL's path without its trailing slash ('' at the root) */
  basePath: string
  /** PEM text of the environment's CA (environments.<env>.ca, or --ca) */
  ca?: string
  /** the environment's headers plus its auth (auth, or the base URL's userinfo), lower-case
   *  names: for requests to policy.home only (headersFor) */
  headers: Record<string, string>
  /** where traffic may go, and where credentials may ride */
  policy: OriginPolicy
}

/** The environment's headers and credentials for its base URL (lower-case names): headers, then
 *  auth over them, then the URL's userinfo as basic auth over a configured authorization. */
export function credentialHeaders(env: Pick<EnvironmentConfig, 'headers' | 'auth'>, url: URL): Record<string, string> {
  const headers: Record<string, string> = Object.fromEntries(Object.entries(env.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]))
  Object.assign(headers, authHeaders(env.auth))
  const userinfo = userinfoAuth(url)
  if (userinfo) headers.authorization = userinfo
  return headers
}

/** ctx.target from the environment alone (golive check, golive drill, a check run by a test):
 *  undefined when the base URL is no http(s) URL ('demo', a typo): the check says so itself.
 *  `env.ca` is a path (the config's, resolved); a CA file that cannot be read throws. */
export function checkTarget(env: Pick<EnvironmentConfig, 'baseUrl' | 'headers' | 'auth' | 'hosts' | 'ca'>): CheckTarget | undefined {
  let url: URL
  try {
    url = new URL(env.baseUrl)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  let policy: OriginPolicy
  try {
    policy = originPolicy(url.href, env.hosts)
  } catch {
    policy = originPolicy(url.href)
  }
  let ca: string | undefined
  if (env.ca) {
    try {
      ca = readFileSync(env.ca, 'utf8')
    } catch (e) {
      throw new Error(
        `the CA file ${env.ca} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): point ca (or --ca) at the PEM file of the CA that signed the target's certificate`,
      )
    }
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/$/, ''), ...(ca !== undefined ? { ca } : {}), headers: credentialHeaders(env, url), policy }
}

/** ctx.target from an engine's target (golive run: --target, the demo), less the User-Agent
 *  the engines add unless the environment's own headers set one. */
export function checkTargetOf(t: Target, env: Pick<EnvironmentConfig, 'headers'>): CheckTarget {
  const ownUa = Object.keys(env.headers ?? {}).some((k) => k.toLowerCase() === 'user-agent')
  const headers = Object.fromEntries(t.headers.filter(([k]) => ownUa || k !== 'user-agent'))
  return { origin: t.origin, basePath: t.basePath, ...(t.ca !== undefined ? { ca: t.ca } : {}), headers, policy: originPolicy(t.origin, t.hosts) }
}

/** The target's headers for one request: all of them to its own origin, none elsewhere. */
export function headersFor(t: Pick<CheckTarget, 'headers' | 'policy'>, url: string | URL): Record<string, string> {
  return mayCarryCredentials(t.policy, url) ? { ...t.headers } : {}
}
