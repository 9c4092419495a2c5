// The rate-limit check: a bounded brute-force and flood drill against the target's login and
// a route of your choice. It measures when the server starts refusing; gates judge it.
//
// 1. Login brute force: wrong passwords for one account from one client (one source address),
//    one at a time, until the first refusal (429/423/403 or a lockout text), maxAttempts or
//    maxSeconds. Then a correct login from another client (another source address, or other
//    headers): does a real user still get in?
// 2. Request flood: one client (its own source address) sends at rising rates (requests per
//    minute), each for floodStepSeconds, until the first 429, the top rate or a cap.
// A drill: runs only where the environment allows drills, and only against loopback or hosts
// listed in the environment's drillHosts. Settings: see checks/rate-limit/settings.ts and docs/checks/rate-limit.md.

import { isIP } from 'node:net'
import { resultClock, targetOf, type Check, type CheckContext } from '../core/check.js'
import type { CheckTarget } from '../core/target.js'
import { allowsDrills, consentRefusal } from '../core/consent.js'
import type { CheckResult, Detail, Figure } from '../core/results.js'
import { headings, kvDetail, listDetail, tableDetail } from '../core/details.js'
import { drillClient, type DrillClient } from './rate-limit/client.js'
import { floodOutcome, isRefusal, loginOutcome, rampRates, type Attempt, type FloodStep } from './rate-limit/evaluate.js'
import { hostRefusal } from './drill/target.js'
import { RATE_LIMIT_SETTINGS, readSettings, type RateLimitSettings } from './rate-limit/settings.js'

const round2 = (n: number) => Math.round(n * 100) / 100
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((done) => {
    if (signal.aborted) return done()
    const wake = () => {
      clearTimeout(t)
      signal.removeEventListener('abort', wake)
      done()
    }
    const t = setTimeout(wake, ms)
    signal.addEventListener('abort', wake, { once: true })
  })

export const rateLimit: Check = {
  id: 'rate-limit',
  title: 'Brute-force and rate limits',
  group: 'Security',
  destructive: true,
  plan: async (ctx) => rateLimitPlan(ctx),
  settings: RATE_LIMIT_SETTINGS,
  figures: [
    {
      name: 'login_attempts_before_block',
      unit: 'count',
      meaning: 'wrong passwords answered before the first refusal (the cap, a lower bound, when none was refused)',
    },
    { name: 'seconds_to_block', unit: 's', meaning: 'the first bad attempt → the first refusal' },
    { name: 'login_blocked', unit: 'count', meaning: '1 when the bad logins were refused' },
    { name: 'other_client_login_ok', unit: 'count', meaning: '1 when another client could still log in during the lockout' },
    { name: 'requests_per_minute_before_429', meaning: 'the highest flood rate answered without a limit, requests per minute' },
    { name: 'flood_limited', unit: 'count', meaning: '1 when the flood was limited' },
  ],
  async run(ctx: CheckContext): Promise<CheckResult> {
    const result = resultClock(rateLimit)
    // the runner refuses it without consent; this stands for a call outside the runner
    if (!allowsDrills(ctx.env)) return result({ status: 'skipped', reason: consentRefusal(ctx.envName, 'a drill'), figures: {}, evidence: null })
    let target: CheckTarget | undefined
    try {
      target = targetOf(ctx)
    } catch (e) {
      return result({ status: 'error', reason: (e as Error).message, figures: {}, evidence: null })
    }
    if (!target) {
      return result({
        status: 'error',
        reason: `the target '${ctx.env.baseUrl}' is not a URL: give --target http://HOST:PORT or environments.${ctx.envName}.baseUrl`,
        figures: {},
        evidence: null,
      })
    }
    const url = new URL(target.origin)
    const host = url.hostname.replace(/^\[|\]$/g, '')
    let s: RateLimitSettings
    try {
      s = readSettings(ctx.settings, isIP(host) === 4 && host.startsWith('127.'))
    } catch (e) {
      return result({ status: 'error', reason: (e as Error).message, figures: {}, evidence: null })
    }
    const refused = hostRefusal(host, ctx, 'the target')
    if (refused) return result({ status: 'skipped', reason: refused, figures: {}, evidence: { host } })

    const base = target.basePath
    // the environment's headers and auth ride on every request: the drill measures the limits a
    // signed-in client meets (the route paths stay on the target's origin)
    const headers = target.headers
    const ca = target.ca
    const client = (localAddress: string | undefined, connections: number, extra: Record<string, string> = {}) =>
      drillClient(url.origin, {
        localAddress,
        ...(ca !== undefined ? { ca } : {}),
        headers: { ...headers, ...lowerKeys(extra) },
        timeoutMs: s.timeoutMs,
        connections,
        signal: ctx.signal,
      })

    const figures: Record<string, Figure> = {}
    const evidence: Record<string, unknown> = {
      target: url.origin,
      clients: {
        bruteForce: s.clientAddress ?? '(system default)',
        other: s.otherClientAddress ?? '(system default)',
        flood: s.floodAddress ?? '(system default)',
      },
    }
    const details: Detail[] = []
    if (s.login) {
      const login = await bruteForce(s, base, client, ctx)
      if ('error' in login) return result({ status: 'error', reason: login.error, figures, evidence: { ...evidence, login: login.evidence } })
      Object.assign(figures, login.figures)
      evidence.login = login.evidence
      details.push(...login.details)
    }
    if (s.flood && !ctx.signal.aborted) {
      const flood = await floodDrill(s, base, client(s.floodAddress, s.flood.maxInFlight), ctx)
      Object.assign(figures, flood.figures)
      evidence.flood = flood.evidence
      details.push(...flood.details)
    }
    return result({
      status: 'measured',
      figures,
      evidence,
      details,
      ...(ctx.signal.aborted ? { reason: 'interrupted: figures are what was measured until then' } : {}),
    })
  },
}

