// What `golive init` learns about a target, read-only: a bounded handful of GET requests
// (never a form post, never load), each with a short timeout. Anything that fails to answer
// is simply "not found"; init writes a config either way.

import { Agent, fetch } from 'undici'
import { openApiDocument, operations } from '../../scenarios/openapi.js'

const PROBE_TIMEOUT_MS = 4_000
const MAX_BODY = 2 * 1024 * 1024
export const HEALTH_PATHS = ['/health', '/healthz', '/ready', '/readyz'] as const
export const OPENAPI_PATHS = ['/openapi.json', '/swagger.json', '/v3/api-docs'] as const
/** operations taken from an OpenAPI document for the first scenario */
const MAX_OPERATIONS = 8

export interface Probe {
  baseUrl: string
  https: boolean
  /** did / answer at all (any status)? the error when not */
  reachable: boolean
  error?: string
  rootStatus?: number
  hsts: boolean
  /** '/' or '/login' when that page has a password field */
  loginForm?: string
  /** health and readiness paths that answered 2xx */
  health: string[]
  /** /metrics answered in the Prometheus text format */
  metrics: boolean
  openapi?: { path: string; title?: string; gets: string[] }
  /** same-origin pages linked from / (for a GET journey when there is no OpenAPI document) */
  pages: string[]
}

interface Fetched {
  status: number
  headers: { get(name: string): string | null; has(name: string): boolean }
  body: string
}

type Get = (url: URL) => Promise<Fetched | null>

function requester(dispatcher: Agent | undefined): { raw: (url: URL) => ReturnType<typeof fetch>; get: Get } {
  const raw = (url: URL) =>
    fetch(url, {
      redirect: 'follow',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      headers: { 'user-agent': 'golive-init' },
      ...(dispatcher ? { dispatcher } : {}),
    })
  return { raw, get: (url) => get(raw, url) }
}

async function get(raw: (url: URL) => ReturnType<typeof fetch>, url: URL): Promise<Fetched | null> {
  try {
    const res = await raw(url)
    const buf = await res.arrayBuffer()
    return { status: res.status, headers: res.headers, body: Buffer.from(buf.slice(0, MAX_BODY)).toString('utf8') }
  } catch {
    return null
  }
}

const PASSWORD_RE = /<input\b[^>]*\btype\s*=\s*["']?password/i

/** `ca`: the PEM text of a private CA that signed the target's certificate. */
export async function probeTarget(baseUrl: string, ca?: string): Promise<Probe> {
  const base = new URL(baseUrl)
  const agent = ca ? new Agent({ connect: { ca } }) : undefined
  try {
    return await probeWith(base, requester(agent))
  } finally {
    await agent?.close()
  }
}

async function probeWith(base: URL, { raw, get }: ReturnType<typeof requester>): Promise<Probe> {
  const at = (path: string) => new URL(path.replace(/^\//, ''), base.href.endsWith('/') ? base : new URL(`${base.href}/`))
  const probe: Probe = {
    baseUrl: base.href.replace(/\/$/, ''),
    https: base.protocol === 'https:',
    reachable: false,
    hsts: false,
    health: [],
    metrics: false,
    pages: [],
  }
  let root: Fetched | null
  try {
    const res = await raw(base)
    root = { status: res.status, headers: res.headers, body: (await res.text()).slice(0, MAX_BODY) }
  } catch (e) {
    probe.error = ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message
    return probe
  }
  probe.reachable = true
  probe.rootStatus = root.status
  probe.hsts = root.headers.has('strict-transport-security')
  const html = /html/i.test(root.headers.get('content-type') ?? '')
  if (html && PASSWORD_RE.test(root.body)) probe.loginForm = '/'
  if (html) probe.pages = sameOriginLinks(root.body, base)
  const [login, metrics, ...rest] = await Promise.all([
    probe.loginForm ? Promise.resolve(null) : get(at('/login')),
    get(at('/metrics')),
    ...HEALTH_PATHS.map((p) => get(at(p))),
    ...OPENAPI_PATHS.map((p) => get(at(p))),
  ])
  if (login && login.status < 300 && PASSWORD_RE.test(login.body)) probe.loginForm = '/login'
  probe.metrics = !!metrics && metrics.status < 300 && /^# (TYPE|HELP) /m.test(metrics.body)
  HEALTH_PATHS.forEach((p, i) => {
    const r = rest[i]
    if (r && r.status >= 200 && r.status < 300) probe.health.push(p)
  })
  OPENAPI_PATHS.forEach((p, i) => {
    const r = rest[HEALTH_PATHS.length + i]
    if (probe.openapi || !r || r.status >= 300) return
    const doc = openapiGets(r.body)
    if (doc) probe.openapi = { path: p, ...doc }
  })
  return probe
}

/** GET operations without path parameters, with the servers[0] / basePath prefix when it is a path. */
export function openapiGets(text: string): { title?: string; gets: string[] } | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  const doc = openApiDocument(value)
  if (!doc) return null
  const gets = operations(doc)
    .filter((op) => op.method === 'GET' && !op.path.includes('{'))
    .map((op) => op.path)
    .slice(0, MAX_OPERATIONS)
  return { ...(doc.title !== undefined ? { title: doc.title } : {}), gets }
}

/** Up to five distinct same-origin paths linked from a page (no query-less duplicates, no assets). */
function sameOriginLinks(html: string, base: URL): string[] {
  const out = new Set<string>()
  for (const m of html.matchAll(/<a\b[^>]*\bhref\s*=\s*["']([^"'#]+)["']/gi)) {
    let u: URL
    try {
      u = new URL(m[1]!, base)
    } catch {
      continue
    }
    if (u.origin !== base.origin || /\.(css|js|png|jpe?g|gif|svg|ico|pdf|zip)$/i.test(u.pathname) || /logout|sign-?out/i.test(u.pathname)) continue
    const path = `${u.pathname}${u.search}`
    if (path !== '/' && path.length < 200) out.add(path)
    if (out.size >= 5) break
  }
  return [...out]
}
