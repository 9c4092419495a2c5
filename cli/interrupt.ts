// Ctrl-C: the first stops the run gracefully (partial results are still written); the second
// leaves at once after writing what is already known.

export interface Interrupt { signal: AbortSignal; onForce(fn: () => void): void; dispose(): void }

export function trapInterrupt(log: (line: string) => void): Interrupt {
  const ac = new AbortController()
  let force: (() => void) | undefined
  const handler = () => {
    if (!ac.signal.aborted) {
      log('\nstopping: writing partial results (press Ctrl-C again to quit now)')
      ac.abort(new Error('interrupted (SIGINT)'))
    } else {
      force?.()
      process.exit(1)
    }
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return {
    signal: ac.signal,
    onForce(fn) { force = fn },
    dispose() { process.off('SIGINT', handler); process.off('SIGTERM', handler) },
  }
}
