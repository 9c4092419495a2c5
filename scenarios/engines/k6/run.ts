// `--engine k6`: writes the scenario's k6 script into the run directory, runs k6 (or N k6
// processes, one execution segment each), streams every raw sample through a FIFO into HDR
// histograms, and returns the same ScenarioResult the embedded engine does. k6 crashing or
// being stopped still returns what was measured, marked partial, with k6's stderr tail.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { EventEmitter, once } from 'node:events'
import { closeSync, constants, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { AbortInfo, K6Threshold, ScenarioResult } from '../../../core/results.js'
import type { ScenarioPlan } from '../../compile.js'
import { abortReason, runOutcome } from '../../outcome.js'
import type { Target } from '../embedded/http.js'
import type { ProgressEvent } from '../embedded/run.js'
import { buildK6Script } from './bundle.js'
import { findK6, k6Build } from './binary.js'
import { K6Samples, WANTED } from './samples.js'
import { K6Live } from './live.js'

export interface K6Options {
  target: Target
  /** the run directory: the script, k6's summary and dashboard go to <runDir>/k6/ */
  runDir: string
  thresholds: Record<string, K6Threshold[]>
  notThresholds?: { gate: string; why: string }[]
  /** k6 processes, one execution segment each; default 1 */
  segments?: number
  signal?: AbortSignal
  /** the scenario file, for messages */
  file: string
  /** gates with abort, as the thresholds (abortOnFail) they became */
  aborts?: K6Abort[]
}

export interface K6Abort {
  gate: string
  metric: string
  threshold: string
  after: string
}

// k6 exit codes (https://grafana.com/docs/k6/latest/results-output/...): 99 thresholds crossed,
// 105 stopped from outside (our SIGINT)
const THRESHOLDS_CROSSED = 99
const EXTERNAL_ABORT = 105

/** Events: 'progress' (ProgressEvent) once a second; 'live' (LiveEvent: each complete second,
 *  then the end) when listened to before run(). */
export class K6Run extends EventEmitter {
  constructor(
    private readonly plan: ScenarioPlan,
    private readonly opts: K6Options,
  ) {
    super()
  }

  async run(): Promise<ScenarioResult> {
    const { plan, opts } = this
    const binary = findK6()
    const { version, goliveOutput } = k6Build(binary)
    const segments = Math.max(1, opts.segments ?? 1)
    const dir = join(opts.runDir, 'k6')
    mkdirSync(dir, { recursive: true })
    const scriptFile = join(dir, `${plan.name}.k6.js`)
    const script = buildK6Script(plan, {
      file: opts.file,
      baseUrl: opts.target.origin + opts.target.basePath,
      thresholds: opts.thresholds,
      hosts: opts.target.hosts,
    })
    writeFileSync(scriptFile, script.code)
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GOLIVE_TARGET: opts.target.origin + opts.target.basePath,
      GOLIVE_HEADERS: JSON.stringify(Object.fromEntries(opts.target.headers)),
      // nothing leaves the machine: no usage report, no extension download
      K6_NO_USAGE_REPORT: 'true',
      K6_AUTO_EXTENSION_RESOLUTION: 'false',
      K6_WEB_DASHBOARD: 'true',
      K6_WEB_DASHBOARD_PORT: '-1', // no server: only the exported report
      K6_WEB_DASHBOARD_PERIOD: '1s',
      // the metrics golive's output writes (k6's own JSON output writes every sample of every metric)
      GOLIVE_K6_METRICS: [...WANTED].join(','),
    }
    // k6 has no per-request switch for HTTP/2: Go's client drops it with this (scenario http: '1.1')
    if (plan.http === '1.1') env.GODEBUG = [process.env.GODEBUG, 'http2client=0'].filter(Boolean).join(',')
    if (opts.target.ca) {
      // Go reads extra roots from SSL_CERT_FILE; k6 has no script option for a CA
      const ca = join(dir, 'ca.pem')
      writeFileSync(ca, opts.target.ca)
      env.SSL_CERT_FILE = ca
    }

    const startedAt = new Date()
    const startMs = Date.now()
    const stepDefs = plan.steps.map((s) => ({ name: s.name, method: s.method, phase: s.phase }))
    const samples = Array.from({ length: segments }, () => new K6Samples(stepDefs, plan.flow))
    const live = this.listenerCount('live')
      ? new K6Live(
          plan.name,
          stepDefs.map((s) => s.name),
          segments,
          (e) => this.emit('live', e),
        )
      : null
    if (live)
      samples.forEach((s, i) => {
        s.tap = live.tap(i)
      })
    const sequence = Array.from({ length: segments + 1 }, (_, i) => fraction(i, segments)).join(',')
    const artifacts: { label: string; path: string }[] = []
    let stopped = false
    const procs = samples.map((sink, i) => {
      const suffix = segments > 1 ? `-${i + 1}` : ''
      const dashboard = `k6/dashboard${suffix}.html`
      const summary = `k6/summary${suffix}.txt`
      artifacts.push(
        { label: `k6 web dashboard${suffix ? ` (segment ${i + 1})` : ''}`, path: dashboard },
        { label: `k6 summary${suffix ? ` (segment ${i + 1})` : ''}`, path: summary },
      )
      const fifo = join(dir, `samples${suffix}.fifo`)
      const args = ['run', '--quiet', '--no-color', '--address', '', '--out', `${goliveOutput ? 'golive' : 'json'}=${fifo}`]
      if (segments > 1) args.push('--execution-segment', `${fraction(i, segments)}:${fraction(i + 1, segments)}`, '--execution-segment-sequence', sequence)
      args.push(scriptFile)
      return runProcess(binary, args, { ...env, K6_WEB_DASHBOARD_EXPORT: join(opts.runDir, dashboard) }, fifo, join(opts.runDir, summary), sink)
    })

    const stop = () => {
      stopped = true
      for (const p of procs) p.child.kill('SIGINT')
    }
    opts.signal?.addEventListener('abort', stop, { once: true })
    const deadline = setTimeout(
      () => {
        for (const p of procs) p.child.kill('SIGKILL')
      },
      plan.profile.totalMs + plan.profile.gracefulStopMs + 60_000,
    )
    const progress = setInterval(() => {
      if (this.listenerCount('progress') === 0) return
      const snaps = samples.map((s) => s.snapshot())
      const sum = (k: 'requests' | 'errors' | 'active' | 'rps') => snaps.reduce((a, s) => a + (s[k] ?? 0), 0)
      this.emit('progress', {
        scenario: plan.name,
        elapsedMs: Date.now() - startMs,
        totalMs: plan.profile.totalMs,
        active: sum('active'),
        requests: sum('requests'),
        errors: sum('errors'),
        rps: sum('rps'),
        p95: segments === 1 ? snaps[0]!.p95 : null,
      } satisfies ProgressEvent)
    }, 1000)
    const ends = await Promise.all(procs.map((p) => p.done))
    clearTimeout(deadline)
    clearInterval(progress)
    live?.end()
    opts.signal?.removeEventListener('abort', stop)

    const merged = samples[0]!
    for (const s of samples.slice(1)) merged.absorb(s)
    const totals = merged.totals()
    const exitCodes = ends.map((e) => e.code)
    // k6 stopped itself on an abortOnFail threshold: complete results, marked aborted
    const thresholdAborted = ends.some((e) => e.code === THRESHOLDS_CROSSED && /abortOnFail/.test(e.stderrTail))
    const aborts = opts.aborts ?? []
    const aborted: AbortInfo | null =
      thresholdAborted && aborts.length
        ? {
            gate: aborts.map((a) => a.gate).join(' or '),
            figure: aborts.map((a) => `${a.metric} ${a.threshold}`).join(', '),
            atS: Math.round((Date.now() - startMs) / 100) / 10,
            after: aborts.map((a) => a.after).join(', '),
            by: 'k6-threshold',
          }
        : null
    const failures = ends.flatMap((e, i) =>
      e.code === 0 || e.code === THRESHOLDS_CROSSED || (stopped && e.code === EXTERNAL_ABORT)
        ? []
        : [
            `k6${segments > 1 ? ` segment ${i + 1}` : ''} ${e.code === null ? `was killed (${e.signal})` : `exited with code ${e.code}`}${e.stderrTail ? `: ${e.stderrTail}` : ''}`,
          ],
    )
    return {
      name: plan.name,
      engine: 'k6',
      ...runOutcome(stopped, failures, totals.requests),
      ...(aborted && !stopped && !failures.length ? { aborted, reason: abortReason(aborted) } : {}),
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startMs,
      profile: { ...plan.profileSource, ...(segments > 1 ? { segments } : {}) },
      // k6's arrival-rate executors time a request from its actual send; a start that finds no
      // free VU is dropped and counted (dropped_iterations) instead of queued
      coordinatedOmission: 'not-applicable',
      ...totals,
      ...merged.flow.results(
        plan.flow,
        totals.steps,
        plan.steps.map((s) => s.name),
      ),
      artifacts: artifacts.filter((a) => existsSync(join(opts.runDir, a.path))).concat({ label: 'k6 script', path: `k6/${plan.name}.k6.js` }),
      engineDetails: {
        version,
        exitCodes,
        segments,
        thresholds: opts.thresholds,
        thresholdsCrossed: exitCodes.includes(THRESHOLDS_CROSSED),
        ...(thresholdAborted ? { thresholdAborted } : {}),
        notThresholds: opts.notThresholds ?? [],
      },
    }
  }
}

