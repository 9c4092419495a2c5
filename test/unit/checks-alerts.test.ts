import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { budgetOf, metricNames, promIntervals, promSeconds, routeFor, scrapeSecondsFor, webhookUrls } from '../../checks/alerts/budget.js'
import { planAlert } from '../../checks/alerts/plan.js'
import { readSettings } from '../../checks/alerts/settings.js'
import { startReceiver } from '../../checks/alerts/receiver.js'
import { promtoolFound, readPromtoolOutput, runRuleTests } from '../../checks/alerts/rule-tests.js'
import type { PromRuleGroup } from '../../checks/alerts/api.js'
import { PRESETS, resolveGates } from '../../gates/presets.js'
import { evaluate } from '../../gates/evaluate.js'
import { formatGate } from '../../gates/parse.js'
import type { CheckResult, Figure, Results } from '../../core/results.js'
import { packageRoot } from '../../core/package-root.js'

const PROM_CONFIG = `global:
  scrape_interval: 15s
  evaluation_interval: 30s
scrape_configs:
  - job_name: app
    scrape_interval: 5s
  - job_name: node
  - job_name: slow
    scrape_interval: 1m
`
const AM_CONFIG = `route:
  receiver: default
  group_wait: 30s
  group_interval: 5m
  routes:
    - matchers: ['severity="critical"', 'team=~"pay|shop"']
      receiver: pager
      group_wait: 10s
      routes:
        - match: { alertname: Watchdog }
          receiver: deadman
    - match_re: { severity: warning|info }
      receiver: chat
receivers:
  - name: default
  - name: pager
    webhook_configs: [{ url: 'http://127.0.0.1:9999/alerts' }]
  - name: chat
    webhook_configs: [{ url: 'http://chat.example/hook' }]
  - name: deadman
`

describe('the latency budget from the live configuration', () => {
  it('reads Prometheus durations', () => {
    assert.equal(promSeconds('2s', 0), 2)
    assert.equal(promSeconds('1m30s', 0), 90)
    assert.equal(promSeconds('500ms', 0), 0.5)
    assert.equal(promSeconds('1h', 0), 3600)
    assert.equal(promSeconds(undefined, 60), 60)
    assert.equal(promSeconds('nonsense', 7), 7)
  })
  it('takes scrape intervals per job, the global one as their default, and the evaluation interval', () => {
    const iv = promIntervals(PROM_CONFIG)
    assert.deepEqual(iv, { scrapeSeconds: 15, evalSeconds: 30, jobs: { app: 5, node: 15, slow: 60 } })
    assert.deepEqual(scrapeSecondsFor('up{job="app"} == 0', iv), { seconds: 5, jobs: ['app'] })
    assert.deepEqual(scrapeSecondsFor('rate(x[5m]) > 1', iv), { seconds: 60, jobs: [] }, 'no job named: the longest (any job may feed it)')
  })
  it('walks Alertmanager routes as Alertmanager does: first matching child, depth first, inheriting group_wait', () => {
    assert.deepEqual(routeFor(AM_CONFIG, { alertname: 'X', severity: 'critical', team: 'pay' }), {
      receiver: 'pager',
      groupWaitSeconds: 10,
      groupIntervalSeconds: 300,
      path: ['route', 'routes[0]'],
    })
    assert.deepEqual(routeFor(AM_CONFIG, { alertname: 'Watchdog', severity: 'critical', team: 'shop' }).receiver, 'deadman')
    assert.equal(routeFor(AM_CONFIG, { alertname: 'Watchdog', severity: 'critical', team: 'shop' }).groupWaitSeconds, 10, 'inherited')
    assert.equal(routeFor(AM_CONFIG, { alertname: 'X', severity: 'critical', team: 'ops' }).receiver, 'default')
    assert.equal(routeFor(AM_CONFIG, { alertname: 'X', severity: 'warning' }).receiver, 'chat')
    assert.equal(routeFor(AM_CONFIG, { alertname: 'X', severity: 'warning' }).groupWaitSeconds, 30)
    assert.equal(routeFor('route: { receiver: r }', {}).groupWaitSeconds, 30, "Alertmanager's default group_wait")
    assert.deepEqual(webhookUrls(AM_CONFIG), ['http://127.0.0.1:9999/alerts', 'http://chat.example/hook'])
    assert.deepEqual(webhookUrls(AM_CONFIG, 'pager'), ['http://127.0.0.1:9999/alerts'])
  })
  it('finds the metrics an expression reads, not functions, keywords, labels or durations', () => {
    assert.deepEqual(metricNames('up{job="app"} == 0').names, ['up'])
    assert.deepEqual(metricNames('sum(rate(http_errors_total{code=~"5.."}[5m])) by (route) / sum(rate(http_requests_total[5m])) by (route) > 0.05').names, [
      'http_errors_total',
      'http_requests_total',
    ])
    assert.deepEqual(metricNames('histogram_quantile(0.95, sum by (le) (rate(h_bucket[20s]))) > 0.5').names, ['h_bucket'])
    assert.deepEqual(metricNames('vector(1)').names, [])
    assert.deepEqual(metricNames('a offset 5m > 1e3 and on(instance) b unless ignoring(x) c').names, ['a', 'b', 'c'])
    assert.deepEqual(metricNames('(time() - max(stamp)) > 86400 or absent(stamp)'), { names: ['stamp'], onlyInAbsent: [] })
    assert.deepEqual(metricNames('absent(job:heartbeat:count)'), { names: ['job:heartbeat:count'], onlyInAbsent: ['job:heartbeat:count'] })
  })
  it('plans each expected alert: its rule, route and budget; flags a missing rule and a budget over the deadline', () => {
    const groups: PromRuleGroup[] = [
      {
        name: 'g',
        file: 'r.yml',
        interval: 30,
        rules: [
          { type: 'alerting', name: 'AppDown', query: 'up{job="app"} == 0', duration: 60, labels: { severity: 'critical', team: 'pay' }, health: 'ok' },
          { type: 'alerting', name: 'Slow', query: 'latency > 1', duration: 300, labels: { severity: 'warning' }, health: 'err', lastError: 'boom' },
        ],
      },
    ]
    const iv = promIntervals(PROM_CONFIG)
    const st = readSettings({
      prometheus: 'http://p:9090',
      expected: [
        { alertname: 'AppDown', labels: { severity: 'critical' }, deadline: '5m' },
        { alertname: 'Slow', labels: { severity: 'critical' }, deadline: '5m' },
        { alertname: 'Nope' },
      ],
    })
    const [down, slow, nope] = st.expected.map((a) => planAlert(a, groups, iv, AM_CONFIG))
    assert.deepEqual(down!.budget, budgetOf(5, 30, 60, 10))
    assert.equal(down!.budget!.totalSeconds, 105)
    assert.deepEqual(down!.problems, [])
    assert.deepEqual(down!.metrics, ['up'])
    assert.equal(slow!.budget!.totalSeconds, 60 + 30 + 300 + 30)
    assert.match(slow!.problems.join('\n'), /the budget alone \(420 s = scrape 60 \+ evaluation 30 \+ for 300 \+ group_wait 30\) exceeds the deadline of 300 s/)
    assert.match(slow!.problems.join('\n'), /the rule sets severity="warning", the config expects severity="critical"/)
    assert.match(slow!.problems.join('\n'), /health is err: boom/)
    assert.equal(nope!.rule, undefined)
    assert.match(nope!.problems[0]!, /no alerting rule defines Nope/)
  })
})