type MakeClient = (localAddress: string | undefined, connections: number, extra?: Record<string, string>) => DrillClient

async function bruteForce(
  s: RateLimitSettings,
  base: string,
  makeClient: MakeClient,
  ctx: CheckContext,
): Promise<{ figures: Record<string, Figure>; evidence: Record<string, unknown>; details: Detail[] } | { error: string; evidence: unknown }> {
  const l = s.login as Exclude<RateLimitSettings['login'], false>
  const path = base + l.path
  const body = (username: string, password: string) => ({ [l.usernameField]: username, [l.passwordField]: password })
  const attacker = makeClient(s.clientAddress, 1)
  const attempts: Attempt[] = []
  let refusalAnswer = ''
  const t0 = performance.now()
  try {
    for (let n = 1; n <= l.maxAttempts; n++) {
      if (ctx.signal.aborted || performance.now() - t0 > l.maxSeconds * 1000) break
      const a = await attacker.send(l.method, path, { json: body(l.username, l.badPassword) })
      if (ctx.signal.aborted) break
      const t = round2((performance.now() - t0) / 1000)
      if (n === 1) {
        // the first answer tells whether this is a login route refusing a wrong password at all
        if (a.status === null)
          return { error: `the login route ${l.method} ${path} did not answer (${a.error}): is the target up and the path right?`, evidence: { attempts } }
        if (a.status === 404 || a.status === 405)
          return {
            error: `the login route ${l.method} ${path} answered ${a.status}: set checks.rate-limit.loginPath (and loginMethod)`,
            evidence: { attempts },
          }
        if (a.status >= 200 && a.status < 300)
          return {
            error: `a wrong password for '${l.username}' was accepted (${a.status}) at ${l.method} ${path}: check the login settings (usernameField, passwordField)`,
            evidence: { attempts },
          }
      }
      const refused = isRefusal(a.status, a.body, l.blockStatuses, l.lockoutPattern)
      attempts.push({ n, t, status: a.status, ...(a.error ? { error: a.error } : {}), refused })
      if (refused) {
        refusalAnswer = a.status === null ? `no answer (${a.error})` : `${a.status} ${a.body.slice(0, 200)}`
        break
      }
    }
    const outcome = loginOutcome(attempts, l.maxAttempts)
    const figures: Record<string, Figure> = {}
    const evidence: Record<string, unknown> = {
      route: `${l.method} ${path}`,
      username: l.username,
      maxAttempts: l.maxAttempts,
      maxSeconds: l.maxSeconds,
      statuses: tally(attempts),
    }
    if (outcome.kind === 'blocked') {
      figures.login_attempts_before_block = { value: outcome.before, unit: 'count' }
      figures.seconds_to_block = { value: outcome.seconds, unit: 's' }
      figures.login_blocked = { value: 1, unit: 'count' }
      evidence.blocked = { afterAttempts: outcome.before, seconds: outcome.seconds, refusal: refusalAnswer }
      if (outcome.before === 0) evidence.note = 'refused from the first attempt: this client (or account) may still be blocked from an earlier run'
      // does the refusal hold, and does it hold for the right password too (from the blocked client)?
      const again = await attacker.send(l.method, path, { json: body(l.username, l.badPassword) })
      evidence.blockHeld = isRefusal(again.status, again.body, l.blockStatuses, l.lockoutPattern)
      if (l.valid) {
        const right = await attacker.send(l.method, path, { json: body(l.valid.username, l.valid.password) })
        evidence.correctPasswordFromBlockedClient = right.status ?? right.error
      }
    } else if (outcome.capReached) {
      // never refused: the figure is the cap, a lower bound; a gate '<= N' with N below the cap fails
      figures.login_attempts_before_block = { value: outcome.attempts, unit: 'count' }
      figures.login_blocked = { value: 0, unit: 'count' }
      evidence.notBlocked =
        `no refusal within ${outcome.attempts} wrong passwords in ${outcome.seconds} s: the server never blocked; ` +
        `login_attempts_before_block is the cap (${outcome.attempts}), a lower bound`
    } else {
      evidence.notBlocked =
        `stopped after ${outcome.attempts} attempts (${ctx.signal.aborted ? 'interrupted' : `the ${l.maxSeconds} s time cap`}) without a refusal: inconclusive, ` +
        'so login_attempts_before_block is not reported (a gate on it fails as missing); raise maxSeconds'
    }
    const otherIdentity = s.otherClientAddress !== undefined || Object.keys(s.otherClientHeaders).length > 0
    if (l.valid && !otherIdentity) {
      evidence.otherClient =
        'not probed: the other client would look like the brute forcer (same address, same headers); set otherClientAddress to another address of this machine, or otherClientHeaders'
    } else if (l.valid && !ctx.signal.aborted) {
      const other = makeClient(s.otherClientAddress, 1, s.otherClientHeaders)
      try {
        const a = await other.send(l.method, path, { json: body(l.valid.username, l.valid.password) })
        if (a.status === null && a.error === 'EADDRNOTAVAIL') {
          evidence.otherClient = `cannot send from ${s.otherClientAddress} (EADDRNOTAVAIL): set otherClientAddress to an address of this machine, or otherClientHeaders`
        } else {
          figures.other_client_login_ok = { value: a.status !== null && a.status >= 200 && a.status < 300 ? 1 : 0, unit: 'count' }
          evidence.otherClient = {
            from: s.otherClientAddress ?? '(system default)',
            headers: Object.keys(s.otherClientHeaders),
            status: a.status ?? a.error,
            username: l.valid.username,
          }
        }
      } finally {
        await other.close()
      }
    } else if (!l.valid) {
      evidence.otherClient = 'not probed: set validUsername and validPassword to check that a real user still gets in from another client'
    }
    evidence.attempts = attempts.length <= 20 ? attempts : [...attempts.slice(0, 5), ...attempts.slice(-5)]
    // the drill's findings in words (the sentences written above), then the attempts
    const said = ['note', 'notBlocked', 'otherClient'].flatMap((k) => (typeof evidence[k] === 'string' ? [evidence[k] as string] : []))
    const details: Detail[] = [
      kvDetail(
        [
          { label: 'route', value: `${l.method} ${path}` },
          { label: 'username', value: l.username },
          { label: 'attempts', value: attempts.length, unit: 'count' },
          ...(outcome.kind === 'blocked'
            ? [
                { label: 'blocked after attempts', value: outcome.before, unit: 'count' as const },
                { label: 'blocked after', value: outcome.seconds, unit: 's' as const },
              ]
            : []),
        ],
        'Brute-force login',
      ),
      ...(said.length ? [listDetail(said)] : []),
    ]
    return { figures, evidence, details }
  } finally {
    await attacker.close()
  }
}

