// The scenarios golive ships, by name, and loading a scenario from a user's file.

import { existsSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { UsageError } from '../core/errors.js'
import { DATA_EXTENSIONS, importTsModule, readDataFile } from '../core/load-module.js'
import { packageRoot } from '../core/package-root.js'
import type { Scenario } from './dsl.js'
import { pickScenario } from './hooks.js'
import smoke from './journeys/smoke.js'
import load from './journeys/load.js'
import stress from './journeys/stress.js'
import spike from './journeys/spike.js'
import soak from './journeys/soak.js'
import formLogin from './journeys/form-login.js'

export const SHIPPED: Record<string, Scenario> = { smoke, load, stress, spike, soak, 'form-login': formLogin }

export interface ScenarioSource {
  scenario: Scenario
  file: string
}

/** A shipped name ('load') or a file path ('./checkout.ts', './checkout.yaml', './checkout.json'). */
export async function findScenario(nameOrFile: string, cwd: string): Promise<ScenarioSource> {
  // own keys only: 'constructor' or 'toString' must not resolve to Object.prototype's members
  const shipped = Object.hasOwn(SHIPPED, nameOrFile) ? SHIPPED[nameOrFile] : undefined
  if (shipped) return { scenario: shipped, file: resolve(packageRoot(), 'scenarios/journeys', `${nameOrFile}.ts`) }
  const file = resolve(cwd, nameOrFile)
  if (!/[./\\]/.test(nameOrFile) || !existsSync(file)) {
    throw new UsageError(
      `unknown scenario '${nameOrFile}'`,
      `use one of ${Object.keys(SHIPPED).join(', ')}, or the path of a scenario file (.ts, .js, .yaml, .yml, .json)`,
    )
  }
  // YAML/JSON scenarios are the scenario object itself; compileScenario validates either kind
  if (DATA_EXTENSIONS.has(extname(file).toLowerCase())) return { scenario: (await readDataFile(file)) as Scenario, file }
  const mod = await importTsModule(file)
  const scenario = pickScenario(mod) as Scenario | undefined
  if (!scenario) throw new UsageError(`${file}: exports no scenario`, 'add: export default defineScenario({ name, profile, steps })')
  return { scenario, file }
}
