// Truth tests of the disaster-recovery drills, against a real native staging stack (PostgreSQL
// primary + replica, two app instances behind HAProxy) that the file starts and stops: a fault of
// known length must measure as that long, a corrupted row must be found and named, losing an
// app instance behind the health-checked edge must fail nothing, a failover must lose no
// acknowledged write and the rollback must restore the topology, Ctrl-C mid-drill must still
// roll back and leave a partial result, and a drill killed with SIGKILL is rolled back from the
// drill journal by golive drill --recover or by the next golive check.

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import type { ChildProcess } from 'node:child_process'
import { missingPackages } from '../../staging/native/programs.js'
import { pgProgram } from '../../checks/backup-restore/programs.js'
import { startDrillStack, DRILL_BASE_PORT, type DrillStack } from '../support/drill-stack.js'
import { spawn } from 'node:child_process'
import { readdirSync, existsSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ERP_STEPS } from '../../scenarios/journeys/erp-journey.js'
import { join } from 'node:path'
import { request } from 'undici'
import { CLI, golive } from '../support/cli.js'

const missing = missingPackages()
const skip = missing.length && process.env.CI !== 'true' ? `missing Debian packages: ${missing.join(' ')}` : false
if (missing.length && process.env.CI === 'true') {
  test("the staging stack's Debian packages are installed (CI)", () => assert.fail(`missing Debian packages: ${missing.join(' ')}`))
}

type Fig = Record<string, { value: number | string }>
const fig = (f: Fig, name: string) => f[name]?.value as number | undefined