describe('alerts settings', () => {
  it('names the setting and the fix', () => {
    assert.throws(() => readSettings({}), /checks\.alerts\.prometheus: missing/)
    assert.throws(() => readSettings({ prometheus: 'p' }), /checks\.alerts\.prometheus: expected an http:\/\/ URL/)
    assert.throws(() => readSettings({ prometheus: 'http://p', promethues: 1 }), /checks\.alerts\.promethues: unknown setting/)
    assert.throws(
      () => readSettings({ prometheus: 'http://p', expected: [{ alertname: 'A', trigger: 'staging:kill-app1' }] }),
      /expected\[0\]\.resolve: missing: .*always runs/,
    )
    assert.throws(
      () => readSettings({ prometheus: 'http://p', expected: [{ alertname: 'A', trigger: 'kill-app1', resolve: 'staging:heal' }] }),
      /expected\[0\]\.trigger: expected 'staging:<fault>'/,
    )
    assert.throws(() => readSettings({ prometheus: 'http://p', expected: [{ alertname: 'A' }, { alertname: 'A' }] }), /listed twice/)
    assert.throws(() => readSettings({ prometheus: 'http://p', receiverPort: 9, receiverHost: '0.0.0.0' }), /receiverHost: expected a loopback address/)
    assert.throws(
      () => readSettings({ prometheus: 'http://p', expected: [{ alertname: 'A', deadline: 'soon' }] }),
      /expected\[0\]\.deadline: expected a duration/,
    )
  })
  it('reads actions, durations and the receiver', () => {
    const s = readSettings({
      prometheus: 'http://p:9090/',
      receiverPort: 18460,
      stagingDir: '/tmp/st',
      expected: [
        { alertname: 'AppInstanceDown', trigger: 'staging:kill-app1', resolve: 'staging:heal', deadline: '2m', wait: '30s' },
        {
          alertname: 'HighErrorRate',
          trigger: { command: ['sh', '-c', 'true'], timeout: '10s' },
          resolve: { command: ['true'] },
          traffic: { path: '/api/products' },
        },
      ],
    })
    assert.equal(s.prometheus, 'http://p:9090')
    assert.deepEqual(s.receiver, { host: '127.0.0.1', port: 18460, path: '/alerts' })
    // the one action model (checks/actions/): the staging folder is the check's stagingDir
    assert.deepEqual(s.expected[0]!.trigger, { kind: 'staging', name: 'kill-app1', text: 'staging:kill-app1' })
    assert.equal(s.stagingDir, '/tmp/st')
    assert.equal(s.expected[0]!.deadlineSeconds, 120)
    assert.equal(s.expected[0]!.waitSeconds, 30)
    assert.deepEqual(s.expected[1]!.trigger, { kind: 'command', argv: ['sh', '-c', 'true'], timeoutSeconds: 10, text: 'sh -c true' })
    assert.deepEqual(s.expected[1]!.traffic, { path: '/api/products', rps: 20 })
    assert.equal(s.expected[1]!.deadlineSeconds, 300, 'default deadline: the 5-minute launch target')
  })
})

