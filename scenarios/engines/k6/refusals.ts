// What a k6 script cannot carry. The script holds a compiled copy of the scenario's data plus,
// for hooks (a step's before / after / run), the scenario file bundled by esbuild; a function
// anywhere else (a computed body) cannot cross into it, and a field the compiler does not know
// would be silently ignored. Both are refused at build time with the reason.

import { UsageError } from '../../../core/errors.js'
import type { Scenario } from '../../dsl.js'

const SCENARIO_KEYS = new Set(['name', 'description', 'profile', 'steps', 'thinkTime', 'pacing', 'data', 'vars', 'headers', 'cookies', 'redirects'])
const STEP_KEYS = new Set(['name', 'method', 'path', 'headers', 'json', 'body', 'capture', 'check', 'thinkTime', 'timeout', 'form', 'multipart', 'redirects', 'when', 'repeat', 'forEach', 'before', 'after', 'run'])

export function assertK6Expressible(s: Scenario, file: string): void {
  const refuse = (path: string, problem: string, fix: string): never => {
    throw new UsageError(`${file}: ${path}: ${problem}; the k6 compiler refuses it rather than drop it`, fix)
  }
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'function') {
      if (/^steps\[\d+\]\.(before|after|run)$/.test(path)) return
      refuse(path, 'is a function, and only hooks (a step\'s before, after, run) cross into a k6 script as code', 'replace it with data (templates, captures, checks), or compute it in a before hook')
    }
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`)
  }
  for (const k of Object.keys(s)) {
    if (!SCENARIO_KEYS.has(k)) refuse(k, 'is not a scenario field the k6 compiler knows', `remove it, or use one of ${[...SCENARIO_KEYS].join(', ')}`)
  }
  s.steps.forEach((st, i) => {
    for (const k of Object.keys(st ?? {})) {
      if (!STEP_KEYS.has(k)) refuse(`steps[${i}].${k}`, `is not a step field the k6 compiler knows`, `remove it, or use one of ${[...STEP_KEYS].join(', ')}`)
    }
  })
  for (const [k, v] of Object.entries(s)) walk(v, k)
}
