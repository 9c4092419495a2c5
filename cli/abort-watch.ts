// Stop on a breach, on the embedded and browser engines: each complete second of the scenario's timeline goes
// to the gates' AbortWatch; a blocker breached for its `after` stops the run early. (k6 judges
// its own abortOnFail thresholds: gates/k6-thresholds.ts.)

import type { GateSpec, TimelinePoint } from '../core/results.js'
import { AbortWatch } from '../gates/abort.js'
import { EmbeddedRun } from '../scenarios/engines/embedded/run.js'
import type { K6Run } from '../scenarios/engines/k6/run.js'
import type { BrowserRun } from '../scenarios/engines/browser/run.js'

/** The browser engine's seconds count iterations and failed iterations (no latency): only its
 *  error_rate can abort it. */
export function watchAborts(run: EmbeddedRun | K6Run | BrowserRun, scenario: string, gates: GateSpec[], log: (line: string) => void): void {
  if (!(run instanceof EmbeddedRun) && !('engine' in run && run.engine === 'browser')) return
  const stoppable = run as EmbeddedRun | BrowserRun
  const watch = new AbortWatch(gates, scenario)
  if (!watch.active) return
  run.on('second', (s: TimelinePoint) => {
    const b = watch.second(s)
    if (!b) return
    log(
      `golive: stopping ${scenario} at ${b.atS} s: ${b.gate} breached since ${b.breachedFromS} s (${b.value} ${b.unit} in the last second; abort after ${b.afterMs / 1000} s)`,
    )
    stoppable.abort({
      gate: b.gate,
      figure: b.figure,
      breachedFromS: b.breachedFromS,
      atS: b.atS,
      after: `${b.afterMs / 1000}s`,
      by: 'timeline',
      value: b.value,
      unit: b.unit,
    })
  })
}
