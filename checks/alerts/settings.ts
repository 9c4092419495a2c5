// The alerts check's settings (environments.<env>.checks.alerts), read strictly: a mistyped
// wait must not turn a bounded drill into an unbounded one. Errors name the setting and the fix.

import { isIP } from 'node:net'
import { resolve } from 'node:path'
import { parseDuration } from '../../core/units.js'
import type { TrafficSpec } from './traffic.js'
import type { Action } from '../actions/model.js'
import { actionSchema, parseAction } from '../actions/parse.js'
import { settingsReader } from '../settings-reader.js'
import { settingsSchema } from '../../core/check.js'

const DURATION = (dflt: string | undefined, description: string) => ({
  anyOf: [{ type: 'number' }, { type: 'string' }],
  ...(dflt === undefined ? {} : { default: dflt }),
  description,
  'x-expected': "a duration ('30s', '5m'; a number is seconds)",
  'x-fix': "write the duration as '30s' or '5m'",
})
// triggers and resolves: the one action grammar, without bare shell lines (a fault name missing
// its 'staging:' is refused, not handed to a shell); commands default to 2 minutes, at most 15
const ACTION_OPTIONS = { defaultTimeoutSeconds: 120, maxTimeoutSeconds: 900 }
const ACTION = (description: string) => actionSchema(description, { ...ACTION_OPTIONS, list: false })
const URL_FIX = (what: string, eg: string) => `set ${what} to its http:// URL, e.g. ${eg}`

/** One expected alert (checks.alerts.expected[i]). */
const EXPECTED_ALERT = {
  type: 'object',
  properties: {
    alertname: { type: 'string', minLength: 1, 'x-expected': "the alert's name (AppInstanceDown)", 'x-fix': "give the alert's name as in its rule" },
    trigger: ACTION('breaks something so the alert fires'),
    resolve: ACTION('puts it back (always runs, also on Ctrl-C)'),
    labels: {
      type: 'object',
      additionalProperties: { type: 'string' },
      'x-expected': 'an object of label names to strings',
      'x-fix': "write labels as { severity: 'critical' }",
    },
    deadline: DURATION('5m', 'the trigger → the notification, at most'),
    wait: DURATION(undefined, 'how long to wait for the alert after the trigger (default: min(deadline, budget + 60 s))'),
    resolveWait: DURATION('2m', 'how long to wait for the resolve notification'),
    traffic: {
      type: 'object',
      properties: { path: { type: 'string', pattern: '^/' }, rps: { type: 'number', exclusiveMinimum: 0, maximum: 200 } },
      required: ['path'],
      additionalProperties: false,
      'x-expected': "{ path: '/api/products', rps?: 20 }",
      'x-fix': "write traffic as { path: '/api/products', rps: 20 }",
    },
  },
  required: ['alertname'],
  additionalProperties: false,
  'x-expected': '{ alertname, trigger, resolve }',
  'x-fix': "write each as { alertname: 'AppInstanceDown', trigger: 'staging:kill-app1', resolve: 'staging:heal' }",
} as const satisfies Record<string, unknown> & { properties: Record<string, unknown> }

