// --out-metrics KIND=URL (repeatable): the live per-second figures streamed to Prometheus remote
// write (prometheus-rw) or an OpenTelemetry collector (otlp, OTLP/HTTP JSON). Sending is best
// effort: a failure is a warning, never a change of verdict, and never holds the run up — each
// request has a timeout, the queue a size, and the last flush a deadline. Credentials in the URL
// (user:password@, ?token=) are sent as they should be and hidden in every output.

import { UsageError } from '../../core/errors.js'
import { registerSecret, registerUrlSecrets } from '../../core/redact.js'
import { VERSION } from '../../core/version.js'
import { exportRequest, otlpMetricsUrl } from './otlp.js'
import { REMOTE_WRITE_HEADERS, writeRequest } from './prometheus-rw.js'
import type { MetricSample } from './series.js'

export const METRICS_KINDS = ['prometheus-rw', 'otlp'] as const
export type MetricsKind = (typeof METRICS_KINDS)[number]

export interface MetricsTarget {
  kind: MetricsKind
  url: URL
  display: string
  auth: string | null
}

const REQUEST_TIMEOUT_MS = 5000
const FLUSH_EVERY_MS = 1000
const CLOSE_DEADLINE_MS = 10_000
const MAX_QUEUE = 500_000
const MAX_BATCH = 20_000
const MAX_ATTEMPTS = 3
const SECRET_PARAM = /token|key|secret|pass|auth|sig|credential/i

