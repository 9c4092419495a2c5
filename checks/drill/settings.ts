// Settings every drill shares (environments.<env>.checks.<failover|rolling-restart>): the
// steady-state probes, how recovery is judged, the staging stack's state directory. Read
// strictly: a mistyped bound must not turn a bounded drill into an unbounded one, and an unknown
// key (readPth) is refused with the closest known one. The reference app's paths and user are
// defaults only on golive's reference staging stack (reference.ts); elsewhere they are required.

import { settingsSchema, type SettingsSchema } from '../../core/check.js'
import { readDeclared } from '../../core/declared-settings.js'
import { isReferenceStack, refusal } from './reference.js'
import { actionSchema } from '../actions/parse.js'

const num = (min: number, max: number, dflt: number, description: string) => ({
  type: 'number',
  minimum: min,
  maximum: max,
  default: dflt,
  description,
  'x-expected': `a number from ${min} to ${max}`,
  'x-fix': `give a number from ${min} to ${max}`,
})
const str = (dflt: string | undefined, description: string) => ({
  type: 'string',
  minLength: 1,
  ...(dflt === undefined ? {} : { default: dflt }),
  description,
  'x-expected': 'a non-empty string',
  'x-fix': 'give a non-empty string',
})

/** The settings every drill shares; the defaults of paths and user are the reference stack's. */
const SHARED: SettingsSchema['properties'] = {
  readPath: str('/api/products?limit=5', 'the read probe: a GET path that must keep answering 2xx'),
  readRps: num(1, 200, 10, 'read probe requests per second'),
  write: {
    type: 'boolean',
    default: true,
    description: 'false: no write probe (no lost_writes, rpo_seconds)',
    'x-expected': 'true or false',
    'x-fix': 'set write to false to drop the write probe',
  },
  writeLoginPath: str('/api/login', 'the write probe logs in here first (POST username, password)'),
  writeUsername: str('user1000', "the write probe's user"),
  writePassword: str('golive-demo', "the write probe's password"),
  writePath: str('/api/orders', 'the write probe POSTs a record here'),
  writeBody: {
    default: '{"items":[{"productId":{{productId}},"quantity":1}]}',
    description: 'the JSON body written ({{seq}} becomes the sequence number): a string or an object',
  },
  writeIdField: str('id', "the field of the write's response that holds the record's id"),
  writeVerifyPath: str('/api/orders/{{id}}', 'where a written record is read back ({{id}})'),
  writeRps: num(0.5, 50, 4, 'write probe requests per second'),
  timeoutMs: num(100, 60_000, 2000, 'the time limit of each probe request, in ms'),
  maxInFlight: num(1, 200, 20, 'probe requests in flight at most'),
  stagingDir: str('.golive/staging', "golive's staging stack state directory (GOLIVE_STAGING_DIR)"),
  recoverAfter: num(1, 1000, 10, 'consecutive successful probe requests that mean the steady state is back'),
  warmupSeconds: num(0, 60, 2, 'seconds of probing before the fault: the steady state must hold'),
  minObserveSeconds: num(0, 600, 3, 'observe at least this long after the fault, even when nothing fails'),
  deadlineSeconds: num(1, 3600, 120, 'the fault and observation end by this many seconds after the fault'),
  rollbackTimeoutSeconds: num(1, 3600, 180, 'the time limit of each rollback action'),
}

const ACTIONS = actionSchema('the fault: an action or a list of them', { bareShell: true })

/** The settings each drill adds to the shared ones. */
const OWN: Record<string, SettingsSchema['properties']> = {
  failover: {
    experiments: {
      type: 'object',
      description: "name → { fault, rollback, underLoad }; default: the staging stack's app-instance and primary",
      propertyNames: {
        pattern: '^[a-z0-9][a-z0-9-]*$',
        'x-expected': 'lower-case letters, digits and dashes',
        'x-fix': 'name the experiment with lower-case letters, digits and dashes (it becomes part of the figure names)',
      },
      additionalProperties: {
        type: 'object',
        properties: {
          fault: ACTIONS,
          rollback: { ...ACTIONS, description: 'puts it back: an action or a list of them (always runs)' },
          underLoad: {
            type: 'string',
            minLength: 1,
            description: 'a scenario whose users hold while the fault is applied',
            'x-expected': 'a scenario name or file',
            'x-fix': "name one of the environment's scenarios, e.g. underLoad: 'load'",
          },
        },
        required: ['fault'],
        additionalProperties: false,
        'x-expected': '{ fault, rollback, underLoad }',
        'x-fix': 'write the experiment as { fault: [...], rollback: [...] }',
      },
      'x-expected': 'an object of name → { fault, rollback }',
      'x-fix': "write experiments as { primary: { fault: ['staging:stop-primary'], rollback: ['staging:heal'] } }",
    },
    only: {
      type: 'array',
      items: { type: 'string' },
      description: 'run only these experiments',
      'x-expected': 'a list of experiment names',
      'x-fix': "write only as a list: ['primary']",
    },
  },
  'rolling-restart': {
    deployCommand: { ...ACTIONS, description: 'the deploy or restart, instance by instance (default on the staging stack: restart app1, then app2)' },
    rollbackCommand: { ...ACTIONS, description: 'a rollback to time as well (figures rollback_*)' },
    restore: { ...ACTIONS, description: 'run after the drill to put things back (default on the staging stack: staging:heal)' },
    minObserveSeconds: num(0, 600, 1, SHARED.minObserveSeconds!.description as string),
    deadlineSeconds: num(1, 3600, 600, SHARED.deadlineSeconds!.description as string),
  },
}

