// ${env:NAME} in config strings: secrets stay out of the file and come from the environment
// (CI secrets, a local .envrc). Values are never shown in messages: an error names the path and
// the variable, and redactSecrets() hides any value that slips into a config error. Every other
// output hides them through core/redact.ts, where loadConfig registers each value.

import { ConfigError } from './errors.js'
import { formatPath, type PathSegment } from './config-path.js'

/** One variable used by a config string. */
export interface EnvVarUse {
  name: string
  value: string
}

/** One config string that referenced variables: where it is and which variables it used. */
export interface EnvExpansion {
  /** dotted/bracket path inside the config, e.g. environments.staging.auth.token */
  path: string
  vars: EnvVarUse[]
}

export interface ExpandResult {
  value: unknown
  expansions: EnvExpansion[]
}

/** ${env:NAME}; $${env:NAME} is the escape for a literal ${env:NAME}. */
const REFERENCE = /\$?\$\{env:([^}]*)\}/g
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * Replaces ${env:NAME} in every string of a config (plain objects and arrays only; keys stay as
 * written). A variable that is unset or empty is a ConfigError naming the path and the variable.
 */
export function expandEnvVars(value: unknown, opts: { file: string; env?: Record<string, string | undefined> }): ExpandResult {
  const env = opts.env ?? process.env
  const expansions: EnvExpansion[] = []

  const visit = (node: unknown, segments: PathSegment[]): unknown => {
    if (typeof node === 'string') return expandString(node, segments)
    if (Array.isArray(node)) return node.map((item, i) => visit(item, [...segments, i]))
    if (isPlainObject(node)) {
      const out: Record<string, unknown> = {}
      for (const [key, child] of Object.entries(node)) out[key] = visit(child, [...segments, key])
      return out
    }
    return node
  }

  const expandString = (text: string, segments: PathSegment[]): string => {
    if (!text.includes('${env:')) return text
    const path = formatPath(segments)
    const used: EnvVarUse[] = []
    const result = text.replace(REFERENCE, (match, rawName: string) => {
      if (match.startsWith('$$')) return match.slice(1)
      const name = rawName.trim()
      if (!VAR_NAME.test(name)) {
        throw new ConfigError(
          opts.file,
          path,
          `malformed environment variable reference ${JSON.stringify(match)}`,
          'write it as ${env:NAME}, where NAME has letters, digits and underscores (e.g. ${env:STAGING_TOKEN})',
        )
      }
      const found = env[name]
      if (found === undefined || found === '') {
        throw new ConfigError(
          opts.file,
          path,
          `environment variable ${name} is ${found === undefined ? 'not set' : 'set but empty'} (referenced as \${env:${name}})`,
          `set ${name} in the environment (export ${name}=... locally, or a secret in CI), or remove the reference`,
        )
      }
      used.push({ name, value: found })
      return found
    })
    if (used.length > 0) expansions.push({ path, vars: used })
    return result
  }

  return { value: visit(value, []), expansions }
}

/** The variables behind a config path, if that string (or one containing it) came from ${env:...}. */
export function envVarsAt(path: string, expansions: readonly EnvExpansion[]): string[] | undefined {
  const hit = expansions.find((e) => e.path === path || path.startsWith(`${e.path}.`) || path.startsWith(`${e.path}[`))
  return hit?.vars.map((v) => v.name)
}

/** Replaces every variable value that appears in a text by a placeholder naming the variable. */
export function redactSecrets(text: string, expansions: readonly EnvExpansion[]): string {
  const uses = expansions.flatMap((e) => e.vars)
  // longest first, so a value containing another value is hidden whole
  uses.sort((a, b) => b.value.length - a.value.length)
  let out = text
  for (const { name, value } of uses) {
    if (value.length < 3) continue // too short to be a secret, and hiding it would garble the text
    out = out.split(value).join(`<value of \${env:${name}} hidden>`)
  }
  return out
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
