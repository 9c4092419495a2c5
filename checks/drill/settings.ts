// Settings every drill shares (environments.<env>.checks.<failover|rolling-restart>): the
// steady-state probes, how recovery is judged, the staging stack's state directory. Read
// strictly: a mistyped bound must not turn a bounded drill into an unbounded one.

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

export function readDrillSettings(s: Record<string, unknown>, check: string, defaults: { deadlineSeconds: number }): DrillSettings {
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
