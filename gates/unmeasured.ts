// Figures a check (or scenario) said it did not measure, and why (unmeasured): a gate on one of
// them is never a pass and never an unexplained MISSING. Preset gates read not run with the
// reason; a gate the user wrote reads missing with it. Figures a check asked for and got nothing
// back (noData: a Prometheus query that returned no series) read missing with the reason, preset
// or not: the measurement was meant to happen.

import type { Results } from '../core/results.js'
import { matchesFigure } from './figures.js'

/** The reason a check or scenario gave for not measuring what `pattern` names, or undefined. */
export function unmeasuredReason(results: Results, pattern: string): string | undefined {
  for (const c of results.checks) {
    for (const [name, why] of Object.entries(c.unmeasured ?? {})) {
      if (matchesFigure(pattern, `${c.id}.${name}`)) return `${c.id}.${name} was not measured: ${why}`
    }
  }
  for (const s of results.scenarios) {
    for (const [name, why] of Object.entries(s.unmeasured ?? {})) {
      if (matchesFigure(pattern, `load.${s.name}.${name}`)) return `load.${s.name}.${name} was not measured: ${why}`
    }
  }
  return undefined
}

/** Why a check has no data for what `pattern` names (noData), or undefined. */
export function noDataReason(results: Results, pattern: string): string | undefined {
  for (const c of results.checks) {
    for (const [name, why] of Object.entries(c.noData ?? {})) {
      if (matchesFigure(pattern, `${c.id}.${name}`)) return `${c.id}.${name} is missing: ${why}`
    }
  }
  return undefined
}
