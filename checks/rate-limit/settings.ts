// The rate-limit check's settings (environments.<env>.checks.rate-limit), with defaults, read
// strictly: a mistyped limit must not turn a bounded drill into an unbounded one.

import { settingsSchema } from '../../core/check.js'
import { readDeclared } from '../../core/declared-settings.js'
import { rampRates } from './evaluate.js'

export const DEFAULT_LOCKOUT = 'locked|lockout|too many|try again later|temporarily blocked'

const num = (min: number, max: number, dflt: number | undefined, description: string) => ({
  type: 'number',
  minimum: min,
  maximum: max,
  ...(dflt === undefined ? {} : { default: dflt }),
  description,
  'x-expected': `a number from ${min} to ${max}`,
  'x-fix': `give a number from ${min} to ${max}`,
})
const str = (dflt: string | undefined, description: string) => ({
  type: 'string',
  minLength: 1,
  ...(dflt === undefined ? {} : { default: dflt }),
  description,
  'x-expected': 'a non-empty string',
  'x-fix': 'give a non-empty string',
})
const statuses = (dflt: number[], description: string) => ({
  type: 'array',
  minItems: 1,
  items: { type: 'integer', minimum: 100, maximum: 599, 'x-expected': 'an HTTP status (100 to 599)' },
  default: dflt,
  description,
  'x-expected': 'a list of HTTP statuses',
  'x-fix': 'give a list of HTTP statuses, e.g. [429]',
})
const addr = (description: string) => ({
  type: 'string',
  anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }],
  description,
  'x-expected': 'an IP address of this machine',
  'x-fix': 'give an IP address of this machine, e.g. 127.0.0.2',
})
const off = (what: string) => ({
  type: 'boolean',
  default: true,
  description: `false: no ${what} probe`,
  'x-expected': 'true or false',
  'x-fix': `set to false to skip the ${what} probe`,
})

/** The declaration: loadConfig validates it, readSettings reads by it (readDeclared). */
export const RATE_LIMIT_SETTINGS = settingsSchema(
  {
    login: off('login brute-force'),
    loginMethod: str('POST', 'the login request method'),
    loginPath: str('/api/login', 'the login path'),
    usernameField: str('username', "the JSON body's username field"),
    passwordField: str('password', "the JSON body's password field"),
    username: str('user1', 'the account the bad attempts are made against (default: validUsername, else user1)'),
    badPassword: str(undefined, 'the wrong password tried (default: a random one)'),
    validUsername: str(undefined, 'a correct login for the "another client still gets in" probe (with validPassword)'),
    // writeOnly: a message never repeats it
    validPassword: { ...str(undefined, 'the password of validUsername'), writeOnly: true },
    maxAttempts: num(1, 10_000, 150, 'bad login attempts at most'),
    maxSeconds: num(1, 3600, 60, 'seconds of bad login attempts at most'),
    blockStatuses: statuses([429, 423, 403], 'statuses that mean the login is refused'),
    lockoutPattern: str(DEFAULT_LOCKOUT, 'a body matching this (case-insensitive) counts as refused'),
    flood: off('request flood'),
    floodMethod: str('GET', "the flood's request method"),
    floodPath: str('/', "the flood's path"),
    floodStartRpm: num(1, 1_000_000, 120, 'requests per minute of the first step'),
    floodFactor: num(1.01, 10, 1.5, 'each step multiplies the rate by this'),
    floodMaxRpm: num(1, 1_000_000, 6000, 'the highest rate tried, requests per minute'),
    floodStepSeconds: num(0.2, 600, 5, 'seconds per step'),
    floodMaxSeconds: num(1, 3600, undefined, 'seconds of flood at most (default: the whole ramp + 5, up to 600)'),
    floodMaxRequests: num(1, 1_000_000, 5000, 'flood requests at most'),
    floodMaxInFlight: num(1, 1000, 50, 'flood requests in flight at most'),
    floodStatuses: statuses([429], 'statuses that mean the flood is limited'),
    clientAddress: addr('the source address of the brute forcer'),
    otherClientAddress: addr('the source address of the other client (default on IPv4 loopback: 127.0.0.2)'),
    floodAddress: addr('the source address of the flood (default on IPv4 loopback: 127.0.0.3)'),
    otherClientHeaders: {
      type: 'object',
      additionalProperties: { type: 'string', 'x-expected': 'a string' },
      default: {},
      description: 'headers only the other client sends',
      'x-expected': 'an object of header names to strings',
      'x-fix': "write otherClientHeaders as { 'X-Client': 'other' }",
    },
    timeoutMs: num(100, 120_000, 5000, 'the time limit of each request, in ms'),
  },
  { underLoad: false },
)
// the hosts besides loopback it may flood are the environment's drillHosts, as for every drill
RATE_LIMIT_SETTINGS['x-moved'] = {
  allowedHosts: "list these hosts in the environment's drillHosts (environments.<env>.drillHosts), the one list every drill reads",
}

