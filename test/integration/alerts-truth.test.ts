// Truth tests of the alerts and monitoring checks against the native staging stack (its
// Prometheus scrapes and evaluates every 2 s, rules wait `for: 4s`, group_wait is 1 s): the
// figures must be what that configuration makes them. One stack for the file (base port 30400),
// down in `after` whatever happened. Skips without the Debian packages, except under CI=true.

import { testPort } from '../support/ports.js'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { stringify } from 'yaml'
import { golive, CLI } from '../support/cli.js'
import { missingPackages } from '../../staging/native/programs.js'
import type { StackState } from '../../staging/native/state.js'
import type { CheckResult } from '../../core/results.js'

const missing = missingPackages()
const skip = missing.length && process.env.CI !== 'true' ? `missing Debian packages: ${missing.join(' ')}` : false
if (missing.length && process.env.CI === 'true')
  test("the staging stack's Debian packages are installed (CI)", () => assert.fail(`missing: ${missing.join(' ')}`))

const BASE = testPort(30400)
const PROM = `http://127.0.0.1:${BASE + 40}`
const RECEIVER_PORT = BASE + 60
/** a notification may come this much later than the budget: one more evaluation (firing is
 *  decided at the first evaluation after `for` has passed) plus 3 s for a busy shared machine */
const MARGIN_SECONDS = 2 + 3

