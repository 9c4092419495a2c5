// The nightly memory: a second run against a deliberately slowed server is flagged as a
// regression with the numbers, against the first run taken from the history store; the trend
// and `golive history` show both runs. Known truth: the server's delay, set by the test.

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive } from '../support/cli.js'
import { startLatencyServer, type LatencyServer } from '../support/latency-server.js'
import type { Results, Scorecard } from '../../core/results.js'

const read = <T>(p: string) => JSON.parse(readFileSync(p, 'utf8')) as T

describe('baselines and history', () => {
  let server: LatencyServer
  const cwd = mkdtempSync(join(tmpdir(), 'golive-baseline-'))
  const load = (...extra: string[]) => golive(['loadtest', '--target', server.url, '--vus', '5', '--duration', '3s', ...extra], { cwd })
  let first: Results

  before(async () => {
    server = await startLatencyServer([{ ms: 10, share: 100 }])
  })
  after(async () => {
    await server.close()
    rmSync(cwd, { recursive: true, force: true })
  })

  test('a first nightly run with --baseline latest has nothing to compare with: says so, regression rows read not run', async () => {
    const r = await load('--baseline', 'latest')
    assert.equal(r.code, 0, r.stderr + r.stdout)
    assert.match(r.stderr, /no complete earlier run of demo in .*\.golive\/runs yet/)
    first = read<Results>(join(cwd, '.golive/runs/latest/results.json'))
    assert.equal(first.baseline, undefined)
    const card = read<Scorecard>(join(cwd, '.golive/runs/latest/scorecard.json'))
    const rows = card.rows.filter((x) => x.op === 'rise<')
    assert.ok(rows.length > 0 && rows.every((x) => x.outcome === 'not-run'))
  })

  test('the same server slowed from 10 ms to 120 ms: a regression, blocker, with the numbers', async () => {
    server.setBands([{ ms: 120, share: 100 }])
    const r = await load('--baseline', 'latest')
    assert.equal(r.code, 1, r.stdout)
    const results = read<Results>(join(cwd, '.golive/runs/latest/results.json'))
    assert.equal(results.baseline?.id, first.run.id)
    const card = read<Scorecard>(join(cwd, '.golive/runs/latest/scorecard.json'))
    const row = card.rows.find((x) => x.op === 'rise<' && x.figure === 'load.get.latency_p95')!
    assert.equal(row.outcome, 'fail')
    const before = first.figures['load.get.latency_p95']!.value as number
    const now = results.figures['load.get.latency_p95']!.value as number
    assert.ok(before < 30 && now >= 120, `p95 ${before} → ${now}`)
    assert.match(row.why, /^regression: p95 rose from [\d.]+ ms to [\d.]+ ms \(\+[\d.]+ ms, \+[\d.]+ %\) since baseline /)
    // the absolute gate still passes: only the comparison with last night catches it
    assert.equal(card.rows.find((x) => x.op === '<' && x.figure === 'load.get.latency_p95')!.outcome, 'pass')
    const md = readFileSync(join(cwd, '.golive/runs/latest/report.md'), 'utf8')
    assert.match(md, /### Trend: last 2 runs/)
    assert.match(md, /\| load\.get\.latency\\?_p95 \| [▁-█]{2} \|/)
    assert.match(md, /Compared with baseline run /)
    const html = readFileSync(join(cwd, '.golive/runs/latest/report.html'), 'utf8')
    assert.match(html, /<section id="trend"><h2>Trend: last 2 runs of demo<\/h2>/)
    assert.match(html, /id="chart-trend-ms"/)
  })

  test('gate --from re-judges from the file alone, and --baseline latest never picks the run being judged', async () => {
    const latest = join(cwd, '.golive/runs/latest/results.json')
    // wide enough that the compact terminal report does not shorten the why
    const again = await golive(['gate', '--from', latest], { cwd, env: { COLUMNS: '200' } })
    assert.equal(again.code, 1, again.stdout)
    assert.match(again.stdout, /regression: p95 rose/)
    const vsLatest = await golive(['gate', '--from', latest, '--baseline', 'latest', '--format', 'json'], { cwd })
    assert.equal(vsLatest.code, 1)
    const card = JSON.parse(vsLatest.stdout) as Scorecard
    assert.equal(card.rows.find((x) => x.op === 'rise<' && x.figure === 'load.get.latency_p95')!.outcome, 'fail')
    // against itself there is no regression: the run's own directory as the baseline
    const runDirs = readdirSync(join(cwd, '.golive/runs'))
      .filter((d) => d !== 'latest')
      .sort()
    const self = await golive(['gate', '--from', latest, '--baseline', join(cwd, '.golive/runs', runDirs.at(-1)!)], { cwd })
    assert.equal(self.code, 0, self.stdout)
  })

  test('golive history lists both runs with their verdicts and the trend', async () => {
    const r = await golive(['history', '--format', 'json'], { cwd })
    assert.equal(r.code, 0, r.stderr)
    const runs = JSON.parse(r.stdout) as { verdict: string; id: string }[]
    assert.deepEqual(
      runs.map((x) => x.verdict),
      ['go', 'no-go'],
    )
    const md = await golive(['history', '--format', 'markdown'], { cwd })
    assert.match(md.stdout, /\| load\.get\.latency\\?_p95 \| [▁-█]{2} \| [\d.]+ ms \| [\d.]+ ms \|/)
    const term = await golive(['history'], { cwd })
    assert.match(term.stdout, /no-go/i)
  })

  test('a baseline that does not exist, or is not a results.json: exit 2, one message', async () => {
    const missing = await load('--baseline', 'nope/results.json')
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /--baseline nope\/results\.json: no such file or directory/)
    assert.doesNotMatch(missing.stderr, /\n\s+at /)
    const bad = await golive(['history', '--last', 'zero'], { cwd })
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /--last zero/)
  })
})
