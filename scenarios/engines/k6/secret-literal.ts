// Serialises the plan and defaults into a k6 script without baking a secret in: a string that
// holds a ${env:NAME} value becomes an expression reading __ENV.NAME when k6 starts, userinfo is
// taken out of the target URL, and a secret written literally in the config is refused (k6
// artefacts travel: a ConfigMap, a CI artifact, a repository).

import { UsageError } from '../../../core/errors.js'
import { holdsSecret, placeholder, secrets, type Secret } from '../../../core/redact.js'

/** The function the script calls for a secret: k6 stops with the fix when the variable is unset. */
export const SECRET_READER = `function __goliveSecret(name) {
  const v = __ENV[name]
  if (v === undefined || v === '') throw new Error('golive: set ' + name + ' for k6 (k6 run -e ' + name + '=... or an env entry from a Secret): the script reads secrets at run time')
  return v
}`

/** JSON-like JavaScript for a value; env-backed secrets read at run time. `used` collects the
 *  variable names the script needs. */
export function jsLiteral(value: unknown, used: Set<string>, where: string): string {
  if (typeof value === 'string') return stringExpr(value, used, where)
  if (Array.isArray(value)) return `[${value.map((v) => jsLiteral(v, used, where)).join(',')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${stringExpr(k, used, where)}:${jsLiteral(v, used, where)}`)
      .join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

function stringExpr(text: string, used: Set<string>, where: string): string {
  if (!holdsSecret(text)) return JSON.stringify(text)
  const parts: string[] = []
  let rest = text
  // the registered secrets are longest first: find the earliest occurrence of any of them
  while (rest.length > 0) {
    let hit: { at: number; s: Secret } | null = null
    for (const s of secrets()) {
      const at = rest.indexOf(s.value)
      if (at >= 0 && (hit === null || at < hit.at)) hit = { at, s }
    }
    if (!hit) {
      parts.push(JSON.stringify(rest))
      break
    }
    if (!hit.s.env) {
      throw new UsageError(
        `${where}: ${placeholder(hit.s)} is written in the config, and k6 scripts and manifests never carry secrets`,
        `write it as \${env:NAME} in the config: the script then reads NAME from the environment when k6 starts`,
      )
    }
    if (hit.at > 0) parts.push(JSON.stringify(rest.slice(0, hit.at)))
    parts.push(`__goliveSecret(${JSON.stringify(hit.s.env)})`)
    used.add(hit.s.env)
    rest = rest.slice(hit.at + hit.s.value.length)
  }
  return `(${parts.join(' + ')})`
}

/** The target URL without its userinfo (k6 gets credentials from GOLIVE_HEADERS or GOLIVE_TARGET). */
export function withoutUserinfo(url: string): { url: string; hadUserinfo: boolean } {
  if (!url) return { url, hadUserinfo: false }
  try {
    const u = new URL(url)
    if (!u.username && !u.password) return { url, hadUserinfo: false }
    u.username = ''
    u.password = ''
    return { url: u.href.replace(/\/$/, ''), hadUserinfo: true }
  } catch {
    return { url, hadUserinfo: false }
  }
}
