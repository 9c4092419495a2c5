// The shape of results.json: the seam between measuring (scenarios, checks) and judging
// (gates) and rendering (reports). Everything after it works from this file alone.

export const RESULTS_SCHEMA_VERSION = 1

export type Unit = 'ms' | 's' | '%' | 'B' | 'grade' | 'count' | 'rps'

/** One measured number (or grade) with its unit. A noisy or extrapolated figure carries the
 *  interval it is known within and the samples it rests on; gates judge the side the gate picks
 *  (docs/gates.md). */
export interface Figure {
  value: number | string
  unit?: Unit
  /** lower end of the interval (same unit as value) */
  low?: number
  /** upper end of the interval */
  high?: number
  /** how many samples the figure rests on */
  samples?: number
}

/** Latency summary in milliseconds, computed from an HDR histogram over every request. */
export interface LatencySummary {
  count: number
  min: number
  mean: number
  p50: number
  p90: number
  p95: number
  p99: number
  max: number
}

/** One second of a scenario, for the charts that later reports draw. */
export interface TimelinePoint {
  /** seconds since the scenario started (the bucket [t, t+1)) */
  t: number
  requests: number
  errors: number
  /** VUs busy or thinking at the end of the second */
  active: number
  p50: number | null
  p95: number | null
  max: number | null
}

export interface StepResult {
  name: string
  method: string
  requests: number
  errors: number
  /** counts by HTTP status, plus transport errors by code (ECONNREFUSED, TIMEOUT, ...) */
  statuses: Record<string, number>
  checks: { passed: number; failed: number }
  latency: LatencySummary | null
  /** HDR histogram in microseconds, compressed base64: mergeable across processes */
  histogram: string | null
  /** response body bytes as received (compressed, on the wire) */
  bytes?: number
  /** body bytes after content decoding (gzip, deflate, br); a body golive did not decode to its
   *  end (no check reads it, or the check was settled early) counts its wire size */
  bytesDecoded?: number
  /** responses by protocol: { h2: n, 'http/1.1': m } */
  protocols?: Record<string, number>
  /** a step of a user's setup/teardown or the run's before/after: its requests are not in the
   *  scenario's totals (requests, errors, latency, timeline) */
  phase?: 'setup' | 'teardown' | 'before' | 'after'
}

/** one journey of a weighted mix: its iterations, and its steps' requests, errors and latency */
export interface JourneyResult {
  name: string
  weight: number
  iterations: number
  requests: number
  errors: number
  latency: LatencySummary | null
  steps: string[]
}

/** a transaction: wall time from its first request to its last response within one iteration,
 *  think time left out (ms) */
export interface GroupResult {
  name: string
  count: number
  duration: LatencySummary | null
  histogram: string | null
}

/** a custom metric: samples, their sum and how many were non-zero; a trend's distribution (in the
 *  metric's own unit, not ms) */
export interface MetricResult {
  name: string
  type: 'trend' | 'counter' | 'rate'
  count: number
  sum: number
  nonZero: number
  summary?: LatencySummary | null
  histogram?: string | null
}

export interface ScenarioError {
  step: string
  /** browser scenarios: 'check' an expect that failed, 'error' anything else thrown */
  kind: 'transport' | 'status' | 'check' | 'error'
  message: string
  count: number
}

export interface ScenarioResult {
  name: string
  engine: string
  status: 'measured' | 'partial' | 'error'
  reason?: string
  startedAt: string
  durationMs: number
  profile: Record<string, unknown>
  /** does the latency include the wait from the intended send time (open model)? */
  coordinatedOmission: 'corrected' | 'not-applicable'
  requests: number
  errors: number
  iterations: number
  droppedIterations: number
  vusMax: number
  bytesReceived: number
  statuses: Record<string, number>
  latency: LatencySummary | null
  histogram: string | null
  steps: StepResult[]
  timeline: TimelinePoint[]
  /** the most frequent errors, texts escaped by every renderer */
  topErrors: ScenarioError[]
  /** figures (after load.<name>.) this run could not give, and why: a constant profile has no
   *  low-load period for degradation. A gate on them reads not run (preset) or missing, with it */
  unmeasured?: Record<string, string>
  /** files the engine wrote next to results.json (paths relative to it), e.g. k6's dashboard */
  artifacts?: { label: string; path: string }[]
  /** what the engine itself reported (k6: version, exit code, thresholds) */
  engineDetails?: EngineDetails
  /** 'browser': a Playwright spec run as browser users (its figures are in `browser`); absent: HTTP */
  kind?: 'browser'
  browser?: BrowserScenarioDetails
  /** stopped early by a gate's abort (gates/abort.ts): the results are complete up to then */
  aborted?: AbortInfo
  /** a weighted mix's journeys (scenario `journeys`) */
  journeys?: JourneyResult[]
  /** transactions (step `group`) */
  groups?: GroupResult[]
  /** custom metrics (step `metric`) */
  metrics?: MetricResult[]
}

