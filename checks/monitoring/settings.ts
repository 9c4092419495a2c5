// The monitoring check's settings (environments.<env>.checks.monitoring), read strictly.

import { settingsSchema } from '../../core/check.js'
import { assertSettings, withDefaults } from '../../core/declared-settings.js'
import { parseDuration } from '../../core/units.js'
import { settingsReader } from '../settings-reader.js'

export interface RequiredMetric {
  metric: string
  maxAgeSeconds: number
}
export interface MonitoringSettings {
  prometheus: string
  alertmanager?: string
  requiredMetrics: RequiredMetric[]
  /** the dead man's switch alert, or false */
  watchdog: string | false
  grafana?: { url: string; token?: string; dashboards: string[] }
  timeoutMs: number
}

const URL_FIX = (what: string, eg: string) => `set ${what} to its http:// URL, e.g. ${eg}`
const AGE = {
  anyOf: [{ type: 'number' }, { type: 'string' }],
  'x-expected': "a duration ('30s', '5m') up to 1 day",
  'x-fix': "write the age as a duration, e.g. '5m'",
}

/** The declaration (checks loadConfig validates); readSettings below adds the value rules. */
export const MONITORING_SETTINGS = settingsSchema(
  {
    prometheus: {
      type: 'string',
      description: "Prometheus's URL (required)",
      'x-expected': 'an http:// URL',
      'x-fix': URL_FIX('prometheus', 'http://127.0.0.1:18440'),
    },
    alertmanager: {
      type: 'string',
      description: "Alertmanager's URL (default: the one Prometheus reports)",
      'x-expected': 'an http:// URL',
      'x-fix': URL_FIX('alertmanager', 'http://127.0.0.1:18441'),
    },
    requiredMetrics: {
      type: 'array',
      default: [],
      description: 'metrics (or selectors) that must have fresh samples',
      items: {
        anyOf: [
          { type: 'string' },
          { type: 'object', properties: { metric: { type: 'string' }, maxAge: AGE }, required: ['metric'], additionalProperties: false },
        ],
        'x-expected': "a metric name or { metric, maxAge: '30s' }",
        'x-fix': "write each as a metric name (http_requests_total) or { metric, maxAge: '30s' }",
      },
      'x-expected': 'a list of metrics',
      'x-fix': "write requiredMetrics as a list: ['up', { metric: 'pg_up', maxAge: '2m' }]",
    },
    maxAge: { ...AGE, default: '60s', description: 'the age a required metric may have at most (each may set its own)' },
    watchdog: {
      anyOf: [{ type: 'string', minLength: 1 }, { const: false }],
      default: 'Watchdog',
      description: "the dead man's switch alert that must be firing, or false",
      'x-expected': 'an alert name or false',
      'x-fix': "set watchdog to the always-firing alert's name (Watchdog), or false",
    },
    grafana: {
      type: 'object',
      description: 'Grafana dashboards whose panels must have data',
      properties: {
        url: { type: 'string', 'x-expected': 'an http:// URL', 'x-fix': URL_FIX('grafana.url', 'http://127.0.0.1:3000') },
        token: { type: 'string', 'x-expected': 'a string', 'x-fix': "give the token as '${env:GRAFANA_TOKEN}'" },
        dashboards: { type: 'array', items: { type: 'string' }, 'x-expected': 'a list of dashboard uids', 'x-fix': 'list the dashboard uids' },
      },
      additionalProperties: false,
      'x-expected': '{ url, token?, dashboards: [uid, …] }',
      'x-fix': 'write grafana as { url, token, dashboards: [uid] }',
    },
    timeoutMs: {
      type: 'number',
      minimum: 100,
      maximum: 60000,
      default: 5000,
      description: 'the time limit of each request, in ms',
      'x-expected': 'a number from 100 to 60000',
      'x-fix': 'set timeoutMs between 100 and 60000',
    },
  },
  { underLoad: false },
)

const { where, fail, url } = settingsReader('monitoring')
function age(v: unknown, path: string): number {
  try {
    const s = typeof v === 'number' ? v : parseDuration(v as string) / 1000
    if (s > 0 && s <= 86400) return s
  } catch {
    /* below */
  }
  return fail(path, "a duration ('30s', '5m') up to 1 day", v)
}

export function readSettings(raw: Record<string, unknown>): MonitoringSettings {
  // unknown keys, types and bounds: the declaration; below, what a schema cannot say
  assertSettings('monitoring', MONITORING_SETTINGS, raw)
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
    if (!Array.isArray(g.dashboards) || !g.dashboards.length || !g.dashboards.every((d) => typeof d === 'string'))
      fail('grafana.dashboards', 'a list of dashboard uids', g.dashboards)
    if (g.token !== undefined && typeof g.token !== 'string') fail('grafana.token', 'a string (${env:GRAFANA_TOKEN})', '(hidden)')
    grafana = { url: url(g.url, 'grafana.url'), dashboards: g.dashboards as string[], ...(g.token ? { token: g.token as string } : {}) }
  }
  const { timeoutMs } = withDefaults(MONITORING_SETTINGS, raw)
  return {
    prometheus: url(raw.prometheus, 'prometheus'),
    ...(raw.alertmanager !== undefined ? { alertmanager: url(raw.alertmanager, 'alertmanager') } : {}),
    requiredMetrics,
    watchdog: watchdog as string | false,
    ...(grafana ? { grafana } : {}),
    timeoutMs: timeoutMs as number,
  }
}
