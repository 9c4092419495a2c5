// Pure functions of what the rate-limit drill saw: no network here, unit-tested directly.

import { isIP } from 'node:net'

/** Loopback: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (h === 'localhost' || h.endsWith('.localhost')) return true
  if (isIP(h) === 4) return h.startsWith('127.')
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h)
  return false
}

export interface Attempt {
  /** 1-based */
  n: number
  /** seconds since the first attempt was sent, when its answer arrived */
  t: number
  status: number | null
  /** transport error code when there was no HTTP answer */
  error?: string
  refused: boolean
}

/** An answer that means "you are blocked": a block status, a lockout text, or (after the
 *  route answered normally before) no HTTP answer at all (a dropped connection, a firewall). */
export function isRefusal(status: number | null, body: string, blockStatuses: readonly number[], lockout: RegExp): boolean {
  if (status === null) return true
  if (blockStatuses.includes(status)) return true
  return status >= 400 && lockout.test(body)
}

export type LoginOutcome =
  | { kind: 'blocked'; before: number; seconds: number; at: Attempt }
  | { kind: 'not-blocked'; attempts: number; capReached: boolean; seconds: number }

export function loginOutcome(attempts: readonly Attempt[], maxAttempts: number): LoginOutcome {
  const first = attempts.find((a) => a.refused)
  if (first) return { kind: 'blocked', before: first.n - 1, seconds: first.t, at: first }
  const last = attempts[attempts.length - 1]
  return { kind: 'not-blocked', attempts: attempts.length, capReached: attempts.length >= maxAttempts, seconds: last?.t ?? 0 }
}

/** Rates to try: start, start·factor, … up to max (max itself last if the ramp jumps past it). */
export function rampRates(start: number, factor: number, max: number): number[] {
  const rates: number[] = []
  for (let r = start; r < max && rates.length < 200; r *= factor) rates.push(Math.round(r))
  rates.push(max)
  return [...new Set(rates)].filter((r) => r <= max)
}

export interface FloodStep {
  /** requests per minute asked for */
  rpm: number
  /** what was sent, per minute, over the step's real duration */
  achievedRpm: number
  sent: number
  answered: number
  limited: number
  statuses: Record<string, number>
  seconds: number
  /** the step ran its whole length (not cut by a 429, a cap or Ctrl-C) */
  complete: boolean
}

export type FloodOutcome =
  | { kind: 'limited'; before: number; limitedAt: number }
  | { kind: 'not-limited'; upTo: number; capReached: boolean }
  | { kind: 'inconclusive'; why: string }

/** The highest rate that drew no limit status, and the one that did. */
export function floodOutcome(steps: readonly FloodStep[], lastRate: number): FloodOutcome {
  const hit = steps.findIndex((s) => s.limited > 0)
  if (hit < 0 && steps.length > 0 && steps.every((s) => okCount(s) === 0)) {
    return {
      kind: 'inconclusive',
      why: `no request of the flood was answered with 2xx (${describe(steps[0]!.statuses)}): the route is wrong or this client is blocked`,
    }
  }
  if (hit >= 0) {
    const clean = steps.slice(0, hit).filter((s) => s.complete)
    return { kind: 'limited', before: clean.length ? effectiveRpm(clean[clean.length - 1]!) : 0, limitedAt: steps[hit]!.rpm }
  }
  const done = steps.filter((s) => s.complete)
  if (done.length === 0) return { kind: 'inconclusive', why: 'no step of the flood ran to its end' }
  const top = done[done.length - 1]!
  return { kind: 'not-limited', upTo: effectiveRpm(top), capReached: top.rpm >= lastRate && effectiveRpm(top) === top.rpm }
}

/** The rate a step really sent: the one asked for, unless the client fell more than 10 % short
 *  (a slow server holding floodMaxInFlight requests): then what it achieved. */
export function effectiveRpm(s: FloodStep): number {
  return s.achievedRpm < 0.9 * s.rpm ? s.achievedRpm : s.rpm
}

function okCount(s: FloodStep): number {
  return Object.entries(s.statuses)
    .filter(([k]) => /^2\d\d$/.test(k))
    .reduce((a, [, v]) => a + v, 0)
}

function describe(statuses: Record<string, number>): string {
  return (
    Object.entries(statuses)
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ') || 'no answers'
  )
}
