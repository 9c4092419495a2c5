// Small, bounded readers of the Prometheus and Alertmanager HTTP APIs: every request has a
// timeout, nothing is retried, and a failure names the URL and what to check.

export class ApiError extends Error {}

export async function getJson<T>(base: string, path: string, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  const url = base.replace(/\/$/, '') + path
  const sig = signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs)
  let res: Response
  try {
    res = await fetch(url, { signal: sig, headers: { accept: 'application/json' } })
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } }
    const why = err.cause?.code ?? (err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : err.message)
    throw new ApiError(`${url}: ${why}`)
  }
  const text = await res.text()
  if (!res.ok) throw new ApiError(`${url}: HTTP ${res.status} ${text.slice(0, 200)}`)
  try {
    return JSON.parse(text) as T
  } catch {
    throw new ApiError(`${url}: not JSON (${text.slice(0, 100)})`)
  }
}

/** Prometheus wraps its answers in { status, data }. */
export async function promData<T>(prom: string, path: string, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  const r = await getJson<{ status: string; data: T; error?: string }>(prom, path, timeoutMs, signal)
  if (r.status !== 'success') throw new ApiError(`${prom}${path}: ${r.error ?? r.status}`)
  return r.data
}

export interface PromAlert {
  labels: Record<string, string>
  annotations?: Record<string, string>
  state: 'pending' | 'firing' | 'inactive'
  activeAt?: string
  value?: string
}
export interface PromRule {
  type: 'alerting' | 'recording'
  name: string
  query: string
  duration?: number
  labels?: Record<string, string>
  health?: string
  lastError?: string
  state?: string
  alerts?: PromAlert[]
}
export interface PromRuleGroup {
  name: string
  file: string
  interval: number
  rules: PromRule[]
}
export interface PromTarget {
  labels: Record<string, string>
  scrapePool: string
  scrapeUrl: string
  health: 'up' | 'down' | 'unknown'
  lastError: string
  lastScrape: string
  scrapeInterval?: string
}
export interface AmAlert {
  labels: Record<string, string>
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy?: string[]; inhibitedBy?: string[] }
  startsAt: string
  endsAt: string
  receivers?: { name: string }[]
}
export interface AmStatus {
  cluster: { status: string; peers?: unknown[]; name?: string }
  config: { original: string }
  uptime?: string
  versionInfo?: { version?: string }
}

export const promAlerts = (prom: string, t: number, s?: AbortSignal) => promData<{ alerts: PromAlert[] }>(prom, '/api/v1/alerts', t, s).then((d) => d.alerts)
export const promRules = (prom: string, t: number, s?: AbortSignal) =>
  promData<{ groups: PromRuleGroup[] }>(prom, '/api/v1/rules?type=alert', t, s).then((d) => d.groups)
export const promConfigYaml = (prom: string, t: number, s?: AbortSignal) => promData<{ yaml: string }>(prom, '/api/v1/status/config', t, s).then((d) => d.yaml)
export const promTargets = (prom: string, t: number, s?: AbortSignal) =>
  promData<{ activeTargets: PromTarget[] }>(prom, '/api/v1/targets?state=active', t, s).then((d) => d.activeTargets)
export const promAlertmanagers = (prom: string, t: number, s?: AbortSignal) =>
  promData<{ activeAlertmanagers: { url: string }[] }>(prom, '/api/v1/alertmanagers', t, s).then((d) => d.activeAlertmanagers.map((a) => a.url))
export const promQuery = <T = { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[]>(
  prom: string,
  q: string,
  t: number,
  s?: AbortSignal,
) => promData<{ resultType: string; result: T }>(prom, `/api/v1/query?query=${encodeURIComponent(q)}`, t, s).then((d) => d.result)

export const amAlerts = (am: string, alertname: string, t: number, s?: AbortSignal) =>
  getJson<AmAlert[]>(am, `/api/v2/alerts?filter=${encodeURIComponent(`alertname="${alertname.replace(/(["\\])/g, '\\$1')}"`)}`, t, s)
export const amStatus = (am: string, t: number, s?: AbortSignal) => getJson<AmStatus>(am, '/api/v2/status', t, s)

/** The Alertmanager base URL from the URL Prometheus posts to (…/api/v2/alerts). */
export function alertmanagerBase(url: string): string {
  return url.replace(/\/api\/v[12]\/alerts\/?$/, '')
}
