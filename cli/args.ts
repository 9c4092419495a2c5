// Command-line options: node's parseArgs, with errors a person can act on.

import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from '../core/errors.js'

export type Options = NonNullable<ParseArgsConfig['options']>

export const COMMON: Options = {
  config: { type: 'string', short: 'c' },
  env: { type: 'string', short: 'e' },
  out: { type: 'string', short: 'o' },
  format: { type: 'string', short: 'f' },
  ci: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean' },
}

export const LOAD: Options = {
  target: { type: 'string', short: 't' },
  scenario: { type: 'string', short: 's', multiple: true },
  vus: { type: 'string', short: 'u' },
  duration: { type: 'string', short: 'd' },
  iterations: { type: 'string' },
  engine: { type: 'string' },
  workers: { type: 'string' },
  segments: { type: 'string' },
  ca: { type: 'string' },
  baseline: { type: 'string' },
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>
  positionals: string[]
}

export function parse(command: string, argv: string[], options: Options, maxPositionals = 0): Parsed {
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
    if (r.positionals.length > maxPositionals) {
      throw new UsageError(`golive ${command}: unexpected argument '${r.positionals[maxPositionals]}'`, `see golive ${command} --help`)
    }
    return r as Parsed
  } catch (e) {
    if (e instanceof UsageError) throw e
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '')
    throw new UsageError(`golive ${command}: ${msg}`, `see golive ${command} --help`)
  }
}

export function positiveInt(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} ${String(v)}: expected a whole number above 0`, `write e.g. --${name} 50`)
  return n
}

/** --workers N or --workers auto (one per core, less one for a local target) */
export function workersArg(v: unknown): number | 'auto' | undefined {
  if (v === 'auto') return 'auto'
  try {
    return positiveInt('workers', v)
  } catch {
    throw new UsageError(
      `--workers ${String(v)}: expected a whole number above 0, or auto`,
      'write e.g. --workers 2, or --workers auto (one per core, less one when the target is on this machine)',
    )
  }
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}