/** The declaration (loadConfig validates it); readSettings adds the value rules and defaults. */
export const ALERTS_SETTINGS = settingsSchema(
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
    receiverPort: {
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      description: "the loopback port golive's webhook receiver listens on (where Alertmanager's webhook points)",
      'x-expected': 'a port number',
      'x-fix': "set receiverPort to the port Alertmanager's webhook points at",
    },
    receiverHost: {
      type: 'string',
      default: '127.0.0.1',
      description: "the receiver's loopback address",
      'x-expected': 'a loopback address (127.0.0.1 or ::1)',
      'x-fix': 'set receiverHost to 127.0.0.1 or ::1',
    },
    receiverPath: {
      type: 'string',
      pattern: '^/',
      default: '/alerts',
      description: "the receiver's path",
      'x-expected': "a path ('/alerts')",
      'x-fix': "set receiverPath to a path such as '/alerts'",
    },
    stagingDir: {
      type: 'string',
      description: "golive's staging stack state directory, for staging: actions",
      'x-expected': 'a folder',
      'x-fix': 'give the staging state directory, e.g. .golive/staging',
    },
    expected: {
      type: 'array',
      default: [],
      description: 'the alerts to drill: { alertname, trigger, resolve, labels, deadline, wait, resolveWait, traffic }',
      items: EXPECTED_ALERT,
      'x-expected': 'a list of { alertname, trigger, resolve, labels?, deadline? }',
      'x-fix': 'write expected as a list of alerts',
    },
    ruleTests: {
      type: 'array',
      items: { type: 'string' },
      default: [],
      description: 'promtool rule test files (relative to the config file)',
      'x-expected': 'a list of promtool rule test files',
      'x-fix': "write ruleTests as a list: ['rules.test.yml']",
    },
    promtool: { type: 'string', default: 'promtool', description: 'the promtool binary', 'x-expected': 'a path', 'x-fix': 'give the promtool path' },
    pollMs: {
      type: 'number',
      minimum: 50,
      maximum: 10_000,
      default: 250,
      description: 'how often Prometheus and Alertmanager are polled, in ms',
      'x-expected': 'a number from 50 to 10000',
      'x-fix': 'give a number from 50 to 10000',
    },
    timeoutMs: {
      type: 'number',
      minimum: 100,
      maximum: 60_000,
      default: 3000,
      description: 'the time limit of each request, in ms',
      'x-expected': 'a number from 100 to 60000',
      'x-fix': 'give a number from 100 to 60000',
    },
    parallel: {
      type: 'boolean',
      default: false,
      description: 'all triggers, then all resolves, in one fault window (only for triggers that do not mask one another)',
      'x-expected': 'true or false',
      'x-fix': 'set parallel to true or false',
    },
  },
  { underLoad: false },
)

export interface ExpectedAlert {
  alertname: string
  /** figure-safe name: 'AppInstanceDown' */
  key: string
  trigger?: Action
  resolve?: Action
  /** labels the alert must carry (severity: critical) */
  labels: Record<string, string>
  deadlineSeconds: number
  /** how long to wait for the alert after the trigger; default min(deadline, budget + 60 s) */
  waitSeconds?: number
  resolveWaitSeconds: number
  traffic?: TrafficSpec
}

export interface AlertsSettings {
  prometheus: string
  alertmanager?: string
  receiver?: { host: string; port: number; path: string }
  stagingDir?: string
  expected: ExpectedAlert[]
  ruleTests: string[]
  promtool: string
  pollMs: number
  timeoutMs: number
  /** the drills share one fault window (all triggers, then all resolves): only for triggers
   *  that do not mask one another */
  parallel: boolean
}

const { where, fail, url } = settingsReader('alerts')

function seconds(v: unknown, path: string, dflt: number, max: number): number {
  if (v === undefined) return dflt
  let ms: number
  try {
    ms = parseDuration(v as string | number)
  } catch {
    fail(path, "a duration ('30s', '5m')", v)
  }
  // a bare number is milliseconds in parseDuration; here it reads as seconds, like the figures
  const s = typeof v === 'number' ? v : ms! / 1000
  if (!(s > 0) || s > max) fail(path, `a duration above 0 and at most ${max} s`, v)
  return s
}

function action(v: unknown, path: string): Action | undefined {
  return v === undefined ? undefined : parseAction(v, where(path), ACTION_OPTIONS)
}

