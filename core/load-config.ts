// Finds, reads and validates the config: golive.config.ts (or .mts, .js, .mjs, .yaml, .yml, .json).
// Order: parse → ${env:NAME} expansion → schema + semantic validation. Every problem is a
// ConfigError naming the file, the place in it, what is wrong and the fix.

import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path'
import { parseDocument } from 'yaml'
import type { Declarations } from './check.js'
import { checkSettingsErrors } from './check-settings.js'
import type { EnvironmentConfig, GoliveConfig, LoadedConfig } from './config.js'
import { expandEnvVars } from './env-vars.js'
import { ConfigError, UsageError } from './errors.js'
import { importTsModule } from './load-module.js'
import { registerConfigSecrets } from './redact.js'
import { caFileErrors, validateConfig } from './validate-config.js'

/** Looked for in the working directory, in this order, when no --config is given. */
export const CONFIG_FILE_NAMES = [
  'golive.config.ts',
  'golive.config.mts',
  'golive.config.js',
  'golive.config.mjs',
  'golive.config.yaml',
  'golive.config.yml',
  'golive.config.json',
] as const

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs'])
const YAML_EXTENSIONS = new Set(['.yaml', '.yml'])

/** Used when there is no config file: the built-in demo target. */
export function defaultConfig(): GoliveConfig {
  return { defaultEnv: 'demo', environments: { demo: { baseUrl: 'demo' } } }
}

export interface LoadConfigOptions {
  /** an explicit config file (--config), relative to cwd */
  file?: string
  cwd: string
  /** the variables ${env:NAME} reads; default process.env */
  env?: Record<string, string | undefined>
  /** the checks' settings schemas (cli passes them): every check's settings are validated too */
  declarations?: Declarations
}

export async function loadConfig(opts: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = resolve(opts.cwd)
  let file: string
  if (opts.file !== undefined) {
    file = resolve(cwd, opts.file)
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new ConfigError(
        opts.file,
        '',
        `is a folder, not a config file`,
        `pass the config file itself, e.g. --config ${join(opts.file, CONFIG_FILE_NAMES[0]!)}`,
      )
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new ConfigError(
        opts.file,
        '',
        `config file not found (looked for ${file})`,
        `check the path given to --config, or leave --config out to use ${CONFIG_FILE_NAMES[0]} (or .yaml, .json) in ${cwd}`,
      )
    }
  } else {
    const found = CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((f) => existsSync(f))
    if (!found) return { config: defaultConfig(), file: null, dir: cwd }
    if (statSync(found).isDirectory()) {
      throw new ConfigError(displayPath(found, cwd), '', 'is a folder, not a config file', `rename or move that folder, or pass --config <file>`)
    }
    file = found
  }

  const shown = displayPath(file, cwd)
  const dir = dirname(file)
  const raw = await readConfigFile(file, shown)
  const { value, expansions } = expandEnvVars(raw, { file: shown, env: opts.env })
  // registered once, here: every output golive writes hides these values (core/redact.ts)
  registerConfigSecrets(value, expansions)
  const config = validateConfig(value, { file: shown, dir, expansions })
  const checkErrors = opts.declarations ? checkSettingsErrors(config, opts.declarations, { file: shown, expansions }) : {}
  return { config, file, dir, caErrors: caFileErrors(config, { file: shown, dir, expansions }), checkErrors }
}

async function readConfigFile(file: string, shown: string): Promise<unknown> {
  const ext = extname(file).toLowerCase()
  if (MODULE_EXTENSIONS.has(ext)) return readModule(file, shown)
  if (YAML_EXTENSIONS.has(ext)) return readYaml(await readFile(file, 'utf8'), shown)
  if (ext === '.json') return readJson(await readFile(file, 'utf8'), shown)
  throw new ConfigError(shown, '', `unsupported config file type '${ext || '(none)'}'`, 'name the config file with .ts, .mts, .js, .mjs, .yaml, .yml or .json')
}

async function readModule(file: string, shown: string): Promise<unknown> {
  let mod: Record<string, unknown>
  try {
    mod = await importTsModule(file)
  } catch (err) {
    if (err instanceof UsageError && err.message.startsWith(`${file}`)) {
      // importTsModule names the absolute path; show the one the person knows
      throw new UsageError(shown + err.message.slice(file.length), err.hint)
    }
    throw err
  }
  if (!('default' in mod) || mod.default === undefined) {
    const named = Object.keys(mod)
    throw new ConfigError(
      shown,
      '',
      named.length > 0 ? `the file has no default export (it exports ${named.join(', ')})` : 'the file has no default export',
      "add `export default defineConfig({ environments: { ... } })` (import { defineConfig } from 'golive')",
    )
  }
  return mod.default
}