/** What a browser scenario measured (scenarios/engines/browser, docs/browser.md). Its iterations
 *  and errors are also the scenario's `iterations` and `errors` (failed iterations). */
export interface BrowserScenarioDetails {
  file: string
  tests: string[]
  browsers: number
  chromium: string | null
  /** whole iterations (every test of the file, each in a fresh context), ms */
  iterationDuration: LatencySummary | null
  iterationHistogram: string | null
  /** iterations cut short by the end of the run or Ctrl-C: counted in neither iterations nor errors */
  interruptedIterations: number
  steps: BrowserStepResult[]
  /** the 75th percentile over every page view that reported the metric (ms; CLS unitless) */
  webVitals: Record<'lcp' | 'inp' | 'cls' | 'fcp' | 'ttfb', { p75: number | null; samples: number }>
  pageViews: number
  /** the first 500 page views' own values: { url, LCP, INP, CLS, FCP, TTFB } (a metric a view did not report is absent) */
  views?: ({ url: string } & Partial<Record<'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB', number>>)[]
  /** network requests the pages made, and those that failed (HTTP >= 400 or no response) */
  pageRequests: number
  pageRequestsFailed: number
  /** requests to origins outside the environment's hosts, not sent */
  pageRequestsBlocked: number
  /** PSS of golive's browser processes: right after launch, at the peak, and per user above launch */
  memory: { launchedMiB: number | null; peakMiB: number | null; perUserMiB: number | null; availableMiB: number }
  firstFailure?: { iteration: number; test: string; step: string; message: string; screenshot?: string; trace?: string }
}

export interface BrowserStepResult {
  /** the figure segment: the title in lower case, runs of other characters as _ */
  name: string
  /** test.step's title as written */
  title: string
  count: number
  errors: number
  /** every run of the step, failed ones included, ms */
  duration: LatencySummary | null
  histogram: string | null
}

export interface AbortInfo {
  /** the gate as written */
  gate: string
  /** the figure judged second by second (embedded), or the k6 thresholds that aborted */
  figure?: string
  /** seconds since the scenario started: when the breach began (embedded), when the run was stopped */
  breachedFromS?: number
  atS: number
  after: string
  /** who judged it: golive on each second of the timeline, or k6's abortOnFail threshold */
  by: 'timeline' | 'k6-threshold'
  value?: number | null
  unit?: string
}

/** a k6 threshold: 'p(95)<500', or with abortOnFail (a gate's abort: { after }) */
export type K6Threshold = string | { threshold: string; abortOnFail: boolean; delayAbortEval?: string }

export interface EngineDetails {
  version?: string
  /** per process (k6 --segments runs several) */
  exitCodes?: (number | null)[]
  /** the blocker gates k6 could express, as k6 thresholds: k6 exits 99 when one is crossed */
  thresholds?: Record<string, K6Threshold[]>
  thresholdsCrossed?: boolean
  /** k6 stopped the run on a threshold with abortOnFail */
  thresholdAborted?: boolean
  /** gates k6 could not express, and why (golive still judges them) */
  notThresholds?: { gate: string; why: string }[]
  segments?: number
}

export type CheckStatus = 'measured' | 'skipped' | 'error'

