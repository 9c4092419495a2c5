import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { judgeChange, parseChange } from '../../gates/baseline.js'
import { evaluate } from '../../gates/evaluate.js'
import { GateParseError, parseGate } from '../../gates/parse.js'
import type { BaselineInfo, Figure, Results } from '../../core/results.js'

const base = (figures: Record<string, Figure>): BaselineInfo => ({
  id: 'night-1',
  startedAt: '2026-11-30T02:00:00Z',
  environment: 'staging',
  from: 'x',
  figures,
})

function results(figures: Record<string, Figure>, baseline?: BaselineInfo): Results {
  return {
    schemaVersion: 1,
    run: {
      id: 'night-2',
      startedAt: '2026-12-01T02:00:00Z',
      finishedAt: '2026-12-01T02:01:00Z',
      durationMs: 60_000,
      partial: false,
      environment: 'staging',
      target: 'https://staging.example',
      command: 'golive run',
      golive: '0.1.0',
      node: 'v20',
      host: { platform: 'linux', cpus: 2, memoryGiB: 8 },
    },
    figures,
    scenarios: [
      {
        name: 'load',
        status: 'measured',
        engine: 'embedded',
        startedAt: '2026-12-01T02:00:00Z',
        durationMs: 1000,
        profile: {},
        coordinatedOmission: 'corrected',
        requests: 10,
        errors: 0,
        iterations: 10,
        droppedIterations: 0,
        vusMax: 1,
        bytesReceived: 0,
        statuses: {},
        latency: null,
        histogram: null,
        steps: [],
        timeline: [],
        topErrors: [],
      },
    ],
    checks: [{ id: 'tls', status: 'measured', figures: {}, evidence: null, startedAt: '2026-12-01T02:00:00Z', durationMs: 1 }],
    gates: [],
    ...(baseline ? { baseline } : {}),
  }
}

describe('parseChange', () => {
  it('reads relative, absolute, and both', () => {
    assert.deepEqual(parseChange('10%'), { text: '10%', pct: 10 })
    assert.equal(parseChange('20ms').abs?.kind, 'duration')
    const both = parseChange('10%,20ms')
    assert.equal(both.pct, 10)
    assert.equal(both.abs?.kind === 'duration' && both.abs.ms, 20)
    assert.equal(parseChange('50%,0.05%').abs?.kind, 'percent')
    assert.equal(parseChange(1).abs?.kind, 'number')
  })
  it('refuses what is not a change, with the forms', () => {
    for (const bad of ['', '10%,', '20ms,10%', 'A', 'fast', '1,2,3', '-5']) assert.throws(() => parseChange(bad), /change|target|negative|steps/, bad)
  })
  it('a gate with a bad change is a parse error naming the forms', () => {
    assert.throws(
      () => parseGate('load.*.latency_p95 rise< 20ms,10%'),
      (e: unknown) => e instanceof GateParseError && /relative change/.test(e.message),
    )
    assert.deepEqual(parseGate('load.*.latency_p95 rise< 10%,20ms warn'), { figure: 'load.*.latency_p95', op: 'rise<', target: '10%,20ms', level: 'warn' })
  })
})

