// Durations, sizes and target values with units. One place, so that '500ms', '2s' and '0.1%'
// mean the same thing in config, scenarios and gates.

import type { Unit } from './results.js'

const DURATION_RE = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)$/

const DURATION_FACTORS_MS: Record<string, number> = {
  us: 0.001,
  µs: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}

/** Parses '500ms', '2s', '1.5m', '1h' (or a number of milliseconds) into milliseconds. */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new UnitError(`expected a non-negative duration, got ${input}`)
    return input
  }
  // '1m30s' style compound durations, as k6 accepts them
  const parts = input.trim().match(/\d+(?:\.\d+)?(?:us|µs|ms|s|m|h)/g)
  if (!parts || parts.join('') !== input.trim()) {
    throw new UnitError(`'${input}' is not a duration: write it like 500ms, 30s, 5m or 1h`)
  }
  let total = 0
  for (const part of parts) {
    const m = DURATION_RE.exec(part)!
    total += Number(m[1]) * DURATION_FACTORS_MS[m[2]!]!
  }
  return total
}

export function isDuration(input: string): boolean {
  try {
    parseDuration(input)
    return true
  } catch {
    return false
  }
}

/** Formats milliseconds the way a person reads them: 850 ms, 2.4 s, 3 min 20 s. */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${round(ms * 1000, 0)} µs`
  if (ms < 1000) return `${round(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0)} ms`
  if (ms < 60_000) return `${round(ms / 1000, 2)} s`
  const min = Math.floor(ms / 60_000)
  const s = Math.round((ms - min * 60_000) / 1000)
  return s ? `${min} min ${s} s` : `${min} min`
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

/** Renders a figure's value with its unit for tables and messages. */
export function formatValue(value: number | string | null | undefined, unit?: Unit): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return value
  switch (unit) {
    case 'ms':
      return formatDuration(value)
    case 's':
      return `${round(value, 2)} s`
    case '%':
      return `${round(value, value < 1 ? 3 : 2)} %`
    case 'B':
      return formatBytes(value)
    case 'rps':
      return `${round(value, 1)} req/s`
    case 'count':
      return String(round(value, 2))
    default:
      return String(round(value, 3))
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let i = 0
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024
    i++
  }
  return `${round(n, i === 0 ? 0 : 1)} ${units[i]}`
}

export class UnitError extends Error {}