async function floodDrill(
  s: RateLimitSettings,
  base: string,
  client: DrillClient,
  ctx: CheckContext,
): Promise<{ figures: Record<string, Figure>; evidence: Record<string, unknown>; details: Detail[] }> {
  const f = s.flood as Exclude<RateLimitSettings['flood'], false>
  const path = base + f.path
  const rates = rampRates(f.startRpm, f.factor, f.maxRpm)
  const steps: FloodStep[] = []
  const t0 = performance.now()
  let total = 0
  let stopped = ''
  try {
    for (const rpm of rates) {
      const left = f.maxSeconds * 1000 - (performance.now() - t0)
      if (ctx.signal.aborted) {
        stopped = 'interrupted'
        break
      }
      if (left < f.stepSeconds * 1000) {
        stopped = `the ${f.maxSeconds} s time cap`
        break
      }
      const step = await floodStep(client, f.method, path, rpm, f, f.maxRequests - total, ctx.signal)
      total += step.sent
      steps.push(step)
      if (step.limited > 0) break
      if (!step.complete) {
        stopped = total >= f.maxRequests ? `the ${f.maxRequests}-request cap` : 'interrupted'
        break
      }
    }
  } finally {
    await client.close()
  }
  const outcome = floodOutcome(steps, rates[rates.length - 1]!)
  const figures: Record<string, Figure> = {}
  const evidence: Record<string, unknown> = { route: `${f.method} ${path}`, limitStatuses: f.statuses, stepSeconds: f.stepSeconds, steps }
  if (outcome.kind === 'limited') {
    figures.requests_per_minute_before_429 = { value: outcome.before }
    figures.flood_limited = { value: 1, unit: 'count' }
    evidence.limited = `first ${f.statuses.join('/')} at ${outcome.limitedAt} requests per minute; the last rate without one: ${outcome.before} (the limit lies between them)`
  } else if (outcome.kind === 'not-limited' && outcome.capReached) {
    figures.requests_per_minute_before_429 = { value: outcome.upTo }
    figures.flood_limited = { value: 0, unit: 'count' }
    evidence.notLimited = `no ${f.statuses.join('/')} up to ${outcome.upTo} requests per minute (floodMaxRpm): the figure is that top rate, a lower bound`
  } else {
    evidence.notLimited =
      outcome.kind === 'inconclusive'
        ? outcome.why
        : stopped
          ? `stopped by ${stopped} at ${outcome.upTo} requests per minute without a limit: inconclusive, not reported`
          : `no limit, but the client reached only ${outcome.upTo} of the ${f.maxRpm} requests per minute asked (a slow server: raise floodMaxInFlight): inconclusive, not reported`
  }
  const details: Detail[] = [
    tableDetail(
      headings(
        ['rpm', 'asked /min', 'number'],
        ['achievedRpm', 'sent /min', 'number'],
        ['sent', 'sent', 'count'],
        ['answered', 'answered', 'count'],
        ['limited', `limited (${f.statuses.join('/')})`, 'count'],
        ['statuses', 'statuses', 'code'],
        ['seconds', 'took', 's'],
        ['complete', 'complete', 'bool'],
      ),
      steps,
      { title: `Flood: ${f.method} ${path}`, note: String(evidence.limited ?? evidence.notLimited ?? '') },
    ),
  ]
  return { figures, evidence, details }
}