export function parseOutMetrics(values: string[] | undefined): MetricsTarget[] {
  return (values ?? []).map((v) => {
    const eq = v.indexOf('=')
    const kind = v.slice(0, eq) as MetricsKind
    const raw = v.slice(eq + 1)
    if (eq < 0 || !METRICS_KINDS.includes(kind)) {
      throw new UsageError(
        `--out-metrics ${redactHint(v)}: expected prometheus-rw=URL or otlp=URL`,
        'e.g. --out-metrics prometheus-rw=http://127.0.0.1:9090/api/v1/write or --out-metrics otlp=http://127.0.0.1:4318',
      )
    }
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      throw new UsageError(`--out-metrics ${kind}=${redactHint(raw)}: not a URL`, 'give the full URL, with http:// or https://')
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UsageError(`--out-metrics ${kind}: ${url.protocol} URLs are not supported`, 'use an http:// or https:// URL')
    registerUrlSecrets(raw, `--out-metrics ${kind}`)
    for (const [name, value] of url.searchParams) if (SECRET_PARAM.test(name)) registerSecret(value, `--out-metrics ${kind} ${name}`)
    const auth =
      url.username || url.password ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` : null
    // fetch refuses a URL with credentials: they go in the Authorization header
    url.username = ''
    url.password = ''
    const target = kind === 'otlp' ? otlpMetricsUrl(url) : url
    return { kind, url: target, display: `${kind} ${displayUrl(target)}`, auth }
  })
}

/** The URL as printed: no userinfo (already taken out), secret query values hidden. */
function displayUrl(u: URL): string {
  const shown = new URL(u.href)
  for (const name of [...shown.searchParams.keys()]) if (SECRET_PARAM.test(name)) shown.searchParams.set(name, '<hidden>')
  return shown.href.replace(/%3Chidden%3E/g, '<hidden>')
}

/** A bad value is echoed without what may be a password */
function redactHint(v: string): string {
  return v.replace(/\/\/[^/@]*@/, '//<userinfo hidden>@')
}

interface Batch {
  samples: MetricSample[]
  attempts: number
}

/** One output: samples queued as seconds complete, sent once a second, one request at a time. */
export class MetricsSender {
  private queue: Batch[] = []
  private queued = 0
  private inflight: Promise<void> | null = null
  private readonly timer: NodeJS.Timeout
  private warned = false
  sent = 0
  dropped = 0
  failures = 0
  lastError: string | null = null

  constructor(
    readonly target: MetricsTarget,
    private readonly warn: (line: string) => void,
  ) {
    this.timer = setInterval(() => this.flush(), FLUSH_EVERY_MS)
    this.timer.unref()
  }

  push(samples: MetricSample[]): void {
    if (!samples.length) return
    this.queue.push({ samples, attempts: 0 })
    this.queued += samples.length
    while (this.queued > MAX_QUEUE && this.queue.length) {
      const old = this.queue.shift()!
      this.queued -= old.samples.length
      this.dropped += old.samples.length
    }
  }

  private flush(): Promise<void> {
    if (this.inflight || !this.queue.length) return this.inflight ?? Promise.resolve()
    // oldest first, whole seconds, up to MAX_BATCH samples: each series' samples stay in order
    const take: Batch[] = []
    let n = 0
    while (this.queue.length && (n === 0 || n + this.queue[0]!.samples.length <= MAX_BATCH)) {
      const b = this.queue.shift()!
      n += b.samples.length
      take.push(b)
    }
    this.queued -= n
    this.inflight = this.send(take).finally(() => {
      this.inflight = null
    })
    return this.inflight
  }

  private async send(batches: Batch[]): Promise<void> {
    const samples = batches.flatMap((b) => b.samples)
    const { kind, url, auth } = this.target
    const headers: Record<string, string> = { 'user-agent': `golive/${VERSION} (metrics out)`, ...(auth ? { authorization: auth } : {}) }
    const body = kind === 'prometheus-rw' ? new Uint8Array(writeRequest(samples)) : exportRequest(samples)
    Object.assign(headers, kind === 'prometheus-rw' ? REMOTE_WRITE_HEADERS : { 'content-type': 'application/json' })
    let retry = false
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), redirect: 'error' })
      const text = res.ok ? '' : (await res.text().catch(() => '')).slice(0, 200).trim()
      if (res.ok) {
        this.sent += samples.length
        return
      }
      // the spec: 5xx and 429 may be retried, other 4xx never (the same data would fail again)
      retry = res.status >= 500 || res.status === 429
      this.fail(`HTTP ${res.status}${text ? `: ${text}` : ''}`)
    } catch (e) {
      retry = true
      const err = e as Error & { cause?: { code?: string; message?: string } }
      this.fail(
        err.name === 'TimeoutError'
          ? `no answer in ${REQUEST_TIMEOUT_MS / 1000} s`
          : `${err.message}${err.cause ? ` (${err.cause.code ?? err.cause.message})` : ''}`,
      )
    }
    const again = retry ? batches.filter((b) => ++b.attempts < MAX_ATTEMPTS) : []
    for (const b of batches) if (!again.includes(b)) this.dropped += b.samples.length
    this.queue.unshift(...again)
    this.queued += again.reduce((a, b) => a + b.samples.length, 0)
  }

  private fail(why: string): void {
    this.failures++
    this.lastError = why
    if (this.warned) return
    this.warned = true
    this.warn(`golive: metrics out ${this.target.display}: ${why}; the run goes on (sending metrics never changes the verdict)`)
  }

  /** The rest sent, within CLOSE_DEADLINE_MS at most; says what was sent. */
  async close(): Promise<string> {
    clearInterval(this.timer)
    const until = Date.now() + CLOSE_DEADLINE_MS
    while ((this.queue.length || this.inflight) && Date.now() < until) {
      const left = until - Date.now()
      // timers held (not unref'd): the process waits for this bounded end, then exits
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        this.flush(),
        new Promise((r) => {
          timer = setTimeout(r, left)
        }),
      ])
      clearTimeout(timer)
      // a refused connection fails at once: do not spin on it
      if (this.queue.length && this.failures) await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, until - Date.now()))))
    }
    const unsent = this.queued + this.dropped
    return (
      `metrics out ${this.target.display}: ${this.sent} samples sent` +
      (unsent
        ? `, ${unsent} not sent (${this.failures} failed request${this.failures === 1 ? '' : 's'}; last: ${this.lastError ?? 'the deadline passed'})`
        : '')
    )
  }
}
