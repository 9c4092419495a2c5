import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { analyze, buckets, type ProbeSample, type WriteRecord } from '../../checks/drill/analyze.js'
import { parseAction as parseWith, parseActions as parseListWith } from '../../checks/actions/parse.js'
import { DRILL_ACTIONS } from '../../checks/drill/experiments.js'
import { compareSums } from '../../checks/backup-restore/integrity.js'
import { parseBytes, parseDbUrl, readBackupSettings } from '../../checks/backup-restore/settings.js'
import { readExperiments, DEFAULT_FAILOVER } from '../../checks/drill/experiments.js'

// the drills' grammar: a bare string is a shell line
const parseAction = (raw: unknown, where: string) => parseWith(raw, where, DRILL_ACTIONS)
const parseActions = (raw: unknown, where: string) => parseListWith(raw, where, DRILL_ACTIONS)

/** Reads every 0.1 s from 0 to `end`; failing while `down(t)`. */
function reads(end: number, down: (t: number) => boolean): ProbeSample[] {
  const out: ProbeSample[] = []
  for (let i = 0; i * 0.1 <= end + 1e-9; i++) {
    const t = Math.round(i * 100) / 1000
    out.push({ t, probe: 'read', ok: !down(t), ms: 5, status: down(t) ? 'ECONNREFUSED' : 200 })
  }
  return out
}

describe('drill analysis (a pure function of the timeline)', () => {
  it('a 5 s outage from the fault: first failure, RTO, failed requests, error ratio', () => {
    const f = analyze({ samples: reads(12, (t) => t >= 2.05 && t < 7.05), writes: [], faultAt: 2, endAt: 12, recoverAfter: 10 })
    assert.equal(f.seconds_to_first_failure, 0.1)
    assert.equal(f.rto_seconds, 5.1) // the first success after the outage was sent at 7.1
    assert.equal(f.failed_requests, 50)
    assert.equal(f.recovered, true)
    // from the fault (2.0) to recovery (7.1): 52 requests, 50 failed
    assert.equal(f.error_ratio_during, Math.round((50 / 52) * 1000) / 1000)
  })

  it('nothing failed: RTO 0, no first failure, no errors', () => {
    const f = analyze({ samples: reads(6, () => false), writes: [], faultAt: 2, endAt: 6, recoverAfter: 10 })
    assert.equal(f.rto_seconds, 0)
    assert.equal(f.seconds_to_first_failure, undefined)
    assert.equal(f.failed_requests, 0)
    assert.equal(f.error_ratio_during, 0)
    assert.equal(f.requests, 41)
  })

  it('not recovered: fewer than recoverAfter successes after the last failure → no RTO (a gate on it fails as missing)', () => {
    const f = analyze({ samples: reads(6, (t) => t >= 3 && t < 5.5), writes: [], faultAt: 2, endAt: 6, recoverAfter: 10 })
    assert.equal(f.recovered, false)
    assert.equal(f.rto_seconds, undefined)
    assert.equal(f.seconds_to_first_failure, 1)
  })

  it('flapping: recovery counts from the last failure', () => {
    const f = analyze({ samples: reads(10, (t) => (t >= 2.5 && t < 3) || (t >= 4 && t < 4.2)), writes: [], faultAt: 2, endAt: 10, recoverAfter: 5 })
    assert.equal(f.rto_seconds, 2.2)
    assert.equal(f.failed_requests, 7)
  })

  it('samples before the fault do not count', () => {
    const f = analyze({ samples: reads(6, (t) => t < 1), writes: [], faultAt: 2, endAt: 6, recoverAfter: 3 })
    assert.equal(f.failed_requests, 0)
    assert.equal(f.rto_seconds, 0)
  })

  it('lost writes: acknowledged and missing afterwards; RPO is the span they cover up to the fault', () => {
    const w = (seq: number, t: number, found: boolean | undefined, acked = true): WriteRecord => ({
      seq,
      t,
      ...(acked ? { id: seq * 10, ackT: t + 0.01 } : {}),
      ...(found !== undefined ? { found } : {}),
    })
    const writes = [w(1, 1, true), w(2, 1.5, false), w(3, 1.9, false), w(4, 2.1, undefined, false), w(5, 3, true), w(6, 3.2, undefined)]
    const f = analyze({ samples: reads(4, () => false), writes, faultAt: 2, endAt: 4, recoverAfter: 3 })
    assert.equal(f.lost_writes, 2)
    assert.equal(f.rpo_seconds, 0.49) // 1.51 → the fault at 2
    assert.equal(f.writes_acknowledged, 5)
    assert.equal(f.writes_verified, 4)
    const none = analyze({ samples: reads(4, () => false), writes: [w(1, 1, true)], faultAt: 2, endAt: 4, recoverAfter: 3 })
    assert.equal(none.lost_writes, 0)
    assert.equal(none.rpo_seconds, 0)
  })

  it('a write lost after the fault: RPO covers it', () => {
    const f = analyze({
      samples: [],
      writes: [
        { seq: 1, t: 2.5, id: 1, ackT: 2.6, found: false },
        { seq: 2, t: 3.5, id: 2, ackT: 3.6, found: false },
      ],
      faultAt: 2,
      endAt: 4,
      recoverAfter: 3,
    })
    assert.equal(f.rpo_seconds, 1)
  })

  it('buckets the timeline per half second for the chart', () => {
    const b = buckets(reads(1.9, (t) => t >= 1))
    assert.equal(b.length, 4)
    assert.deepEqual(
      b.map((x) => [x.read, x.readFailed]),
      [
        [5, 0],
        [5, 0],
        [5, 5],
        [5, 5],
      ],
    )
  })
})