describe('disaster-recovery drills (native staging stack)', { skip }, () => {
  let stack: DrillStack
  before(async () => {
    stack = await startDrillStack()
  })
  after(async () => {
    await stack?.down()
  })

  test('an outage of known length (the edge stopped for 5 s) measures RTO ≈ 5 s', async (t) => {
    const config = stack.config('outage', {
      failover: {
        experiments: { outage: { fault: ['staging:stop:edge', 'sleep:5', 'staging:start:edge'], rollback: ['staging:heal'] } },
        recoverAfter: 5,
        minObserveSeconds: 0,
      },
    })
    const { code, result, stderr } = await stack.drill('failover', config)
    // an outage most requests notice: the preset's failover.*.failed_ratio < 50% fails, so exit 1
    assert.equal(code, 1, String(result.reason))
    assert.match(stderr, /FAIL failover\.\*\.failed_ratio < 50%/)
    assert.match(stderr, /WARN failover\.\*\.failed_requests == 0/)
    assert.equal(result.status, 'measured', String(result.reason))
    const f = result.figures as Fig
    const rto = fig(f, 'outage.rto_seconds')!
    const actions = (result.evidence as { experiments: { outage: { actions: { fault: { startedAt: number; seconds: number }[] }; faultAt: number } } })
      .experiments.outage
    // the truth: from the fault to the edge listening again (the stop, 5 s, the start)
    const last = actions.actions.fault.at(-1)!
    const truth = last.startedAt + last.seconds - actions.faultAt
    t.diagnostic(
      `RTO ${rto} s (truth ${truth.toFixed(3)} s: edge stopped, 5 s, started); first failure after ${fig(f, 'outage.seconds_to_first_failure')} s; ` +
        `${fig(f, 'outage.failed_requests')} failed of ${fig(f, 'outage.requests')}`,
    )
    assert.ok(Math.abs(rto - 5) <= 0.5, `RTO ${rto} s, expected 5 ± 0.5 s`)
    assert.ok(Math.abs(rto - truth) <= 0.3, `RTO ${rto} s, truth ${truth} s`)
    assert.ok(fig(f, 'outage.seconds_to_first_failure')! < 0.5)
    assert.ok(fig(f, 'outage.failed_requests')! >= 40, 'about 5 s of reads at 10/s failed')
    assert.equal(fig(f, 'outage.lost_writes'), 0)
  })

  test('backup-restore: a corrupted row in the restored copy → mismatches 1, naming the table', async (t) => {
    const restore =
      `${pgProgram('pg_restore')} --no-owner --no-privileges -d "$GOLIVE_RESTORE_URL" "$GOLIVE_BACKUP_FILE" && ` +
      `${pgProgram('psql')} -X -q "$GOLIVE_RESTORE_URL" -c "UPDATE products SET name = 'corrupted' WHERE id = 7"`
    // a small projection: here it only has to exist through a restoreCommand; its stability run
    // to run is verdict-stability.test.ts's (the default, 64 copies × 3 samples, took 50-70 s here)
    const config = stack.config('corrupt', {
      'backup-restore': { restoreCommand: restore, productionBackupBytes: '10GB', projectionCopies: 4, projectionSamples: 2 },
    })
    const { code, result, stderr } = await stack.drill('backup-restore', config)
    // the corrupted row fails the preset's backup-restore.mismatches == 0: exit 1
    assert.equal(code, 1, String(result.reason))
    assert.match(stderr, /FAIL backup-restore\.mismatches == 0/)
    const f = result.figures as Fig
    t.diagnostic(
      `backup ${fig(f, 'backup_bytes')} B in ${fig(f, 'backup_seconds')} s, restore ${fig(f, 'restore_seconds')} s (${fig(f, 'restore_mb_per_s')} MB/s), ` +
        `${fig(f, 'tables_verified')} tables / ${fig(f, 'rows_verified')} rows, mismatches ${fig(f, 'mismatches')}`,
    )
    assert.equal(fig(f, 'mismatches'), 1)
    assert.equal(fig(f, 'tables_verified'), 4)
    // the seed (1000 products, 1000 users, 5000 orders of 3 items) plus the orders earlier drills wrote
    assert.ok(fig(f, 'rows_verified')! >= 1000 + 1000 + 5000 + 15000)
    assert.deepEqual(
      (result.evidence as { mismatches: { table: string }[] }).mismatches.map((m) => m.table),
      ['public.products'],
    )
    assert.ok(fig(f, 'projected_restore_seconds')! > 0)
    assert.match(String((result.evidence as { snapshot: string }).snapshot), /--snapshot=/)
  })

  test('failover: losing app1 fails no request; losing the primary (promote the replica) loses no acknowledged write, and heal restores the topology', async (t) => {
    const config = stack.config('failover', { failover: {} })
    const { code, result, stderr } = await stack.drill('failover', config)
    assert.equal(
      code,
      0,
      `${result.reason} ${stderr
        .split('\n')
        .filter((l) => /FAIL|WARN|NO-GO|GO:/.test(l))
        .join('\n')} ${JSON.stringify(result.figures)}`,
    )
    assert.equal(result.status, 'measured', String(result.reason))
    assert.equal(result.reason, undefined)
    const f = result.figures as Fig
    t.diagnostic(
      `app-instance: ${fig(f, 'app-instance.failed_requests')} failed of ${fig(f, 'app-instance.requests')}, RTO ${fig(f, 'app-instance.rto_seconds')} s; ` +
        `primary: RTO ${fig(f, 'primary.rto_seconds')} s, ${fig(f, 'primary.failed_requests')} failed of ${fig(f, 'primary.requests')}, ` +
        `lost writes ${fig(f, 'primary.lost_writes')} of ${fig(f, 'primary.writes_acknowledged')} acknowledged, RPO ${fig(f, 'primary.rpo_seconds')} s`,
    )
    assert.equal(fig(f, 'app-instance.failed_requests'), 0)
    assert.ok(fig(f, 'app-instance.requests')! >= 30)
    assert.equal(fig(f, 'primary.lost_writes'), 0)
    assert.ok(fig(f, 'primary.writes_acknowledged')! >= 10)
    const rto = fig(f, 'primary.rto_seconds')
    assert.ok(rto !== undefined && rto < 30, `primary RTO ${rto}`)
    const ev = (result.evidence as { experiments: Record<string, { actions: { rollback: { ok: boolean }[] }; timeline: unknown[] }> }).experiments
    assert.ok(ev.primary!.actions.rollback.every((r) => r.ok))
    assert.ok(ev.primary!.timeline.length > 5, 'the probe timeline is in the evidence')
    // the rollback restored primary + streaming replica
    assert.equal(stack.state().replicaPromoted, false)
    const status = await stack.status()
    assert.equal(status.code, 0, status.stdout)
  })

  test('failover under load: the primary lost while 10 users walk the ERP journey shows their failed requests in the fault window', async (t) => {
    const users = fileURLToPath(new URL('../../scenarios/data/users.csv', import.meta.url))
    writeFileSync(
      join(stack.dir, 'erp-10.yaml'),
      `name: erp10
profile: { model: closed, stages: [{ duration: 3s, target: 10 }, { duration: 10s, target: 10 }] }
thinkTime: 300ms
data: { file: ${JSON.stringify(users)}, mode: per-vu, as: user }
steps:
${ERP_STEPS.map((st) => `  - ${JSON.stringify(st)}`).join('\n')}
`,
    )
    const config = stack.config('under-load', {
      failover: {
        experiments: { primary: { fault: ['staging:stop-primary', 'staging:promote-replica'], rollback: ['staging:heal'], underLoad: './erp-10.yaml' } },
      },
    })
    const { result, stderr } = await stack.drill('failover', config)
    assert.equal(result.status, 'measured', `${result.reason}\n${stderr}`)
    const f = result.figures as Fig
    const ev = (
      result.evidence as {
        experiments: {
          primary: {
            underLoad: { usersAtStart: number; faultAtS: number; endAtS: number; window: { seconds: unknown[] } }
            actions: { rollback: { ok: boolean }[] }
          }
        }
      }
    ).experiments.primary
    t.diagnostic(
      `under load (${ev.underLoad.usersAtStart} users at the fault, window ${ev.underLoad.faultAtS?.toFixed(1)}–${ev.underLoad.endAtS?.toFixed(1)} s): ` +
        `${fig(f, 'primary.load.failed_requests')} of ${fig(f, 'primary.load.requests')} journey requests failed (${fig(f, 'primary.load.error_rate')} %), ` +
        `p95 ${fig(f, 'primary.load.latency_p95')} ms; probes: ${fig(f, 'primary.failed_requests')} failed of ${fig(f, 'primary.requests')}, ` +
        `RTO ${fig(f, 'primary.rto_seconds')} s`,
    )
    assert.ok(ev.underLoad.usersAtStart >= 8, `the users were on at the fault: ${ev.underLoad.usersAtStart}`)
    assert.ok(fig(f, 'primary.load.requests')! > 20, 'the journeys ran in the window')
    assert.ok(fig(f, 'primary.load.failed_requests')! > 0, "losing the primary failed some of the journeys' requests")
    assert.ok(fig(f, 'primary.load.error_rate')! > 0)
    assert.ok(fig(f, 'primary.load.latency_p95')! > 0)
    // the probe figures stay beside them
    assert.ok(fig(f, 'primary.rto_seconds') !== undefined)
    // 1 % of the journeys' requests failing is the preset's warning
    assert.match(stderr, /WARN failover\.\*\.load\.error_rate < 1%/)
    assert.ok(ev.actions.rollback.every((r) => r.ok))
    assert.equal(stack.state().replicaPromoted, false)
    const status = await stack.status()
    assert.equal(status.code, 0, status.stdout)
  })

  test('rolling restart of both app instances fails no request', async (t) => {
    const config = stack.config('rolling', { 'rolling-restart': {} })
    const { code, result } = await stack.drill('rolling-restart', config)
    assert.equal(code, 0, String(result.reason))
    const f = result.figures as Fig
    t.diagnostic(`deploy ${fig(f, 'deploy_seconds')} s, ${fig(f, 'failed_requests')} failed of ${fig(f, 'requests')}`)
    // a failure names itself: the failed samples [t, probe, ok, ms, status] and the deploy's actions
    const deploy = (result.evidence as { deploy: { samples: unknown[][]; actions: unknown } }).deploy
    assert.equal(fig(f, 'failed_requests'), 0, JSON.stringify({ failed: deploy.samples.filter((x) => x[2] === 0), actions: deploy.actions }))
    assert.ok(fig(f, 'requests')! > 0)
    assert.ok(fig(f, 'deploy_seconds')! > 0)
    const before = stack.state().processes
    assert.ok(before.app1 && before.app2)
  })

  test('a fault that fails measures nothing (error, no figures to pass a gate), and the rollback still runs', async () => {
    const config = stack.config('broken', {
      failover: { experiments: { broken: { fault: ['exit 3'], rollback: ['true'] } }, warmupSeconds: 1 },
    })
    const { code, result } = await stack.drill('failover', config)
    assert.equal(code, 2)
    assert.equal(result.status, 'error')
    assert.deepEqual(result.figures, {})
    assert.match(String(result.reason), /broken: the fault action 'exit 3' failed: 'exit 3' exited 3/)
    const ev = (result.evidence as { experiments: Record<string, { actions: { rollback: { action: string; ok: boolean }[] } }> }).experiments.broken!
    assert.deepEqual(
      ev.actions.rollback.map((r) => [r.action, r.ok]),
      [['true', true]],
    )
  })

  test('Ctrl-C in the middle of a drill: the rollback runs, a partial result is written', async (t) => {
    const config = stack.config('abort', {
      failover: { experiments: { 'long-outage': { fault: ['staging:stop:app1', 'sleep:60'], rollback: ['staging:start:app1'] } }, deadlineSeconds: 120 },
    })
    const app1Before = stack.state().processes.app1!.pid
    let child: ChildProcess | undefined
    const started = Date.now()
    const run = stack.drill('failover', config, {
      onStart: (p) => {
        child = p
      },
    })
    // wait for the fault to begin, then Ctrl-C
    let seen = ''
    const until = Date.now() + 30_000
    while (!seen.includes('fault: sleep:60') && Date.now() < until) {
      if (child?.stderr) {
        const [d] = await Promise.race([once(child.stderr, 'data'), new Promise<[string]>((r) => setTimeout(() => r(['']), 500))])
        seen += String(d)
      } else await new Promise((r) => setTimeout(r, 50))
    }
    assert.match(seen, /fault: sleep:60/)
    child!.kill('SIGINT')
    const { result, stderr } = await run
    const seconds = (Date.now() - started) / 1000
    t.diagnostic(`interrupted drill ended after ${seconds.toFixed(1)} s: ${result.reason}`)
    assert.ok(seconds < 40, 'the 60 s fault was cut short')
    assert.match(result.reason ?? '', /interrupted: rollbacks ran/)
    const ev = (result.evidence as { experiments: Record<string, { actions: { fault: { action: string }[]; rollback: { action: string; ok: boolean }[] } }> })
      .experiments['long-outage']!
    assert.deepEqual(
      ev.actions.rollback.map((r) => [r.action, r.ok]),
      [['staging:start:app1', true]],
      stderr,
    )
    assert.ok(Object.keys(result.figures).length > 0, 'partial figures')
    // app1 runs again (a new process), and the stack is healthy
    const app1 = stack.state().processes.app1!
    assert.notEqual(app1.pid, app1Before)
    const status = await stack.status()
    assert.equal(status.code, 0, status.stdout)
  })

  test('SIGKILL in the middle of a failover drill: the journal keeps the rollback; golive drill --recover brings app1 back, and so does the next golive check', async (t) => {
    const config = stack.config('killed', {
      failover: { experiments: { 'app-down': { fault: ['staging:stop:app1', 'sleep:60'], rollback: ['staging:start:app1'] } }, deadlineSeconds: 120 },
    })
    const journal = join(stack.dir, '.golive', 'journal', 'drills')
    const pending = () => (existsSync(journal) ? readdirSync(journal).filter((f) => f.endsWith('.json')) : [])
    const app1 = `http://127.0.0.1:${DRILL_BASE_PORT + 10}/ready`
    const answers = async () => {
      try {
        const r = await request(app1, { headersTimeout: 1500, bodyTimeout: 1500 })
        await r.body.dump()
        return r.statusCode === 200
      } catch {
        return false
      }
    }

    /** starts the drill as its own process group and kills the group leader with SIGKILL once app1 is down */
    const killMidDrill = async () => {
      const p = spawn(process.execPath, [CLI, 'drill', 'failover', '--config', config, '--out', join(stack.dir, 'runs')], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CI: 'true', GITHUB_STEP_SUMMARY: '' },
      })
      let seen = ''
      p.stderr!.on('data', (d) => {
        seen += d
      })
      p.stdout!.resume()
      const until = Date.now() + 30_000
      while (!seen.includes('fault: sleep:60') && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
      assert.match(seen, /fault: sleep:60/)
      const gone = once(p, 'close')
      process.kill(-p.pid!, 'SIGKILL')
      await gone
      assert.equal(await answers(), false, 'app1 is down: the killed drill never rolled back')
      assert.equal(pending().length, 1, 'the fault is in the journal')
    }

    await killMidDrill()
    const recovered = await golive(['drill', '--recover', '--env', 'drills', '--config', config], { timeoutMs: 60_000 })
    t.diagnostic(recovered.stderr.trim())
    assert.equal(recovered.code, 0, recovered.stderr)
    assert.match(recovered.stderr, /running the pending rollback of failover\/app-down .*staging:start:app1/)
    assert.equal(await answers(), true, 'app1 answers again')
    assert.deepEqual(pending(), [])
    const again = await golive(['drill', '--recover', '--config', config])
    assert.equal(again.code, 0)
    assert.match(again.stderr, /nothing pending in environment 'drills'/)

    // killed again: this time the next golive check runs the rollback before it measures
    await killMidDrill()
    const check = await golive(['check', 'headers', '--config', config, '--out', join(stack.dir, 'runs')], { timeoutMs: 60_000 })
    assert.equal(check.stderr.match(/running the pending rollback/g)?.length, 1, check.stderr)
    assert.equal(await answers(), true, 'app1 answers again')
    assert.deepEqual(pending(), [])
    const later = await golive(['check', 'headers', '--config', config, '--out', join(stack.dir, 'runs')], { timeoutMs: 60_000 })
    assert.doesNotMatch(later.stderr, /pending rollback/, 'nothing pending')
    const status = await stack.status()
    assert.equal(status.code, 0, status.stdout)
  })
})