export function readSettings(raw: Record<string, unknown>, base = process.cwd()): AlertsSettings {
  // the declared keys (loadConfig has refused others already; this guards direct callers)
  const known = new Set(Object.keys(ALERTS_SETTINGS.properties))
  for (const k of Object.keys(raw)) if (!known.has(k)) throw new Error(`${where(k)}: unknown setting; the settings are ${[...known].join(', ')}`)
  if (raw.prometheus === undefined) throw new Error(`${where('prometheus')}: missing: give the Prometheus URL (http://127.0.0.1:18440 for the staging stack)`)
  const stagingDir =
    raw.stagingDir === undefined
      ? undefined
      : typeof raw.stagingDir === 'string'
        ? resolve(base, raw.stagingDir)
        : fail('stagingDir', 'a folder', raw.stagingDir)
  let receiver: AlertsSettings['receiver']
  if (raw.receiverPort !== undefined) {
    const port = raw.receiverPort
    if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)
      fail('receiverPort', "a port number (where Alertmanager's webhook points)", port)
    const host = raw.receiverHost ?? '127.0.0.1'
    if (typeof host !== 'string' || !(isIP(host) && (host.startsWith('127.') || host === '::1')))
      fail('receiverHost', 'a loopback address (127.0.0.1 or ::1): the receiver listens on loopback only', host)
    const path = raw.receiverPath ?? '/alerts'
    if (typeof path !== 'string' || !path.startsWith('/')) fail('receiverPath', "a path ('/alerts')", path)
    receiver = { host: host as string, port: port as number, path: path as string }
  }
  const list = raw.expected ?? []
  if (!Array.isArray(list)) fail('expected', 'a list of { alertname, trigger, resolve, labels?, deadline? }', list)
  const seen = new Set<string>()
  const expected = (list as unknown[]).map((e, i): ExpectedAlert => {
    const p = `expected[${i}]`
    if (typeof e !== 'object' || e === null) fail(p, '{ alertname, trigger, resolve }', e)
    const o = e as Record<string, unknown>
    const okKeys = new Set(Object.keys(EXPECTED_ALERT.properties))
    for (const k of Object.keys(o))
      if (!okKeys.has(k)) throw new Error(`${where(`${p}.${k}`)}: unknown setting; an expected alert has ${[...okKeys].join(', ')}`)
    if (typeof o.alertname !== 'string' || !o.alertname) fail(`${p}.alertname`, "the alert's name (AppInstanceDown)", o.alertname)
    const alertname = o.alertname as string
    if (seen.has(alertname)) throw new Error(`${where(`${p}.alertname`)}: '${alertname}' is listed twice: list each alert once`)
    seen.add(alertname)
    const labels = o.labels ?? {}
    if (typeof labels !== 'object' || labels === null || Array.isArray(labels) || !Object.values(labels).every((v) => typeof v === 'string'))
      fail(`${p}.labels`, 'an object of label names to strings', labels)
    const trigger = action(o.trigger, `${p}.trigger`)
    const resolveA = action(o.resolve, `${p}.resolve`)
    if (trigger && !resolveA)
      throw new Error(
        `${where(`${p}.resolve`)}: missing: a triggered alert needs a resolve action (staging:heal, or { command: [...] }); it always runs, also on Ctrl-C`,
      )
    let traffic: TrafficSpec | undefined
    if (o.traffic !== undefined) {
      const t = o.traffic as { path?: unknown; rps?: unknown }
      if (typeof t !== 'object' || t === null || typeof t.path !== 'string' || !t.path.startsWith('/'))
        fail(`${p}.traffic`, "{ path: '/api/products', rps?: 20 }", o.traffic)
      const rps = t.rps ?? 20
      if (typeof rps !== 'number' || !(rps > 0) || rps > 200) fail(`${p}.traffic.rps`, 'a rate from 0 to 200 requests per second', rps)
      traffic = { path: t.path as string, rps: rps as number }
    }
    const deadlineSeconds = seconds(o.deadline, `${p}.deadline`, 300, 86400)
    return {
      alertname,
      key: alertname.replace(/[^A-Za-z0-9_-]/g, '_'),
      labels: labels as Record<string, string>,
      ...(trigger ? { trigger } : {}),
      ...(resolveA ? { resolve: resolveA } : {}),
      deadlineSeconds,
      ...(o.wait !== undefined ? { waitSeconds: seconds(o.wait, `${p}.wait`, 60, 3600) } : {}),
      resolveWaitSeconds: seconds(o.resolveWait, `${p}.resolveWait`, 120, 3600),
      ...(traffic ? { traffic } : {}),
    }
  })
  const ruleTests = raw.ruleTests ?? []
  if (!Array.isArray(ruleTests) || !ruleTests.every((f) => typeof f === 'string')) fail('ruleTests', 'a list of promtool rule test files', ruleTests)
  const num = (k: string, d: number, min: number, max: number) => {
    const v = raw[k] ?? d
    if (typeof v !== 'number' || v < min || v > max) fail(k, `a number from ${min} to ${max}`, v)
    return v as number
  }
  return {
    prometheus: url(raw.prometheus, 'prometheus'),
    ...(raw.alertmanager !== undefined ? { alertmanager: url(raw.alertmanager, 'alertmanager') } : {}),
    ...(receiver ? { receiver } : {}),
    ...(stagingDir ? { stagingDir } : {}),
    expected,
    ruleTests: (ruleTests as string[]).map((f) => resolve(base, f)),
    promtool: typeof raw.promtool === 'string' ? raw.promtool : 'promtool',
    pollMs: num('pollMs', 250, 50, 10_000),
    timeoutMs: num('timeoutMs', 3000, 100, 60_000),
    parallel: raw.parallel === undefined ? false : typeof raw.parallel === 'boolean' ? raw.parallel : fail('parallel', 'true or false', raw.parallel),
  }
}
