// Validates every environment's check settings (environments.<env>.checks.<id>) against the
// settings schema the check declares, with the config schema's ajv and wording: a misspelled
// setting is a ConfigError naming the file, the path and the fix, before the first request.

import type { Declarations } from './check.js'
import type { GoliveConfig } from './config.js'
import { closest, formatPath } from './config-path.js'
import type { EnvExpansion } from './env-vars.js'
import { ConfigError } from './errors.js'
import { settingsValidator } from './declared-settings.js'
import { pickError, redacted, toConfigError } from './validate-config.js'

const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

/** The first bad check setting of each environment, by environment. Raised when that
 *  environment is chosen (resolveEnvironment), like a missing CA file: one environment's typo
 *  does not stop another's run. */
export function checkSettingsErrors(
  config: GoliveConfig,
  declarations: Declarations,
  opts: { file: string; expansions?: readonly EnvExpansion[] },
): Record<string, ConfigError> {
  const out: Record<string, ConfigError> = {}
  for (const envName of Object.keys(config.environments)) {
    try {
      validateEnvironment(config, envName, declarations, opts)
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e
      out[envName] = e
    }
  }
  return out
}

function validateEnvironment(
  config: GoliveConfig,
  envName: string,
  declarations: Declarations,
  opts: { file: string; expansions?: readonly EnvExpansion[] },
): void {
  const byId = new Map(declarations.checks.map((c) => [c.id, c]))
  const ids = [...byId.keys()]
  const env = config.environments[envName]!
  for (const [id, value] of Object.entries(env.checks ?? {})) {
    const check = byId.get(id)
    if (!check) {
      const suggestion = closest(id, ids)
      throw new ConfigError(
        opts.file,
        formatPath(['environments', envName, 'checks', id]),
        `no check named '${id}'${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
        suggestion ? `rename '${id}' to '${suggestion}'` : `use one of: ${ids.join(', ')}`,
      )
    }
    // true/false take the defaults; a check without a declaration takes any object
    if (typeof value !== 'object' || value === null || !check.settings) continue
    const validate = settingsValidator(check.settings)
    if (validate(value)) continue
    const prefix = `/environments/${pointer(envName)}/checks/${pointer(id)}`
    const errors = (validate.errors ?? []).map((e) => ({ ...e, instancePath: prefix + e.instancePath }))
    const expansions = opts.expansions ?? []
    throw redacted(toConfigError(pickError(errors), config, opts.file, expansions, 'setting'), expansions)
  }
}
