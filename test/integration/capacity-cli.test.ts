// golive capacity's other paths, beside the timing truth of capacity.test.ts: a server that never
// breaks stops the search at --max-rate (headroom judged, the steps streamed as one ramp), and a
// search interrupted with Ctrl-C writes partial results. Step counts and outcomes far from any
// limit, so the file shares the machine.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive } from '../support/cli.js'
import { startSlotsServer } from '../support/slots-server.js'
import { startOtlpReceiver } from '../support/otlp-receiver.js'

type Evidence = { stop: string; steps: { rate: number; holds: boolean; why: string[]; requests: number }[]; brokeAt: { rate: number; why: string[] } | null }

function read(dir: string) {
  const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))
  const cap = r.checks.find((c: { id: string }) => c.id === 'capacity')
  return { r, cap, ev: cap?.evidence as Evidence }
}

test('capacity: a server that never breaks stops at --max-rate; headroom over launchLoad is judged; the steps stream live as one ramp', {
  timeout: 120_000,
}, async () => {
  let served = 0
  const server = createServer((req, res) => {
    served++
    req.resume()
    res.end('ok')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const dir = mkdtempSync(join(tmpdir(), 'golive-cap-cfg-'))
  writeFileSync(join(dir, 'get.yaml'), 'name: ping\nprofile: { model: closed, vus: 1, duration: 1s }\nsteps:\n  - { name: root, path: / }\n')
  writeFileSync(join(dir, 'golive.config.yaml'), `environments:\n  local:\n    baseUrl: ${url}\n    scenarios: [./get.yaml]\n    launchLoad: { rps: 20 }\n`)
  const recv = await startOtlpReceiver()
  try {
    const res = await golive(
      [
        'capacity',
        '--env',
        'local',
        '--step-rate',
        '20',
        '--max-rate',
        '60',
        '--step-duration',
        '5s',
        '--out',
        join(dir, 'run'),
        '--out-metrics',
        `otlp=${recv.url}`,
      ],
      { cwd: dir, timeoutMs: 100_000 },
    )
    const { r, ev } = read(join(dir, 'run'))
    assert.equal(ev.stop, 'max-rate', res.stderr)
    assert.deepEqual(
      ev.steps.map((s) => [s.rate, s.holds]),
      [
        [20, true],
        [40, true],
        [60, true],
      ],
    )
    assert.equal(r.figures['capacity.ping.max_rps'].value, 60)
    assert.equal(r.figures['capacity.ping.headroom'].value, 3)
    const sc = JSON.parse(readFileSync(join(dir, 'run', 'scorecard.json'), 'utf8'))
    const row = sc.rows.find((x: { figure: string }) => x.figure === 'capacity.ping.headroom')
    assert.equal(row.outcome, 'pass')
    assert.equal(res.code, 0, res.stdout + res.stderr)
    // the three steps offered 20·5 + 40·5 + 60·5 = 600 journeys, every one answered
    assert.ok(served >= 570 && served <= 630, `served ${served}`)
    // --out-metrics: every step's requests, as one scenario whose seconds run on across the steps
    assert.deepEqual(recv.errors, [])
    const rps = recv.points.filter((p) => p.name === 'golive_rps')
    assert.ok(rps.every((p) => p.attributes.scenario === 'ping'))
    assert.equal(
      rps.reduce((a, p) => a + p.value, 0),
      ev.steps.reduce((a, s) => a + s.requests, 0),
    )
    const times = rps.map((p) => Number(p.timeNs / 1_000_000n))
    assert.equal(new Set(times).size, times.length, 'no second sent twice')
    assert.ok(Math.max(...times) - Math.min(...times) >= 3 * 5000 - 2000, `the stream spans the three steps: ${times.length} seconds`)
  } finally {
    await recv.close()
    await new Promise<void>((r) => {
      server.closeAllConnections()
      server.close(() => r())
    })
  }
})

test('capacity: Ctrl-C mid-search writes partial results', { timeout: 120_000 }, async () => {
  const server = await startSlotsServer(4, 25)
  const out = mkdtempSync(join(tmpdir(), 'golive-cap-int-'))
  try {
    let sent = false
    const res = await golive(['capacity', '--target', `${server.url}/`, '--step-rate', '20', '--max-rate', '400', '--step-duration', '4s', '--out', out], {
      timeoutMs: 100_000,
      onStart: (p) =>
        p.stderr!.on('data', (d: Buffer) => {
          if (!sent && /step 2:/.test(d.toString())) {
            sent = true
            setTimeout(() => p.kill('SIGINT'), 1500)
          }
        }),
    })
    assert.ok(sent, res.stderr)
    assert.equal(res.code, 1, 'a partial run is no-go')
    const { r, ev } = read(out)
    assert.equal(r.run.partial, true)
    assert.match(r.run.partialReason, /interrupted \(SIGINT\)/)
    assert.equal(ev.stop, 'interrupted')
    assert.deepEqual(
      ev.steps.map((s) => [s.rate, s.holds]),
      [[20, true]],
      'the step cut short is not judged',
    )
    assert.equal(r.figures['capacity.get.max_rps'].value, 20)
  } finally {
    await server.close()
  }
})
