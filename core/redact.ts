// The one redaction layer. Every secret the config holds (a ${env:NAME} value, auth, URL
// userinfo, database passwords, secret headers) is registered once, when the config is loaded;
// every output then passes through redact(): the terminal streams, results.json and every
// report, the k6 artefacts. A target that echoes a token back in a body or an error message is
// caught the same way, since the value, not where it came from, is what is hidden.

import type { EnvExpansion } from './env-vars.js'

export interface Secret {
  value: string
  /** what the placeholder names: 'value of ${env:TOKEN}', 'environments.staging.auth.token' */
  label: string
  /** the environment variable it came from, when it came from ${env:NAME} (k6 reads it at run time) */
  env?: string
}

// too short to be a secret, and hiding every "1" or "on" would garble the text
const MIN_ENV_LENGTH = 3
const MIN_LITERAL_LENGTH = 4

// header names whose values are credentials, and setting names whose values are
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|api[-_]?key|token|secret|session|password|auth/i
const SECRET_KEY = /pass(word)?$|passwd|secret|token|api[-_]?key|credential|private[-_]?key/i

/** Does a header of this name carry a credential? (authorization, x-api-key, x-auth-token, ...) */
export const isSecretHeader = (name: string): boolean => SECRET_HEADER.test(name)
/** Does a setting, form field or JSON key of this name hold a secret? (password, api_key, ...) */
export const isSecretKey = (name: string): boolean => SECRET_KEY.test(name)

// ${env:NAME} in these places chooses what runs, not who may: hiding 'staging' or 'k6' wherever
// it appears would garble every report and break the history store's environment filter
const STRUCTURAL = /^(defaultEnv|outDir|reports|gates\.presets|checklist)([.[]|$)|^environments\.[^.]+\.(engine|scenarios|allowDrills|userAgent)([.[]|$)/

const registered = new Map<string, Secret>()
let ordered: Secret[] | null = null

/** Registers one secret (and the forms it takes on the wire: URL-encoded, JSON-escaped). */
export function registerSecret(value: string, label: string, env?: string): void {
  if (typeof value !== 'string') return
  const min = env ? MIN_ENV_LENGTH : MIN_LITERAL_LENGTH
  if (value.length < min) return
  const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])
  for (const form of forms) {
    if (registered.has(form)) continue
    registered.set(form, { value: form, label, ...(env ? { env } : {}) })
  }
  ordered = null
}

/** The registered secrets, longest first (so a value containing another is hidden whole). */
export function secrets(): readonly Secret[] {
  ordered ??= [...registered.values()].sort((a, b) => b.value.length - a.value.length)
  return ordered
}

/** Forgets every secret: for tests, and for a process that loads a second config. */
export function clearSecrets(): void {
  registered.clear()
  ordered = null
}

export function placeholder(s: Pick<Secret, 'label'>): string {
  return `<${s.label} hidden>`
}

/** Replaces every registered secret in a text by a placeholder naming where it came from. */
export function redact(text: string): string {
  if (registered.size === 0 || typeof text !== 'string' || text.length < MIN_ENV_LENGTH) return text
  let out = text
  for (const s of secrets()) if (out.includes(s.value)) out = out.split(s.value).join(placeholder(s))
  return out
}

/** redact() on every string value of a JSON-like value; returns a copy. Keys stay: they are
 *  structure (figure paths, scenario and step names), which results.json's schema and the
 *  history store read back, and a target cannot choose them. */
export function redactDeep<T>(value: T): T {
  if (registered.size === 0) return value
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v)
    if (Array.isArray(v)) return v.map(visit)
    if (v !== null && typeof v === 'object' && isPlain(v)) {
      const out: Record<string, unknown> = {}
      for (const [k, child] of Object.entries(v)) out[k] = visit(child)
      return out
    }
    return v
  }
  return visit(value) as T
}

/** Does this text hold any registered secret (of at least minLength characters)? */
export function holdsSecret(text: string, minLength = 0): boolean {
  return secrets().some((s) => s.value.length >= minLength && text.includes(s.value))
}

/** The userinfo of a URL (password, user:password, its Basic form): a --target given on the
 *  command line, a base URL, a databaseUrl. */
export function registerUrlSecrets(text: string, label: string): void {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return
  }
  if (!url.password && !url.username) return
  const user = decodeURIComponent(url.username)
  const pass = decodeURIComponent(url.password)
  if (!pass) {
    // a user name alone is no secret (postgresql://postgres@host), unless it is a token in
    // the user field (https://<token>@host)
    if (user.length >= 16) registerSecret(user, `${label} token`)
    return
  }
  registerSecret(pass, `${label} password`)
  registerSecret(url.password, `${label} password`)
  registerSecret(`${user}:${pass}`, `${label} userinfo`)
  registerSecret(Buffer.from(`${user}:${pass}`).toString('base64'), `${label} userinfo`)
}

/**
 * Registers what a loaded config holds that must never be shown: every ${env:NAME} value, auth
 * (token, password, header value, the Basic form), URL userinfo anywhere, values of secret
 * headers, and settings whose names say they are secrets (writePassword, apiKey, databaseUrl's
 * password...).
 */
export function registerConfigSecrets(config: unknown, expansions: readonly EnvExpansion[]): void {
  for (const e of expansions) {
    if (STRUCTURAL.test(e.path)) continue
    for (const v of e.vars) registerSecret(v.value, `value of \${env:${v.name}}`, v.name)
  }
  const visit = (node: unknown, path: string, key: string, inHeaders: boolean): void => {
    if (typeof node === 'string') {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(node)) registerUrlSecrets(node, path)
      if (SECRET_KEY.test(key) || (inHeaders && SECRET_HEADER.test(key))) registerSecret(node, path)
      return
    }
    if (Array.isArray(node)) {
      node.forEach((c, i) => visit(c, `${path}[${i}]`, key, false))
      return
    }
    if (node === null || typeof node !== 'object') return
    const o = node as Record<string, unknown>
    if (key === 'auth') registerAuth(o, path)
    // an environment's own list of secret headers
    if (Array.isArray(o.secretHeaders) && o.headers !== null && typeof o.headers === 'object') {
      const names = new Set(o.secretHeaders.map((n) => String(n).toLowerCase()))
      for (const [h, v] of Object.entries(o.headers as Record<string, unknown>)) {
        if (names.has(h.toLowerCase()) && typeof v === 'string') registerSecret(v, `${path}.headers.${h}`)
      }
    }
    for (const [k, child] of Object.entries(o)) visit(child, path ? `${path}.${k}` : k, k, key === 'headers')
  }
  visit(config, '', '', false)
}

function registerAuth(a: Record<string, unknown>, path: string): void {
  const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : undefined)
  const token = str('token'),
    value = str('value'),
    user = str('username'),
    pass = str('password')
  if (token) registerSecret(token, `${path}.token`)
  if (value) registerSecret(value, `${path}.value`)
  if (pass) {
    registerSecret(pass, `${path}.password`)
    registerSecret(Buffer.from(`${user ?? ''}:${pass}`).toString('base64'), `${path} (Basic)`)
  }
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}
