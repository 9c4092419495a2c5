// Every figure a scenario can report, relative to load.<scenario> (scenarios/figures.ts and
// flow-figures.ts make them; docs/scenarios.md names each). A gate on load.<s>.<name> that none
// of these can name is refused before the first request, so a figure added there is added here
// too (test/unit/scenarios-figure-names.test.ts holds the two together).

import type { FigureDeclaration } from '../core/check.js'

const d = (name: string, unit: FigureDeclaration['unit'] | undefined, meaning: string): FigureDeclaration =>
  unit ? { name, unit, meaning } : { name, meaning }

const latencies = (prefix: string, keys: readonly string[], what: string, metric = 'latency'): FigureDeclaration[] =>
  keys.map((k) => d(`${prefix}${metric}_${k}`, 'ms', `${what}: ${k} of the ${metric === 'latency' ? 'request latency' : metric}`))

const PHASES = ['setup', 'teardown', 'before', 'after'] as const

export const SCENARIO_FIGURES: readonly FigureDeclaration[] = [
  d('requests', 'count', 'requests sent'),
  d('errors', 'count', 'failed requests (transport errors, unexpected statuses, failed checks)'),
  d('error_rate', '%', 'failed requests, % of requests (of iterations in a browser scenario)'),
  d('rps', 'rps', 'requests per second over the run'),
  d('iterations', 'count', 'journeys (iterations) completed'),
  d('dropped_iterations', 'count', 'iterations an arrival-rate profile could not start'),
  d('vus_max', 'count', 'virtual users busy at most'),
  d('bytes_received', 'B', 'response bytes received'),
  d('checks_failed', 'count', 'step checks that failed'),
  ...latencies('', ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'max'], 'all requests'),
  // made on the server branch (scenarios/degradation.ts), declared here so its gates pass once merged
  d('degradation', undefined, 'p95 latency at peak users ÷ p95 at low load'),
  d('step.<step>.requests', 'count', "one step's requests"),
  d('step.<step>.error_rate', '%', "one step's failed requests, %"),
  ...latencies('step.<step>.', ['p50', 'p95', 'p99', 'max'], 'one step'),
  ...PHASES.flatMap((p) => [
    d(`${p}.requests`, 'count', `the ${p} phase's requests`),
    d(`${p}.errors`, 'count', `the ${p} phase's failed requests`),
    d(`${p}.error_rate`, '%', `the ${p} phase's failed requests, %`),
    ...latencies(`${p}.`, ['p50', 'p95', 'max'], `the ${p} phase`),
  ]),
  d('journey.<journey>.iterations', 'count', "one journey's iterations"),
  d('journey.<journey>.requests', 'count', "one journey's requests"),
  d('journey.<journey>.error_rate', '%', "one journey's failed requests, %"),
  ...latencies('journey.<journey>.', ['p50', 'p95', 'p99', 'max'], 'one journey'),
  d('group.<group>.count', 'count', 'times the group ran'),
  ...latencies('group.<group>.', ['p50', 'p95', 'p99', 'max'], 'one group', 'duration'),
  // custom metrics: a trend's unit is the metric's own, which golive does not know
  ...['count', 'rate', 'min', 'mean', 'p50', 'p95', 'p99', 'max'].map((k) =>
    d(`metric.<metric>_${k}`, k === 'count' ? 'count' : k === 'rate' ? '%' : undefined, `a custom metric's ${k}`),
  ),
  // browser scenarios (docs/browser.md)
  d('iteration_duration_p95', 'ms', 'browser scenario: p95 of the whole iteration'),
  ...latencies('step.<step>.', ['p50', 'p95', 'max'], 'browser scenario, one step', 'duration'),
  ...['lcp', 'inp', 'fcp', 'ttfb'].map((k) => d(`web_vitals.${k}_p75`, 'ms', `browser scenario: p75 of ${k.toUpperCase()} over the page views`)),
  d('web_vitals.cls_p75', undefined, 'browser scenario: p75 of CLS over the page views'),
]
