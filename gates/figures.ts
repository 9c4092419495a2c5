// Which concrete figures a gate's pattern names, and which scenario or check each one came
// from. '*' matches exactly one dotted segment: 'load.*.latency_p95' matches
// 'load.smoke.latency_p95', never 'load.smoke.checkout.latency_p95'.

import type { CheckResult, Results, ScenarioResult } from '../core/results.js'

export function isPattern(figure: string): boolean {
  return figure.split('.').includes('*')
}

export function matchesFigure(pattern: string, name: string): boolean {
  const p = pattern.split('.')
  const n = name.split('.')
  return p.length === n.length && p.every((seg, i) => seg === '*' || seg === n[i])
}

/** Where a figure came from: 'load.<scenario>' for load figures, else the check id ('tls'). */
export function sourceName(figure: string): string {
  const segs = figure.split('.')
  return segs[0] === 'load' && segs.length > 2 ? `load.${segs[1]}` : segs[0]!
}

export type FigureSource = { kind: 'scenario'; name: string; result: ScenarioResult } | { kind: 'check'; name: string; result: CheckResult }

/** The scenario or check in this run that a concrete figure belongs to, if any. */
export function findSource(results: Results, figure: string): FigureSource | undefined {
  const name = sourceName(figure)
  if (name.startsWith('load.')) {
    const result = results.scenarios.find((s) => `load.${s.name}` === name)
    return result && { kind: 'scenario', name, result }
  }
  const result = results.checks.find((c) => c.id === name)
  return result && { kind: 'check', name, result }
}

/** Browser scenarios (kind 'browser') and HTTP scenarios report different figures: the first
 *  segment after the scenario's name says which kind a figure belongs to. */
const BROWSER_ROOTS = new Set(['iterations', 'error_rate', 'vus_max', 'iteration_duration_p95', 'web_vitals', 'step'])
const BROWSER_ONLY = new Set(['iteration_duration_p95', 'web_vitals'])

/** Could this scenario report a figure named load.<name>.<rest...>? ('*' could be anything) */
export function scenarioReports(s: ScenarioResult, rest: readonly string[]): boolean {
  const root = rest[0]
  if (root === undefined || root === '*') return true
  return s.kind === 'browser' ? BROWSER_ROOTS.has(root) : !BROWSER_ONLY.has(root)
}

/** Did the run include any scenario or check the pattern could name? Optional (preset) gates
 *  on sources outside the run read 'not-run' rather than failing. */
export function sourceInRun(results: Results, pattern: string): boolean {
  const [first = '', second, ...rest] = pattern.split('.')
  const seg = (p: string, v: string) => p === '*' || p === v
  const scenario = (first === 'load' || first === '*') && second !== undefined && results.scenarios.some((s) => seg(second, s.name) && scenarioReports(s, rest))
  return scenario || results.checks.some((c) => seg(first, c.id))
}

/** The concrete figures a gate judges. A plain figure name judges itself. A pattern judges
 *  every matching figure in results.json, plus:
 *  - for '*' in the scenario place ('load.*.latency_p95'), every scenario of the run: scenarios
 *    all report the same figures, so one without it measured nothing ("no samples" must fail,
 *    not vanish from the scorecard); with more wildcards after it, only the scenarios that
 *    failed, as one row each;
 *  - for '*' in the check place ('*.grade'), the checks that did not measure (checks report
 *    different figures, so a measured check without a grade simply has none to judge);
 *  - the figures a check asked for and got no data for (noData), each a row that fails. */
export function expandFigure(results: Results, pattern: string): string[] {
  if (!isPattern(pattern)) return [pattern]
  const found = Object.keys(results.figures).filter((name) => matchesFigure(pattern, name))
  const [first = '', second, ...rest] = pattern.split('.')
  const seg = (p: string, v: string) => p === '*' || p === v

  const expected: string[] = []
  if ((first === 'load' || first === '*') && second !== undefined && rest.length > 0) {
    for (const s of results.scenarios) {
      if (seg(second, s.name) && scenarioReports(s, rest) && (!rest.includes('*') || s.status === 'error')) expected.push(['load', s.name, ...rest].join('.'))
    }
  }
  for (const c of results.checks) {
    if (c.status !== 'measured' && seg(first, c.id)) expected.push([c.id, second, ...rest].filter((x) => x !== undefined).join('.'))
  }
  // a figure found stands for its source; an expected one adds a row only for a source without any
  const covered = new Set(found.map(sourceName))
  const extra = expected.filter((name) => !covered.has(sourceName(name)))
  // a figure a check asked for and got no data for is a row of its own (it fails as missing)
  const empty = results.checks.flatMap((c) => Object.keys(c.noData ?? {}).map((n) => `${c.id}.${n}`)).filter((n) => matchesFigure(pattern, n))
  return [...new Set([...found, ...extra, ...empty])]
}

/** True when a run narrowed to `only` (`golive run --only tls,headers`) left out the scenario or
 *  check a gate's figure comes from. A '*' source is never left out: it matches what ran. */
export function outsideSelection(figure: string, only: readonly string[]): boolean {
  const [first = '', second] = figure.split('.')
  if (first === '*') return false
  if (first === 'load') return !only.some((o) => o === 'load' || (o.startsWith('load.') && (second === '*' || o === `load.${second}`)))
  return !only.includes(first)
}
