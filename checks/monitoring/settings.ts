// The monitoring check's settings (environments.<env>.checks.monitoring), read strictly.

import { parseDuration } from '../../core/units.js'
import { settingsReader } from '../settings-reader.js'

export interface RequiredMetric { metric: string; maxAgeSeconds: number }
export interface MonitoringSettings {
  prometheus: string
  alertmanager?: string
  requiredMetrics: RequiredMetric[]
  /** the dead man's switch alert, or false */
  watchdog: string | false
  grafana?: { url: string; token?: string; dashboards: string[] }
  timeoutMs: number
}

const { where, fail, url } = settingsReader('monitoring')
function age(v: unknown, path: string): number {
  try {
    const s = typeof v === 'number' ? v : parseDuration(v as string) / 1000
    if (s > 0 && s <= 86400) return s
  } catch { /* below */ }
  return fail(path, "a duration ('30s', '5m') up to 1 day", v)
}

export function readSettings(raw: Record<string, unknown>): MonitoringSettings {
  const known = new Set(['prometheus', 'alertmanager', 'requiredMetrics', 'maxAge', 'watchdog', 'grafana', 'timeoutMs'])
  for (const k of Object.keys(raw)) if (!known.has(k)) throw new Error(`${where(k)}: unknown setting; the settings are ${[...known].join(', ')}`)
  if (raw.prometheus === undefined) throw new Error(`${where('prometheus')}: missing: give the Prometheus URL (http://127.0.0.1:18440 for the staging stack)`)
  const dfltAge = raw.maxAge === undefined ? 60 : age(raw.maxAge, 'maxAge')
  const list = raw.requiredMetrics ?? []
  if (!Array.isArray(list)) fail('requiredMetrics', "a list of metric names or { metric, maxAge: '30s' }", list)
  // a metric name, or a selector: pg_up{role="replica"}
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?$/
  const requiredMetrics = (list as unknown[]).map((m, i): RequiredMetric => {
    if (typeof m === 'string' && name.test(m)) return { metric: m, maxAgeSeconds: dfltAge }
    const o = m as { metric?: unknown; maxAge?: unknown }
    if (typeof o === 'object' && o !== null && typeof o.metric === 'string' && name.test(o.metric)) {
      return { metric: o.metric, maxAgeSeconds: o.maxAge === undefined ? dfltAge : age(o.maxAge, `requiredMetrics[${i}].maxAge`) }
    }
    return fail(`requiredMetrics[${i}]`, "a metric name (http_requests_total) or { metric, maxAge: '30s' }", m)
  })
  const watchdog = raw.watchdog === undefined ? 'Watchdog' : raw.watchdog
  if (watchdog !== false && (typeof watchdog !== 'string' || !watchdog)) fail('watchdog', "the dead man's switch alert's name, or false", watchdog)
  let grafana: MonitoringSettings['grafana']
  if (raw.grafana !== undefined) {
    const g = raw.grafana as { url?: unknown; token?: unknown; dashboards?: unknown }
    if (typeof g !== 'object' || g === null) fail('grafana', '{ url, token?, dashboards: [uid, …] }', g)
    if (!Array.isArray(g.dashboards) || !g.dashboards.length || !g.dashboards.every((d) => typeof d === 'string')) fail('grafana.dashboards', 'a list of dashboard uids', g.dashboards)
    if (g.token !== undefined && typeof g.token !== 'string') fail('grafana.token', 'a string (${env:GRAFANA_TOKEN})', '(hidden)')
    grafana = { url: url(g.url, 'grafana.url'), dashboards: g.dashboards as string[], ...(g.token ? { token: g.token as string } : {}) }
  }
  const timeoutMs = raw.timeoutMs ?? 5000
  if (typeof timeoutMs !== 'number' || timeoutMs < 100 || timeoutMs > 60_000) fail('timeoutMs', 'a number from 100 to 60000', timeoutMs)
  return {
    prometheus: url(raw.prometheus, 'prometheus'),
    ...(raw.alertmanager !== undefined ? { alertmanager: url(raw.alertmanager, 'alertmanager') } : {}),
    requiredMetrics, watchdog: watchdog as string | false, ...(grafana ? { grafana } : {}), timeoutMs: timeoutMs as number,
  }
}
