// What the two app instances share through Redis: login tokens (a login on app1 is valid on app2),
// failed-login counters for the lockout, and the fault flags drills set (with a TTL, so every
// fault ends by itself).

import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { LoginGuard, Sessions } from './app.js'

export const SESSION_TTL_S = 3600
export const LOCKOUT = { failures: 5, windowS: 300, lockS: 60 }
export const FAULT_KEYS = { slowDb: 'golive:fault:slow-db', errorBurst: 'golive:fault:error-burst' } as const

export function connectRedis(url: string): Redis {
  const r = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: false, lazyConnect: false })
  r.on('error', () => {
    /* /ready reports it; ioredis reconnects by itself */
  })
  return r
}

export function redisSessions(r: Redis): Sessions {
  return {
    async issue(userId) {
      const token = randomBytes(16).toString('hex')
      await r.set(`golive:session:${token}`, String(userId), 'EX', SESSION_TTL_S)
      return token
    },
    async userOf(token) {
      const v = await r.get(`golive:session:${token}`)
      return v === null ? undefined : Number(v)
    },
  }
}

/** After LOCKOUT.failures failed logins within windowS, the user is locked out for lockS. */
export function redisLoginGuard(r: Redis): LoginGuard {
  const fails = (u: string) => `golive:login-failures:${u}`
  const lock = (u: string) => `golive:locked:${u}`
  return {
    async lockedFor(username) {
      const ttl = await r.ttl(lock(username))
      return ttl > 0 ? ttl : 0
    },
    async failed(username) {
      const n = await r.incr(fails(username))
      if (n === 1) await r.expire(fails(username), LOCKOUT.windowS)
      if (n >= LOCKOUT.failures) {
        await r.set(lock(username), '1', 'EX', LOCKOUT.lockS)
        await r.del(fails(username))
      }
    },
    async succeeded(username) {
      await r.del(fails(username))
    },
  }
}

/** Fault flags, read at most every 500 ms (not once per request). */
export function faultFlags(r: Redis): { slowDbMs(): number; errorBurstRatio(): number; stop(): void } {
  let slow = 0,
    burst = 0
  const refresh = async () => {
    try {
      const [s, b] = await r.mget(FAULT_KEYS.slowDb, FAULT_KEYS.errorBurst)
      slow = Number(s ?? 0) || 0
      burst = Number(b ?? 0) || 0
    } catch {
      /* Redis away: keep the last known flags */
    }
  }
  void refresh()
  const timer = setInterval(refresh, 500)
  timer.unref()
  return { slowDbMs: () => slow, errorBurstRatio: () => burst, stop: () => clearInterval(timer) }
}