describe('drill actions from config', () => {
  it('reads staging actions, pauses and commands', () => {
    assert.deepEqual(parseAction('staging:kill-app1', 'x'), { kind: 'staging', name: 'kill-app1', text: 'staging:kill-app1' })
    assert.deepEqual(parseAction('staging:restart:app2', 'x'), { kind: 'staging', name: 'restart', component: 'app2', text: 'staging:restart:app2' })
    assert.deepEqual(parseAction('sleep:5', 'x'), { kind: 'sleep', seconds: 5, text: 'sleep:5' })
    // a shell line is the shell provider; a program with its arguments the command provider
    assert.deepEqual(parseAction('systemctl restart app', 'x'), {
      kind: 'shell',
      command: 'systemctl restart app',
      timeoutSeconds: 300,
      text: 'systemctl restart app',
    })
    assert.equal(parseActions({ command: 'deploy.sh', timeoutSeconds: 60 }, 'x')[0]!.kind, 'shell')
    assert.deepEqual(parseAction({ command: ['./deploy.sh', '--all'], timeout: '2m' }, 'x'), {
      kind: 'command',
      argv: ['./deploy.sh', '--all'],
      timeoutSeconds: 120,
      text: './deploy.sh --all',
    })
  })
  it('names the setting and the accepted forms when an action is wrong', () => {
    assert.throws(
      () => parseAction('staging:explode', 'checks.failover.experiments.a.fault[0]'),
      /checks\.failover\.experiments\.a\.fault\[0\].*unknown staging action.*kill-app1/,
    )
    assert.throws(() => parseAction('staging:stop', 'f'), /needs a component/)
    assert.throws(() => parseAction('sleep:-1', 'f'), /sleep:<seconds>/)
    assert.throws(() => parseAction(42, 'f'), /expected an action/)
    assert.throws(() => parseAction({ command: 'x', timeoutSeconds: 0 }, 'f'), /f\.timeoutSeconds/)
  })
  it('experiments: staging defaults, only, and names fit for figures', () => {
    assert.deepEqual(
      readExperiments({}, 'failover', DEFAULT_FAILOVER).map((e) => e.name),
      ['app-instance', 'primary'],
    )
    assert.deepEqual(
      readExperiments({ only: ['primary'] }, 'failover', DEFAULT_FAILOVER).map((e) => e.name),
      ['primary'],
    )
    assert.throws(() => readExperiments({ only: ['nope'] }, 'failover', DEFAULT_FAILOVER), /no experiment 'nope'; known: app-instance, primary/)
    assert.throws(() => readExperiments({ experiments: { 'Bad Name': { fault: 'x' } } }, 'failover', DEFAULT_FAILOVER), /lower-case/)
    assert.throws(() => readExperiments({ experiments: { a: { rollback: 'x' } } }, 'failover', DEFAULT_FAILOVER), /a\.fault: missing/)
  })
})

