// The alerts check's settings (environments.<env>.checks.alerts), read strictly: a mistyped
// wait must not turn a bounded drill into an unbounded one. Errors name the setting and the fix.

import { resolve } from 'node:path'
import { parseDuration } from '../../core/units.js'
import type { TrafficSpec } from './traffic.js'
import type { Action } from '../actions/model.js'
import { actionSchema, parseAction } from '../actions/parse.js'
import { httpUrlSetting, settingsSchema } from '../../core/check.js'
import { readDeclared } from '../../core/declared-settings.js'

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
      properties: {
        path: { type: 'string', pattern: '^/', 'x-expected': "a path ('/api/products')", 'x-fix': "give the path as '/api/products'" },
        rps: {
          type: 'number',
          exclusiveMinimum: 0,
          maximum: 200,
          default: 20,
          'x-expected': 'a rate from 0 to 200 requests per second',
          'x-fix': 'give a rate from 0 to 200 requests per second',
        },
      },
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

/** The declaration: loadConfig validates it, readSettings reads by it (readDeclared). */
export const ALERTS_SETTINGS = settingsSchema(
  {
    prometheus: httpUrlSetting(URL_FIX('prometheus', 'http://127.0.0.1:18440'), "Prometheus's URL (required)"),
    alertmanager: httpUrlSetting(URL_FIX('alertmanager', 'http://127.0.0.1:18441'), "Alertmanager's URL (default: the one Prometheus reports)"),
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
      // the receiver listens on loopback only
      pattern: '^(?:127(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}|::1)$',
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
  { underLoad: false, required: ['prometheus'] },
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

const where = (path: string) => `checks.alerts.${path}`
const url = (v: unknown) => (v as string).replace(/\/$/, '')

/** A duration in seconds: the schema says number or string, the parse says which strings. */
function seconds(v: unknown, path: string, max: number): number {
  const fail = (want: string): never => {
    throw new Error(`${where(path)}: expected ${want}, got ${JSON.stringify(v)}`)
  }
  let ms = 0
  try {
    ms = parseDuration(v as string | number)
  } catch {
    fail("a duration ('30s', '5m')")
  }
  // a bare number is milliseconds in parseDuration; here it reads as seconds, like the figures
  const s = typeof v === 'number' ? v : ms / 1000
  if (!(s > 0) || s > max) fail(`a duration above 0 and at most ${max} s`)
  return s
}

function action(v: unknown, path: string): Action | undefined {
  return v === undefined ? undefined : parseAction(v, where(path), ACTION_OPTIONS)
}

type Alert = { alertname: string; labels?: Record<string, string>; deadline: unknown; resolveWait: unknown } & Record<string, unknown>

export function readSettings(raw: Record<string, unknown>, base = process.cwd()): AlertsSettings {
  // types, bounds, unknown keys and defaults: the declaration; below, what a schema cannot say
  // (an alert listed twice, a trigger without a resolve), actions, durations and paths
  const s = readDeclared('alerts', ALERTS_SETTINGS, raw)
  // the receiver only when its port is set (else it is not started)
  const receiver = s.receiverPort === undefined ? undefined : { host: s.receiverHost as string, port: s.receiverPort as number, path: s.receiverPath as string }
  const seen = new Set<string>()
  const expected = (s.expected as Alert[]).map((o, i): ExpectedAlert => {
    const p = `expected[${i}]`
    const alertname = o.alertname
    if (seen.has(alertname)) throw new Error(`${where(`${p}.alertname`)}: '${alertname}' is listed twice: list each alert once`)
    seen.add(alertname)
    const trigger = action(o.trigger, `${p}.trigger`)
    const resolveA = action(o.resolve, `${p}.resolve`)
    if (trigger && !resolveA)
      throw new Error(
        `${where(`${p}.resolve`)}: missing: a triggered alert needs a resolve action (staging:heal, or { command: [...] }); it always runs, also on Ctrl-C`,
      )
    return {
      alertname,
      key: alertname.replace(/[^A-Za-z0-9_-]/g, '_'),
      labels: o.labels ?? {},
      ...(trigger ? { trigger } : {}),
      ...(resolveA ? { resolve: resolveA } : {}),
      deadlineSeconds: seconds(o.deadline, `${p}.deadline`, 86400),
      ...(o.wait !== undefined ? { waitSeconds: seconds(o.wait, `${p}.wait`, 3600) } : {}),
      resolveWaitSeconds: seconds(o.resolveWait, `${p}.resolveWait`, 3600),
      ...(o.traffic ? { traffic: o.traffic as TrafficSpec } : {}),
    }
  })
  return {
    prometheus: url(s.prometheus),
    ...(s.alertmanager !== undefined ? { alertmanager: url(s.alertmanager) } : {}),
    ...(receiver ? { receiver } : {}),
    ...(s.stagingDir !== undefined ? { stagingDir: resolve(base, s.stagingDir as string) } : {}),
    expected,
    ruleTests: (s.ruleTests as string[]).map((f) => resolve(base, f)),
    promtool: s.promtool as string,
    pollMs: s.pollMs as number,
    timeoutMs: s.timeoutMs as number,
    parallel: s.parallel as boolean,
  }
}
