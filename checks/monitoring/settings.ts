// The monitoring check's settings (environments.<env>.checks.monitoring), read strictly.

import { httpUrlSetting, settingsSchema } from '../../core/check.js'
import { readDeclared } from '../../core/declared-settings.js'
import { parseDuration } from '../../core/units.js'

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
// a metric name, or a selector: pg_up{role="replica"}
const METRIC = '^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^{}]*\\})?$'

/** The declaration: loadConfig validates it, readSettings reads by it (readDeclared). */
export const MONITORING_SETTINGS = settingsSchema(
  {
    prometheus: httpUrlSetting(URL_FIX('prometheus', 'http://127.0.0.1:18440'), "Prometheus's URL (required)"),
    alertmanager: httpUrlSetting(URL_FIX('alertmanager', 'http://127.0.0.1:18441'), "Alertmanager's URL (default: the one Prometheus reports)"),
    requiredMetrics: {
      type: 'array',
      default: [],
      description: 'metrics (or selectors) that must have fresh samples',
      items: {
        anyOf: [
          { type: 'string', pattern: METRIC },
          {
            type: 'object',
            properties: {
              metric: { type: 'string', pattern: METRIC, 'x-expected': 'a metric name (http_requests_total) or selector', 'x-fix': 'give a metric name' },
              maxAge: AGE,
            },
            required: ['metric'],
            additionalProperties: false,
          },
        ],
        'x-expected': "a metric name (http_requests_total) or { metric, maxAge: '30s' }",
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
        url: httpUrlSetting(URL_FIX('grafana.url', 'http://127.0.0.1:3000')),
        // writeOnly: a message never repeats its value
        token: { type: 'string', writeOnly: true, 'x-expected': 'a string', 'x-fix': "give the token as '${env:GRAFANA_TOKEN}'" },
        dashboards: {
          type: 'array',
          minItems: 1,
          items: { type: 'string' },
          'x-expected': 'a list of dashboard uids',
          'x-fix': 'list the dashboard uids',
        },
      },
      required: ['url', 'dashboards'],
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
  { underLoad: false, required: ['prometheus'] },
)

/** A duration in seconds: the schema says number or string, the parse says which strings. */
function age(v: unknown, path: string): number {
  try {
    const s = typeof v === 'number' ? v : parseDuration(v as string) / 1000
    if (s > 0 && s <= 86400) return s
  } catch {
    /* below */
  }
  throw new Error(`checks.monitoring.${path}: expected a duration ('30s', '5m') up to 1 day, got ${JSON.stringify(v)}`)
}

const url = (v: unknown) => (v as string).replace(/\/$/, '')

export function readSettings(raw: Record<string, unknown>): MonitoringSettings {
  // types, the metric names, URLs, unknown keys and defaults: the declaration; below, durations
  const s = readDeclared('monitoring', MONITORING_SETTINGS, raw)
  const dfltAge = age(s.maxAge, 'maxAge')
  const requiredMetrics = (s.requiredMetrics as (string | { metric: string; maxAge?: unknown })[]).map(
    (m, i): RequiredMetric =>
      typeof m === 'string'
        ? { metric: m, maxAgeSeconds: dfltAge }
        : { metric: m.metric, maxAgeSeconds: m.maxAge === undefined ? dfltAge : age(m.maxAge, `requiredMetrics[${i}].maxAge`) },
  )
  const g = s.grafana as { url: string; token?: string; dashboards: string[] } | undefined
  return {
    prometheus: url(s.prometheus),
    ...(s.alertmanager !== undefined ? { alertmanager: url(s.alertmanager) } : {}),
    requiredMetrics,
    watchdog: s.watchdog as string | false,
    ...(g ? { grafana: { url: url(g.url), dashboards: g.dashboards, ...(g.token ? { token: g.token } : {}) } } : {}),
    timeoutMs: s.timeoutMs as number,
  }
}