describe('judgeChange: noise-aware', () => {
  const p95 = (ms: number): Figure => ({ value: ms, unit: 'ms' })
  const judge = (now: number, was: number, target = '10%,20ms') =>
    judgeChange('rise<', parseChange(target), 'load.load.latency_p95', p95(now), base({ 'load.load.latency_p95': p95(was) }))

  it('a rise past both the relative and the absolute step is a regression, with the numbers', () => {
    const v = judge(320, 250)
    assert.equal(v.outcome, 'fail')
    assert.match(v.why, /regression: p95 rose from 250 ms to 320 ms \(\+70 ms, \+28 %\) since baseline night-1/)
  })
  it('jitter is not: +50 % on a fast endpoint (under 20 ms), or +15 ms that is only 5 %', () => {
    assert.equal(judge(3, 2).outcome, 'pass')
    assert.equal(judge(315, 300).outcome, 'pass')
    assert.equal(judge(200, 250).outcome, 'pass')
  })
  it('relative only, and absolute only', () => {
    assert.equal(judge(3, 2, '10%').outcome, 'fail')
    assert.equal(judge(30, 2, '20ms').outcome, 'fail')
    assert.equal(judge(21, 2, '20ms').outcome, 'pass')
  })
  it('drop< for throughput and grades (counted in steps)', () => {
    const rps = (v: number): Figure => ({ value: v, unit: 'rps' })
    assert.equal(judgeChange('drop<', parseChange('10%'), 'load.load.rps', rps(80), base({ 'load.load.rps': rps(100) })).outcome, 'fail')
    assert.equal(judgeChange('drop<', parseChange('10%'), 'load.load.rps', rps(120), base({ 'load.load.rps': rps(100) })).outcome, 'pass')
    const g = (v: string): Figure => ({ value: v, unit: 'grade' })
    const grade = (now: string, was: string) => judgeChange('drop<', parseChange(1), 'tls.grade', g(now), base({ 'tls.grade': g(was) }))
    assert.equal(grade('A', 'A+').outcome, 'fail')
    assert.match(grade('A', 'A+').why, /fell from A\+ to A \(1 grade step\)/)
    assert.equal(grade('A+', 'A+').outcome, 'pass')
    assert.equal(grade('A+', 'A').outcome, 'pass')
    assert.equal(judgeChange('drop<', parseChange('10%'), 'tls.grade', g('A'), base({ 'tls.grade': g('A+') })).outcome, 'error')
  })
  it('a figure the baseline lacks is reported, not failed; units that disagree are an error', () => {
    const none = judgeChange('rise<', parseChange('10%'), 'load.load.latency_p95', p95(100), base({}))
    assert.equal(none.outcome, 'not-run')
    assert.match(none.why, /baseline run night-1 has no load\.load\.latency_p95/)
    const odd = judgeChange('rise<', parseChange('10%'), 'load.load.latency_p95', p95(100), base({ 'load.load.latency_p95': { value: 0.1, unit: 's' } }))
    assert.equal(odd.outcome, 'error')
  })
  it('a zero baseline: any rise past the absolute step is a regression', () => {
    const pct = (v: number): Figure => ({ value: v, unit: '%' })
    const er = (now: number) => judgeChange('rise<', parseChange('50%,0.05%'), 'load.load.error_rate', pct(now), base({ 'load.load.error_rate': pct(0) }))
    assert.equal(er(0.2).outcome, 'fail')
    assert.equal(er(0.01).outcome, 'pass')
  })
})

describe('evaluate with a baseline', () => {
  const figures = { 'load.load.latency_p95': { value: 400, unit: 'ms' as const }, 'tls.grade': { value: 'A+', unit: 'grade' as const } }
  it('judges regression gates against results.baseline, and reads not run without one', () => {
    const gates = [parseGate('load.*.latency_p95 rise< 10%,20ms'), parseGate('tls.grade drop< 1 warn')]
    const slowed = evaluate(results(figures, base({ 'load.load.latency_p95': { value: 200, unit: 'ms' }, 'tls.grade': { value: 'A+', unit: 'grade' } })), gates)
    assert.equal(slowed.verdict, 'no-go')
    const row = slowed.rows.find((r) => r.figure === 'load.load.latency_p95')!
    assert.equal(row.outcome, 'fail')
    assert.equal(row.expected, 'rise < 10 % or 20 ms vs baseline')
    assert.equal(row.actual, '400 ms (+200 ms, +100 %)')
    assert.equal(slowed.rows.find((r) => r.figure === 'tls.grade')!.outcome, 'pass')
    const alone = evaluate(results(figures), gates)
    assert.equal(alone.verdict, 'go')
    assert.ok(alone.rows.every((r) => r.outcome === 'not-run'))
  })
})
