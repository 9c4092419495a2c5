// A check reads its settings through its declaration: the same schema loadConfig validated
// (so `golive check` flags, unit tests and configs meet one rule), with the declared defaults.
// Messages read 'checks.<id>.<path>: <problem>', as the check's errors always have.

import type { Ajv, ValidateFunction } from 'ajv'
import type { SettingsSchema } from './check.js'
import { configAjv, pickError, toConfigError } from './validate-config.js'

const compiled = new WeakMap<object, ValidateFunction>()
// one instance for every check's schema: an instance (with its formats) costs more than a schema
let ajv: Ajv | undefined

/** The compiled validator of a settings schema (compiled once per schema object). */
export function settingsValidator(schema: SettingsSchema): ValidateFunction {
  let v = compiled.get(schema)
  if (!v) {
    v = (ajv ??= configAjv()).compile(schema)
    compiled.set(schema, v)
  }
  return v
}

/** Throws 'checks.<id>.<path>: <problem>' when the settings break the declaration. */
export function assertSettings(checkId: string, schema: SettingsSchema, raw: Record<string, unknown>): void {
  const validate = settingsValidator(schema)
  if (validate(raw)) return
  const err = toConfigError(pickError(validate.errors ?? []), raw, '', [], 'setting')
  // dotted like the checks' own messages: checks.rolling-restart.readRps
  const at = err.path === '' ? '' : err.path.startsWith('[') ? err.path : `.${err.path}`
  throw new Error(`checks.${checkId}${at}: ${err.problem}`)
}

/** The declared top-level defaults under the settings given. */
export function withDefaults(schema: SettingsSchema, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, p] of Object.entries(schema.properties)) if (p.default !== undefined) out[k] = p.default
  return { ...out, ...raw }
}
