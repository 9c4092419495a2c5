// The one action grammar (model.ts). Strings: 'staging:<fault>', 'staging:stop|start|restart:
// <component>', 'sleep:<seconds>', and (where bare shell lines are allowed, as in drills) a shell
// command line. Objects: { command: 'a shell line' | ['program', 'arg'] }, { shell: 'line' },
// { http: 'POST http://127.0.0.1:8080/admin/flush' | { url, method, headers, body, status } },
// { sleep: '5s' }; each with timeoutSeconds (a number) or timeout (a duration). Every action is
// bounded in time. Errors name the setting and the forms accepted.

import { parseDuration } from '../../core/units.js'
import { STACK_COMPONENT_ACTIONS, STACK_COMPONENTS, STACK_FAULTS } from '../../core/stack.js'
import type { Action } from './model.js'

export interface ParseOptions {
  /** a string that is no staging: or sleep: action is a shell command line (drills: yes;
   *  alerts: no, so a fault name without its 'staging:' is refused, not run by the shell) */
  bareShell?: boolean
  /** the time limit of a command, shell line or request without its own (default 300 s) */
  defaultTimeoutSeconds?: number
  /** the longest time limit accepted (default 3600 s) */
  maxTimeoutSeconds?: number
}

const FAULTS = [...STACK_FAULTS, 'heal'] as readonly string[]
const fail = (where: string, what: string, got: unknown): never => {
  throw new Error(`${where}: ${what}; got ${JSON.stringify(got)}`)
}

export function actionForms(o: ParseOptions = {}): string {
  return (
    `'staging:<fault>' (${FAULTS.join(', ')}), 'staging:stop|start|restart:<component>', 'sleep:<seconds>', ${o.bareShell ? 'a shell command, ' : ''}` +
    "{ command: 'shell line' | ['program', 'arg', …] }, { shell }, { http: 'METHOD URL' | { url, method, headers, body, status } } or { sleep }, each with timeout?"
  )
}

/** Reads one action from config; throws an Error naming the setting and the forms it accepts. */
export function parseAction(raw: unknown, where: string, o: ParseOptions = {}): Action {
  const forms = actionForms(o)
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) return parseObject(raw as Record<string, unknown>, where, o, forms)
  if (typeof raw !== 'string' || !raw.trim()) return fail(where, `expected an action: ${forms}`, raw)
  const text = raw.trim()
  if (text.startsWith('staging:')) return stagingAction(text, where, forms)
  if (text.startsWith('sleep:')) return sleepAction(text.slice(6), text, where)
  if (!o.bareShell) return fail(where, `expected ${forms}`, raw)
  return { kind: 'shell', command: text, timeoutSeconds: o.defaultTimeoutSeconds ?? 300, text }
}

export function parseActions(raw: unknown, where: string, o: ParseOptions = {}): Action[] {
  const list = Array.isArray(raw) ? raw : [raw]
  return list.map((a, i) => parseAction(a, Array.isArray(raw) ? `${where}[${i}]` : where, o))
}

function stagingAction(text: string, where: string, forms: string): Action {
  const [, name = '', component, extra] = text.split(':')
  if ((STACK_COMPONENT_ACTIONS as readonly string[]).includes(name)) {
    if (!component) throw new Error(`${where}: '${text}' needs a component, e.g. 'staging:${name}:app1'`)
    if (!(STACK_COMPONENTS as readonly string[]).includes(component) || extra !== undefined)
      throw new Error(`${where}: '${text}': no such component; one of ${STACK_COMPONENTS.join(', ')}`)
    return { kind: 'staging', name, component, text }
  }
  if (!FAULTS.includes(name) || component !== undefined) throw new Error(`${where}: unknown staging action '${text}'; accepted: ${forms}`)
  return { kind: 'staging', name, text }
}

function sleepAction(v: unknown, text: string, where: string): Action {
  let seconds = Number.NaN
  if (typeof v === 'number') seconds = v
  else if (typeof v === 'string' && v.trim() !== '') {
    seconds = /^\s*[0-9.]+\s*$/.test(v)
      ? Number(v)
      : (() => {
          try {
            return parseDuration(v) / 1000
          } catch {
            return Number.NaN
          }
        })()
  }
  if (!(seconds >= 0 && seconds <= 3600)) throw new Error(`${where}: '${text}': expected sleep:<seconds> with 0 to 3600 seconds`)
  return { kind: 'sleep', seconds, text }
}

function timeoutOf(raw: Record<string, unknown>, where: string, o: ParseOptions): number {
  const max = o.maxTimeoutSeconds ?? 3600
  if (raw.timeoutSeconds !== undefined) {
    const t = raw.timeoutSeconds
    if (typeof t !== 'number' || !(t > 0 && t <= max)) fail(`${where}.timeoutSeconds`, `expected seconds from 1 to ${max}`, t)
    return t as number
  }
  if (raw.timeout !== undefined) {
    const t = raw.timeout
    let s = Number.NaN
    // a bare number is seconds here, like timeoutSeconds
    if (typeof t === 'number') s = t
    else if (typeof t === 'string') {
      try {
        s = parseDuration(t) / 1000
      } catch {
        /* said below */
      }
    }
    if (!(s > 0 && s <= max)) fail(`${where}.timeout`, `expected a duration ('30s', '2m') above 0 and at most ${max} s`, t)
    return s
  }
  return o.defaultTimeoutSeconds ?? 300
}

const KEYS: Record<string, readonly string[]> = {
  command: ['command', 'timeout', 'timeoutSeconds'],
  shell: ['shell', 'timeout', 'timeoutSeconds'],
  http: ['http', 'timeout', 'timeoutSeconds'],
  sleep: ['sleep'],
}