interface ProcessEnd {
  code: number | null
  signal: NodeJS.Signals | null
  stderrTail: string
}

/** One k6 process, its samples read from a FIFO as it writes them. */
function runProcess(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  fifo: string,
  summaryFile: string,
  sink: K6Samples,
): { child: ChildProcess; done: Promise<ProcessEnd> } {
  rmSync(fifo, { force: true })
  execFileSync('mkfifo', [fifo])
  // opening a FIFO blocks (in libuv's thread pool) until k6 opens it for writing
  const input = createReadStream(fifo)
  let opened = false
  input.once('open', () => {
    opened = true
  })
  const lines = createInterface({ input, crlfDelay: Infinity })
  lines.on('line', (l) => sink.line(l))
  const closed = once(lines, 'close')

  // its own process group: a Ctrl-C in the terminal reaches golive only, which passes k6 one
  // SIGINT (a second would make k6 abort without flushing its last samples)
  const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  const reap = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  process.once('exit', reap)
  child.stdout!.pipe(createWriteStream(summaryFile))
  const tail = new StderrTail()
  child.stderr!.on('data', (b: Buffer) => tail.add(b.toString('utf8')))
  const done = (async (): Promise<ProcessEnd> => {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
      child.once('exit', (c, s) => resolve([c, s]))
      child.once('error', () => resolve([null, null]))
    })
    process.removeListener('exit', reap)
    // k6 died before opening its output: open the FIFO's write end once, so the reader's
    // blocked open returns and sees the end
    if (!opened) await unblock(fifo)
    await closed
    rmSync(fifo, { force: true })
    return { code, signal, stderrTail: tail.text() }
  })()
  return { child, done }
}

async function unblock(fifo: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK))
      return
    } catch {
      /* the reader is not in open() yet */
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The last lines k6 wrote to stderr, without its per-request "Request Failed" warnings. */
class StderrTail {
  private lines: string[] = []
  private partial = ''
  add(chunk: string): void {
    const parts = (this.partial + chunk).split('\n')
    this.partial = parts.pop() ?? ''
    for (const l of parts) {
      if (!l.trim() || l.includes('msg="Request Failed"')) continue
      this.lines.push(l.length > 300 ? `${l.slice(0, 297)}...` : l)
      if (this.lines.length > 8) this.lines.shift()
    }
  }
  text(): string {
    return [...this.lines, this.partial].filter(Boolean).join('\n').trim()
  }
}

function fraction(i: number, n: number): string {
  return i === 0 ? '0' : i === n ? '1' : `${i}/${n}`
}
