// The embedded engine's live stream: each worker's per-second deltas (split by step when the
// run is live) into LiveSeconds. A second is published once every worker's tick has passed it.

import { decodeHistogram } from '../../../core/histogram.js'
import type { LiveEvent } from '../../../core/live.js'
import { LiveSeconds } from '../live-seconds.js'
import type { TickMessage } from './metrics.js'

export class EmbeddedLive {
  private readonly seconds: LiveSeconds

  constructor(
    scenario: string,
    private readonly steps: string[],
    workers: number,
    emit: (e: LiveEvent) => void,
  ) {
    this.seconds = new LiveSeconds(scenario, steps, workers, emit)
  }

  /** the workers' shared start (Date.now() at second 0) */
  start(epochMs: number): void {
    this.seconds.epochMs = epochMs
  }

  add(worker: number, m: TickMessage): void {
    for (const d of m.seconds) {
      this.seconds.add(d.t, null, d.requests, d.errors, d.hist ? decodeHistogram(d.hist) : null)
      this.seconds.active(worker, d.t, d.activeMax)
      d.steps?.forEach((s, i) => this.seconds.add(d.t, this.steps[i] ?? `step ${i}`, s.requests, s.errors, s.hist ? decodeHistogram(s.hist) : null))
    }
    this.seconds.complete(worker, m.through)
  }

  end(): void {
    this.seconds.end()
  }
}
