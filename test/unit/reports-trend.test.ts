import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sparkline, trendRows } from '../../reports/trend.js'
import { historyMarkdown } from '../../reports/history.js'
import type { HistoryRun } from '../../core/run-history.js'

const run = (i: number, figures: HistoryRun['figures'], env = 'staging'): HistoryRun => ({
  id: `r${i}`,
  startedAt: `2026-11-2${i}T02:00:00Z`,
  environment: env,
  verdict: i % 2 ? 'go' : 'no-go',
  partial: false,
  figures,
})

describe('trend', () => {
  it('sparkline scales lowest to highest, keeps gaps, writes grades as they are', () => {
    assert.equal(sparkline([1, 2, 3, 4, 5, 6, 7, 8]), '▁▂▃▄▅▆▇█')
    assert.equal(sparkline([5, null, 5]), '▄ ▄')
    assert.equal(sparkline(['A+', null, 'A']), 'A+ · A')
    assert.equal(sparkline([null]), '')
  })
  it('rows follow the watched patterns, one per concrete figure, first and latest as people read them', () => {
    const runs = [
      run(1, { 'load.load.latency_p95': { value: 200, unit: 'ms' }, 'tls.grade': { value: 'A+', unit: 'grade' } }),
      run(2, {
        'load.load.latency_p95': { value: 400, unit: 'ms' },
        'load.smoke.latency_p95': { value: 3, unit: 'ms' },
        'tls.grade': { value: 'A', unit: 'grade' },
      }),
    ]
    const rows = trendRows(runs)
    assert.deepEqual(
      rows.map((r) => r.figure),
      ['load.load.latency_p95', 'load.smoke.latency_p95', 'tls.grade'],
    )
    assert.deepEqual(rows[0], { figure: 'load.load.latency_p95', unit: 'ms', values: [200, 400], spark: '▁█', first: '200 ms', last: '400 ms' })
    assert.equal(rows[1]!.spark, ' ▄')
    assert.equal(rows[2]!.spark, 'A+ A')
  })
  it('the history table escapes what came from a run', () => {
    const md = historyMarkdown([run(1, {}, 'staging | <img src=x onerror=alert(1)>')])
    assert.doesNotMatch(md, /<img/)
    assert.match(md, /staging \\\| /)
  })
})
