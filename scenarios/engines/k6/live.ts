// The k6 engine's live stream: each k6 process's samples, as they come out of its FIFO, into
// LiveSeconds. k6 writes a sample when its request ends and flushes its JSON output a few times
// a second, so a second is taken as complete once that process's samples are LAG_S seconds past
// it; a sample later than that is counted as late (it is in results.json, not in the stream).

import type { LiveEvent } from '../../../core/live.js'
import { LiveSeconds } from '../live-seconds.js'
import type { SampleTap } from './samples.js'

const LAG_S = 2

export class K6Live {
  private readonly seconds: LiveSeconds
  private epochSet = false

  constructor(scenario: string, steps: string[], segments: number, emit: (e: LiveEvent) => void) {
    this.seconds = new LiveSeconds(scenario, steps, segments, emit)
  }

  tap(segment: number): SampleTap {
    const s = this.seconds
    let maxT = 0
    const seen = (t: number) => {
      if (t <= maxT) return
      maxT = t
      s.complete(segment, maxT - LAG_S)
    }
    return {
      epoch: (ms) => {
        if (!this.epochSet) {
          this.epochSet = true
          s.epochMs = ms
        }
      },
      request: (t, step, ms, count) => {
        s.request(t, step, ms, count)
        seen(t)
      },
      error: (t, step) => {
        s.error(t, step)
        seen(t)
      },
      vus: (t, users) => {
        s.active(segment, t, users)
        seen(t)
      },
    }
  }

  end(): void {
    this.seconds.end()
  }
}