/** One rate for one step: requests sent on schedule (open model), at most maxInFlight at once. */
async function floodStep(
  client: DrillClient,
  method: string,
  path: string,
  rpm: number,
  f: { stepSeconds: number; maxInFlight: number; statuses: number[] },
  budget: number,
  signal: AbortSignal,
): Promise<FloodStep> {
  const interval = 60_000 / rpm
  const durationMs = f.stepSeconds * 1000
  const started = performance.now()
  const statuses: Record<string, number> = {}
  let sent = 0,
    answered = 0,
    limited = 0,
    inFlight = 0
  const pending = new Set<Promise<void>>()
  let complete = true
  while (true) {
    const now = performance.now() - started
    if (now >= durationMs) break
    if (signal.aborted || limited > 0 || sent >= budget) {
      complete = false
      break
    }
    const due = Math.floor(now / interval) + 1
    while (sent < due && inFlight < f.maxInFlight && sent < budget) {
      sent++
      inFlight++
      const p = client.send(method, path).then((a) => {
        inFlight--
        const key = a.status === null ? (a.error ?? 'ERROR') : String(a.status)
        statuses[key] = (statuses[key] ?? 0) + 1
        if (a.status !== null) answered++
        if (a.status !== null && f.statuses.includes(a.status)) limited++
      })
      pending.add(p)
      void p.finally(() => pending.delete(p))
    }
    const next = Math.min(durationMs, sent * interval) - (performance.now() - started)
    await sleep(Math.max(1, Math.min(next, 50)), signal)
  }
  const seconds = (performance.now() - started) / 1000
  await Promise.all(pending)
  return {
    rpm,
    achievedRpm: Math.round((sent / Math.max(seconds, 0.001)) * 60),
    sent,
    answered,
    limited,
    statuses,
    seconds: round2(seconds),
    complete: complete && limited === 0,
  }
}