function parseObject(raw: Record<string, unknown>, where: string, o: ParseOptions, forms: string): Action {
  const kind = Object.keys(KEYS).find((k) => k in raw)
  if (!kind) {
    const what =
      raw.command === undefined && Object.keys(raw).length
        ? `an object action needs one of command, shell, http or sleep`
        : `an object action needs 'command' (a shell command, or a program and its arguments)`
    return fail(where, `${what}; accepted: ${forms}`, raw)
  }
  const unknown = Object.keys(raw).filter((k) => !KEYS[kind]!.includes(k))
  if (unknown.length) fail(`${where}.${unknown[0]}`, `not a setting of a ${kind} action (its settings: ${KEYS[kind]!.join(', ')})`, raw[unknown[0]!])
  if (kind === 'sleep') return sleepAction(raw.sleep, `sleep:${String(raw.sleep)}`, where)
  const timeoutSeconds = timeoutOf(raw, where, o)
  if (kind === 'shell' || (kind === 'command' && typeof raw.command === 'string')) {
    const line = raw[kind]
    if (typeof line !== 'string' || !line.trim()) fail(`${where}.${kind}`, 'expected a shell command line', line)
    return { kind: 'shell', command: line as string, timeoutSeconds, text: line as string }
  }
  if (kind === 'command') {
    const argv = raw.command
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string' && a !== '')) {
      fail(`${where}.command`, "expected a shell command line, or a program and its arguments: ['./break.sh', '--hard']", argv)
    }
    return { kind: 'command', argv: argv as string[], timeoutSeconds, text: (argv as string[]).join(' ') }
  }
  return httpAction(raw.http, `${where}.http`, timeoutSeconds)
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

function httpAction(v: unknown, where: string, timeoutSeconds: number): Action {
  const spec: Record<string, unknown> =
    typeof v === 'string'
      ? httpLine(v, where)
      : v && typeof v === 'object' && !Array.isArray(v)
        ? { ...(v as Record<string, unknown>) }
        : fail(where, "expected 'METHOD URL' or { url, method?, headers?, body?, status? }", v)
  const known = ['url', 'method', 'headers', 'body', 'status']
  const extra = Object.keys(spec).filter((k) => !known.includes(k))
  if (extra.length) fail(`${where}.${extra[0]}`, `not a setting of an http action (its settings: ${known.join(', ')})`, spec[extra[0]!])
  const method = String(spec.method ?? 'GET').toUpperCase()
  if (!METHODS.includes(method)) fail(`${where}.method`, `one of ${METHODS.join(', ')}`, spec.method)
  let url: URL
  try {
    url = new URL(String(spec.url))
  } catch {
    return fail(`${where}.url`, 'expected an absolute http(s) URL', spec.url)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`${where}.url`, 'expected an http:// or https:// URL', spec.url)
  const headers = spec.headers ?? {}
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || !Object.values(headers).every((h) => typeof h === 'string'))
    fail(`${where}.headers`, 'an object of header names to strings', headers)
  const body = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body)
  const status = spec.status === undefined ? [] : Array.isArray(spec.status) ? spec.status : [spec.status]
  if (!status.every((s) => Number.isInteger(s) && (s as number) >= 100 && (s as number) <= 599))
    fail(`${where}.status`, 'an HTTP status or a list of them (default: any 2xx)', spec.status)
  const lower = Object.fromEntries(Object.entries(headers as Record<string, string>).map(([k, x]) => [k.toLowerCase(), x]))
  if (body !== undefined && typeof spec.body !== 'string' && !lower['content-type']) lower['content-type'] = 'application/json'
  return {
    kind: 'http',
    method,
    url: url.href,
    headers: lower,
    ...(body !== undefined ? { body } : {}),
    expectStatus: status as number[],
    timeoutSeconds,
    text: `${method} ${url.href}`,
  }
}

function httpLine(v: string, where: string): Record<string, unknown> {
  const m = /^\s*(?:([A-Za-z]+)\s+)?(\S+)\s*$/.exec(v)
  if (!m) fail(where, "expected 'METHOD URL', e.g. 'POST http://127.0.0.1:8080/admin/flush'", v)
  return { url: m![2], ...(m![1] ? { method: m![1] } : {}) }
}

/** The JSON-Schema fragment of an action (or, with `list`, a list of them too) for a check's
 *  declared settings: the shape and the staging names are checked at config load, the values
 *  (durations, URLs) by parseAction. */
export function actionSchema(description: string, o: ParseOptions & { list?: boolean } = {}): Record<string, unknown> {
  const named = `staging:(?:${[...FAULTS, `(?:${STACK_COMPONENT_ACTIONS.join('|')}):(?:${STACK_COMPONENTS.join('|')})`].join('|')})|sleep:[0-9.]+`
  const pattern = o.bareShell ? `^(?!\\s*(?:staging|sleep):)|^\\s*(?:${named})\\s*$` : `^\\s*(?:${named})\\s*$`
  const one = {
    anyOf: [
      { type: 'string', minLength: 1, pattern },
      {
        type: 'object',
        properties: {
          command: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
          shell: { type: 'string' },
          http: {},
          sleep: {},
          timeout: {},
          timeoutSeconds: { type: 'number' },
        },
        additionalProperties: false,
      },
    ],
  }
  return {
    ...(o.list === false ? one : { anyOf: [one, { type: 'array', items: one }] }),
    description,
    // one action reads as parseAction words it: "expected 'staging:<fault>' (…), …"
    'x-expected': o.list === false ? actionForms(o) : `an action or a list of them: ${actionForms(o)}`,
    'x-fix': o.bareShell
      ? "write the action as 'staging:kill-app1', 'sleep:5', a shell command or { command: ['./break.sh'] }"
      : "write the action as 'staging:kill-app1' or { command: ['./break.sh'] }",
  }
}
