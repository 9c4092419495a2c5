// Settings every drill shares (environments.<env>.checks.<failover|rolling-restart>): the
// steady-state probes, how recovery is judged, the staging stack's state directory. Read
// strictly: a mistyped bound must not turn a bounded drill into an unbounded one, and an unknown
// key (readPth) is refused with the closest known one. The reference app's paths and user are
// defaults only on golive's reference staging stack (reference.ts); elsewhere they are required.

import { closest } from '../../core/config-path.js'
import { isReferenceStack, refusal } from './reference.js'

const SHARED_KEYS = ['readPath', 'readRps', 'write', 'writeLoginPath', 'writeUsername', 'writePassword', 'writePath', 'writeBody', 'writeIdField', 'writeVerifyPath', 'writeRps',
  'timeoutMs', 'maxInFlight', 'stagingDir', 'recoverAfter', 'warmupSeconds', 'minObserveSeconds', 'deadlineSeconds', 'rollbackTimeoutSeconds']
/** the settings each drill adds to the shared ones */
export const DRILL_KEYS: Record<string, string[]> = { failover: ['experiments', 'only'], 'rolling-restart': ['deployCommand', 'rollbackCommand', 'restore'] }
/** write-probe settings that have a default only on the reference stack */
const WRITE_KEYS = ['writeLoginPath', 'writeUsername', 'writePassword', 'writePath', 'writeBody', 'writeVerifyPath']

/** Throws naming an unknown setting and the closest known one. */
export function refuseUnknown(s: Record<string, unknown>, check: string): void {
  const known = [...SHARED_KEYS, ...(DRILL_KEYS[check] ?? [])]
  for (const k of Object.keys(s)) {
    if (known.includes(k)) continue
    const near = closest(k, known)
    throw new Error(`checks.${check}.${k}: unknown setting${near ? ` (did you mean ${near}?)` : ''}; known: ${known.join(', ')}`)
  }
}

/** Is this drill on the reference stack? (its stagingDir holds a stack whose edge is baseUrl) */
export function onReferenceStack(s: Record<string, unknown>, baseUrl: string): boolean {
  const dir = typeof s.stagingDir === 'string' && s.stagingDir ? s.stagingDir : process.env.GOLIVE_STAGING_DIR ?? '.golive/staging'
  return isReferenceStack(dir, baseUrl)
}

/** The probe settings a drill outside the reference stack must be given. */
export function missingProbeSettings(s: Record<string, unknown>, check: string): string[] {
  const missing = s.readPath === undefined ? [`checks.${check}.readPath`] : []
  if (s.write !== false) {
    const w = WRITE_KEYS.filter((k) => s[k] === undefined)
    if (w.length) missing.push(`${w.map((k) => `checks.${check}.${k}`).join(', ')} (or checks.${check}.write: false: then no lost_writes / rpo_seconds are measured)`)
  }
  return missing
}

export interface ProbeSettings {
  readPath: string
  readRps: number
  write: false | {
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

export type Reader = ReturnType<typeof reader>

export function reader(s: Record<string, unknown>, check: string) {
  const bad = (key: string, want: string): never => { throw new Error(`checks.${check}.${key}: expected ${want}, got ${JSON.stringify(s[key])}`) }
  return {
    num(key: string, dflt: number, min: number, max: number): number {
      const v = s[key]
      if (v === undefined) return dflt
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) bad(key, `a number from ${min} to ${max}`)
      return v as number
    },
    str(key: string, dflt: string): string {
      const v = s[key]
      if (v === undefined) return dflt
      if (typeof v !== 'string' || v === '') bad(key, 'a non-empty string')
      return v as string
    },
    bad,
  }
}

export function readDrillSettings(s: Record<string, unknown>, check: string, defaults: { deadlineSeconds: number }, where?: { reference: boolean; envName: string; missing?: string[] }): DrillSettings {
  refuseUnknown(s, check)
  if (where && !where.reference) {
    const why = refusal(check, where.envName, [...missingProbeSettings(s, check), ...(where.missing ?? []).map((m) => `checks.${check}.${m}`)])
    if (why) throw new RefusedError(why)
  }
  const r = reader(s, check)
  const body = s.writeBody === undefined ? '{"items":[{"productId":{{productId}},"quantity":1}]}'
    : typeof s.writeBody === 'string' ? s.writeBody : JSON.stringify(s.writeBody)
  return {
    probes: {
      readPath: r.str('readPath', '/api/products?limit=5'),
      readRps: r.num('readRps', 10, 1, 200),
      write: s.write === false ? false : {
        loginPath: r.str('writeLoginPath', '/api/login'),
        username: r.str('writeUsername', 'user1000'),
        password: r.str('writePassword', 'golive-demo'),
        path: r.str('writePath', '/api/orders'),
        body,
        idField: r.str('writeIdField', 'id'),
        verifyPath: r.str('writeVerifyPath', '/api/orders/{{id}}'),
        rps: r.num('writeRps', 4, 0.5, 50),
      },
      timeoutMs: r.num('timeoutMs', 2000, 100, 60_000),
      maxInFlight: Math.floor(r.num('maxInFlight', 20, 1, 200)),
    },
    stagingDir: r.str('stagingDir', process.env.GOLIVE_STAGING_DIR ?? '.golive/staging'),
    recoverAfter: Math.floor(r.num('recoverAfter', 10, 1, 1000)),
    warmupSeconds: r.num('warmupSeconds', 2, 0, 60),
    minObserveSeconds: r.num('minObserveSeconds', 3, 0, 600),
    deadlineSeconds: r.num('deadlineSeconds', defaults.deadlineSeconds, 1, 3600),
    rollbackTimeoutSeconds: r.num('rollbackTimeoutSeconds', 180, 1, 3600),
  }
}

/** A drill that will not start without settings it names (a skipped check, not a broken one). */
export class RefusedError extends Error {}
