// golive capacity against a server whose capacity the test sets: a fixed number of service slots
// and a fixed service time (capacity = slots × 1000 / service ms, measured from the hold times the
// server saw). A timing truth, so it runs alone (test/solo.txt); capacity-cli.test.ts has the
// search's other paths (a server that never breaks, Ctrl-C), which assert no timing.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive } from '../support/cli.js'
import { startSlotsServer } from '../support/slots-server.js'

type Evidence = { stop: string; steps: { rate: number; holds: boolean; why: string[]; requests: number }[]; brokeAt: { rate: number; why: string[] } | null }

function read(dir: string) {
  const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))
  const cap = r.checks.find((c: { id: string }) => c.id === 'capacity')
  return { r, cap, ev: cap?.evidence as Evidence }
}

test('capacity: max_rps lands within one step of the slots server capacity', { timeout: 240_000 }, async (t) => {
  // 4 slots × 25 ms: 160 requests/s nominal, a little less where timers fire late
  const server = await startSlotsServer(4, 25)
  const out = mkdtempSync(join(tmpdir(), 'golive-cap-'))
  try {
    const step = 20
    const res = await golive(
      ['capacity', '--target', `${server.url}/`, '--step-rate', String(step), '--max-rate', '400', '--step-duration', '5s', '--out', out],
      { timeoutMs: 200_000 },
    )
    const truth = server.truth()
    const { r, cap, ev } = read(out)
    const maxRps = r.figures['capacity.get.max_rps'].value
    t.diagnostic(`max_rps ${maxRps}, capacity ${truth.toFixed(1)} (nominal ${server.nominal}), broke at ${ev.brokeAt?.rate}: ${ev.brokeAt?.why.join('; ')}`)
    assert.equal(ev.stop, 'broke', `the search stops on a step that does not hold:\n${res.stderr}`)
    assert.ok(
      Math.abs(maxRps - truth) <= step,
      `max_rps ${maxRps} vs capacity ${truth.toFixed(1)} (nominal ${server.nominal}); steps: ${JSON.stringify(ev.steps.map((s) => [s.rate, s.holds, s.why]))}`,
    )
    assert.ok(ev.brokeAt!.rate > truth - step, `broke at ${ev.brokeAt!.rate}, above the capacity less a step`)
    assert.ok(ev.brokeAt!.why.length > 0, 'the break says why')
    assert.equal(r.figures['capacity.get.max_vus'].unit, 'count')
    assert.ok(r.figures['capacity.get.max_vus'].value >= 1)
    assert.equal(cap.unmeasured['get.headroom'].includes('launchLoad'), true, 'no launch load: the headroom says why it is missing')
    assert.equal(r.run.partial, false)
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /Offered rate vs p95/)
  } finally {
    await server.close()
  }
})