export interface CheckResult {
  id: string
  title?: string
  status: CheckStatus
  /** for skipped / error: what happened and how to fix it */
  reason?: string
  figures: Record<string, Figure>
  /** figures this check could have made but did not measure, and why (the write probe off →
   *  '<experiment>.lost_writes'): a gate on them reads not run (preset) or missing, with that reason */
  unmeasured?: Record<string, string>
  /** figures this check asked for and got nothing back (a Prometheus query that returned no
   *  series), and why: a gate on them reads missing with that reason, preset or not */
  noData?: Record<string, string>
  /** what the check saw, as the check holds it: gates and tools may read it; reports show it
   *  raw (escaped, folded) only when the check gave no details */
  evidence: unknown
  /** what reports show, typed by kind (Lighthouse's details): reports render by kind, never by
   *  which check made them. Absent in results.json files written before details existed. */
  details?: Detail[]
  startedAt: string
  durationMs: number
}

// ---- details: evidence typed for rendering (core/details.ts builds them) ----

/** How a column's or item's values read: a number with its unit, or text of a kind. 'figure':
 *  the value is a figure path ('page-load.page.home.lcp_ms'); reports show the gate on it. */
export type DetailUnit = 'ms' | 's' | 'bytes' | 'count' | 'percent' | 'number' | 'text' | 'code' | 'url' | 'bool' | 'grade' | 'figure'

export type DetailValue = string | number | boolean | null

export interface DetailHeading {
  key: string
  label: string
  unit?: DetailUnit
  /** a row's own unit for this column, in the row's field of that name (a table of metrics
   *  whose rows differ in unit: ms, bytes, a plain number); `unit` when the row has none */
  unitKey?: string
  /** a stable name for the column's cells (letters, digits, '-'): report.html's class on each */
  name?: string
}

/** Rows of cells under headings, a unit per column. */
export interface TableDetail {
  kind: 'table'
  title?: string
  /** one line under the title: how to read the table */
  note?: string
  headings: DetailHeading[]
  rows: Record<string, DetailValue>[]
  /** long and secondary (every resource a page fetched): reports may fold it */
  folded?: boolean
  /** a name unique among the check's details (letters, digits, '-'): report.html gives the
   *  table this class and its chart the id '<check prefix>-<name>' */
  name?: string
  /** the rows are also drawn as a chart (report.html; text reports show the table only) */
  chart?: DetailChart
}

/** How a table's rows are drawn. 'points' or 'lines': x from the rows' `xKey` field (none: the
 *  rows in order, named '<xLabel> 1', '<xLabel> 2' …), a series per key, on the right axis when
 *  `right`. 'lanes': a lane per row (named by its `laneKey` field), a point per series key at
 *  its value on x (a row whose series keys are all empty gets no lane); `origin` labels a
 *  point at 0 on every lane. Marks are vertical lines at x; a target draws the gate on a figure
 *  (ms) as a horizontal line. Series labels default to their headings' labels. */
export interface DetailChart {
  kind: 'points' | 'lines' | 'lanes'
  title: string
  xKey?: string
  xLabel?: string
  yLabel?: string
  y2Label?: string
  series: { key: string; label?: string; right?: boolean }[]
  laneKey?: string
  origin?: string
  marks?: { at: number; label: string }[]
  targets?: { figure: string; label: string }[]
}

/** Events in time. `timeKey` names the field holding each event's time, in `unit` ('s' or
 *  'ms' since a start, 'iso' an ISO 8601 text); reports show seconds from the first event.
 *  `labelKey` names the field that says what happened (one lane per value); `series` names
 *  numeric fields drawn as lines instead (probe counts per interval). Marks are faults,
 *  recoveries and deadlines: `at` in the same unit as the events. */
export interface TimelineDetail {
  kind: 'timeline'
  title?: string
  timeKey: string
  unit: 'ms' | 's' | 'iso'
  labelKey?: string
  series?: DetailHeading[]
  events: Record<string, DetailValue>[]
  marks?: { at: number | string; label: string }[]
}

/** Labelled values, one a line. */
export interface KvDetail {
  kind: 'kv'
  title?: string
  items: { label: string; value: DetailValue; unit?: DetailUnit }[]
}