describe('alerts and monitoring against the native staging stack', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'golive-alerts-'))
  chmodSync(dir, 0o755) // PostgreSQL runs as the postgres user and must enter it
  const stack = join(dir, 'stack')
  const stagingArgs = ['--state-dir', stack, '--base-port', String(BASE)]
  const state = () => JSON.parse(readFileSync(join(stack, 'state.json'), 'utf8')) as StackState

  /** golive check <id> with these settings; the result as JSON */
  const check = async (id: 'alerts' | 'monitoring', settings: Record<string, unknown>, extra: string[] = [], allowDrills = true) => {
    const cfg = join(dir, `${id}-${Date.now()}.yaml`)
    writeFileSync(
      cfg,
      stringify({ environments: { st: { baseUrl: `https://127.0.0.1:${BASE}`, ca: join(stack, 'tls', 'ca.pem'), allowDrills, checks: { [id]: settings } } } }),
    )
    const r = await golive(['check', id, '--config', cfg, '--env', 'st', '--out', join(dir, 'runs'), ...extra], { timeoutMs: 80_000 })
    // 1: a gate on its figures failed (several cases are meant to); never a crash
    assert.ok(r.code === 0 || r.code === 1 || r.code === 2, r.stderr)
    return { ...(JSON.parse(r.stdout) as CheckResult), stderr: r.stderr }
  }
  const fig = (r: CheckResult, name: string) => r.figures[name]?.value
  const problems = (r: CheckResult) => ((r.evidence as { problems?: string[] }).problems ?? []).join('\n')

  before(async () => {
    const r = await golive(['staging', 'up', ...stagingArgs, '--seed-orders', '2000'], { timeoutMs: 90_000 })
    assert.equal(r.code, 0, `staging up failed:\n${r.stderr}${r.stdout}`)
  })

  after(async () => {
    const r = await golive(['staging', 'down', ...stagingArgs], { timeoutMs: 60_000 })
    if (r.code !== 0) process.stderr.write(`staging down: ${r.stderr}`)
    rmSync(dir, { recursive: true, force: true })
  })

  test('monitoring of the healthy stack: every target up, metrics fresh, Alertmanager ready, Watchdog firing; a Grafana panel with no data named', async () => {
    // a stand-in Grafana: one dashboard, a panel with data and one whose metric nobody exports
    const grafana = createServer((req, res) => {
      if (req.url !== '/api/dashboards/uid/d1') {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          dashboard: {
            title: 'Staging',
            panels: [
              { id: 1, title: 'Targets up', targets: [{ refId: 'A', expr: 'sum(up{job="$job"})' }] },
              { id: 2, title: 'Ghost panel', targets: [{ refId: 'A', expr: 'rate(golive_metric_nobody_exports[$__rate_interval])' }] },
            ],
          },
        }),
      )
    })
    await new Promise<void>((done) => grafana.listen(0, '127.0.0.1', done))
    const gport = (grafana.address() as AddressInfo).port
    let r: CheckResult | undefined
    // the stand-in must close even when an assertion fails, or this file's process never exits
    try {
      // right after up, the first scrapes and the Watchdog's first evaluation are seconds away
      for (let i = 0; i < 20; i++) {
        r = await check('monitoring', {
          prometheus: PROM,
          maxAge: '10s',
          requiredMetrics: ['up', 'http_request_duration_seconds_count', 'pg_up'],
          grafana: { url: `http://127.0.0.1:${gport}`, dashboards: ['d1'] },
        })
        if (fig(r, 'targets_down') === 0 && fig(r, 'watchdog_firing') === 1 && fig(r, 'metrics_missing') === 0) break
        await sleep(1000)
      }
      assert.equal(r!.status, 'measured', r!.reason ?? '')
      // every scrape target of the stack's Prometheus: edge, app1, app2, the exporters (node-exporter too), Prometheus, Alertmanager
      assert.equal(fig(r!, 'targets_total'), 8)
      assert.equal(fig(r!, 'targets_down'), 0, problems(r!))
      assert.equal(fig(r!, 'metrics_stale'), 0, problems(r!))
      assert.equal(fig(r!, 'metrics_missing'), 0, problems(r!))
      assert.equal(fig(r!, 'alertmanager_ready'), 1)
      assert.equal(fig(r!, 'alertmanager_cluster'), 'disabled')
      assert.equal(fig(r!, 'watchdog_firing'), 1, problems(r!))
    } finally {
      grafana.close()
    }
    assert.equal(fig(r!, 'grafana_panels'), 2)
    assert.equal(fig(r!, 'grafana_panels_no_data'), 1)
    assert.match(problems(r!), /Grafana panel with no data: Staging: Ghost panel/)
  })

  test('without drills allowed: the budget and rule tests, no trigger, and the delivery figures missing', async () => {
    const r = await check(
      'alerts',
      {
        prometheus: PROM,
        receiverPort: RECEIVER_PORT,
        stagingDir: stack,
        ruleTests: [join(process.cwd(), 'staging', 'rule-tests', 'alert-rules.test.yml')],
        expected: [{ alertname: 'AppInstanceDown', trigger: 'staging:kill-app1', resolve: 'staging:heal' }],
      },
      [],
      false,
    )
    assert.equal(r.status, 'measured')
    assert.match(r.reason ?? '', /drills not run: environment 'st' does not allow drills/)
    assert.equal(fig(r, 'AppInstanceDown.budget_seconds'), 9)
    assert.equal(fig(r, 'AppInstanceDown.seconds_to_notify'), undefined)
    assert.equal(fig(r, 'not_notified'), undefined, 'not measured: the gate fails as missing')
    assert.doesNotMatch(r.stderr, /trigger/)
    assert.equal(fig(r, 'rule_tests_failed'), 0)
    assert.ok((fig(r, 'rule_tests_passed') as number) >= 8)
    // a receiver where Alertmanager does not deliver: said before any drill
    const elsewhere = await check('alerts', { prometheus: PROM, receiverPort: BASE + 59, expected: [{ alertname: 'AppInstanceDown' }] }, [], false)
    assert.match(
      problems(elsewhere),
      new RegExp(
        `Alertmanager does not route AppInstanceDown to golive's receiver http://127\\.0\\.0\\.1:${BASE + 59}/alerts \\(its webhooks: http://127\\.0\\.0\\.1:${BASE + 60}/alerts\\)`,
      ),
    )
  })

  const killTitle =
    "killing app1: AppInstanceDown reaches golive's receiver no earlier than `for`, within the budget; healing resolves it; " +
    'an alert no rule defines and a budget over its deadline are flagged'
  test(killTitle, async (t) => {
    const r = await check('alerts', {
      prometheus: PROM,
      receiverPort: RECEIVER_PORT,
      stagingDir: stack,
      expected: [
        { alertname: 'AppInstanceDown', trigger: 'staging:kill-app1', resolve: 'staging:heal', labels: { severity: 'critical' }, deadline: '5m' },
        { alertname: 'NoSuchAlert', trigger: 'staging:kill-app1', resolve: 'staging:heal' },
        { alertname: 'HighErrorRate', deadline: '5s' },
      ],
    })
    assert.equal(r.status, 'measured', r.reason ?? '')
    const k = 'AppInstanceDown'
    const budget = fig(r, `${k}.budget_seconds`) as number
    const forS = fig(r, `${k}.for_seconds`) as number
    const notify = fig(r, `${k}.seconds_to_notify`) as number
    t.diagnostic(
      `pending ${fig(r, `${k}.seconds_to_pending`)} s, firing ${fig(r, `${k}.seconds_to_firing`)} s, notify ${notify} s, ` +
        `resolve ${fig(r, `${k}.seconds_to_resolve`)} s; budget ${budget} s, for ${forS} s`,
    )
    assert.equal(budget, 2 + 2 + 4 + 1, 'scrape 2 s + evaluation 2 s + for 4 s + group_wait 1 s')
    assert.equal(forS, 4)
    assert.ok(typeof notify === 'number', `no notification: ${problems(r)}`)
    assert.ok(notify >= forS, `notified after ${notify} s, before the rule's for (${forS} s)`)
    assert.ok(notify <= budget + MARGIN_SECONDS, `notified after ${notify} s: over the budget ${budget} s + ${MARGIN_SECONDS} s`)
    assert.ok((fig(r, `${k}.seconds_to_pending`) as number) <= 2 + 2 + 3, 'pending within a scrape and an evaluation (+3 s)')
    assert.ok((fig(r, `${k}.seconds_to_firing`) as number) >= forS)
    assert.equal(fig(r, `${k}.labels_ok`), 1)
    assert.ok(typeof fig(r, `${k}.seconds_to_resolve`) === 'number', 'resolved notification reached the receiver')
    assert.equal(fig(r, 'not_resolved'), 0)
    assert.equal(fig(r, 'without_rule'), 1)
    assert.match(problems(r), /NoSuchAlert: no alerting rule defines NoSuchAlert/)
    assert.equal(fig(r, 'not_notified'), 1, 'the alert without a rule never notifies')
    assert.equal(fig(r, 'seconds_to_notify_max'), undefined, 'no maximum while an expected alert was not delivered')
    assert.equal(fig(r, 'over_budget'), 1)
    assert.match(problems(r), /HighErrorRate: the budget alone \(9 s = .*\) exceeds the deadline of 5 s/)
    // heal ran: app1 answers again
    const health = await fetch(`http://127.0.0.1:${BASE + 10}/health`)
    assert.equal(health.status, 200)
  })

  test('an error burst under traffic: HighErrorRate notifies no earlier than `for`, within the budget plus one more scrape (rate() needs two samples)', async (t) => {
    const r = await check('alerts', {
      prometheus: PROM,
      receiverPort: RECEIVER_PORT,
      stagingDir: stack,
      // the resolve is not waited for here (its 20 s rate window drains slowly): heal runs all the same
      expected: [
        {
          alertname: 'HighErrorRate',
          trigger: 'staging:error-burst',
          resolve: 'staging:heal',
          traffic: { path: '/api/products?limit=5', rps: 20 },
          labels: { severity: 'critical' },
          resolveWait: '1s',
        },
      ],
    })
    const k = 'HighErrorRate'
    const notify = fig(r, `${k}.seconds_to_notify`) as number
    const budget = fig(r, `${k}.budget_seconds`) as number
    const traffic = (r.evidence as { alerts: { drill: { traffic: { statuses: Record<string, number> } } }[] }).alerts[0]!.drill.traffic
    t.diagnostic(`notify ${notify} s (budget ${budget} s); traffic ${JSON.stringify(traffic.statuses)}`)
    assert.ok(typeof notify === 'number', problems(r))
    assert.ok(notify >= 4, `${notify} s`)
    assert.ok(notify <= budget + 2 + MARGIN_SECONDS, `${notify} s over ${budget} + 2 + ${MARGIN_SECONDS}`)
    assert.ok((traffic.statuses['500'] ?? 0) > 0, 'the burst answered 500s')
    assert.equal(fig(r, `${k}.labels_ok`), 1)
  })

  test('parallel: two drills share one fault window: both notified within their budgets, one heal for both, the check takes the longer drill', async (t) => {
    const started = Date.now()
    const r = await check('alerts', {
      prometheus: PROM,
      receiverPort: RECEIVER_PORT,
      stagingDir: stack,
      parallel: true,
      expected: [
        { alertname: 'AppInstanceDown', trigger: 'staging:kill-app1', resolve: 'staging:heal', labels: { severity: 'critical' } },
        // its 20 s rate window drains slowly: the resolve is not waited for here
        {
          alertname: 'HighLatencyP95',
          trigger: 'staging:slow-db',
          resolve: 'staging:heal',
          traffic: { path: '/api/products?limit=5', rps: 10 },
          resolveWait: '1s',
        },
      ],
    })
    const seconds = (Date.now() - started) / 1000
    const a = fig(r, 'AppInstanceDown.seconds_to_notify') as number
    const l = fig(r, 'HighLatencyP95.seconds_to_notify') as number
    t.diagnostic(`AppInstanceDown notified after ${a} s, HighLatencyP95 after ${l} s; the check took ${seconds.toFixed(1)} s`)
    assert.equal(r.status, 'measured', r.reason ?? '')
    assert.ok(typeof a === 'number' && a >= 4 && a <= 9 + MARGIN_SECONDS, `AppInstanceDown ${a} s: ${problems(r)}`)
    // its histogram rate needs slow samples in the window first: two more scrapes than the budget
    assert.ok(typeof l === 'number' && l >= 4 && l <= 9 + 4 + MARGIN_SECONDS, `HighLatencyP95 ${l} s: ${problems(r)}`)
    const drills = r.evidence as { parallel: boolean; alerts: { drill: { resolveOutput?: string } }[] }
    assert.equal(drills.parallel, true)
    assert.match(drills.alerts[1]!.drill.resolveOutput ?? '', /the same resolve action already ran/)
    // one window: both triggers before the (single) resolve, so the check takes the longer drill, not the sum
    const log = r.stderr
      .split('\n')
      .filter((x) => /alerts: \w+: (trigger|resolve)/.test(x))
      .map((x) => x.replace(/^.*alerts: (\w+): (trigger|resolve).*$/, '$2 $1'))
    assert.deepEqual(
      log
        .slice(0, 2)
        .map((x) => x.split(' ')[0])
        .sort(),
      ['trigger', 'trigger'],
      log.join('; '),
    )
    assert.deepEqual(
      log.filter((x) => x.startsWith('resolve')),
      ['resolve AppInstanceDown'],
      log.join('; '),
    )
    const health = await fetch(`http://127.0.0.1:${BASE + 10}/health`)
    assert.equal(health.status, 200, 'heal ran: app1 answers again')
  })

  test('a rule that cannot fire (its expression reads a metric nobody exports) is reported as missing data, not as ok', async () => {
    const rules = join(stack, 'configs', 'alert-rules.yml')
    appendFileSync(
      rules,
      `  - name: golive-truth-test
    rules:
      - alert: GhostAlert
        expr: golive_metric_nobody_exports > 0
        for: 2s
        labels: { severity: warning }
`,
    )
    process.kill(state().processes.prometheus!.pid, 'SIGHUP')
    for (let i = 0; i < 50; i++) {
      const g = (await fetch(`${PROM}/api/v1/rules`).then((x) => x.json())) as { data: { groups: { name: string }[] } }
      if (g.data.groups.some((x) => x.name === 'golive-truth-test')) break
      await sleep(200)
    }
    const r = await check('alerts', {
      prometheus: PROM,
      receiverPort: RECEIVER_PORT,
      expected: [{ alertname: 'GhostAlert', trigger: { command: ['true'] }, resolve: { command: ['true'] }, wait: '6s' }],
    })
    assert.equal(r.status, 'measured', r.reason ?? '')
    assert.equal(fig(r, 'without_rule'), 0)
    assert.equal(fig(r, 'missing_data'), 1)
    assert.match(problems(r), /GhostAlert: missing data: no series of golive_metric_nobody_exports/)
    assert.match(problems(r), /GhostAlert: did not fire within/)
    assert.equal(fig(r, 'GhostAlert.seconds_to_notify'), undefined)
    assert.equal(fig(r, 'not_notified'), 1)
  })

  test('Ctrl-C during a drill: the resolve action still runs', async () => {
    const cfg = join(dir, 'abort.yaml')
    writeFileSync(
      cfg,
      stringify({
        environments: {
          st: {
            baseUrl: `https://127.0.0.1:${BASE}`,
            allowDrills: true,
            checks: {
              alerts: {
                prometheus: PROM,
                receiverPort: RECEIVER_PORT,
                stagingDir: stack,
                expected: [{ alertname: 'AppInstanceDown', trigger: 'staging:kill-app1', resolve: 'staging:heal', wait: '60s' }],
              },
            },
          },
        },
      }),
    )
    const killed = state().processes.app1!.pid
    const started = Date.now()
    const r = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
      const p = spawn(process.execPath, [CLI, 'check', 'alerts', '--config', cfg, '--env', 'st', '--out', join(dir, 'runs')], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CI: 'true' },
      })
      let stderr = '',
        stdout = '',
        sent = false
      p.stdout.on('data', (d) => {
        stdout += d
      })
      p.stderr.on('data', (d) => {
        stderr += d
        // interrupt one second into the drill: app1 is dead, the alert not yet delivered
        if (!sent && /trigger golive staging fault kill-app1/.test(stderr)) {
          sent = true
          setTimeout(() => p.kill('SIGINT'), 1000)
        }
      })
      const timer = setTimeout(() => {
        p.kill('SIGKILL')
        reject(new Error(`did not stop: ${stderr}`))
      }, 60_000)
      p.on('close', (code) => {
        clearTimeout(timer)
        resolve({ code, stderr, stdout })
      })
    })
    assert.match(r.stderr, /resolve golive staging heal/)
    assert.ok(Date.now() - started < 40_000, 'stopped promptly')
    const after = state().processes.app1!.pid
    assert.notEqual(after, killed, 'app1 was restarted by the resolve action')
    assert.equal((await fetch(`http://127.0.0.1:${BASE + 10}/health`)).status, 200)
    const result = JSON.parse(r.stdout) as CheckResult
    assert.match(result.reason ?? '', /interrupted: resolve actions ran/)
    assert.equal(result.figures['AppInstanceDown.seconds_to_notify'], undefined)
  })

  test('a stopped exporter is a down target, named; the metric only it exports is stale, named', async () => {
    const exporter = state().processes['postgres-exporter-replica']!
    process.kill(exporter.pid, 'SIGTERM')
    let r: CheckResult | undefined
    for (let i = 0; i < 20; i++) {
      await sleep(1000)
      r = await check('monitoring', { prometheus: PROM, requiredMetrics: ['up', { metric: 'pg_up{role="replica"}', maxAge: '4s' }] })
      if (fig(r, 'targets_down') === 1 && fig(r, 'metrics_stale') === 1) break
    }
    assert.equal(fig(r!, 'targets_down'), 1, problems(r!))
    assert.match(problems(r!), new RegExp(`target down: postgres 127\\.0\\.0\\.1:${BASE + 51}`))
    assert.equal(fig(r!, 'metrics_stale'), 1, problems(r!))
    assert.match(problems(r!), /metric stale: pg_up\{role="replica"\}: newest sample [\d.]+ s old \(allowed 4 s\)/)
    assert.equal(fig(r!, 'metrics_missing'), 0)
  })
})
