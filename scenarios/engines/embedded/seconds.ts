// Which seconds of the timeline are complete: every worker has sent its share of them. A worker
// flushes, just after each second closes, every second before the one it is in (TickMessage.through),
// so a second is complete once every worker's through has passed it.

export class CompleteSeconds {
  private readonly upTo: number[]
  private next = 0

  constructor(workers: number) {
    this.upTo = Array(workers).fill(-1)
  }

  /** worker w has sent every second before `upTo`: the seconds newly complete, in order */
  update(w: number, upTo: number): number[] {
    this.upTo[w] = Math.max(this.upTo[w]!, upTo)
    const done = Math.min(...this.upTo)
    const out: number[] = []
    while (this.next < done) out.push(this.next++)
    return out
  }
}
