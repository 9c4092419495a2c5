// Ctrl-C, SIGTERM (CI cancelling a job, kill) and SIGHUP (the terminal or ssh session closing):
// the first stops the run gracefully (partial results are still written, the reason naming the
// signal); a second leaves at once after writing what is already known.

export interface Interrupt {
  signal: AbortSignal
  /** 'interrupted (SIGTERM)' once a signal came, else null */
  reason(): string | null
  onForce(fn: () => void): void
  dispose(): void
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export function trapInterrupt(log: (line: string) => void): Interrupt {
  const ac = new AbortController()
  let force: (() => void) | undefined
  let reason: string | null = null
  const handler = (sig: NodeJS.Signals) => {
    if (!ac.signal.aborted) {
      reason = `interrupted (${sig})`
      // after SIGHUP the terminal may be gone: a failed write must not stop the partial results
      try {
        log(`\nstopping on ${sig}: writing partial results (${sig === 'SIGINT' ? 'press Ctrl-C' : `send ${sig}`} again to quit now)`)
      } catch {
        /* no terminal */
      }
      ac.abort(new Error(reason))
    } else {
      try {
        force?.()
      } finally {
        process.exit(1)
      }
    }
  }
  for (const s of SIGNALS) process.on(s, handler)
  return {
    signal: ac.signal,
    reason: () => reason,
    onForce(fn) {
      force = fn
    },
    dispose() {
      for (const s of SIGNALS) process.off(s, handler)
    },
  }
}