// one object per drill: its validator is compiled once (core/declared-settings.ts)
const SCHEMAS: Partial<Record<string, SettingsSchema>> = {}

/** A drill's settings schema: the shared settings and its own (destructive: no underLoad). */
export function drillSettingsSchema(check: 'failover' | 'rolling-restart'): SettingsSchema {
  return (SCHEMAS[check] ??= settingsSchema({ ...SHARED, ...OWN[check] }, { underLoad: false }))
}
/** write-probe settings that have a default only on the reference stack */
const WRITE_KEYS = ['writeLoginPath', 'writeUsername', 'writePassword', 'writePath', 'writeBody', 'writeVerifyPath']

/** Is this drill on the reference stack? (its stagingDir holds a stack whose edge is baseUrl) */
export function onReferenceStack(s: Record<string, unknown>, baseUrl: string): boolean {
  const dir = typeof s.stagingDir === 'string' && s.stagingDir ? s.stagingDir : (process.env.GOLIVE_STAGING_DIR ?? '.golive/staging')
  return isReferenceStack(dir, baseUrl)
}

/** The probe settings a drill outside the reference stack must be given. */
export function missingProbeSettings(s: Record<string, unknown>, check: string): string[] {
  const missing = s.readPath === undefined ? [`checks.${check}.readPath`] : []
  if (s.write !== false) {
    const w = WRITE_KEYS.filter((k) => s[k] === undefined)
    if (w.length)
      missing.push(`${w.map((k) => `checks.${check}.${k}`).join(', ')} (or checks.${check}.write: false: then no lost_writes / rpo_seconds are measured)`)
  }
  return missing
}

export interface ProbeSettings {
  readPath: string
  readRps: number
  write:
    | false
    | {
        loginPath: string
        username: string
        password: string
        path: string
        /** JSON body; {{seq}} becomes the sequence number */
        body: string
        idField: string
        /** where a record is read back; {{id}} becomes its id */
        verifyPath: string
        rps: number
      }
  timeoutMs: number
  maxInFlight: number
}

export interface DrillSettings {
  probes: ProbeSettings
  stagingDir: string
  /** consecutive successful probe requests that mean the steady state holds again */
  recoverAfter: number
  /** seconds of probing before the fault: the steady state must hold */
  warmupSeconds: number
  /** at least this long after the fault starts, even when nothing fails */
  minObserveSeconds: number
  /** the fault and observation end by this many seconds after the fault started */
  deadlineSeconds: number
  /** per rollback action */
  rollbackTimeoutSeconds: number
}

export function readDrillSettings(
  raw: Record<string, unknown>,
  check: 'failover' | 'rolling-restart',
  defaults: { deadlineSeconds: number },
  where?: { reference: boolean; envName: string; missing?: string[] },
): DrillSettings {
  // types, bounds, unknown keys and defaults: the declaration (the same one loadConfig checked)
  const s = readDeclared(check, drillSettingsSchema(check), raw)
  // the settings given, not the defaults: outside the reference stack those are refused
  if (where && !where.reference) {
    const why = refusal(check, where.envName, [...missingProbeSettings(raw, check), ...(where.missing ?? []).map((m) => `checks.${check}.${m}`)])
    if (why) throw new RefusedError(why)
  }
  const str = (k: string) => s[k] as string
  const num = (k: string) => s[k] as number
  return {
    probes: {
      readPath: str('readPath'),
      readRps: num('readRps'),
      write:
        s.write === false
          ? false
          : {
              loginPath: str('writeLoginPath'),
              username: str('writeUsername'),
              password: str('writePassword'),
              path: str('writePath'),
              body: typeof s.writeBody === 'string' ? s.writeBody : JSON.stringify(s.writeBody),
              idField: str('writeIdField'),
              verifyPath: str('writeVerifyPath'),
              rps: num('writeRps'),
            },
      timeoutMs: num('timeoutMs'),
      maxInFlight: Math.floor(num('maxInFlight')),
    },
    stagingDir: typeof raw.stagingDir === 'string' ? raw.stagingDir : (process.env.GOLIVE_STAGING_DIR ?? '.golive/staging'),
    recoverAfter: Math.floor(num('recoverAfter')),
    warmupSeconds: num('warmupSeconds'),
    minObserveSeconds: num('minObserveSeconds'),
    // the caller's default over the declared one
    deadlineSeconds: (raw.deadlineSeconds as number | undefined) ?? defaults.deadlineSeconds,
    rollbackTimeoutSeconds: num('rollbackTimeoutSeconds'),
  }
}

/** A drill that will not start without settings it names (a skipped check, not a broken one). */
export class RefusedError extends Error {}
