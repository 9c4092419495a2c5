// The steady-state probes a drill runs throughout: an HTTP read through the edge at a fixed rate
// (open model: sent on schedule, not after the previous answer), and a write probe that creates
// sequence-numbered records through the API and remembers which ones were acknowledged, to read
// each back afterwards. Bounded: at most maxInFlight reads at once, every request times out.

import { setMaxListeners } from 'node:events'
import { drillClient, type DrillClient } from '../rate-limit/client.js'
import type { ProbeSample, WriteRecord } from './analyze.js'
import type { ProbeSettings } from './settings.js'
import { notAllowedMessage } from '../../core/origins.js'

const round3 = (n: number) => Math.round(n * 1000) / 1000

export class Probes {
  readonly samples: ProbeSample[] = []
  readonly writes: WriteRecord[] = []
  private readonly stopper = new AbortController()
  private readonly reader: DrillClient
  private readonly writer: DrillClient
  private token = ''
  private pending = new Set<Promise<void>>()
  private loops: Promise<void>[] = []
  private stopped = false

  constructor(
    private readonly origin: string,
    private readonly base: string,
    private readonly s: ProbeSettings,
    private readonly o: { ca?: string; headers: Record<string, string> },
    /** performance.now() of the drill's start: samples are seconds since then */
    private readonly t0: number,
  ) {
    setMaxListeners(0, this.stopper.signal)
    this.reader = drillClient(origin, { ca: o.ca, headers: o.headers, timeoutMs: s.timeoutMs, connections: s.maxInFlight, signal: this.stopper.signal })
    this.writer = drillClient(origin, { ca: o.ca, headers: o.headers, timeoutMs: s.timeoutMs, connections: 4, signal: this.stopper.signal })
  }

  private now(): number {
    return (performance.now() - this.t0) / 1000
  }

  /** Logs the write probe in before the drill; null when ready, else what is wrong. */
  async prepare(): Promise<string | null> {
    // every probe path stays on the target's origin, with its headers (core/origins.ts): a path
    // written as an absolute URL elsewhere is refused, never sent
    const w = this.s.write
    for (const p of [this.s.readPath, ...(w ? [w.loginPath, w.path, w.verifyPath] : [])]) {
      const url = new URL(this.base + p, this.origin)
      if (url.origin !== this.origin) return `the probe path ${p}: ${notAllowedMessage(url)}`
      if (!p.startsWith('/')) return `the probe path ${p} is not a path on the target: write it starting with /`
    }
    if (!w) return null
    const a = await this.writer.send('POST', this.base + w.loginPath, { json: { username: w.username, password: w.password } })
    if (a.status === null) return `the target did not answer the write probe's login at POST ${this.origin}${this.base + w.loginPath} (${a.error}): is it up?`
    if (a.status !== 200)
      return `the write probe could not log in as ${w.username} at POST ${this.base + w.loginPath}: ${a.status ?? a.error} ${a.body.slice(0, 200)} (set writeUsername/writePassword, or write: false)`
    try {
      this.token = String((JSON.parse(a.body) as { token?: string }).token ?? '')
    } catch {
      /* below */
    }
    if (!this.token) return `the login at ${this.base + w.loginPath} answered no token (the write probe sends it as a bearer token)`
    return null
  }

  start(): void {
    this.loops.push(this.every(1000 / this.s.readRps, () => this.inFlight() < this.s.maxInFlight && this.track(this.read())))
    if (this.s.write) this.loops.push(this.every(1000 / this.s.write.rps, () => this.track(this.write())))
  }

  /** Stops sending, waits for what is in flight (each request has its timeout). */
  async stop(): Promise<void> {
    this.stopped = true
    await Promise.all(this.loops)
    await Promise.all(this.pending)
  }

  /** Stops at once: requests in flight are cut off and not recorded. */
  async abort(): Promise<void> {
    this.stopped = true
    this.stopper.abort()
    await Promise.all(this.loops)
    await Promise.all(this.pending)
  }

