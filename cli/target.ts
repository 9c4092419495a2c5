// Which system the run drives: the environment's base URL, --target, or the built-in demo.

import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { resolve } from 'node:path'
import { UsageError } from '../core/errors.js'
import type { EnvironmentConfig } from '../core/config.js'
import { userAgentOf } from '../core/user-agent.js'
import { credentialHeaders, type Target } from '../core/target.js'
import { startDemoTarget, type DemoTarget } from '../staging/app/demo-target.js'

export interface ResolvedTarget {
  target: Target
  /** the URL as shown in reports: credentials and query removed */
  display: string
  demo: DemoTarget | null
}

export async function resolveTarget(env: EnvironmentConfig, configDir: string, overrideUrl?: string, caFile?: string): Promise<ResolvedTarget> {
  const base = overrideUrl ?? env.baseUrl
  let demo: DemoTarget | null = null
  let url: URL
  if (base === 'demo') {
    demo = await startDemoTarget()
    url = new URL(demo.url)
  } else {
    try {
      url = new URL(base)
    } catch {
      throw new UsageError(`target '${base}' is not a URL`, 'write it like http://127.0.0.1:8080 or https://staging.example.com')
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`target ${base}: only http:// and https:// are supported`, 'use an http(s) URL')
    }
  }
  const ca = readCa(caFile ? resolve(caFile) : env.ca ? resolve(configDir, env.ca) : undefined)
  // the environment's headers and credentials (auth; the URL's userinfo over it), then a
  // User-Agent unless the environment's headers set one: env userAgent, or golive/<version>
  const headers: [string, string][] = Object.entries(credentialHeaders(env, url))
  if (!headers.some(([k]) => k === 'user-agent')) headers.push(['user-agent', userAgentOf(env)])
  const display = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`
  // the origins steps and redirects may load besides the base URL's (core/origins.ts's rule)
  const hosts = (env.hosts ?? []).map((h, i) => {
    try {
      return new URL(h).origin
    } catch {
      throw new UsageError(`hosts[${i}] '${h}' is not a URL`, 'list origins like https://cdn.example.com or http://127.0.0.2:8080')
    }
  })
  return { target: { origin: url.origin, basePath: url.pathname.replace(/\/$/, ''), ca, headers, hosts }, display, demo }
}

/** `--target URL` as the base of the run: userinfo kept (basic auth), query and fragment dropped;
 *  the path kept as the base path, unless the run's journey GETs that path itself. */
export function targetBase(raw: string, keepPath: boolean): string {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new UsageError(`--target ${raw} is not a URL`, 'write it like http://127.0.0.1:8080 or https://staging.example.com/base')
  }
  u.search = ''
  u.hash = ''
  if (!keepPath) u.pathname = '/'
  return u.href
}

function readCa(file: string | undefined): string | undefined {
  if (!file) return undefined
  try {
    return readFileSync(file, 'utf8')
  } catch {
    throw new UsageError(`CA file ${file} cannot be read`, "point ca (or --ca) at the PEM file of the CA that signed the target's certificate")
  }
}

/** Fails fast, with the fix, when nothing listens at the target. */
export async function assertReachable(t: Target, display: string, timeoutMs = 5000): Promise<void> {
  const u = new URL(t.origin)
  const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80)
  const host = u.hostname.replace(/^\[|\]$/g, '')
  const problem = await new Promise<string | null>((done) => {
    const s = connect({ host, port, timeout: timeoutMs })
    s.once('connect', () => {
      s.destroy()
      done(null)
    })
    s.once('timeout', () => {
      s.destroy()
      done(`no answer within ${timeoutMs / 1000} s`)
    })
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message))
  })
  if (problem) {
    throw new UsageError(`cannot reach the target ${display} (${problem})`, 'start the service, or fix --target / environments.<env>.baseUrl')
  }
}

/** The target a load command drives, checked before any load: the demo said, a target that does
 *  not answer refused (the demo stopped again on the way out). */
export async function resolveReachable(
  env: EnvironmentConfig,
  configDir: string,
  overrideUrl: string | undefined,
  caFile: string | undefined,
  log: (line: string) => void,
): Promise<ResolvedTarget> {
  const resolved = await resolveTarget(env, configDir, overrideUrl, caFile)
  try {
    if (resolved.demo) log(`No target configured: running against the built-in demo target at ${resolved.target.origin}`)
    else await assertReachable(resolved.target, resolved.display)
  } catch (e) {
    await resolved.demo?.stop()
    throw e
  }
  return resolved
}
