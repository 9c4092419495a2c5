import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { freshness, grafanaVars, panelQueries, summarizeTargets } from '../../checks/monitoring/evaluate.js'
import { readSettings } from '../../checks/monitoring/settings.js'
import type { PromTarget } from '../../checks/alerts/api.js'

const target = (job: string, instance: string, health: PromTarget['health'], lastError = ''): PromTarget => ({
  labels: { job, instance },
  scrapePool: job,
  scrapeUrl: `http://${instance}/metrics`,
  health,
  lastError,
  lastScrape: '',
})

describe('monitoring: targets', () => {
  it('counts the targets and names the down ones with their error', () => {
    const s = summarizeTargets([
      target('app', 'a:1', 'up'),
      target('postgres', '127.0.0.1:18451', 'down', 'connection refused'),
      target('edge', 'e:2', 'unknown'),
    ])
    assert.equal(s.total, 3)
    assert.equal(s.up, 1)
    assert.deepEqual(s.down, [
      { job: 'postgres', instance: '127.0.0.1:18451', health: 'down', lastError: 'connection refused' },
      { job: 'edge', instance: 'e:2', health: 'unknown', lastError: 'not scraped yet' },
    ])
  })
})

describe('monitoring: metric freshness', () => {
  it('the newest sample of any series against the allowed age: fresh, stale or missing', () => {
    const series = [
      {
        values: [
          [100, '1'],
          [110, '1'],
        ] as [number, string][],
      },
      { values: [[118, '1']] as [number, string][] },
    ]
    assert.deepEqual(freshness('m', 10, 60, 120, series), { metric: 'm', maxAgeSeconds: 10, state: 'fresh', ageSeconds: 2, series: 2 })
    assert.deepEqual(freshness('m', 10, 60, 140, series), { metric: 'm', maxAgeSeconds: 10, state: 'stale', ageSeconds: 22, series: 2 })
    assert.deepEqual(freshness('m', 10, 60, 140, []), { metric: 'm', maxAgeSeconds: 10, state: 'missing', windowSeconds: 60 })
  })
})

describe('monitoring: Grafana panels', () => {
  it('finds every panel query, rows and nested panels too, hidden ones left out', () => {
    const q = panelQueries({
      panels: [
        {
          id: 1,
          title: 'Requests',
          targets: [
            { refId: 'A', expr: 'sum(rate(http_requests_total[$__rate_interval]))' },
            { refId: 'B', expr: 'x', hide: true },
          ],
        },
        { id: 2, type: 'row', title: 'DB', panels: [{ id: 3, title: 'Lag', targets: [{ refId: 'A', expr: 'pg_replication_lag{instance="$instance"}' }] }] },
        { id: 4, title: 'Text' },
      ],
      rows: [{ panels: [{ id: 5, targets: [{ expr: 'up' }] }] }],
    })
    assert.deepEqual(q, [
      { panel: 'Requests', refId: 'A', expr: 'sum(rate(http_requests_total[1m]))' },
      { panel: 'Lag', refId: 'A', expr: 'pg_replication_lag{instance=~".+"}' },
      { panel: 'panel 5', refId: 'A', expr: 'up' },
    ])
  })
  it('replaces Grafana variables with values Prometheus can run', () => {
    assert.equal(grafanaVars('rate(x[$__interval]) offset $__range'), 'rate(x[30s]) offset 5m')
    assert.equal(grafanaVars('x{job!="${job}", a=~"$a"}'), 'x{job!~"$^", a=~".+"}')
  })
})

describe('monitoring settings', () => {
  it('reads metrics (names or selectors) with their allowed age', () => {
    const s = readSettings({ prometheus: 'http://p:9090/', maxAge: '30s', requiredMetrics: ['up', { metric: 'pg_up{role="replica"}', maxAge: '5s' }] })
    assert.equal(s.prometheus, 'http://p:9090')
    assert.deepEqual(s.requiredMetrics, [
      { metric: 'up', maxAgeSeconds: 30 },
      { metric: 'pg_up{role="replica"}', maxAgeSeconds: 5 },
    ])
    assert.equal(s.watchdog, 'Watchdog')
    assert.equal(readSettings({ prometheus: 'http://p', watchdog: false }).watchdog, false)
  })
  it('names the setting and the fix', () => {
    assert.throws(() => readSettings({}), /checks\.monitoring\.prometheus: missing/)
    assert.throws(() => readSettings({ prometheus: 'http://p', requiredMetrics: ['not a metric'] }), /requiredMetrics\[0\]: expected a metric name/)
    assert.throws(() => readSettings({ prometheus: 'http://p', maxAge: 'old' }), /maxAge: expected a duration/)
    assert.throws(() => readSettings({ prometheus: 'http://p', grafana: { url: 'http://g' } }), /grafana\.dashboards: expected a list of dashboard uids/)
    assert.throws(() => readSettings({ prometheus: 'http://p', targets: 1 }), /checks\.monitoring\.targets: unknown setting/)
  })
})

describe('Prometheus → Alertmanager delivery, judged over a window', () => {
  it('one notification dropped after a reload is not broken; nothing delivered, or most lost, is', async () => {
    const { deliveryBroken } = await import('../../checks/monitoring/delivery.js')
    assert.equal(deliveryBroken({ windowMinutes: 5, sent: 40, dropped: 1, errors: 0 }), null)
    assert.equal(deliveryBroken({ windowMinutes: 5, sent: null, dropped: null, errors: null }), null)
    assert.match(String(deliveryBroken({ windowMinutes: 5, sent: 0, dropped: 3, errors: 0 })), /sent 0 notification\(s\).*broken/)
    assert.match(String(deliveryBroken({ windowMinutes: 5, sent: 2, dropped: 0, errors: 9 })), /most notifications are lost/)
  })
})
