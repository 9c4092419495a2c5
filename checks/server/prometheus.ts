// The Prometheus HTTP API as the server figures use it: the scrape interval (for $rate_interval),
// a query checked at time=now before any load (a bad PromQL is a config error, exit 2), and a
// range query over a window reduced to its maximum and mean. Every request has a time limit.

import { parse } from 'yaml'
import { parseDuration } from '../../core/units.js'

export class PromError extends Error {
  /** 'bad_data': Prometheus refused the expression; 'unreachable': no answer */
  constructor(
    message: string,
    readonly kind: 'bad_data' | 'unreachable' | 'other',
  ) {
    super(message)
  }
}

async function api(base: string, path: string, params: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
  const url = `${base.replace(/\/$/, '')}${path}`
  const sig = signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs)
  let res: Response
  try {
    res = await fetch(url, { method: 'POST', body: new URLSearchParams(params), headers: { accept: 'application/json' }, signal: sig })
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } }
    throw new PromError(`${url}: ${err.cause?.code ?? (err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : err.message)}`, 'unreachable')
  }
  const text = await res.text()
  let body: { status?: string; data?: unknown; errorType?: string; error?: string }
  try {
    body = JSON.parse(text)
  } catch {
    throw new PromError(`${url}: HTTP ${res.status}, not the Prometheus API (${text.slice(0, 80)})`, 'other')
  }
  if (body.status !== 'success') throw new PromError(body.error ?? `HTTP ${res.status}`, body.errorType === 'bad_data' ? 'bad_data' : 'other')
  return body.data
}

/** Prometheus's global scrape interval in seconds (its default, 60, when the config sets none). */
export async function scrapeIntervalS(base: string, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  const res = await fetch(`${base.replace(/\/$/, '')}/api/v1/status/config`, {
    signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
  })
    .then((r) => r.json() as Promise<{ data?: { yaml?: string } }>)
    .catch(() => null)
  try {
    const cfg = parse(res?.data?.yaml ?? '') as { global?: { scrape_interval?: string } } | null
    return Math.max(1, parseDuration(cfg?.global?.scrape_interval ?? '1m') / 1000)
  } catch {
    return 60
  }
}

/** $rate_interval → four scrape intervals, as Grafana's $__rate_interval. */
export function expandQuery(query: string, scrapeS: number): string {
  return query.replaceAll('$rate_interval', `${Math.ceil(4 * scrapeS)}s`)
}

/** Evaluates the expression once, now: Prometheus parses it and says what is wrong. */
export async function checkQuery(base: string, query: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  await api(base, '/api/v1/query', { query, time: String(Date.now() / 1000) }, timeoutMs, signal)
}

export interface WindowStats {
  max: number
  mean: number
  /** evaluation steps with a value */
  points: number
  /** series the query returned (more than one: each step's maximum across them) */
  series: number
}

/** The expression over [fromS, toS] every stepS seconds, reduced to max and mean; null when it
 *  returned nothing (no series, or only NaN). */
export async function windowStats(
  base: string,
  query: string,
  fromS: number,
  toS: number,
  stepS: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<WindowStats | null> {
  const data = (await api(base, '/api/v1/query_range', { query, start: String(fromS), end: String(toS), step: String(stepS) }, timeoutMs, signal)) as {
    resultType: string
    result: { values?: [number, string][] }[]
  }
  const byStep = new Map<number, number>()
  for (const s of data.result) {
    for (const [t, v] of s.values ?? []) {
      const n = Number(v)
      if (!Number.isFinite(n)) continue
      byStep.set(t, Math.max(byStep.get(t) ?? -Infinity, n))
    }
  }
  if (byStep.size === 0) return null
  const values = [...byStep.values()]
  return { max: Math.max(...values), mean: values.reduce((a, b) => a + b, 0) / values.length, points: values.length, series: data.result.length }
}