describe('backup integrity and settings', () => {
  const sum = (table: string, rows: number, s = 'h') => ({ table, rows, sum: s })
  it('compares row counts and checksums per table, naming each mismatch', () => {
    const src = [sum('public.a', 10, 'x'), sum('public.b', 5, 'y'), sum('public.c', 3, 'z'), sum('public.d', 1)]
    const got = compareSums(src, [sum('public.a', 10, 'x'), sum('public.b', 5, 'Y'), sum('public.c', 2, 'z'), sum('public.e', 7)])
    assert.deepEqual(got.mismatches, [
      { table: 'public.b', problem: 'same 5 rows, different content (checksum)' },
      { table: 'public.c', problem: '3 rows in the source, 2 restored' },
      { table: 'public.d', problem: 'missing from the restored copy' },
    ])
    assert.equal(got.tablesVerified, 4)
    assert.equal(got.rowsVerified, 17)
    assert.deepEqual(got.extra, ['public.e'])
  })
  it('reads sizes, URLs and the backup method', () => {
    assert.equal(parseBytes('50GB', 'k'), 50e9)
    assert.equal(parseBytes('1.5 mb', 'k'), 1.5e6)
    assert.throws(() => parseBytes('lots', 'productionBackupBytes'), /checks\.backup-restore\.productionBackupBytes/)
    assert.deepEqual(parseDbUrl('postgresql://u:p%40ss@db.example:6543/app', 'databaseUrl'), {
      host: 'db.example',
      port: 6543,
      user: 'u',
      password: 'p@ss',
      database: 'app',
    })
    assert.throws(() => parseDbUrl('mysql://x/y', 'databaseUrl'), /postgresql:\/\//)
    assert.equal(readBackupSettings({}).backup, 'pg_dump')
    assert.equal(readBackupSettings({ backupPath: '/b/*.dump' }).backup, 'newest')
    assert.equal(readBackupSettings({ backupCommand: 'dump.sh' }).backup, 'command')
    assert.throws(() => readBackupSettings({ backup: 'command' }), /set backupCommand/)
    assert.throws(() => readBackupSettings({ restoreUrl: 'postgresql://h/db' }), /set restoreCommand too/)
  })
})

describe('drill settings and where drills may act', async () => {
  const { readDrillSettings } = await import('../../checks/drill/settings.js')
  const { hostRefusal, drillConsent } = await import('../../checks/drill/target.js')
  const ctx = (env: Record<string, unknown>) =>
    ({ env: { baseUrl: 'https://x', ...env }, envName: 'staging', settings: {}, signal: new AbortController().signal, runDir: '', log: () => {} }) as never
  it('defaults fit the staging ERP; a mistyped bound is refused with the setting named', () => {
    const s = readDrillSettings({}, 'failover', { deadlineSeconds: 120 })
    assert.equal(s.probes.readRps, 10)
    assert.equal(s.recoverAfter, 10)
    assert.equal(s.deadlineSeconds, 120)
    assert.ok(s.probes.write && s.probes.write.path === '/api/orders')
    assert.equal(readDrillSettings({ write: false }, 'failover', { deadlineSeconds: 1 }).probes.write, false)
    assert.throws(
      () => readDrillSettings({ deadlineSeconds: 1e9 }, 'failover', { deadlineSeconds: 1 }),
      /checks\.failover\.deadlineSeconds: expected a number from 1 to 3600/,
    )
    assert.throws(() => readDrillSettings({ readRps: '10' }, 'rolling-restart', { deadlineSeconds: 1 }), /checks\.rolling-restart\.readRps/)
  })
  it('acts only where drills are allowed, on loopback or drillHosts', () => {
    assert.match(drillConsent(ctx({}))!, /does not allow drills/)
    assert.equal(drillConsent(ctx({ allowDrills: true })), null)
    assert.equal(hostRefusal('127.0.0.1', ctx({}), 'the target'), null)
    assert.equal(hostRefusal('[::1]', ctx({}), 'the target'), null)
    assert.match(
      hostRefusal('db.example.com', ctx({}), 'the source database')!,
      /the source database db\.example\.com is neither loopback nor listed in environments\.staging\.drillHosts/,
    )
    assert.equal(hostRefusal('DB.example.com', ctx({ drillHosts: ['db.example.com'] }), 'x'), null)
  })
})
