// How a scenario run ended, the same for every engine: measured; partial when it was stopped or
// something failed after requests were made; error when something failed before any was.

import type { ScenarioResult } from '../core/results.js'

export function runOutcome(stopped: boolean, failures: string[], requests: number): Pick<ScenarioResult, 'status' | 'reason'> {
  const partial = stopped || failures.length > 0
  return {
    status: failures.length > 0 && requests === 0 ? 'error' : partial ? 'partial' : 'measured',
    reason: failures.length ? failures.join('; ') : stopped ? 'stopped before the end of its profile' : undefined,
  }
}
