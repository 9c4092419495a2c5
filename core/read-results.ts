// Reads and validates a results.json, for `golive gate --from` and `golive report --from`.

import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { UsageError } from './errors.js'
import type { Results } from './results.js'
import schema from './results.schema.json' with { type: 'json' }

let validate: ReturnType<Ajv['compile']> | undefined

export function validateResults(data: unknown): string | null {
  validate ??= new Ajv({ allErrors: false, strict: false }).compile(schema)
  if (validate(data)) return null
  const e = validate.errors![0]!
  return `${e.instancePath || '(top level)'} ${e.message}`
}

/** A results.json file, or a run directory holding one. */
export function readResults(path: string): Results {
  let file = path
  try {
    if (statSync(path).isDirectory()) file = join(path, 'results.json')
  } catch {
    throw new UsageError(`${path}: no such file or directory`, 'pass the results.json of a run (e.g. .golive/runs/latest/results.json)')
  }
  let data: unknown
  try {
    data = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new UsageError(`${file}: not readable as JSON (${(e as Error).message})`, 'pass a results.json written by golive')
  }
  if (data && typeof data === 'object' && (data as { schemaVersion?: unknown }).schemaVersion !== 1) {
    throw new UsageError(
      `${file}: schemaVersion ${JSON.stringify((data as { schemaVersion?: unknown }).schemaVersion)} is not one this golive reads (1)`,
      'use the golive version that wrote it, or rerun the test',
    )
  }
  const problem = validateResults(data)
  if (problem) throw new UsageError(`${file}: not a golive results.json: ${problem}`, 'pass a results.json written by golive')
  return data as Results
}
