// One timer for every request in flight in a worker (not one per request): a scan every 100 ms
// expires the exchanges past their step timeout, whatever phase they are in. The timer is
// unref'd and stays once started: re-arming it per request would cost the hot path.

export interface Deadline {
  at: number
  expire(): void
}

const pending = new Set<Deadline>()
let timer: ReturnType<typeof setInterval> | null = null

export function watchDeadline(d: Deadline): void {
  pending.add(d)
  if (!timer) {
    timer = setInterval(scan, 100)
    timer.unref()
  }
}

export function unwatchDeadline(d: Deadline): void {
  pending.delete(d)
}

function scan(): void {
  const now = performance.now()
  for (const d of pending) {
    if (now >= d.at) {
      pending.delete(d)
      d.expire()
    }
  }
}
