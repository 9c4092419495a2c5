// golive's embedded engine as the CLI runs it: EmbeddedRun on the bundled worker thread
// (dist/engine-worker.js), one GET step, closed model, users = connections, no think time.

import { compileScenario } from '../../scenarios/compile.js'
import { EmbeddedRun } from '../../scenarios/engines/embedded/run.js'
import { childArgs, measure, report } from './measure.js'

const { url, connections, seconds, workers } = childArgs<{ url: string; connections: number; seconds: number; workers: number }>()

const plan = compileScenario(
  {
    name: 'bench',
    profile: { model: 'closed', vus: connections, duration: `${seconds}s` },
    steps: [{ name: 'get', method: 'GET', path: '/' }],
  },
  { file: 'scripts/bench/golive-child.ts' },
)
const origin = new URL(url).origin
const { value: r, usage } = await measure(() => new EmbeddedRun(plan, { target: { origin, basePath: '', headers: [] }, workers }).run())
if (r.status !== 'measured') console.error(`golive: run ${r.status}: ${r.reason ?? ''}`)
// responses in the profile's seconds (the per-second timeline), not the graceful tail after it
const perSecond = Array.from({ length: seconds }, (_, t) => r.timeline.find((p) => p.t === t)?.requests ?? 0)
const inWindow = perSecond.reduce((a, n) => a + n, 0)
report({
  requests: r.requests,
  rps: inWindow / seconds,
  p50: r.latency?.p50 ?? null,
  p99: r.latency?.p99 ?? null,
  errors: r.errors,
  perSecond,
  usage,
  note: r.status === 'measured' ? undefined : `${r.status}: ${r.reason ?? ''}`,
})
