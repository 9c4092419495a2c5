// Validates a parsed config against core/config.schema.json, then the rules a schema cannot
// express. The first, most useful problem becomes a ConfigError a person can act on: the path
// inside the file, what was expected and what was found, and the one-line fix (the schema's x-fix).

import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { configAjv } from './ajv-setup.js'
import { precompiled } from './precompiled-validators.js'
import schema from './config.schema.json' with { type: 'json' }
import type { GoliveConfig } from './config.js'
import { closest, formatPath, pointerToSegments } from './config-path.js'
import { envVarsAt, redactSecrets, type EnvExpansion } from './env-vars.js'
import { ConfigError } from './errors.js'

export { schema as configSchema }

export interface ValidateOptions {
  /** the file's name as shown in messages */
  file: string
  /** the directory relative paths in the config (ca) are resolved against */
  dir: string
  /** strings that came from ${env:...}: their values are never shown */
  expansions?: readonly EnvExpansion[]
}

export { ANNOTATION_KEYWORDS, configAjv } from './ajv-setup.js'

let compiled: ValidateFunction | undefined

function validator(): ValidateFunction {
  compiled ??= precompiled.config ?? configAjv().compile(schema)
  return compiled
}

/** Checks a parsed config; returns it typed, or throws the first useful ConfigError. */
export function validateConfig(config: unknown, opts: ValidateOptions): GoliveConfig {
  const expansions = opts.expansions ?? []
  try {
    const validate = validator()
    if (!validate(config)) {
      throw toConfigError(pickError(validate.errors ?? []), config, opts.file, expansions)
    }
    checkSemantics(config as GoliveConfig, opts)
    return config as GoliveConfig
  } catch (err) {
    throw err instanceof ConfigError ? redacted(err, expansions) : err
  }
}

export function redacted(err: ConfigError, expansions: readonly EnvExpansion[]): ConfigError {
  if (expansions.length === 0) return err
  return new ConfigError(err.file, err.path, redactSecrets(err.problem, expansions), redactSecrets(err.fix, expansions))
}

/** Missing CA files, by environment, secrets redacted. Raised when that environment is chosen
 *  (resolveEnvironment), so another environment's missing file (staging-local's, before
 *  `golive staging up` made it) does not stop this one. */
export function caFileErrors(config: GoliveConfig, opts: ValidateOptions): Record<string, ConfigError> {
  const out: Record<string, ConfigError> = {}
  for (const [name, env] of Object.entries(config.environments)) {
    if (env.ca === undefined) continue
    const full = resolve(opts.dir, env.ca)
    if (!existsSync(full) || !statSync(full).isFile()) {
      out[name] = redacted(
        new ConfigError(
          opts.file,
          formatPath(['environments', name, 'ca']),
          `CA file not found: ${env.ca} (looked for ${full})`,
          env.ca.includes('.golive/staging/')
            ? 'run `golive staging up` (npm run staging:up): the staging stack makes this CA'
            : `put the PEM file of the CA that signed ${name}'s certificate there, or fix the path (it is relative to the config file's directory)`,
        ),
        opts.expansions ?? [],
      )
    }
  }
  return out
}

// ---- choosing the error ----

const COMBINATORS = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'not'])

/** A union (anyOf/oneOf) the data matched no branch of, summed up by the union's x-expected. */
interface UnionError {
  keyword: 'union'
  instancePath: string
  schemaPath: string
  parentSchema: Record<string, unknown>
  data: unknown
}

type Candidate = ErrorObject | UnionError

/**
 * The deepest error, with unions resolved: when the data has the type of exactly one branch,
 * that branch's errors speak; otherwise the union's x-expected does ('expected a URL ..., got 42').
 */
