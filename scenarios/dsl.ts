// The scenario DSL: a journey of HTTP steps a virtual user repeats, and the load profile that
// says how many users run it and for how long. Scenarios are data, so the same definition runs
// on the embedded engine and (compiled) on k6.

export type Duration = string | number

/** Closed model: a number of users, each looping the journey. Like k6's constant-vus / ramping-vus. */
export interface ClosedProfile {
  model: 'closed'
  /** users held during `duration` (ignored when `stages` is given) */
  vus?: number
  duration?: Duration
  /** ramp to the target user count over each stage in turn */
  stages?: { duration: Duration; target: number }[]
  /** how long a user may finish its journey after its stage ended before it is cut off */
  gracefulStop?: Duration
  /** stop after this many journeys in total (a bound, not a goal) */
  iterations?: number
}

/** Open model: journeys start at a rate, whatever the server's speed. Like k6's arrival-rate executors. */
export interface OpenProfile {
  model: 'open'
  /** journeys started per `timeUnit` (ignored when `stages` is given) */
  rate?: number
  timeUnit?: Duration
  duration?: Duration
  /** ramp the start rate to each target over each stage */
  stages?: { duration: Duration; target: number }[]
  /** the cap on concurrent users; a journey due while all are busy is dropped and counted */
  maxVUs: number
  gracefulStop?: Duration
  iterations?: number
}

export type LoadProfile = ClosedProfile | OpenProfile

/** Where a captured value comes from: a JSON path in the body, a response header, a regex group,
 *  or a cookie in the user's jar (as it stands after the step, for the step's final URL). */
export type CaptureSpec =
  | { json: string }
  | { header: string }
  | { regex: string }
  | { cookie: string }
  /** the first element a CSS selector matches: its attribute `attr`, or its text content */
  | { html: string; attr?: string }

export interface StepChecks {
  /** expected status(es); listed statuses are not errors even when 4xx/5xx */
  status?: number | number[]
  bodyContains?: string
  /** JSON path → expected value, or { exists: true } */
  json?: Record<string, unknown | { exists: boolean }>
}

export interface Step {
  name: string
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS'
  /** path (joined to the target's base URL) or absolute URL; may use {{variables}} */
  path: string
  headers?: Record<string, string>
  /** JSON body (sent with content-type application/json); strings inside may use {{variables}} */
  json?: unknown
  /** raw body */
  body?: string
  /** application/x-www-form-urlencoded body; values may use {{variables}} */
  form?: Record<string, string>
  /** multipart/form-data body: text fields (templates) and files (relative to the scenario file, read once) */
  multipart?: Record<string, string | MultipartFile>
  /** redirects followed for this step (default: the scenario's, else 10); 0 = the step sees the 3xx */
  redirects?: number
  capture?: Record<string, CaptureSpec>
  check?: StepChecks
  /** pause after this step (fixed, or uniformly random in [min, max]) */
  thinkTime?: ThinkTime
  /** per-request timeout; default 10s */
  timeout?: Duration
  /** how much of the (decoded) body checks and captures read: bytes or '4MiB'; default 1 MiB */
  maxBodyBytes?: number | string
  /** send the step only when this holds: '{{cartSize}} > 0' (docs/scenarios.md#when) */
  when?: string
  /** send the step N times in a row ({{index}} = 0 … N-1) */
  repeat?: number
  /** send the step once per element of a captured list: 'items' → {{item}}, {{index}} */
  forEach?: string
  /** TypeScript before the request: returns the variables to set (e.g. a signature) */
  before?: (vars: HookVars) => HookVars | void
  /** TypeScript after the response (and its captures): returns the variables to set */
  after?: (vars: HookVars, response: HookResponse) => HookVars | void
  /** a transaction: steps with the same group are timed together, first request to last response
   *  within one journey, think time left out (load.<s>.group.<g>.duration_p95) */
  group?: string
  /** a figure of your own from this step's response (load.<s>.metric.<name>_p95 / _count / _rate) */
  metric?: StepMetric
}

export interface StepMetric {
  /** letters, digits and _; it becomes part of the figure's name */
  name: string
  /** where the value comes from: a JSON path, a response header or a regex group */
  from: { json: string } | { header: string } | { regex: string }
  /** trend: a distribution (_p50, _p95, _p99, _max, _mean, _min, _count); counter: a sum (_count);
   *  rate: the share of non-zero / true values (_rate, in %) */
  type: 'trend' | 'counter' | 'rate'
}

/** One journey of a weighted mix: each iteration picks one, with probability weight / sum of weights. */
export interface Journey {
  name: string
  weight: number
  steps: AnyStep[]
}

/** The variables a hook sees (a copy: captures, vars, the data row, __VU, __ITER, item, index). */
export type HookVars = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** The response an `after` hook sees; header names lower-case. */
export interface HookResponse {
  status: number
  headers: Record<string, string>
  /** the body text (its first maxBodyBytes), or null */
  body: string | null
  /** the body parsed as JSON (throws when it is not JSON) */
  json(): any // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A step that makes no request: TypeScript that sets variables, `{ name, run: (vars) => newVars }`. */
export interface RunStep {
  name: string
  run: (vars: HookVars) => HookVars | void
  when?: string
  repeat?: number
  forEach?: string
  /** pause after it (the scenario's default thinkTime does not apply to run steps) */
  thinkTime?: ThinkTime
}

/** A journey's step: an HTTP request, or a run step. */
export type AnyStep = Step | RunStep

export interface MultipartFile {
  file: string
  contentType?: string
  filename?: string
}

export type ThinkTime = Duration | { min: Duration; max: Duration }

export interface DataFeeder {
  /** CSV (with a header row) or JSON (an array of objects), relative to the scenario file */
  file: string
  /** per-vu: user N takes row N (mod rows), like a login per user; sequential: each journey takes the next row; random */
  mode?: 'per-vu' | 'sequential' | 'random'
  /** the variable name rows are exposed under: {{user.username}}; default 'data' */
  as?: string
}

export interface Scenario {
  name: string
  description?: string
  profile: LoadProfile
  /** the journey every iteration walks (or `journeys`, a weighted mix) */
  steps?: AnyStep[]
  /** a weighted mix: each iteration picks one journey by weight (instead of `steps`) */
  journeys?: Journey[]
  /** once per user, before its first journey (log in): its captures and cookies last the user's life */
  setup?: AnyStep[]
  /** once per user, when it stops (also at the end of the run's graceful stop) */
  teardown?: AnyStep[]
  /** once per run, before any user starts (k6 setup()): its captures are every user's variables */
  before?: AnyStep[]
  /** once per run, after the last user stopped, also after Ctrl-C / SIGTERM (k6 teardown()) */
  after?: AnyStep[]
  /** default pause after every step that sets none */
  thinkTime?: ThinkTime
  /** pause at the end of each journey */
  pacing?: ThinkTime
  data?: DataFeeder
  vars?: Record<string, string>
  /** extra headers for every step */
  headers?: Record<string, string>
  /** a cookie jar per user: true (default) = emptied at each journey start, 'keep' = kept for the user's life, false = none */
  cookies?: boolean | 'keep'
  /** redirects followed per step (default 10; 0 = steps see the 3xx) */
  redirects?: number
  /** 'auto' (default): HTTP/2 when the server offers it by ALPN over TLS; '1.1' forces HTTP/1.1 */
  http?: '1.1' | 'auto'
  /** default maxBodyBytes of every step (bytes or '4MiB'; default 1 MiB) */
  maxBodyBytes?: number | string
}

/** Typed identity: gives editors completion for scenario files. */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario
}
