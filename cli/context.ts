// What every command needs first: the config, the environment, the gates in force.

import { isAbsolute, relative, resolve } from 'node:path'
import { ConfigError, UsageError } from '../core/errors.js'
import { loadConfig, resolveEnvironment } from '../core/load-config.js'
import type { EnvironmentConfig, GateInput, LoadedConfig } from '../core/config.js'
import type { GateSpec } from '../core/results.js'
import { resolveGates } from '../gates/index.js'
import { registerUrlSecrets } from '../core/redact.js'
import { unmadeFigure } from '../core/gate-figures.js'
import { parseGate } from '../gates/parse.js'
import { DECLARATIONS } from './declarations.js'

export interface Context {
  loaded: LoadedConfig
  envName: string
  env: EnvironmentConfig
  gates: GateSpec[]
  cwd: string
}

export async function context(values: Record<string, unknown>): Promise<Context> {
  const cwd = process.cwd()
  // userinfo in --target is a credential like the config's: hidden in every output
  if (typeof values.target === 'string') registerUrlSecrets(values.target, '--target')
  const loaded = await loadConfig({ file: typeof values.config === 'string' ? resolve(cwd, values.config) : undefined, cwd, declarations: DECLARATIONS })
  const { name, env: raw } = resolveEnvironment(loaded, typeof values.env === 'string' ? values.env : undefined)
  // file paths in the config are relative to it; checks get them absolute
  const withCa = raw.ca ? { ...raw, ca: resolve(loaded.dir, raw.ca) } : raw
  const env = withFindingsFiles(withCa, loaded.dir)
  return { loaded, envName: name, env, gates: gatesOf(loaded, name, env), cwd }
}

/** Presets, then config rules, then the environment's own; a bad gate names its place in the config. */
export function gatesOf(loaded: LoadedConfig, envName: string, env: EnvironmentConfig): GateSpec[] {
  const cfg = loaded.config.gates ?? {}
  const file = loaded.file ?? '(built-in config)'
  const rules: GateInput[] = [...(cfg.rules ?? []), ...(env.gates ?? [])]
  let gates: GateSpec[]
  try {
    gates = resolveGates(cfg.presets ?? ['go-live'], rules)
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    // find which rule it was, to name its path
    const all = [
      ...(cfg.rules ?? []).map((r, i) => [`gates.rules[${i}]`, r] as const),
      ...(env.gates ?? []).map((r, i) => [`environments.${envName}.gates[${i}]`, r] as const),
    ]
    for (const [path, rule] of all) {
      try {
        resolveGates([], [rule])
      } catch (inner) {
        throw new ConfigError(
          file,
          path,
          (inner as Error).message.split('\n')[0]!.replace(/^invalid gate /, 'invalid gate '),
          (inner as UsageError).hint ?? 'see docs/gates.md',
        )
      }
    }
    throw new ConfigError(file, 'gates.presets', e.message, `known presets: go-live`)
  }
  const rel = loaded.file ? relative(process.cwd(), loaded.file) : ''
  refuseUnmadeFigures(rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file, envName, cfg.rules ?? [], env.gates ?? [])
  return gates
}

/** A rule on a figure no scenario or check can make is refused now, not read as MISSING after
 *  the load test (the presets' figures are held to the declarations by a unit test). */
function refuseUnmadeFigures(file: string, envName: string, rules: GateInput[], envRules: GateInput[]): void {
  const all = [...rules.map((r, i) => [`gates.rules[${i}]`, r] as const), ...envRules.map((r, i) => [`environments.${envName}.gates[${i}]`, r] as const)]
  for (const [path, rule] of all) {
    const problem = unmadeFigure(parseGate(rule, 'config').figure, DECLARATIONS)
    if (problem)
      throw new ConfigError(file, path, problem, "name a figure the run makes: docs/gates.md lists the scenario figures, docs/checks/<id>.md each check's")
  }
}

/** The findings check's report files (checks.findings.files, or .file), relative to the config. */
function withFindingsFiles(env: EnvironmentConfig, dir: string): EnvironmentConfig {
  const f = env.checks?.findings
  if (typeof f !== 'object' || f === null) return env
  const abs = (v: unknown) => (typeof v === 'string' ? resolve(dir, v) : v)
  const files = Array.isArray(f.files) ? { files: f.files.map(abs) } : typeof f.files === 'string' ? { files: abs(f.files) } : {}
  const file = typeof f.file === 'string' ? { file: abs(f.file) } : {}
  return { ...env, checks: { ...env.checks, findings: { ...f, ...files, ...file } } }
}
