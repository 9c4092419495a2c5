// Transactions: the steps of one group, timed together within one iteration, from the group's
// first request to its last response, without the think time spent between them. Pure, so both
// engines time groups alike (the k6 runtime bundles it); times in ms from any one clock.

export class GroupClock {
  private readonly open = new Map<string, { start: number; end: number; steps: number }>()
  private readonly pauses: [number, number][] = []

  /** `expected`: how many steps of each group the journey has (a group is timed only when all ran) */
  constructor(private readonly expected: Readonly<Record<string, number>>) {}

  /** a step of `group` sent its first request at `start` and had its last response at `end` */
  step(group: string | null, start: number, end: number): void {
    if (group === null) return
    const g = this.open.get(group)
    if (g) {
      g.end = end
      g.steps++
    } else this.open.set(group, { start, end, steps: 1 })
  }

  /** a pause (think time) from `start` to `end`: left out of any group it falls inside */
  pause(start: number, end: number): void {
    if (this.open.size > 0 && end > start) this.pauses.push([start, end])
  }

  /** The groups whose every step got a response: [name, ms]. */
  durations(): [string, number][] {
    const out: [string, number][] = []
    for (const [name, g] of this.open) {
      if (g.steps < (this.expected[name] ?? 0)) continue
      let paused = 0
      for (const [s, e] of this.pauses) paused += Math.max(0, Math.min(e, g.end) - Math.max(s, g.start))
      out.push([name, Math.max(0, g.end - g.start - paused)])
    }
    return out
  }
}