  async close(): Promise<void> {
    await Promise.all([this.reader.close(), this.writer.close()])
  }

  private inFlight(): number {
    return this.pending.size
  }

  private track(p: Promise<void>): void {
    this.pending.add(p)
    void p.finally(() => this.pending.delete(p))
  }

  private async every(intervalMs: number, fire: () => unknown): Promise<void> {
    const started = performance.now()
    let n = 0
    while (!this.stopped) {
      fire()
      n++
      const wait = started + n * intervalMs - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    }
  }

  private async read(): Promise<void> {
    const t = this.now()
    const a = await this.reader.send('GET', this.base + this.s.readPath)
    if (this.stopper.signal.aborted) return
    this.samples.push({
      t: round3(t),
      probe: 'read',
      ok: a.status !== null && a.status >= 200 && a.status < 300,
      ms: Math.round(a.ms),
      status: a.status ?? a.error ?? 'ERROR',
    })
  }

  private async write(): Promise<void> {
    const w = this.s.write
    if (!w) return
    const seq = this.writes.length + 1
    const t = this.now()
    const rec: WriteRecord = { seq, t: round3(t) }
    this.writes.push(rec)
    const body = JSON.parse(w.body.replaceAll('{{seq}}', String(seq)).replaceAll('{{productId}}', String(1 + (seq % 100)))) as unknown
    const a = await this.writer.send('POST', this.base + w.path, { json: body, headers: { authorization: `Bearer ${this.token}` } })
    if (this.stopper.signal.aborted) {
      this.writes.splice(this.writes.indexOf(rec), 1)
      return
    }
    const ok = a.status !== null && a.status >= 200 && a.status < 300
    if (ok) {
      try {
        const id = (JSON.parse(a.body) as Record<string, unknown>)[w.idField]
        if (typeof id === 'number' || typeof id === 'string') {
          rec.id = id
          rec.ackT = round3(this.now())
        }
      } catch {
        /* acknowledged without an id: cannot be verified */
      }
    }
    this.samples.push({ t: round3(t), probe: 'write', ok, ms: Math.round(a.ms), status: a.status ?? a.error ?? 'ERROR' })
  }

  /** Reads every acknowledged record back: 2xx found, 404/410 lost, anything else (after three
   *  tries) unverified. Bounded by `budgetMs`. Returns what it checked. */
  async verify(budgetMs: number): Promise<{ found: number; missing: number[]; unverified: number[] }> {
    const w = this.s.write
    const out = { found: 0, missing: [] as number[], unverified: [] as number[] }
    if (!w) return out
    // a client of its own: the probes' clients may have been cut off by an interrupt
    const client = drillClient(this.origin, { ...this.o, timeoutMs: this.s.timeoutMs, connections: 8, signal: new AbortController().signal })
    const until = performance.now() + budgetMs
    const acked = this.writes.filter((r) => r.id !== undefined)
    for (let i = 0; i < acked.length; i += 8) {
      await Promise.all(
        acked.slice(i, i + 8).map(async (rec) => {
          let verdict: boolean | undefined
          for (let attempt = 0; attempt < 3 && verdict === undefined && performance.now() < until; attempt++) {
            const a = await client.send('GET', this.base + w.verifyPath.replaceAll('{{id}}', encodeURIComponent(String(rec.id))), {
              headers: { authorization: `Bearer ${this.token}` },
            })
            if (a.status !== null && a.status >= 200 && a.status < 300) verdict = true
            else if (a.status === 404 || a.status === 410) verdict = false
            else await new Promise((r) => setTimeout(r, 300))
          }
          // once missing, always missing: a later check cannot bring a lost write back
          if (rec.found !== false) rec.found = verdict ?? rec.found
          if (verdict === true) out.found++
          else if (verdict === false) out.missing.push(rec.seq)
          else out.unverified.push(rec.seq)
        }),
      )
    }
    await client.close()
    return out
  }
}