describe("golive's webhook receiver", () => {
  it('records Alertmanager notifications and finds the first firing and resolved one of an alert', async () => {
    const r = await startReceiver('127.0.0.1', 0, '/alerts').catch(() => null)
    assert.ok(r)
    await r.close()
    const port = 30000 + Math.floor(Math.random() * 5000)
    const rec = await startReceiver('127.0.0.1', port, '/alerts')
    try {
      const post = (body: unknown, path = '/alerts') => fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: JSON.stringify(body) })
      const t0 = Date.now()
      assert.equal((await post({}, '/other')).status, 404)
      await post({ status: 'firing', receiver: 'golive', alerts: [{ status: 'firing', labels: { alertname: 'Watchdog' } }] })
      await post({ status: 'firing', receiver: 'golive', alerts: [{ status: 'firing', labels: { alertname: 'AppInstanceDown', severity: 'critical' } }] })
      await post({
        status: 'resolved',
        receiver: 'golive',
        alerts: [{ status: 'resolved', labels: { alertname: 'AppInstanceDown' }, startsAt: '2026-01-01T00:00:00Z' }],
      })
      assert.equal(rec.first('AppInstanceDown', 'resolved', t0, '2026-12-01T00:00:00Z'), undefined, 'an earlier instance')
      assert.ok(rec.first('AppInstanceDown', 'resolved', t0, '2026-01-01T00:00:00Z'))
      assert.deepEqual(rec.first('AppInstanceDown', 'firing', t0)?.labels, { alertname: 'AppInstanceDown', severity: 'critical' })
      assert.ok(rec.first('AppInstanceDown', 'resolved', t0))
      assert.equal(rec.first('AppInstanceDown', 'firing', Date.now() + 1000), undefined)
      await assert.rejects(startReceiver('127.0.0.1', port, '/alerts'), /cannot listen on 127\.0\.0\.1:\d+: the port is taken .*receiverPort/)
    } finally {
      await rec.close()
    }
  })
})

