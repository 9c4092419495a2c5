// The same stack judged three times gets the same verdict (issue 15): the staging-local checks,
// without load, through `golive run` three times on one native stack. Every gate must have the
// same outcome each time, and projected_restore_seconds may vary by at most 30 % (max ÷ min).
// Left out: the alerts drills (each run waits out Prometheus `for` windows and Alertmanager
// group timers, minutes per run; alerts-truth.test.ts times them against a truth).

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive } from '../support/cli.js'
import { testPort } from '../support/ports.js'
import { chromiumPath } from '../support/chromium.js'
import { missingPackages } from '../../staging/native/programs.js'
import type { Results, Scorecard } from '../../core/results.js'

const BASE = testPort(32400)
const missing = missingPackages()
const skip = missing.length && process.env.CI !== 'true' ? `missing Debian packages: ${missing.join(' ')}` : false
if (missing.length && process.env.CI === 'true') {
  test("the staging stack's Debian packages are installed (CI)", () => assert.fail(`missing Debian packages: ${missing.join(' ')}`))
}

describe('verdict stability: the staging-local checks three times on one stack', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'golive-stability-'))
  chmodSync(dir, 0o755)
  const stagingDir = join(dir, 'stack')
  const stackArgs = ['--state-dir', stagingDir]
  before(async () => {
    const up = await golive(['staging', 'up', ...stackArgs, '--base-port', String(BASE), '--seed-orders', '5000'], { timeoutMs: 90_000 })
    assert.equal(up.code, 0, `staging up failed:\n${up.stderr}${up.stdout}`)
    // a stack that has just started is not yet the unchanged system the test judges: Prometheus
    // has not scraped every target, the Watchdog has not reached Alertmanager. Wait (bounded) until
    // the monitoring check itself sees it settled, then judge three times.
    const monitoring = {
      prometheus: `http://127.0.0.1:${BASE + 40}`,
      maxAge: '30s',
      requiredMetrics: ['up', 'http_request_duration_seconds_count', 'pg_up', 'pg_replication_lag', 'golive_backup_last_success_timestamp_seconds'],
    }
    const warm = join(dir, 'warm.golive.json')
    writeFileSync(
      warm,
      JSON.stringify({
        defaultEnv: 'warm',
        environments: { warm: { baseUrl: `https://127.0.0.1:${BASE}`, ca: join(stagingDir, 'tls', 'ca.pem'), checks: { monitoring } } },
      }),
    )
    const deadline = Date.now() + 120_000
    let last = ''
    for (;;) {
      const r = await golive(['check', 'monitoring', '--config', warm], { timeoutMs: 60_000 })
      if (r.code === 0) break
      last = r.stderr.slice(-500)
      assert.ok(Date.now() < deadline, `the stack's monitoring did not settle within 120 s:\n${last}`)
      await new Promise((done) => setTimeout(done, 3000))
    }
  })
  after(async () => {
    await golive(['staging', 'down', ...stackArgs], { timeoutMs: 60_000 }).catch(() => {})
    rmSync(dir, { recursive: true, force: true })
  })

  test('three runs: the same outcome for every gate, projected_restore_seconds within 30 %', { timeout: 900_000 }, async (t) => {
    const browser = chromiumPath()
    // staging-local's checks (golive.config.ts), pointed at this stack's ports
    const checks: Record<string, unknown> = {
      tls: {},
      headers: { httpPort: BASE + 1 },
      ...(browser ? { 'page-load': { pages: [{ name: 'home', path: '/' }] } } : {}),
      monitoring: {
        prometheus: `http://127.0.0.1:${BASE + 40}`,
        maxAge: '30s',
        requiredMetrics: ['up', 'http_request_duration_seconds_count', 'pg_up', 'pg_replication_lag', 'golive_backup_last_success_timestamp_seconds'],
      },
      'backup-restore': {
        stagingDir,
        backup: 'pg_dump',
        backupPath: join(stagingDir, 'data', 'backups', '*.dump'),
        productionBackupBytes: '10GB',
        projectionSamples: 6,
      },
      failover: { stagingDir },
      'rolling-restart': { stagingDir },
    }
    const config = join(dir, 'stable.golive.json')
    writeFileSync(
      config,
      JSON.stringify(
        {
          defaultEnv: 'stable',
          environments: { stable: { baseUrl: `https://127.0.0.1:${BASE}`, ca: join(stagingDir, 'tls', 'ca.pem'), allowDrills: true, checks } },
        },
        null,
        2,
      ),
    )
    const only = Object.keys(checks).join(',')
    const runs: {
      outcomes: Map<string, string>
      projected: { value: number; low?: number; high?: number; samples?: number }
      seconds: number
      load: string
    }[] = []
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `run-${i}`)
      const started = Date.now()
      const r = await golive(['run', '--config', config, '--only', only, '--out', out], { timeoutMs: 600_000 })
      assert.ok(r.code === 0 || r.code === 1, `run ${i} exited ${r.code}:\n${r.stderr.slice(-3000)}`)
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results
      const scorecard = JSON.parse(readFileSync(join(out, 'scorecard.json'), 'utf8')) as Scorecard
      for (const c of results.checks) assert.equal(c.status, 'measured', `run ${i}: ${c.id} did not measure: ${c.reason}`)
      const outcomes = new Map(scorecard.rows.map((row) => [`${row.figure} (${row.gate})`, row.outcome as string]))
      const marginal = scorecard.rows.filter((row) => row.marginal).map((row) => row.figure)
      const projected = results.figures['backup-restore.projected_restore_seconds'] as { value: number; low?: number; high?: number; samples?: number }
      assert.ok(projected && typeof projected.value === 'number', `run ${i}: no projected_restore_seconds`)
      const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
      runs.push({ outcomes, projected, seconds: (Date.now() - started) / 1000, load })
      t.diagnostic(
        `run ${i}: ${scorecard.summary}; marginal: ${marginal.join(', ') || 'none'}; ` +
          `projected_restore_seconds ${projected.value} s [${projected.low}–${projected.high}, ${projected.samples} samples]; ` +
          `${runs.at(-1)!.seconds.toFixed(0)} s (${results.checks.map((c) => `${c.id} ${((c.durationMs ?? 0) / 1000).toFixed(0)} s`).join(', ')}); load ${load}`,
      )
    }
    const [first, ...rest] = runs
    for (const [i, run] of rest.entries()) {
      const differ = [...new Set([...first!.outcomes.keys(), ...run.outcomes.keys()])].filter((k) => first!.outcomes.get(k) !== run.outcomes.get(k))
      assert.deepEqual(
        differ.map((k) => `${k}: ${first!.outcomes.get(k)} vs ${run.outcomes.get(k)}`),
        [],
        `run ${i + 1} judged differently from run 0`,
      )
    }
    const values = runs.map((r) => r.projected.value)
    const ratio = Math.max(...values) / Math.min(...values)
    t.diagnostic(`projected_restore_seconds ${values.join(', ')} s: max ÷ min ${ratio.toFixed(2)}`)
    assert.ok(
      ratio <= 1.3,
      `projected_restore_seconds ${values.join(', ')} s varies by ${ratio.toFixed(2)}× (at most 1.3×); load averages ${runs.map((r) => r.load).join(' | ')}`,
    )
  })
})
