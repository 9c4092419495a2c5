// golive's k6 output (tools/k6: `--out golive=FILE`, only the metrics golive reads) against k6's
// own `--out json` in the SAME k6 run: folded by the same code, the two give identical figures,
// and both count exactly what the server answered. No timing is asserted.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { compileScenario } from '../../scenarios/compile.js'
import { buildK6Script } from '../../scenarios/engines/k6/bundle.js'
import { k6Build } from '../../scenarios/engines/k6/binary.js'
import { K6Samples, WANTED } from '../../scenarios/engines/k6/samples.js'
import type { Scenario } from '../../scenarios/dsl.js'
import { startLatencyServer } from '../support/latency-server.js'
import { k6Suite } from '../support/k6.js'

const suite = k6Suite()

const scenario: Scenario = {
  name: 'both-outputs',
  profile: { model: 'closed', vus: 5, duration: '2s' },
  steps: [
    { name: 'home', path: '/', check: { status: 200 } },
    { name: 'again', path: '/again' },
  ],
}

test("golive's k6 output and k6's JSON output, fed the same run, fold into identical figures", async (t) => {
  if (!suite.needK6(t)) return
  assert.ok(k6Build(suite.bin).goliveOutput, `${suite.bin} has golive's output built in (npm run install-k6 builds tools/k6)`)
  // every 7th answer a 503: errors, statuses and failed checks must agree too
  const server = await startLatencyServer([{ ms: 2, share: 100 }], 7)
  try {
    const plan = compileScenario(scenario, { file: 'both.ts' })
    const script = join(suite.work, 'both.k6.js')
    writeFileSync(script, buildK6Script(plan, { file: 'both.ts', baseUrl: server.url, thresholds: {} }).code)
    const ours = join(suite.work, 'golive.jsonl')
    const k6s = join(suite.work, 'k6.jsonl')
    // asynchronously: the server answers from this process
    await promisify(execFile)(suite.bin, ['run', '--quiet', '--no-color', '--address', '', '--out', `golive=${ours}`, '--out', `json=${k6s}`, script], {
      env: { ...process.env, GOLIVE_K6_METRICS: [...WANTED].join(','), K6_NO_USAGE_REPORT: 'true' },
      timeout: 60_000,
    })
    const fold = (file: string) => {
      const s = new K6Samples(
        plan.steps.map((st) => ({ name: st.name, method: st.method, phase: st.phase })),
        plan.flow,
      )
      for (const line of readFileSync(file, 'utf8').split('\n')) if (line) s.line(line)
      return { totals: s.totals(), lines: s.lines }
    }
    const a = fold(ours)
    const b = fold(k6s)
    assert.ok(a.totals.requests > 20, `${a.totals.requests} requests`)
    assert.equal(a.totals.requests, server.served(), 'every request the server answered, once')
    assert.ok(a.totals.errors > 0 && a.totals.errors === server.errors(), `errors ${a.totals.errors} = the server's 503s ${server.errors()}`)
    assert.deepEqual(a.totals, b.totals, 'the same figures from both outputs')
    assert.equal(a.lines, b.lines, 'the same wanted samples')
    const size = (f: string) => statSync(f).size
    t.diagnostic(`${a.totals.requests} requests: golive output ${size(ours)} B, k6 JSON ${size(k6s)} B (${(size(k6s) / size(ours)).toFixed(1)}×)`)
    assert.ok(size(ours) * 2 < size(k6s), 'the golive output writes well under half of what --out json writes')
  } finally {
    await server.close()
  }
})
