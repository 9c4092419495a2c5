// A check reads its settings through its declaration: the same schema loadConfig validated
// (so `golive check` flags, unit tests and configs meet one rule), with the declared defaults.
// Messages read 'checks.<id>.<path>: <problem>', as the check's errors always have.

import type { Ajv, ValidateFunction } from 'ajv'
import type { SettingsSchema } from './check.js'
import { closest, formatPath, pointerToSegments } from './config-path.js'
import { configAjv, pickError } from './validate-config.js'

type Node = Record<string, unknown>
type Candidate = ReturnType<typeof pickError>

// one instance for every check's schema: an instance (with its formats) costs more than a schema
let ajv: Ajv | undefined
// the readers' instance fills in the defaults as it validates (loadConfig's leaves the config as written)
let defaulting: Ajv | undefined
const compiled = new WeakMap<object, ValidateFunction>()
const compiledWithDefaults = new WeakMap<object, ValidateFunction>()

function compile(cache: WeakMap<object, ValidateFunction>, make: () => Ajv, schema: SettingsSchema): ValidateFunction {
  let v = cache.get(schema)
  if (!v) {
    v = make().compile(schema)
    cache.set(schema, v)
  }
  return v
}

/** The compiled validator of a settings schema (compiled once per schema object). */
export function settingsValidator(schema: SettingsSchema): ValidateFunction {
  return compile(compiled, () => (ajv ??= configAjv()), schema)
}

/**
 * The settings as the declaration reads them: validated, with the declared defaults filled in
 * (nested ones too: expected[i].deadline), on a copy of `raw`. Throws the first problem as
 * 'checks.<id>.<path>: <problem>'. What a schema cannot say (two settings that go together, a
 * name listed twice) and the transformations (a page → its URL) stay with each check's reader.
 */
export function readDeclared(checkId: string, schema: SettingsSchema, raw: Record<string, unknown>): Record<string, unknown> {
  const data = copy(raw) as Record<string, unknown>
  const validate = compile(compiledWithDefaults, () => (defaulting ??= configAjv({ useDefaults: true })), schema)
  if (validate(data)) return data
  throw new Error(problem(checkId, schema, pickError(validate.errors ?? []), data))
}

/** Plain objects and lists copied (ajv writes the defaults into its data); anything else as is. */
function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy)
  if (v === null || typeof v !== 'object' || ![Object.prototype, null].includes(Object.getPrototypeOf(v))) return v
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]))
}

function problem(checkId: string, root: SettingsSchema, e: Candidate, data: unknown): string {
  const segments = pointerToSegments(e.instancePath, data)
  // checks.page-load.pages[0].name; a key that is no identifier stays bracketed: checks.x["a b"]
  const at = (...more: string[]) => `checks.${checkId}${formatPath([...segments, ...more]).replace(/^(?=[^[])/, '.')}`
  const node = (e.parentSchema ?? {}) as Node
  const params = ('params' in e ? e.params : {}) as Record<string, unknown>
  if (e.keyword === 'additionalProperties') {
    const key = String(params.additionalProperty)
    // a setting that moved elsewhere says where (x-moved: name → the fix)
    const moved = ((node['x-moved'] ?? {}) as Record<string, string>)[key]
    if (typeof moved === 'string') return `${at(key)}: '${key}' is no longer a setting here: ${moved}`
    const known = Object.keys((node.properties ?? {}) as Node)
    const suggestion = closest(key, known)
    return `${at(key)}: unknown setting (${suggestion ? `did you mean ${suggestion}?` : `known: ${known.join(', ')}`})`
  }
  if (e.keyword === 'required') {
    const key = String(params.missingProperty)
    const field = ((node.properties ?? {}) as Record<string, Node>)[key] ?? {}
    // a setting left out is missing; a part of a setting's value left out makes that value wrong
    if (segments.length > 0 && typeof field['x-expected'] === 'string') return `${at(key)}: expected ${field['x-expected']}, got nothing`
    if (segments.length > 0 && typeof node['x-expected'] === 'string') return `${at()}: expected ${node['x-expected']}, got ${JSON.stringify(e.data)}`
    return `${at(key)}: missing${typeof field['x-fix'] === 'string' ? `: ${field['x-fix']}` : ''}`
  }
  // writeOnly (a token): its value is not repeated in a message
  const got = node.writeOnly === true ? '(hidden)' : JSON.stringify(e.data)
  const expected = expectedAt(root, e.schemaPath) ?? fallback(e, params)
  // the field's own x-expected names what it is; the values follow, as loadConfig words it
  const values = e.keyword === 'enum' && typeof node['x-expected'] === 'string' ? `, one of ${(params.allowedValues as unknown[]).join(', ')}` : ''
  return `${at()}: expected ${expected}${values}, got ${got}`
}

/** The x-expected that speaks for the failing value: the nearest on the schema path, from the
 *  schema of that value itself (a union's speaks for the branch that failed inside it). */
function expectedAt(root: SettingsSchema, schemaPath: string): string | undefined {
  const steps = schemaPath
    .replace(/^#\/?/, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  let node: unknown = root
  let found: string | undefined
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!
    // a step into a property, an item or a key: a different value, whose own x-expected speaks
    if (['properties', 'patternProperties', 'items', 'additionalProperties', 'propertyNames'].includes(step)) found = undefined
    node = (node as Node | undefined)?.[step]
    // a property's schema is one step further, under its name
    if (step === 'properties' || step === 'patternProperties') node = (node as Node | undefined)?.[steps[++i]!]
    const x = node !== null && typeof node === 'object' ? (node as Node)['x-expected'] : undefined
    if (typeof x === 'string') found = x
  }
  return found
}

/** Without an x-expected: what the keyword asks for, in words. */
function fallback(e: Candidate, params: Record<string, unknown>): string {
  const types: Record<string, string> = { string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', array: 'a list' }
  switch (e.keyword) {
    case 'enum':
      return `one of ${(params.allowedValues as unknown[]).join(', ')}`
    case 'const':
      return JSON.stringify(params.allowedValue)
    case 'type':
      return String(params.type)
        .split(',')
        .map((t) => types[t] ?? `an ${t}`)
        .join(' or ')
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `a number ${String(params.comparison)} ${String(params.limit)}`
    case 'minLength':
      return params.limit === 1 ? 'a non-empty string' : `at least ${String(params.limit)} characters`
    case 'minItems':
      return `a list of at least ${String(params.limit)}`
    case 'pattern':
      return `text matching ${String(params.pattern)}`
    case 'format':
      return `a valid ${String(params.format)}`
    default:
      return 'message' in e && e.message ? e.message : 'a different value'
  }
}