export function pickError(errors: readonly ErrorObject[]): Candidate {
  let candidates: Candidate[] = [...errors]
  const unions = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length || a.instancePath.length - b.instancePath.length)

  for (const union of unions) {
    if (!candidates.includes(union)) continue // inside a branch an outer union discarded
    const inUnion = (e: Candidate): boolean =>
      e.schemaPath.startsWith(`${union.schemaPath}/`) && (e.instancePath === union.instancePath || e.instancePath.startsWith(`${union.instancePath}/`))
    const branchOf = (e: Candidate): string => e.schemaPath.slice(union.schemaPath.length + 1).split('/')[0]!
    const members = candidates.filter(inUnion)
    const branches = [...new Set(members.map(branchOf))]
    const typeMatched = branches.filter(
      (b) => !members.some((e) => e.keyword === 'type' && e.instancePath === union.instancePath && e.schemaPath === `${union.schemaPath}/${b}/type`),
    )
    const expected = (union.parentSchema as Record<string, unknown> | undefined)?.['x-expected']
    if (typeMatched.length === 1) {
      // the data is an object (say) and only the object branch takes objects: its errors say why
      const winner = typeMatched[0]
      candidates = candidates.filter((e) => e !== union && (!inUnion(e) || branchOf(e) === winner))
    } else if (typeof expected === 'string' || typeMatched.length === 0) {
      const summary: UnionError = {
        keyword: 'union',
        instancePath: union.instancePath,
        schemaPath: union.schemaPath,
        parentSchema: (union.parentSchema ?? {}) as Record<string, unknown>,
        data: union.data,
      }
      candidates = [...candidates.filter((e) => e !== union && !inUnion(e)), summary]
    } else {
      // several branches fit the type: keep them, the deepest error below decides
      candidates = candidates.filter((e) => e !== union)
    }
  }

  candidates = candidates.filter((e) => !COMBINATORS.has(e.keyword))
  if (candidates.length === 0) candidates = [...errors]
  let best = candidates[0]!
  for (const c of candidates.slice(1)) {
    if (depth(c) > depth(best) || (depth(c) === depth(best) && rank(c) < rank(best))) best = c
  }
  return best
}

function isUnion(e: Candidate): e is UnionError {
  return e.keyword === 'union'
}

function depth(e: Candidate): number {
  const own = e.instancePath === '' ? 0 : e.instancePath.split('/').length - 1
  return own + (e.keyword === 'required' || e.keyword === 'additionalProperties' ? 1 : 0)
}

/** Lower is more useful at the same depth: a typo explains more than the 'missing' it causes. */
function rank(e: Candidate): number {
  switch (e.keyword) {
    case 'additionalProperties':
      return 0
    case 'required':
      return 1
    case 'type':
    case 'union':
      return 3
    default:
      return 2
  }
}

// ---- wording ----

/** An ajv error as a ConfigError; `noun` names an unknown key ('property' in the config's own
 *  shape, 'setting' inside a check's settings). */