function readYaml(text: string, shown: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true })
  const error = doc.errors[0]
  if (error) {
    const pos = error.linePos?.[0]
    throw new ConfigError(
      shown,
      pos ? `line ${pos.line}, column ${pos.col}` : '',
      `YAML syntax error: ${firstLine(error.message)}`,
      'fix the YAML at that line: check the indentation, a missing ":" or a value with ": " or " #" that needs quotes',
    )
  }
  const value: unknown = doc.toJS()
  return emptyCheck(value, shown)
}

function readJson(text: string, shown: string): unknown {
  const body = text.replace(/^\uFEFF/, '')
  try {
    return emptyCheck(JSON.parse(body), shown)
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err
    const { line, column, problem } = jsonErrorPosition(err.message, body)
    throw new ConfigError(
      shown,
      line ? `line ${line}, column ${column}` : '',
      `JSON syntax error: ${problem}`,
      'fix the JSON at that place: look for a missing or extra comma, a missing quote or brace (JSON has no comments or trailing commas)',
    )
  }
}

/** V8's 'Unexpected token } in JSON at position 42' → line and column, message without the excerpt. */
function jsonErrorPosition(message: string, text: string): { line?: number; column?: number; problem: string } {
  let problem = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/,\s*".*" is not valid JSON$/s, '')
  let position: number | undefined
  const at = /\s*in JSON at position (\d+)/.exec(problem)
  if (at) {
    position = Number(at[1])
    problem = problem.replace(at[0], '')
  } else if (/end of JSON input/.test(problem)) {
    position = text.length
  }
  if (position === undefined) return { problem }
  const before = text.slice(0, position)
  const line = before.split('\n').length
  const column = position - (before.lastIndexOf('\n') + 1) + 1
  return { line, column, problem }
}

function emptyCheck(value: unknown, shown: string): unknown {
  if (value === null || value === undefined) {
    throw new ConfigError(
      shown,
      '',
      'the file is empty',
      'describe your environments, e.g. environments: { staging: { baseUrl: https://staging.example.com } }',
    )
  }
  return value
}

function firstLine(text: string): string {
  return text
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim()
}

/** The file as a person would type it from cwd: golive.config.ts, configs/x.yaml, or absolute. */
function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file
}

/** The environment to run: the name given (--env), else defaultEnv, else the only one. */
export function resolveEnvironment(loaded: LoadedConfig, name?: string): { name: string; env: EnvironmentConfig } {
  const { environments, defaultEnv } = loaded.config
  const known = Object.keys(environments)
  const source = loaded.file ? displayPath(loaded.file, process.cwd()) : 'built-in default config'
  const chosen = name ?? defaultEnv ?? (known.length === 1 ? known[0] : undefined)
  if (chosen === undefined) {
    throw new ConfigError(
      source,
      'defaultEnv',
      `there are several environments (${known.join(', ')}) and no defaultEnv`,
      `pass --env ${known[0] ?? '<name>'}, or set defaultEnv in the config`,
    )
  }
  const env = Object.hasOwn(environments, chosen) ? environments[chosen] : undefined
  if (!env) {
    throw new ConfigError(
      source,
      'environments',
      `no environment named '${chosen}'; known environments: ${known.join(', ') || '(none)'}`,
      loaded.file
        ? `pass --env with one of: ${known.join(', ')}, or add environments.${chosen} to ${source}`
        : `pass --env ${known.join(' or ')}, or create golive.config.ts with an environment named ${chosen}`,
    )
  }
  const caError = loaded.caErrors?.[chosen]
  if (caError) throw caError
  const checkError = loaded.checkErrors?.[chosen]
  if (checkError) throw checkError
  return { name: chosen, env }
}

/** One line for the terminal: 'config: golive.config.ts'. */
export function describeConfigSource(loaded: LoadedConfig, cwd: string = process.cwd()): string {
  if (!loaded.file) return 'config: none found, using the built-in demo target (create golive.config.ts to test your own)'
  return `config: ${displayPath(loaded.file, cwd)}`
}
