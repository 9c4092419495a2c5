/** A pause that ends early, without throwing, when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** sleep() with a callback: no promise; `then` runs once, after the pause or at the abort */
export function sleepThen(ms: number, signal: AbortSignal, then: () => void): void {
  if (ms <= 0 || signal.aborted) return then()
  const done = () => {
    clearTimeout(timer)
    signal.removeEventListener('abort', done)
    then()
  }
  const timer = setTimeout(done, ms)
  signal.addEventListener('abort', done, { once: true })
}
