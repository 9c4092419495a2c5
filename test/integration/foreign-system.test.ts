// A system that is not ours: miniflux 2.3.5 (Go module proxy) on PostgreSQL 15, behind Debian's
// nginx with TLS, watched by Prometheus and Alertmanager; golive run with the config a user
// would write from docs/drills.md: a scenario of their own, their own failover experiment (the
// service script stops the app, a supervisor starts it 2 s later), the write probe off (miniflux
// has no token login), their own deploy command. Every gate must read what the system deserves:
// a single instance cannot fail over without failing requests, data loss was not measured (not
// run, never a pass), the monitoring pipeline works; nothing MISSING; each refusal names the
// setting to add.

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Results, Scorecard } from '../../core/results.js'
import { golive } from '../support/cli.js'
import { foreignMissing, startForeignSystem, type ForeignSystem } from '../support/foreign-system.js'

const missing = foreignMissing()
const skip = missing.length && process.env.CI !== 'true' ? `missing: ${missing.join(', ')}` : false
if (missing.length && process.env.CI === 'true') test("the foreign system's programs are installed (CI)", () => assert.fail(`missing: ${missing.join(', ')}`))

describe('a system that is not ours: miniflux on PostgreSQL behind nginx, Prometheus, Alertmanager', { skip }, () => {
  let sys: ForeignSystem
  let config: string
  before(async () => {
    sys = await startForeignSystem()
    const app = (cmd: string) => `sh ${sys.script} ${cmd}`
    writeFileSync(
      join(sys.dir, 'browse.mjs'),
      `export default {
  name: 'browse',
  profile: { model: 'closed', stages: [{ duration: '3s', target: 100 }, { duration: '4s', target: 100 }], gracefulStop: '3s' },
  thinkTime: '1s',
  steps: [{ name: 'home', path: '/', check: { status: 200 } }, { name: 'health', path: '/healthcheck', check: { status: 200 } }],
}
`,
    )
    config = join(sys.dir, 'golive.config.json')
    writeFileSync(
      config,
      JSON.stringify(
        {
          defaultEnv: 'reader',
          environments: {
            reader: {
              baseUrl: sys.baseUrl,
              ca: sys.ca,
              allowDrills: true,
              scenarios: ['./browse.mjs'],
              checks: {
                monitoring: { prometheus: sys.prometheus, alertmanager: sys.alertmanager, maxAge: '30s', requiredMetrics: ['up', 'miniflux_users'] },
                failover: {
                  readPath: '/healthcheck',
                  write: false,
                  deadlineSeconds: 60,
                  experiments: { 'app-crash': { fault: [app('stop'), 'sleep:2', app('start')], rollback: [app('start')] } },
                },
                'rolling-restart': { readPath: '/healthcheck', write: false, deployCommand: app('restart') },
              },
            },
            // what a first try looks like: the drills switched on without their settings
            bare: { baseUrl: sys.baseUrl, ca: sys.ca, allowDrills: true, checks: { failover: {}, 'rolling-restart': {} } },
            typo: { baseUrl: sys.baseUrl, ca: sys.ca, allowDrills: true, checks: { failover: { readPth: '/healthcheck' } } },
          },
        },
        null,
        2,
      ),
    )
  })
  after(async () => {
    await sys?.stop()
  })

  test('golive run: every gate reads what the system deserves, nothing MISSING, no vacuous pass', async (t) => {
    const logBefore = readFileSync(sys.accessLog, 'utf8').length
    const out = join(sys.dir, 'run')
    const r = await golive(['run', '--config', config, '--out', out], { cwd: sys.dir, timeoutMs: 240_000 })
    const card = JSON.parse(readFileSync(join(out, 'scorecard.json'), 'utf8')) as Scorecard
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results
    const seen = card.rows.filter((row) => row.outcome !== 'not-run').map((row) => `${row.figure} ${row.outcome}${row.level === 'warn' ? ' (warn)' : ''}`)
    t.diagnostic(seen.join('; '))
    const outcome = (figure: string) => card.rows.filter((row) => row.figure === figure).map((row) => row.outcome)

    // the scenario the user wrote: 100 users without errors (the 100-user gate is on it, whatever
    // its name); its latency is judged, pass or fail, as this machine's load makes it
    for (const g of ['error_rate', 'vus_max']) assert.deepEqual(outcome(`load.browse.${g}`), ['pass'], `load.browse.${g}: ${r.stderr.slice(-2000)}`)
    for (const g of ['latency_p95', 'latency_max']) assert.equal(outcome(`load.browse.${g}`).length, 1, g)
    for (const g of ['latency_p95', 'latency_max']) assert.ok(['pass', 'fail'].includes(outcome(`load.browse.${g}`)[0]!), g)
    // the monitoring pipeline works
    for (const g of ['targets_down', 'metrics_stale', 'metrics_missing', 'alertmanager_ready', 'watchdog_firing'])
      assert.deepEqual(outcome(`monitoring.${g}`), ['pass'], `monitoring.${g}`)
    // one instance: it comes back fast, but most requests of the crash failed, and a restart is downtime
    assert.deepEqual(outcome('failover.app-crash.rto_seconds'), ['pass'])
    assert.deepEqual(outcome('failover.app-crash.failed_ratio'), ['fail'])
    assert.deepEqual(outcome('failover.app-crash.failed_requests'), ['fail'])
    assert.equal(card.rows.find((row) => row.figure === 'failover.app-crash.failed_requests')!.level, 'warn')
    assert.deepEqual(outcome('rolling-restart.failed_requests'), ['fail'])
    // data loss was never measured: not run, with the reason, and no figure pretends otherwise
    const lost = card.rows.find((row) => row.gate === 'failover.*.lost_writes == 0')!
    assert.equal(lost.outcome, 'not-run')
    assert.match(lost.why, /write probe is off/)
    for (const k of Object.keys(results.figures)) assert.doesNotMatch(k, /lost_writes|rpo_seconds|writes_acknowledged/)
    // nothing spurious: no gate on a reference-stack name, nothing missing, skipped or broken
    assert.deepEqual(
      card.rows.filter((row) => ['missing', 'error', 'skipped'].includes(row.outcome)).map((row) => `${row.figure}: ${row.why}`),
      [],
    )
    assert.ok(!card.rows.some((row) => /app-instance|load\.load\./.test(row.figure)), 'no reference-stack names')
    assert.equal(card.verdict, 'no-go')
    assert.equal(r.code, 1)
    assert.doesNotMatch(r.stderr, /ROLLBACK FAILED|RESTORE FAILED/)
    // the page-load-like read-only check ran before the drills (monitoring first)
    assert.deepEqual(
      results.checks.map((c) => c.id),
      ['monitoring', 'failover', 'rolling-restart'],
    )
    // every request through nginx said who it was
    const agents = readFileSync(sys.accessLog, 'utf8')
      .slice(logBefore)
      .trim()
      .split('\n')
      .map((l) => /"([^"]*)"$/.exec(l)?.[1] ?? '')
    assert.ok(agents.length > 500, `${agents.length} requests logged`)
    assert.deepEqual([...new Set(agents.map((a) => a.replace(/\/.*/, '/…')))], ['golive/…'])
  })

  test('refusals name the settings to add, and nothing is injected', async () => {
    const f = await golive(['drill', 'failover', '--config', config, '--env', 'bare', '--out', join(sys.dir, 'bare')], { cwd: sys.dir })
    assert.equal(f.code, 2, f.stderr)
    for (const s of ['checks.failover.readPath', 'checks.failover.experiments', 'checks.failover.writePath', 'checks.failover.write: false'])
      assert.ok(f.stderr.includes(s), `${s} in: ${f.stderr}`)
    assert.doesNotMatch(f.stderr, /ROLLBACK FAILED|staging:/)
    const rr = await golive(['drill', 'rolling-restart', '--config', config, '--env', 'bare', '--out', join(sys.dir, 'bare')], { cwd: sys.dir })
    assert.equal(rr.code, 2, rr.stderr)
    assert.match(rr.stderr, /checks\.rolling-restart\.deployCommand/)
    assert.doesNotMatch(rr.stderr, /RESTORE FAILED|staging:heal/)
    const typo = await golive(['drill', 'failover', '--config', config, '--env', 'typo', '--out', join(sys.dir, 'typo')], { cwd: sys.dir })
    assert.equal(typo.code, 2)
    assert.match(typo.stderr, /checks\.failover\.readPth: unknown setting \(did you mean readPath\?\)/)
    // an environment without scenarios drives no load, and says so in one line
    const before = readFileSync(sys.accessLog, 'utf8').length
    const lt = await golive(['loadtest', '--config', config, '--env', 'bare', '--out', join(sys.dir, 'bare-load')], { cwd: sys.dir })
    assert.match(lt.stderr, /environment 'bare' lists no scenarios: no load is driven/)
    assert.equal(readFileSync(sys.accessLog, 'utf8').length, before, 'no request reached the system')
  })
})