describe('promtool rule tests', () => {
  const promtool = promtoolFound('promtool')
  const dir = mkdtempSync(join(tmpdir(), 'golive-rule-tests-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("reads which tests failed from promtool's output, and a rule file that does not load", () => {
    const failed = readPromtoolOutput('t.yml', ['a', 'b'], 1, 'Unit Testing:  t.yml\n  FAILED:\n    name: b,\n    alertname: A, time: 6s, \n')
    assert.deepEqual(failed.tests, [
      { name: 'a', passed: true },
      { name: 'b', passed: false },
    ])
    const broken = readPromtoolOutput(
      't.yml',
      ['a'],
      1,
      'Unit Testing:  t.yml\n  FAILED:\nbad.yml: 5:15: group "g", rule 1, "A": could not parse expression: 1:7: parse error: unexpected "="\n',
    )
    assert.match(broken.error!, /bad\.yml: 5:15: .*could not parse expression/)
    assert.deepEqual(broken.tests, [{ name: 'a', passed: false }])
  })

  it('the staging rules pass their shipped tests', { skip: !promtool && 'promtool not installed' }, async () => {
    const r = await runRuleTests('promtool', join(packageRoot(), 'staging', 'rule-tests', 'alert-rules.test.yml'))
    assert.equal(r.error, undefined, r.output)
    assert.ok(r.tests.length >= 8)
    assert.deepEqual(
      r.tests.filter((t) => !t.passed),
      [],
      r.output,
    )
    assert.ok(r.tests.some((t) => t.name === 'app-instance-down-fires-after-for'))
  })

  it('a broken rule file is a clear error naming the file and the position', { skip: !promtool && 'promtool not installed' }, async () => {
    writeFileSync(join(dir, 'rules.yml'), 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == = 0\n')
    writeFileSync(
      join(dir, 'rules.test.yml'),
      'rule_files: [rules.yml]\ntests:\n  - name: t1\n    alert_rule_test: [{ eval_time: 0s, alertname: A, exp_alerts: [] }]\n',
    )
    const r = await runRuleTests('promtool', join(dir, 'rules.test.yml'))
    assert.match(r.error ?? '', /rules\.yml: 5:\d+: .*could not parse expression/)
    assert.deepEqual(r.tests, [{ name: 't1', passed: false }])
    await assert.rejects(runRuleTests('promtool', join(dir, 'nope.yml')), /checks\.alerts\.ruleTests: .*nope\.yml does not exist/)
  })
})

describe('the alert and monitoring gates of the go-live preset', () => {
  const results = (figures: Record<string, Figure>, ids = ['alerts', 'monitoring']): Results => ({
    schemaVersion: 1,
    run: {
      id: 'r',
      startedAt: '',
      finishedAt: '',
      durationMs: 1,
      partial: false,
      environment: 'st',
      target: 't',
      command: 'golive run',
      golive: '0',
      node: 'v20',
      host: { platform: 'linux', cpus: 1, memoryGiB: 1 },
    },
    figures,
    scenarios: [],
    checks: ids.map((id): CheckResult => ({ id, title: id, status: 'measured', figures: {}, evidence: null, startedAt: '', durationMs: 1 })),
    gates: [],
  })
  const s = (value: number): Figure => ({ value, unit: 's' })
  const n = (value: number): Figure => ({ value, unit: 'count' })
  const good = {
    'alerts.AppInstanceDown.seconds_to_notify': s(7),
    'alerts.seconds_to_notify_max': s(7),
    'alerts.not_notified': n(0),
    'alerts.not_resolved': n(0),
    'alerts.without_rule': n(0),
    'alerts.over_budget': n(0),
    'alerts.missing_data': n(0),
    'alerts.labels_mismatched': n(0),
    'alerts.rule_tests_failed': n(0),
    'monitoring.targets_down': n(0),
    'monitoring.metrics_stale': n(0),
    'monitoring.metrics_missing': n(0),
    'monitoring.alertmanager_ready': n(1),
    'monitoring.watchdog_firing': n(1),
  }
  const gates = () => resolveGates(['go-live'], []).filter((g) => g.figure.startsWith('alerts.') || g.figure.startsWith('monitoring.'))

  it('holds seconds_to_notify < 300 s per alert and for the slowest', () => {
    const f = PRESETS['go-live']!.map(formatGate)
    for (const g of [
      'alerts.*.seconds_to_notify < 300s',
      'alerts.seconds_to_notify_max < 300s',
      'alerts.not_resolved == 0',
      'monitoring.targets_down == 0',
      'monitoring.watchdog_firing == 1',
    ])
      assert.ok(f.includes(g), g)
  })
  it('passes a run whose alerts arrived in time; fails a slow one and one with an undelivered alert', () => {
    assert.equal(evaluate(results(good), gates()).verdict, 'go')
    const slow = evaluate(results({ ...good, 'alerts.AppInstanceDown.seconds_to_notify': s(320), 'alerts.seconds_to_notify_max': s(320) }), gates())
    assert.equal(slow.verdict, 'no-go')
    const { 'alerts.seconds_to_notify_max': _, ...undelivered } = good
    const card = evaluate(results({ ...undelivered, 'alerts.not_notified': n(1) }), gates())
    assert.equal(card.verdict, 'no-go')
    assert.deepEqual(
      card.rows.filter((r) => r.figure === 'alerts.seconds_to_notify_max').map((r) => r.outcome),
      ['missing'],
    )
  })
  it('reads not-run when the checks were not part of the run', () => {
    const card = evaluate(results({}, []), gates())
    assert.ok(
      card.rows.every((r) => r.outcome === 'not-run'),
      JSON.stringify(card.rows.map((r) => r.outcome)),
    )
  })
})

describe('alerts settings: paths relative to the config file', () => {
  it('rule tests and the staging folder resolve against the config folder, absolute ones stay', () => {
    const st = readSettings(
      { prometheus: 'http://127.0.0.1:1', ruleTests: ['rules/a.test.yml', '/abs/b.test.yml'], stagingDir: '.golive/staging', expected: [] },
      '/project',
    )
    assert.deepEqual(st.ruleTests, ['/project/rules/a.test.yml', '/abs/b.test.yml'])
    assert.equal(st.stagingDir, '/project/.golive/staging')
    assert.equal(st.parallel, false)
    assert.throws(
      () => readSettings({ prometheus: 'http://127.0.0.1:1', expected: [], parallel: 'yes' }),
      /checks\.alerts\.parallel: expected true or false, got "yes"/,
    )
  })
})
