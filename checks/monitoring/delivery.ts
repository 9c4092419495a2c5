// Is Prometheus → Alertmanager delivering? Judged on a rate over a window, never on one sample:
// a Prometheus reload drops a notification or two and the Watchdog can be missing from
// Alertmanager for a moment, which is not a broken pipe. Broken means that over the window
// Prometheus delivered nothing, or lost most of what it tried.

export interface Delivery {
  windowMinutes: number
  sent: number | null
  dropped: number | null
  errors: number | null
}

/** The PromQL of each count over the window (summed over Alertmanagers). */
export function deliveryQueries(windowMinutes: number): Record<'sent' | 'dropped' | 'errors', string> {
  const w = `${windowMinutes}m`
  return {
    sent: `sum(increase(prometheus_notifications_sent_total[${w}]))`,
    dropped: `sum(increase(prometheus_notifications_dropped_total[${w}]))`,
    errors: `sum(increase(prometheus_notifications_errors_total[${w}]))`,
  }
}

/** null when delivery works over the window (or cannot be told), else why it is broken. */
export function deliveryBroken(d: Delivery): string | null {
  if (d.sent === null) return null
  const lost = (d.dropped ?? 0) + (d.errors ?? 0)
  const said = `over the last ${d.windowMinutes} min Prometheus sent ${round(d.sent)} notification(s) to Alertmanager, ${round(d.errors ?? 0)} failed, ${round(d.dropped ?? 0)} dropped`
  if (d.sent <= 0) return `${said}: Prometheus → Alertmanager is broken`
  if (lost / (d.sent + lost) > 0.5) return `${said}: most notifications are lost, Prometheus → Alertmanager is broken`
  return null
}

const round = (n: number) => Math.round(n * 10) / 10
