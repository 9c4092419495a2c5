// Figures a check said it did not measure, and why (CheckResult.unmeasured): a gate on one of
// them is never a pass and never an unexplained MISSING. Preset gates read not run with the
// check's reason; a gate the user wrote reads missing with it.

import type { Results } from '../core/results.js'
import { matchesFigure } from './figures.js'

/** The reason a check gave for not measuring what `pattern` names, or undefined. */
export function unmeasuredReason(results: Results, pattern: string): string | undefined {
  for (const c of results.checks) {
    for (const [name, why] of Object.entries(c.unmeasured ?? {})) {
      if (matchesFigure(pattern, `${c.id}.${name}`)) return `${c.id}.${name} was not measured: ${why}`
    }
  }
  return undefined
}
