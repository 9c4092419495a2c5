// The live event stream: what an engine measured in each second, while the run goes, for the
// live dashboard (--dashboard) and the metrics outputs (--out-metrics). Engines publish; the CLI's
// subscribers listen. One subscriber's failure never reaches the run or the other subscribers
// (Playwright's reporter multiplexer does the same).

/** Latency of the requests that completed in one second, ms (null: none had a response). */
export interface LiveLatency {
  p50: number
  p90: number
  p95: number
  p99: number
  max: number
}

export interface LiveStepSecond {
  name: string
  requests: number
  errors: number
  latency: LiveLatency | null
}

/** One complete second of one scenario: every worker or k6 process has reported it. */
export interface LiveSecond {
  type: 'second'
  scenario: string
  /** seconds since the scenario started, as results.json's timeline counts them */
  t: number
  /** epoch ms at the start of that second */
  at: number
  requests: number
  errors: number
  /** active users (the most seen in that second, summed over workers or k6 processes) */
  active: number
  latency: LiveLatency | null
  steps: LiveStepSecond[]
}

export type LiveEvent =
  | { type: 'scenario-start'; scenario: string; engine: string; totalMs: number; steps: string[] }
  | LiveSecond
  /** every second of the scenario has been published; `late`: k6 samples that arrived after
   *  their second was published (they are in results.json, not in the stream) */
  | { type: 'scenario-end'; scenario: string; requests: number; errors: number; late: number }
  | { type: 'run-end'; verdict: 'go' | 'no-go'; summary: string; partial: boolean; scorecardHtml: string; report: string | null }

export type LiveListener = (e: LiveEvent) => void

export class LiveHub {
  private readonly listeners: LiveListener[] = []
  private readonly failed = new Set<LiveListener>()

  constructor(private readonly warn: (line: string) => void = () => {}) {}

  subscribe(l: LiveListener): void {
    this.listeners.push(l)
  }
  get active(): boolean {
    return this.listeners.length > 0
  }

  publish(e: LiveEvent): void {
    for (const l of this.listeners) {
      if (this.failed.has(l)) continue
      try {
        l(e)
      } catch (err) {
        // a broken subscriber is switched off, said once; the run goes on
        this.failed.add(l)
        this.warn(`golive: a live output failed and was switched off: ${(err as Error).message}`)
      }
    }
  }
}
