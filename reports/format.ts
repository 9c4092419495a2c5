// Numbers and scorecard text shared by the reporters. Values here are not escaped: each
// reporter escapes for its own format at the point of output.

import type { ScorecardRow } from '../core/results.js'
import { formatDuration, formatValue } from '../core/units.js'

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

export function count(n: number | null | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? INT.format(n) : '—'
}

export function latency(ms: number | null | undefined): string {
  return typeof ms === 'number' && Number.isFinite(ms) ? formatValue(ms, 'ms') : '—'
}

export function duration(ms: number | null | undefined): string {
  return typeof ms === 'number' && Number.isFinite(ms) ? formatDuration(ms) : '—'
}

export function errorRate(errors: number, requests: number): string {
  return requests > 0 ? formatValue((errors / requests) * 100, '%') : '—'
}

export function rps(requests: number, durationMs: number): string {
  return durationMs > 0 ? formatValue(requests / (durationMs / 1000), 'rps') : '—'
}

// 'rise < 10 % or 20 ms vs baseline' already says its operator in words
const OP_PREFIX_RE = /^\s*(?:<=?|>=?|==|!=|rise |drop )/

/** '< 500 ms': the operator with the target, whether or not gates/ already wrote it into expected. */
export function expectedText(row: Pick<ScorecardRow, 'op' | 'expected'>): string {
  return OP_PREFIX_RE.test(row.expected) ? row.expected.trim() : `${row.op} ${row.expected}`
}

/** The measured value as text, or null when there was none (missing, skipped, not run). */
export function actualText(row: Pick<ScorecardRow, 'actual' | 'actualValue' | 'unit'> & Pick<Partial<ScorecardRow>, 'interval'>): string | null {
  // a figure with an interval shows it beside the value: 3300 s [2900 s–3800 s, 12 samples]
  const i = row.interval
  const range = i ? ` [${formatValue(i.low, row.unit)}–${formatValue(i.high, row.unit)}${i.samples !== undefined ? `, ${i.samples} samples` : ''}]` : ''
  if (row.actual !== null && row.actual !== undefined) return row.actual + range
  if (row.actualValue === null || row.actualValue === undefined) return null
  return formatValue(row.actualValue, row.unit) + range
}

/** 'expected < 500 ms, actual 812 ms': the one line a CI failure shows. */
export function verdictLine(row: ScorecardRow): string {
  return `expected ${expectedText(row)}, actual ${actualText(row) ?? 'none'}`
}

/** The gate as written, plus the concrete figure when the gate does not name it (wildcards). */
export function gateLabel(row: Pick<ScorecardRow, 'gate' | 'figure'>): string {
  return row.gate.includes(row.figure) ? row.gate : `${row.gate} (${row.figure})`
}

/** 'load.checkout' for load figures, else the first segment ('tls'). Scenario names are matched
 *  whole when given, since a name may itself contain a dot. */
export function sourceOf(figure: string, scenarioNames: readonly string[] = []): string {
  const segments = figure.split('.')
  if (segments[0] === 'load' && segments.length > 1) {
    const named = scenarioNames.filter((name) => figure.startsWith(`load.${name}.`) || figure === `load.${name}`).sort((a, b) => b.length - a.length)[0]
    return `load.${named ?? segments[1]}`
  }
  return segments[0] || 'golive'
}