/** Lines of text: notes, console errors, problems. */
export interface ListDetail {
  kind: 'list'
  title?: string
  items: string[]
}

export type Detail = TableDetail | TimelineDetail | KvDetail | ListDetail

export interface GateSpec {
  /** figure path, '*' matches one dotted segment: 'load.*.latency_p95' */
  figure: string
  op: GateOp
  /** '500ms', '0.1%', 'A+', 100 */
  target: string | number
  level?: GateLevel
  /** where the gate came from: a preset name or 'config' */
  source?: string
  description?: string
  /** presets set this: when the figure's source (a scenario or check) is not part of the run,
   *  the row reads 'not-run' instead of failing. A planned source without the figure still fails. */
  optional?: boolean
  /** for a figure with an interval (low, high): which side decides. 'pessimistic': the whole
   *  interval must meet the target; 'optimistic': some of it; 'value': the value alone.
   *  Default: pessimistic for blockers, value for warnings and off (docs/gates.md). */
  side?: GateSide
  /** stop the run early when this blocker is breached for `after` (gates/abort.ts) */
  abort?: { after: string | number }
}

export type GateSide = 'pessimistic' | 'optimistic' | 'value'

export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!='
/** against the baseline run: 'rise<' the figure may grow by less than the target (latency,
 *  error rate), 'drop<' it may fall by less than the target (throughput, grade) */
export type BaselineOp = 'rise<' | 'drop<'
export type GateOp = CompareOp | BaselineOp
export type GateLevel = 'blocker' | 'warn' | 'off'

export interface RunInfo {
  id: string
  startedAt: string
  finishedAt: string
  durationMs: number
  /** true when the run was interrupted or a scenario crashed: figures are what was measured until then */
  partial: boolean
  partialReason?: string
  environment: string
  /** the target's base URL with credentials removed */
  target: string
  command: string
  golive: string
  node: string
  host: { platform: string; cpus: number; memoryGiB: number }
}

export interface Results {
  $schema?: string
  schemaVersion: typeof RESULTS_SCHEMA_VERSION
  run: RunInfo
  /** flat: '<source>.<name>', e.g. 'load.checkout.latency_p95' */
  figures: Record<string, Figure>
  scenarios: ScenarioResult[]
  checks: CheckResult[]
  /** the gates in force when the run was made, so `golive gate --from` can judge without a config */
  gates: GateSpec[]
  /** the run this one is compared with (--baseline): its figures travel along, so
   *  `golive gate --from` re-judges the regression gates from this file alone */
  baseline?: BaselineInfo
}

export interface BaselineInfo {
  id: string
  startedAt: string
  environment: string
  /** where it was read from, as given (a path) */
  from: string
  figures: Record<string, Figure>
}

// ---- the scorecard: what gates/ produces from results ----

/** pass; fail (figure beyond target); missing (no such figure); skipped / error (its check did
 *  not measure); not-run (an optional gate whose source was not part of this run: never counts) */
export type GateOutcome = 'pass' | 'fail' | 'missing' | 'skipped' | 'error' | 'not-run'

export interface ScorecardRow {
  /** the gate as written, e.g. 'load.*.latency_p95 < 500ms' */
  gate: string
  /** the concrete figure this row judged, e.g. 'load.smoke.latency_p95' */
  figure: string
  op: GateOp
  /** the target with its operator and unit, as people read it: '< 500 ms', '>= A+' */
  expected: string
  actual: string | null
  actualValue: number | string | null
  unit?: Unit
  level: GateLevel
  outcome: GateOutcome
  /** one line: why this verdict */
  why: string
  /** where the judged figure came from: 'load.<scenario>', a check id, or 'run' */
  source?: string
  /** the figure's interval and the side that was judged (figures with low and high only) */
  interval?: { low: number; high: number; samples?: number; side: GateSide }
  /** the target lies inside the figure's interval: the verdict rests on the side chosen */
  marginal?: boolean
}

export interface Scorecard {
  verdict: 'go' | 'no-go'
  /** one line summing up the verdict */
  summary: string
  partial: boolean
  counts: { pass: number; fail: number; warn: number; off: number }
  rows: ScorecardRow[]
}
