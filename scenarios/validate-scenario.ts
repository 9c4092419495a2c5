// Checks a scenario (from a TypeScript, YAML or JSON file) against scenarios/scenario.schema.json
// before anything runs: a misspelled field must stop the run, never be silently skipped (a
// skipped check reads as a pass). The first, most useful problem becomes a UsageError naming the
// file, the path (steps[2].chek), the problem with the nearest valid name, and the fix (x-fix).
// What a schema cannot say (durations, name rules, regex syntax) stays in compile.ts.

import type { ErrorObject, ValidateFunction } from 'ajv'
import { scenarioAjv } from '../core/ajv-setup.js'
import { precompiled } from '../core/precompiled-validators.js'
import { closest, formatPath, pointerToSegments } from '../core/config-path.js'
import { UsageError } from '../core/errors.js'
import { pickError } from '../core/validate-config.js'
import schema from './scenario.schema.json' with { type: 'json' }

export { schema as scenarioSchema }

let compiled: ValidateFunction | undefined

function validator(): ValidateFunction {
  compiled ??= precompiled.scenario ?? scenarioAjv().compile(schema)
  return compiled
}

/** Throws a UsageError for the first useful problem; returns quietly when the scenario fits. */
export function validateScenario(scenario: unknown, file: string): void {
  const validate = validator()
  if (validate(scenario)) return
  const e = pickError(validate.errors ?? []) as ErrorObject & { keyword: string }
  const { path, problem, fix } = explain(e, scenario)
  throw new UsageError(`${file}: ${path}: ${problem}`, fix)
}

function explain(e: ErrorObject, data: unknown): { path: string; problem: string; fix: string } {
  const segments = pointerToSegments(e.instancePath, data)
  const here = formatPath(segments)
  const node = (e.parentSchema ?? {}) as Record<string, unknown>
  const expected = typeof node['x-expected'] === 'string' ? node['x-expected'] : undefined
  const fix = typeof node['x-fix'] === 'string' ? node['x-fix'] : `change ${here || 'the scenario'} to ${expected ?? 'a valid value'}`
  const got = `got ${describe(e.data)}`
  const params = (e.params ?? {}) as Record<string, unknown>

  // an object with neither steps nor journeys fails the scenario's anyOf, not its type
  if (here === '' && e.keyword === 'union' && data && typeof data === 'object' && !Array.isArray(data)) {
    return {
      path: 'steps',
      problem: 'a scenario needs steps (one journey) or journeys (a weighted mix)',
      fix: "add steps: [{ name: 'home', path: '/' }], or journeys: [{ name: 'browse', weight: 1, steps: [...] }]",
    }
  }
  if (here === '' && (e.keyword === 'type' || e.keyword === 'union')) {
    return { path: '(scenario)', problem: `the file does not export a scenario (${got})`, fix: 'export default defineScenario({ name, profile, steps })' }
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = String(params.additionalProperty)
      const known = Object.keys((node.properties ?? {}) as Record<string, unknown>).filter((k) => k !== '$schema')
      const suggestion = closest(prop, known)
      return {
        path: formatPath([...segments, prop]),
        problem: `unknown field${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
        fix: suggestion ? `rename '${prop}' to '${suggestion}'` : `remove '${prop}'; known fields here: ${known.join(', ')}`,
      }
    }
    case 'required': {
      const prop = String(params.missingProperty)
      const own = deref(((node.properties ?? {}) as Record<string, Record<string, unknown>>)[prop])
      const ann = own && typeof own['x-fix'] === 'string' ? own : node
      const what = typeof ann['x-expected'] === 'string' ? ` (${ann['x-expected']})` : ''
      // a dependency (attr needs html) is reported on the field that needs the other
      const dependent = /\/dependencies\/([^/]+)\//.exec(e.schemaPath)?.[1]
      if (dependent) {
        return { path: formatPath([...segments, dependent]), problem: `${dependent} needs ${prop}`, fix: String(node['x-fix'] ?? `add ${prop}`) }
      }
      return { path: formatPath([...segments, prop]), problem: `missing required field '${prop}'${what}`, fix: String(ann['x-fix'] ?? `add ${prop}`) }
    }
    case 'x-exclusive': {
      const present = params.present as string[]
      const fields = params.fields as string[]
      const list = `${present.length === 2 ? 'both ' : ''}${present.join(' and ')}`
      return { path: here || '(scenario)', problem: `${list} are set, and ${orList(fields)} exclude each other`, fix: `keep one of ${present.join(', ')}` }
    }
    case 'enum':
    case 'const': {
      const allowed = ((params.allowedValues as unknown[] | undefined) ?? [params.allowedValue]).map(quote)
      return { path: here, problem: `expected ${expected ? `${expected}, ` : ''}${orList(allowed)}, ${got}`, fix }
    }
    case 'minItems':
      return { path: here, problem: `expected ${expected ?? `at least ${String(params.limit)} items`}, ${got}`, fix }
    default:
      return { path: here, problem: `expected ${expected ?? e.message ?? 'a valid value'}, ${got}`, fix }
  }
}

/** A property written as { $ref: '#/definitions/x' } carries its annotations on the definition. */
function deref(s: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const ref = s?.$ref
  if (typeof ref !== 'string' || !ref.startsWith('#/definitions/')) return s
  return (schema.definitions as Record<string, Record<string, unknown>>)[ref.slice('#/definitions/'.length)]
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}

function quote(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v)
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'string') return value === '' ? 'an empty string' : quote(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list'
  if (typeof value === 'object') return 'an object'
  return String(value)
}
