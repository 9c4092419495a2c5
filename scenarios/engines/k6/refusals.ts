// What a k6 script cannot carry. The script holds a compiled copy of the scenario's data plus,
// for hooks (a step's before / after / run), the scenario file bundled by esbuild; a function
// anywhere else (a computed body) cannot cross into it, and a field the compiler does not know
// would be silently ignored. Both are refused at build time with the reason.

import { UsageError } from '../../../core/errors.js'
import type { AnyStep, Scenario } from '../../dsl.js'

const SCENARIO_KEYS = new Set([
  'name',
  'description',
  'profile',
  'steps',
  'thinkTime',
  'pacing',
  'data',
  'vars',
  'headers',
  'cookies',
  'redirects',
  'journeys',
  'setup',
  'teardown',
  'before',
  'after',
])
const STEP_KEYS = new Set([
  'name',
  'method',
  'path',
  'headers',
  'json',
  'body',
  'capture',
  'check',
  'thinkTime',
  'timeout',
  'form',
  'multipart',
  'redirects',
  'when',
  'repeat',
  'forEach',
  'before',
  'after',
  'run',
  'group',
  'metric',
])

export function assertK6Expressible(s: Scenario, file: string): void {
  const refuse = (path: string, problem: string, fix: string): never => {
    throw new UsageError(`${file}: ${path}: ${problem}; the k6 compiler refuses it rather than drop it`, fix)
  }
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'function') {
      if (/^(?:before|setup|steps|teardown|after|journeys\[\d+\]\.steps)\[\d+\]\.(before|after|run)$/.test(path)) return
      refuse(
        path,
        "is a function, and only hooks (a step's before, after, run) cross into a k6 script as code",
        'replace it with data (templates, captures, checks), or compute it in a before hook',
      )
    }
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`)
  }
  for (const k of Object.keys(s)) {
    if (!SCENARIO_KEYS.has(k)) refuse(k, 'is not a scenario field the k6 compiler knows', `remove it, or use one of ${[...SCENARIO_KEYS].join(', ')}`)
  }
  for (const [path, list] of stepLists(s))
    list.forEach((st, i) => {
      for (const k of Object.keys(st ?? {})) {
        if (!STEP_KEYS.has(k))
          refuse(`${path}[${i}].${k}`, `is not a step field the k6 compiler knows`, `remove it, or use one of ${[...STEP_KEYS].join(', ')}`)
      }
    })
  for (const [k, v] of Object.entries(s)) walk(v, k)
}

/** every list of steps in a scenario, with its place */
function stepLists(s: Scenario): [string, AnyStep[]][] {
  const out: [string, AnyStep[]][] = []
  for (const k of ['before', 'setup', 'steps', 'teardown', 'after'] as const) if (Array.isArray(s[k])) out.push([k, s[k]])
  if (Array.isArray(s.journeys))
    s.journeys.forEach((j, i) => {
      if (Array.isArray(j?.steps)) out.push([`journeys[${i}].steps`, j.steps])
    })
  return out
}
