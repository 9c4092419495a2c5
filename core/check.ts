// A check measures one aspect of readiness that a load test cannot see. It never judges:
// gates/ turns its figures into verdicts.

import type { ChecklistGroup, EnvironmentConfig } from './config.js'
import type { CheckResult, Figure, Unit } from './results.js'
import { checkTarget, type CheckTarget } from './target.js'
import type { StackPort } from './stack.js'

export interface CheckContext {
  env: EnvironmentConfig
  envName: string
  /** the system to probe, resolved by the runner: origin, base path, CA, and the environment's
   *  headers with its auth, for the base URL's origin only (core/target.ts headersFor). Absent
   *  when the environment has no http(s) base URL; a check run alone reads it with targetOf. */
  target?: CheckTarget
  /** this check's settings from environments.<env>.checks.<id> */
  settings: Record<string, unknown>
  /** aborted on Ctrl-C or deadline: a check stops, runs its rollbacks, and returns what it has */
  signal: AbortSignal
  /** the directory of this run, for evidence files */
  runDir: string
  /** relative paths in settings (report files, rule tests, backups) are relative to this: the
   *  config file's folder (the current folder without a config file) */
  configDir: string
  log: (line: string) => void
  /** real users on the system while a drill breaks it (a drill experiment's underLoad): given by
   *  the command that runs the check; checks never start load themselves */
  load?: LoadPort
  /** the environment's server queries (environments.<env>.server) over a drill's fault window:
   *  given by the command when the environment has a Prometheus to ask, checked before the drill */
  server?: ServerPort
  /** golive's staging stack (its faults, components, primary database) for staging actions and
   *  backup-restore's default source: given by cli (staging/port.ts); checks never import staging/ */
  stack?: StackPort
}

/** Asks every server query (presets and the config's own) over a wall-clock window. */
export interface ServerPort {
  /** `label` names the window in the reasons: "failover experiment app-crash's fault window" */
  window(label: string, fromMs: number, toMs: number, signal?: AbortSignal): Promise<ServerWindow>
}

export interface ServerWindow {
  /** '<name>': the query's maximum over the window, '<name>_mean': its mean, with its unit */
  figures: Record<string, Figure>
  /** the figures of a query that returned nothing (or failed), each with why, the query named */
  noData: Record<string, string>
  evidence: unknown
}

/** Starts one of the environment's scenarios and holds its peak users for a drill. */
export interface LoadPort {
  /** resolves once the scenario holds its peak users (rejects with the reason it cannot) */
  hold(scenario: string, opts: { maxHoldMs: number; signal: AbortSignal }): Promise<HeldLoad>
}

export interface HeldLoad {
  scenario: string
  /** users busy when the peak was reached */
  users: number
  /** seconds since the load started (its timeline's clock) */
  now(): number
  /** stops the load; afterwards window() covers every second it ran */
  stop(): Promise<void>
  /** the journeys' figures over the whole seconds covering [fromS, toS) */
  window(fromS: number, toS: number): LoadWindow
}

export interface LoadWindow {
  fromS: number
  toS: number
  requests: number
  /** requests that failed (transport errors, unexpected statuses, failed checks) */
  failed: number
  /** % of requests, null without any */
  errorRate: number | null
  latencyP95: number | null
  latencyP50: number | null
  /** per second: [t, requests, failed, p95] */
  seconds: [number, number, number, number | null][]
  /** users busy at most in the window */
  usersMax: number
}

