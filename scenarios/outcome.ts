// How a scenario run ended, the same for every engine: measured; partial when it was stopped or
// something failed after requests were made; error when something failed before any was.

import type { AbortInfo, ScenarioResult } from '../core/results.js'

export function runOutcome(stopped: boolean, failures: string[], requests: number): Pick<ScenarioResult, 'status' | 'reason'> {
  const partial = stopped || failures.length > 0
  return {
    status: failures.length > 0 && requests === 0 ? 'error' : partial ? 'partial' : 'measured',
    reason: failures.length ? failures.join('; ') : stopped ? 'stopped before the end of its profile' : undefined,
  }
}

/** A run a gate's abort stopped early: complete up to then, and the reports say so. */
export function abortReason(a: AbortInfo): string {
  return a.by === 'timeline'
    ? `ABORTED at ${a.atS} s: ${a.gate} breached since ${a.breachedFromS} s (abort after ${a.after}; ${a.value ?? '-'} ${a.unit ?? ''} in the last second)`
    : `ABORTED at ${a.atS} s by k6: ${a.figure} crossed (abortOnFail, delayAbortEval ${a.after}; gate ${a.gate})`
}