export interface RateLimitSettings {
  login:
    | false
    | {
        method: string
        path: string
        usernameField: string
        passwordField: string
        /** the account the bad attempts are made against */
        username: string
        badPassword: string
        /** a correct credential for the "another client still gets in" probe; none → not probed */
        valid?: { username: string; password: string }
        maxAttempts: number
        maxSeconds: number
        /** statuses that mean "refused"; a body matching lockoutPattern counts too */
        blockStatuses: number[]
        lockoutPattern: RegExp
      }
  flood:
    | false
    | {
        method: string
        path: string
        startRpm: number
        factor: number
        maxRpm: number
        stepSeconds: number
        maxSeconds: number
        maxRequests: number
        maxInFlight: number
        statuses: number[]
      }
  /** source addresses: the brute forcer, the other client, the flood (undefined: the system's choice) */
  clientAddress?: string
  otherClientAddress?: string
  floodAddress?: string
  /** headers only the other client sends (for servers that key clients on a header) */
  otherClientHeaders: Record<string, string>
  timeoutMs: number
}

export function readSettings(raw: Record<string, unknown>, loopbackV4: boolean): RateLimitSettings {
  // types, bounds, unknown keys and defaults: the declaration; below, what a schema cannot say
  const s = readDeclared('rate-limit', RATE_LIMIT_SETTINGS, raw)
  const num = (key: string) => s[key] as number
  const str = (key: string, dflt?: string) => (s[key] as string | undefined) ?? dflt
  const validUsername = str('validUsername')
  const validPassword = str('validPassword')
  if ((validUsername === undefined) !== (validPassword === undefined)) {
    throw new Error('checks.rate-limit: set both validUsername and validPassword (a correct login for the other-client probe), or neither')
  }
  let lockoutPattern: RegExp
  try {
    lockoutPattern = new RegExp(str('lockoutPattern')!, 'i')
  } catch (e) {
    throw new Error(`checks.rate-limit.lockoutPattern: not a regular expression (${(e as Error).message})`)
  }
  const flood = () => {
    const startRpm = num('floodStartRpm')
    const factor = num('floodFactor')
    const maxRpm = num('floodMaxRpm')
    const stepSeconds = num('floodStepSeconds')
    // by default the time cap lets the whole ramp run (120 … 6000 × 1.5: 11 steps, 55 s), within 10 minutes
    const ramp = rampRates(startRpm, factor, maxRpm).length * stepSeconds
    return {
      method: str('floodMethod')!.toUpperCase(),
      path: str('floodPath')!,
      startRpm,
      factor,
      maxRpm,
      stepSeconds,
      maxSeconds: (s.floodMaxSeconds as number | undefined) ?? Math.min(600, Math.ceil(ramp + 5)),
      maxRequests: Math.floor(num('floodMaxRequests')),
      maxInFlight: Math.floor(num('floodMaxInFlight')),
      statuses: s.floodStatuses as number[],
    }
  }
  return {
    login:
      s.login === false
        ? false
        : {
            method: str('loginMethod')!.toUpperCase(),
            path: str('loginPath')!,
            usernameField: str('usernameField')!,
            passwordField: str('passwordField')!,
            // the declared default (user1) only when validUsername is not set either
            username: (raw.username as string | undefined) ?? validUsername ?? str('username')!,
            badPassword: str('badPassword', `golive-wrong-${Math.random().toString(36).slice(2, 10)}`)!,
            ...(validUsername !== undefined ? { valid: { username: validUsername, password: validPassword! } } : {}),
            maxAttempts: Math.floor(num('maxAttempts')),
            maxSeconds: num('maxSeconds'),
            blockStatuses: s.blockStatuses as number[],
            lockoutPattern,
          },
    flood: s.flood === false ? false : flood(),
    clientAddress: str('clientAddress'),
    // on IPv4 loopback every 127.x address is this machine: distinct clients without setup
    otherClientAddress: str('otherClientAddress', loopbackV4 ? '127.0.0.2' : undefined),
    floodAddress: str('floodAddress', loopbackV4 ? '127.0.0.3' : undefined),
    otherClientHeaders: s.otherClientHeaders as Record<string, string>,
    timeoutMs: num('timeoutMs'),
  }
}
