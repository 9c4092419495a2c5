// The live outputs of a run, for every command that drives load (loadtest, run, and any other
// that calls these): --dashboard [PORT] (a page on 127.0.0.1 with the per-second charts) and
// --out-metrics KIND=URL (Prometheus remote write, OTLP). Both subscribe to one LiveHub, which
// measure() feeds from the engines; with neither, no hub is made and the engines do no extra work.

import { UsageError } from '../../core/errors.js'
import { LiveHub } from '../../core/live.js'
import { redact, redactDeep } from '../../core/redact.js'
import type { Scorecard } from '../../core/results.js'
import { dashboardPage, liveScorecard, type DashboardMeta } from '../../reports/live.js'
import type { Options } from '../args.js'
import { startDashboard, type Dashboard } from './dashboard.js'
import { MetricsSender, parseOutMetrics, type MetricsTarget } from './metrics-out.js'
import { SeriesBuilder } from './series.js'

export const LIVE: Options = {
  'out-metrics': { type: 'string', multiple: true },
  testid: { type: 'string' },
  'dashboard-keep': { type: 'boolean' },
}

/** `--dashboard [PORT]`: node's parseArgs has no optional values, so it is taken out first.
 *  --dashboard alone (or --dashboard 0) lets the system choose a free port. */
export function takeDashboard(argv: string[]): { argv: string[]; port: number | null } {
  const rest: string[] = []
  let port: number | null = null
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') {
      rest.push(...argv.slice(i))
      break
    }
    if (a !== '--dashboard' && !a.startsWith('--dashboard=')) {
      rest.push(a)
      continue
    }
    let value = a.startsWith('--dashboard=') ? a.slice('--dashboard='.length) : null
    if (value === null && /^\d+$/.test(argv[i + 1] ?? '')) value = argv[++i]!
    const n = value === null ? 0 : Number(value)
    if (!Number.isInteger(n) || n < 0 || n > 65535 || value === '')
      throw new UsageError(`--dashboard ${value}: expected a port number (0-65535)`, 'write --dashboard 5665, or --dashboard alone for a free port')
    port = n
  }
  return { argv: rest, port }
}

export interface LiveOptions {
  dashboard: number | null
  keep: boolean
  metrics: MetricsTarget[]
  testid: string | undefined
}

/** Checked before anything runs: a bad --out-metrics is a usage error, not a warning after the run. */
export function liveOptions(values: Record<string, unknown>, dashboard: number | null): LiveOptions {
  const keep = values['dashboard-keep'] === true
  if (keep && dashboard === null) throw new UsageError('--dashboard-keep needs --dashboard', 'add --dashboard [PORT]')
  const testid = typeof values.testid === 'string' ? values.testid : undefined
  if (testid !== undefined && !testid.trim()) throw new UsageError('--testid: empty', 'give a name for this run in the metrics, e.g. --testid nightly-42')
  return { dashboard, keep, metrics: parseOutMetrics(values['out-metrics'] as string[] | undefined), testid }
}

export interface LiveSession {
  hub: LiveHub
  /** the verdict to the dashboard, the last metrics sent; bounded in time */
  end(result: { scorecard: Scorecard; report: string | null }): Promise<void>
}

export async function startLive(opts: LiveOptions, run: { id: string; meta: DashboardMeta; log: (line: string) => void }): Promise<LiveSession | null> {
  if (opts.dashboard === null && opts.metrics.length === 0) return null
  const { log } = run
  const hub = new LiveHub(log)
  let dashboard: Dashboard | null = null
  if (opts.dashboard !== null) {
    const meta = { target: redact(run.meta.target), environment: redact(run.meta.environment), command: run.meta.command }
    dashboard = await startDashboard(opts.dashboard, dashboardPage(meta))
    hub.subscribe((e) => dashboard!.publish(e))
    log(`dashboard: ${dashboard.url}`)
  }
  const senders = opts.metrics.map((t) => new MetricsSender(t, log))
  if (senders.length) {
    const testid = opts.testid ?? run.id
    const series = new SeriesBuilder(testid)
    hub.subscribe((e) => {
      if (e.type === 'scenario-end' && e.late > 0)
        log(`golive: metrics out: ${e.late} k6 samples of ${e.scenario} came after their second was sent; they are in results.json, not in the metrics`)
      if (e.type !== 'second') return
      const samples = series.samples(redactDeep(e))
      for (const s of senders) s.push(samples)
    })
    log(`metrics out: ${senders.map((s) => s.target.display).join(', ')} (testid ${testid})`)
  }
  return {
    hub,
    async end({ scorecard, report }) {
      const shown = redactDeep(scorecard)
      hub.publish({
        type: 'run-end',
        verdict: shown.verdict,
        summary: shown.summary,
        partial: shown.partial === true,
        scorecardHtml: liveScorecard(shown),
        report: report ? redact(report) : null,
      })
      const [, ...lines] = await Promise.all([dashboard?.close(opts.keep, log), ...senders.map((s) => s.close())])
      for (const l of lines) log(l as string)
    },
  }
}