export function toConfigError(
  e: Candidate,
  data: unknown,
  file: string,
  expansions: readonly EnvExpansion[],
  noun: 'property' | 'setting' = 'property',
): ConfigError {
  const segments = pointerToSegments(e.instancePath, data)
  const here = formatPath(segments)
  const node = (e.parentSchema ?? {}) as Record<string, unknown>
  const expected = typeof node['x-expected'] === 'string' ? node['x-expected'] : undefined
  const fixOf = (s: Record<string, unknown> | undefined, fallback: string): string => (typeof s?.['x-fix'] === 'string' ? s['x-fix'] : fallback)
  const got = `got ${describe(e.data, here, expansions)}`
  const name = segments.length > 0 ? String(segments[segments.length - 1]) : 'the config'
  const genericFix = `change ${here || 'the file'} to ${expected ?? 'a valid value'}`

  if (isUnion(e)) {
    return new ConfigError(file, here, `expected ${expected ?? 'a different kind of value'}, ${got}`, fixOf(node, genericFix))
  }
  const params = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = String(params.additionalProperty)
      const path = formatPath([...segments, prop])
      // a setting that moved elsewhere says where (x-moved: name → the fix)
      const moved = (node['x-moved'] ?? {}) as Record<string, string>
      if (typeof moved[prop] === 'string') return new ConfigError(file, path, `'${prop}' is no longer a setting here`, moved[prop])
      const known = Object.keys((node.properties ?? {}) as Record<string, unknown>).filter((k) => k !== '$schema')
      const suggestion = closest(prop, known)
      // a setting's path already ends in its name: 'checks.headers.httpPrt: unknown setting'
      const problem = `unknown ${noun}${noun === 'property' ? ` '${prop}'` : ''}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`
      const fix = suggestion
        ? `rename '${prop}' to '${suggestion}'`
        : `remove '${prop}'; known ${noun === 'property' ? 'properties' : 'settings'} here: ${known.join(', ') || 'none'}`
      return new ConfigError(file, path, problem, fix)
    }
    case 'required': {
      const prop = String(params.missingProperty)
      const propSchema = ((node.properties ?? {}) as Record<string, Record<string, unknown>>)[prop]
      // the property's own annotations, else those of the schema that requires it (auth's if/then)
      const own = typeof propSchema === 'object' && typeof propSchema['x-fix'] === 'string' ? propSchema : node
      const what = typeof own['x-expected'] === 'string' ? ` (${own['x-expected']})` : ''
      return new ConfigError(
        file,
        formatPath([...segments, prop]),
        `missing required property '${prop}'${what}`,
        fixOf(own, `add ${prop} to ${here || 'the top level'}`),
      )
    }
    case 'type':
      return new ConfigError(file, here, `expected ${expected ?? article(String(params.type))}, ${got}`, fixOf(node, genericFix))
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(quote).join(', ')
      const what = expected ? `${expected}, one of` : 'one of'
      return new ConfigError(file, here, `expected ${what} ${allowed}, ${got}`, fixOf(node, `set ${name} to one of ${allowed}`))
    }
    case 'const':
      return new ConfigError(file, here, `expected ${quote(params.allowedValue)}, ${got}`, fixOf(node, genericFix))
    case 'pattern':
    case 'format':
      return new ConfigError(
        file,
        here,
        `expected ${expected ?? (e.keyword === 'format' ? `a valid ${String(params.format)}` : `text matching ${String(params.pattern)}`)}, ${got}`,
        fixOf(node, genericFix),
      )
    case 'minProperties':
      return new ConfigError(
        file,
        here,
        `expected ${expected ?? `at least ${String(params.limit)} properties`}, got ${countOf(e.data)}`,
        fixOf(node, genericFix),
      )
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'minItems':
      // a bound: the node's x-expected says the whole range ('a number from 1 to 200')
      if (expected) return new ConfigError(file, here, `expected ${expected}, ${got}`, fixOf(node, genericFix))
      return new ConfigError(file, here, `${e.message ?? 'is not valid'}, ${got}`, fixOf(node, genericFix))
    default:
      return new ConfigError(file, here, `${e.message ?? 'is not valid'}, ${got}`, fixOf(node, genericFix))
  }
}

/** What was found, in a few words: 42, 'text', an object; never a value that came from ${env:...}. */
function describe(value: unknown, path: string, expansions: readonly EnvExpansion[]): string {
  const vars = envVarsAt(path, expansions)
  if (vars) return `the value of ${vars.map((v) => `\${env:${v}}`).join(', ')} (not shown)`
  if (value === undefined) return 'nothing'
  if (value === null) return 'null (an empty value)'
  if (typeof value === 'string') return value === '' ? 'an empty string' : quote(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list'
  if (typeof value === 'object') return 'an object'
  return String(value)
}

function countOf(value: unknown): string {
  const n = value && typeof value === 'object' ? Object.keys(value).length : 0
  return n === 0 ? 'none' : String(n)
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value)
}

function article(type: string): string {
  const words: Record<string, string> = {
    object: 'an object',
    array: 'a list',
    string: 'a string',
    boolean: 'true or false',
    number: 'a number',
    integer: 'a whole number',
  }
  return type
    .split(',')
    .map((t) => words[t] ?? t)
    .join(' or ')
}

// ---- what the schema cannot say ----

function checkSemantics(config: GoliveConfig, opts: ValidateOptions): void {
  const names = Object.keys(config.environments)
  if (names.length === 0) {
    throw new ConfigError(
      opts.file,
      'environments',
      'expected at least one environment, got none',
      'add an environment, e.g. environments: { staging: { baseUrl: https://staging.example.com } }',
    )
  }
  if (config.defaultEnv !== undefined && !Object.hasOwn(config.environments, config.defaultEnv)) {
    const suggestion = closest(config.defaultEnv, names)
    throw new ConfigError(
      opts.file,
      'defaultEnv',
      `'${config.defaultEnv}' is not one of the environments (${names.join(', ')})${suggestion ? `; did you mean ${suggestion}?` : ''}`,
      `set defaultEnv to ${suggestion ?? names.join(' or ')}, or add environments.${formatPath([config.defaultEnv])}`,
    )
  }
}