function tally(attempts: readonly Attempt[]): Record<string, number> {
  const t: Record<string, number> = {}
  for (const a of attempts) {
    const k = a.status === null ? (a.error ?? 'ERROR') : String(a.status)
    t[k] = (t[k] ?? 0) + 1
  }
  return t
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]))
}

/** golive drill rate-limit --dry-run: what the brute force and the flood would send, and where. */
function rateLimitPlan(ctx: CheckContext): string[] {
  let target: CheckTarget | undefined
  try {
    target = targetOf(ctx)
  } catch (e) {
    return [`  would fail: ${(e as Error).message}`]
  }
  if (!target) return [`  would fail: the target '${ctx.env.baseUrl}' is not a URL`]
  const host = new URL(target.origin).hostname.replace(/^\[|\]$/g, '')
  const refused = hostRefusal(host, ctx, 'the target')
  if (refused) return [`  would be ${refused}`]
  const s = readSettings(ctx.settings, isIP(host) === 4 && host.startsWith('127.'))
  const base = target.basePath
  const at = (a: string | undefined) => a ?? "the system's choice"
  return [
    `  target:   ${target.origin}${base}`,
    s.login
      ? `  login:    ${s.login.method} ${base}${s.login.path} as ${s.login.username} with wrong passwords, one at a time from ${at(s.clientAddress)}, ` +
        `until the first refusal (${s.login.blockStatuses.join(', ')} or the lockout text), ${s.login.maxAttempts} attempts or ${s.login.maxSeconds} s; then ` +
        `${s.login.valid ? `a correct login as ${s.login.valid.username} from ${at(s.otherClientAddress)}` : 'no other-client login (no validUsername)'}`
      : '  login:    off (login: false)',
    s.flood
      ? `  flood:    ${s.flood.method} ${base}${s.flood.path} from ${at(s.floodAddress)} at ${s.flood.startRpm} requests/min ×${s.flood.factor} ` +
        `every ${s.flood.stepSeconds} s up to ${s.flood.maxRpm}, until the first ${s.flood.statuses.join(' or ')}; ` +
        `at most ${s.flood.maxRequests} requests, ${s.flood.maxSeconds} s, ${s.flood.maxInFlight} in flight`
      : '  flood:    off (flood: false)',
  ]
}