export interface Check {
  /** equals its file name: 'tls', 'backup-restore' */
  id: string
  title: string
  /** the go-live checklist's group for its gates (default 'Operations'): reports group by it,
   *  never by the check's id */
  group?: ChecklistGroup
  /** environment fields it needs; missing → status 'skipped' with the reason */
  requires?: (keyof EnvironmentConfig)[]
  /** drills: the runner refuses it (skipped, core/consent.ts's wording) unless the environment
   *  allows drills */
  destructive?: boolean
  /** asks the environment's server queries over its fault windows (ctx.server): the command
   *  checks the server settings before it runs the check, as before a load */
  serverWindows?: boolean
  /** its settings (environments.<env>.checks.<id>) as a JSON-Schema fragment of an object, with
   *  defaults and x-fix hints: loadConfig validates every check's settings against it, so a
   *  misspelled setting is refused before the first request. Without it, any object is taken. */
  settings?: SettingsSchema
  /** every figure it can report: a gate naming another figure of this check is refused before
   *  the first request. Without it, any figure of this check is taken. */
  figures?: FigureDeclaration[]
  /** a drill's plan in words, for `golive drill <id> --dry-run`: its actions planned by the one
   *  action runner, dry (checks/actions/run.ts). A destructive check with a plan is a drill. */
  plan?: (ctx: CheckContext) => Promise<string[]>
  run(ctx: CheckContext): Promise<CheckResult>
}

/** A JSON-Schema object (draft 2020-12 keywords ajv knows, plus x-fix and x-expected). */
export type SettingsSchema = { type: 'object'; properties: Record<string, Record<string, unknown>>; [keyword: string]: unknown }

/** One figure (or family of figures) a check or scenario can report. */
export interface FigureDeclaration {
  /** dotted, relative to its source ('grade', 'page.<name>.lcp_ms'): a <placeholder> segment
   *  stands for any one segment (a page, an experiment, a rule) */
  name: string
  /** none for a plain number (a score, a ratio, a trend in its metric's own unit) */
  unit?: Unit
  /** one line: what it measures */
  meaning: string
}

/** What loadConfig validates settings and gate figures against: the declarations of the checks
 *  and scenarios golive has (cli passes them in; core never imports checks/ or scenarios/). */
export interface Declarations {
  checks: readonly Pick<Check, 'id' | 'settings' | 'figures' | 'destructive'>[]
  /** figures of every scenario, relative to load.<scenario> */
  scenarioFigures: readonly FigureDeclaration[]
}

export type ResultFields = Pick<CheckResult, 'status' | 'figures' | 'evidence' | 'details'> & { reason?: string }

/** Starts a check's clock: the function it returns stamps the check's id, title, start time and
 *  duration on what the check found, so every check reports them the same way. */
export function resultClock(check: Pick<Check, 'id' | 'title'>): (r: ResultFields) => CheckResult {
  const started = new Date()
  return (r) => ({ id: check.id, title: check.title, startedAt: started.toISOString(), ...r, durationMs: Date.now() - started.getTime() })
}

/** The check's target: the runner's ctx.target, or (a check run alone, as tests do) resolved
 *  from ctx.env. Undefined without an http(s) base URL; throws on a CA file it cannot read. */
export function targetOf(ctx: Pick<CheckContext, 'target' | 'env'>): CheckTarget | undefined {
  return ctx.target ?? checkTarget(ctx.env)
}

/** A check's settings schema: its own settings, nothing else (a misspelling is refused), the
 *  ones it cannot run without (`required`), plus the runner's underLoad for a check that can run
 *  while a scenario holds its users. */
export function settingsSchema(properties: SettingsSchema['properties'], opts: { underLoad?: boolean; required?: string[] } = {}): SettingsSchema {
  const underLoad: SettingsSchema['properties'] =
    opts.underLoad === false
      ? {}
      : {
          underLoad: {
            type: 'boolean',
            default: false,
            description: 'golive run: also measure while the first scenario holds its peak users (figures under_load.<figure>)',
            'x-expected': 'true or false',
            'x-fix': 'set underLoad to true or false',
          },
        }
  return { type: 'object', properties: { ...properties, ...underLoad }, ...(opts.required ? { required: opts.required } : {}), additionalProperties: false }
}

/** An http(s) URL setting (Prometheus's, Grafana's); the reader drops a trailing slash. */
export function httpUrlSetting(fix: string, description?: string): Record<string, unknown> {
  const url = { type: 'string', format: 'uri', pattern: '^https?://[^/?#\\s]+', 'x-expected': 'an http:// URL', 'x-fix': fix }
  return description === undefined ? url : { ...url, description }
}
