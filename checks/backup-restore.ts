// The backup-restore check: takes a backup the way the environment says (pg_dump -Fc by
// default, a backupCommand, or the newest file matching backupPath), restores it into a scratch
// PostgreSQL (a throwaway local cluster: testcontainers needs a Docker engine, and golive says
// whether one is reachable) or through a restoreCommand, and verifies every table's row count
// and content checksum against the source as of the backup's snapshot. Figures: backup_seconds,
// backup_bytes, restore_seconds, restore_mb_per_s, tables_verified, rows_verified, mismatches,
// backup_age_hours, projected_restore_seconds. Settings: checks/backup-restore/settings.ts.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { resultClock, type Check, type CheckContext } from '../core/check.js'
import { allowsDrills, consentRefusal } from '../core/consent.js'
import type { CheckResult, Detail, Figure } from '../core/results.js'
import { headings, kvDetail, tableDetail } from '../core/details.js'
import type { StackPort } from '../core/stack.js'
import { dumpFormat, newestMatch, pgDumpArgs, pgRestore, runProgram, sizeOf } from './backup-restore/backup.js'
import { compareSums, tableSums, type TableSum } from './backup-restore/integrity.js'
import { pgProgram } from './backup-restore/programs.js'
import { dockerEngine, startScratch, type Scratch } from './backup-restore/scratch.js'
import { autoCopies } from './backup-restore/projection.js'
import { projectionFigures } from './backup-restore/projected.js'
import { BACKUP_SETTINGS, pgEnv, readBackupSettings, urlOf, type BackupSettings, type DbUrl } from './backup-restore/settings.js'
import { spawnBounded } from './actions/providers/process.js'
import { hostRefusal } from './drill/target.js'

const r3 = (n: number) => Math.round(n * 1000) / 1000
const clientConfig = (d: DbUrl): pg.ClientConfig => ({
  host: d.host,
  port: d.port,
  user: d.user,
  password: d.password,
  database: d.database,
  connectionTimeoutMillis: 5000,
})

/** The source: databaseUrl, or the staging stack's primary (as the superuser, database golive). */
export function sourceOf(s: BackupSettings, stack: StackPort | undefined): DbUrl {
  if (s.database) return s.database
  const primary = stack?.primaryDatabase(s.stagingDir) ?? null
  if (!primary)
    throw new Error(
      'no source database: set checks.backup-restore.databaseUrl (postgresql://USER:PASSWORD@HOST:PORT/DB), ' +
        `or start the staging stack (no state in ${s.stagingDir}${stack ? '' : '; this command was given no staging stack'})`,
    )
  return primary
}

/** A backup or restore command line: a shell line with its environment, bounded in time. */
const shell = (command: string, timeoutSeconds: number, signal: AbortSignal, env: Record<string, string>) =>
  spawnBounded('/bin/sh', ['-c', command], command, timeoutSeconds, signal, env)

async function withClient<T>(d: DbUrl, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(clientConfig(d))
  c.on('error', () => {})
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end().catch(() => {})
  }
}

export const backupRestore: Check = {
  id: 'backup-restore',
  title: 'Backup restore (time, integrity)',
  group: 'Data safety',
  destructive: true,
  plan: (ctx) => backupRestorePlan(ctx),
  settings: BACKUP_SETTINGS,
  figures: [
    { name: 'backup_age_hours', meaning: "hours since the newest existing backup was written (backup: 'newest')" },
    { name: 'backup_seconds', unit: 's', meaning: 'the backup, start to end' },
    { name: 'backup_bytes', unit: 'B', meaning: "the backup file's size" },
    { name: 'restore_seconds', unit: 's', meaning: 'the restore, start to end' },
    { name: 'restore_mb_per_s', meaning: 'backup MB restored per second' },
    { name: 'tables_verified', unit: 'count', meaning: 'tables compared between the source and the restore' },
    { name: 'rows_verified', unit: 'count', meaning: 'rows compared' },
    { name: 'mismatches', unit: 'count', meaning: 'tables missing from the restore, or whose row count or checksum differ' },
    { name: 'projected_restore_seconds', unit: 's', meaning: 'the restore of a productionBackupBytes backup, projected from a fit (with its interval)' },
    { name: 'projected_restore_seconds_low', unit: 's', meaning: "the projection's interval, low end" },
    { name: 'projected_restore_seconds_high', unit: 's', meaning: "the projection's interval, high end" },
    { name: 'restore_fixed_seconds', unit: 's', meaning: "the fit's fixed cost of a restore" },
    { name: 'restore_seconds_per_gb', meaning: "the fit's restore seconds per GB of backup" },
  ],
  async run(ctx: CheckContext): Promise<CheckResult> {
    const clock = resultClock(backupRestore)
    const figures: Record<string, Figure> = {}
    const evidence: Record<string, unknown> = {}
    // what the reports show, kept beside the evidence as each step happens
    const facts: { label: string; value: unknown }[] = []
    const fact = (label: string, value: unknown) => {
      facts.push({ label, value: typeof value === 'string' ? value : JSON.stringify(value) })
      return value
    }
    let tableRows: { table: string; rows: number; ok: boolean }[] = []
    let mismatchRows: { table: string; problem: string }[] = []
    const details = (): Detail[] => [
      ...(facts.length ? [kvDetail(facts, 'Backup and restore')] : []),
      ...(tableRows.length
        ? [tableDetail(headings(['table', 'table', 'code'], ['rows', 'rows', 'count'], ['ok', 'restored intact', 'bool']), tableRows, { title: 'Tables' })]
        : []),
      ...(mismatchRows.length
        ? [tableDetail(headings(['table', 'table', 'code'], ['problem', 'problem', 'text']), mismatchRows, { title: 'Mismatches' })]
        : []),
    ]
    const result = (r: { status: CheckResult['status']; reason?: string }): CheckResult =>
      clock({ figures, evidence, ...(facts.length ? { details: details() } : {}), ...r })
    // the runner refuses it without consent; this stands for a call outside the runner
    if (!allowsDrills(ctx.env))
      return result({ status: 'skipped', reason: consentRefusal(ctx.envName, 'a drill (it starts a scratch database and loads the source)') })
    let s: BackupSettings, source: DbUrl
    try {
      s = readBackupSettings(ctx.settings, ctx.configDir)
      source = sourceOf(s, ctx.stack)
    } catch (e) {
      return result({ status: 'error', reason: (e as Error).message })
    }
    for (const [what, d] of [
      ['the source database', source],
      ['restoreUrl', s.restoreUrl],
    ] as const) {
      const refused = d && hostRefusal(d.host, ctx, what)
      if (refused) return result({ status: 'skipped', reason: refused })
    }
    evidence.source = fact('source', `${source.host}:${source.port}/${source.database}`)
    const work = mkdtempSync(join(tmpdir(), 'golive-backup-'))
    let scratch: Scratch | undefined
    try {
      // 1. the backup, and the source's sums as of its snapshot
      let file = join(work, 'backup.dump')
      let sourceSums: TableSum[]
      if (s.backupPath) {
        const newest = newestMatch(s.backupPath)
        if (newest) {
          figures.backup_age_hours = { value: r3((Date.now() - newest.mtimeMs) / 3_600_000) }
          evidence.newestExisting = { file: newest.file, modified: new Date(newest.mtimeMs).toISOString() }
          fact('newest existing backup', `${newest.file}, modified ${new Date(newest.mtimeMs).toISOString()}`)
        } else evidence.newestExisting = fact('newest existing backup', `no file matches ${s.backupPath}: no backup_age_hours`)
      }
      if (s.backup === 'pg_dump') {
        ctx.log(`backup-restore: pg_dump -Fc of ${evidence.source} in an exported snapshot`)
        ;({ sourceSums } = await withClient(source, async (c) => {
          await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY')
          const snapshot = (await c.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!.s
          const t = performance.now()
          const dump = runProgram(pgProgram('pg_dump'), pgDumpArgs(source, file, snapshot), pgEnv(source), s.timeoutSeconds, ctx.signal).then(() => {
            figures.backup_seconds = { value: r3((performance.now() - t) / 1000), unit: 's' }
          })
          // the sums in the same transaction: the same snapshot the dump sees
          const sums = tableSums(c)
          const [, got] = await Promise.all([dump, sums])
          await c.query('COMMIT')
          evidence.snapshot = fact('snapshot', `pg_dump --snapshot=${snapshot}; source sums in the same repeatable-read transaction`)
          return { sourceSums: got }
        }))
      } else {
        if (s.backup === 'command') {
          ctx.log(`backup-restore: ${s.backupCommand}`)
          const t = performance.now()
          await shell(s.backupCommand!, s.timeoutSeconds, ctx.signal, { ...pgEnv(source), GOLIVE_BACKUP_FILE: file })
          figures.backup_seconds = { value: r3((performance.now() - t) / 1000), unit: 's' }
        } else {
          const newest = newestMatch(s.backupPath!)
          if (!newest) return result({ status: 'error', reason: `no backup to restore: no file matches ${s.backupPath} (checks.backup-restore.backupPath)` })
          file = newest.file
        }
        sourceSums = await withClient(source, (c) => tableSums(c))
        evidence.snapshot = fact(
          'snapshot',
          'the backup was not taken by golive: compared with the source as it is now (writes since the backup show as mismatches)',
        )
      }
      const bytes = sizeOf(file)
      figures.backup_bytes = { value: bytes, unit: 'B' }
      evidence.backup = { file: s.backup === 'newest' ? file : '(temporary, removed)', how: s.backup === 'command' ? s.backupCommand : s.backup }
      fact('backup', `${s.backup === 'command' ? s.backupCommand : s.backup}: ${s.backup === 'newest' ? file : '(temporary, removed)'}, ${bytes} bytes`)
      if (ctx.signal.aborted) return result({ status: 'measured', reason: 'interrupted after the backup: not restored' })

      // 2. the restore
      let target: DbUrl
      if (s.restoreUrl) {
        target = s.restoreUrl
        evidence.restoreInto = fact('restored into', `restoreUrl ${target.host}:${target.port}/${target.database}`)
      } else {
        const docker = dockerEngine()
        evidence.scratch = fact(
          'restored into',
          docker.reachable
            ? `a throwaway local cluster (initdb, a free loopback port, removed afterwards); a Docker engine is reachable (${docker.why}) but this version has no testcontainers path`
            : `a throwaway local cluster (initdb, a free loopback port, removed afterwards): ${docker.why}, so not testcontainers`,
        )
        scratch = await startScratch(ctx.log)
        target = { host: '127.0.0.1', port: scratch.port, user: 'postgres', database: 'restored' }
        await withClient({ ...target, database: 'postgres' }, (c) => c.query('CREATE DATABASE restored'))
      }
      ctx.log(`backup-restore: restoring ${bytes} bytes ${s.restoreCommand ? `with ${s.restoreCommand}` : `with pg_restore -j ${s.jobs}`}`)
      const restoreInto = async (backupFile: string, into: DbUrl) => {
        if (s.restoreCommand)
          await shell(s.restoreCommand, s.timeoutSeconds, ctx.signal, { ...pgEnv(into), GOLIVE_BACKUP_FILE: backupFile, GOLIVE_RESTORE_URL: urlOf(into) })
        else return pgRestore(backupFile, into, s.jobs, s.timeoutSeconds, ctx.signal)
      }
      const t = performance.now()
      const how = await restoreInto(file, target)
      evidence.restore = fact('restore', s.restoreCommand ? { how: s.restoreCommand } : { how: 'pg_restore --no-owner --no-privileges', ...how })
      const restoreSeconds = (performance.now() - t) / 1000
      figures.restore_seconds = { value: r3(restoreSeconds), unit: 's' }
      figures.restore_mb_per_s = { value: r3(bytes / Math.max(restoreSeconds, 0.001) / 1e6) }

      // 3. integrity
      const restoredSums = await withClient(target, (c) => tableSums(c))
      const cmp = compareSums(sourceSums, restoredSums)
      figures.tables_verified = { value: cmp.tablesVerified, unit: 'count' }
      figures.rows_verified = { value: cmp.rowsVerified, unit: 'count' }
      figures.mismatches = { value: cmp.mismatches.length, unit: 'count' }
      evidence.tables = tableRows = sourceSums.map((x) => ({ table: x.table, rows: x.rows, ok: !cmp.mismatches.some((m) => m.table === x.table) }))
      mismatchRows = cmp.mismatches
      if (cmp.mismatches.length) evidence.mismatches = cmp.mismatches
      if (cmp.extra.length) evidence.extraTables = fact('tables only in the restored copy', cmp.extra.join(', '))

      // 4. the projection: a fit over two sizes, not one small restore scaled up
      if (s.productionBackupBytes === undefined)
        evidence.projection = fact(
          'projection',
          'not projected: set checks.backup-restore.productionBackupBytes (the size of a production backup in this format)',
        )
      else if (s.projectionSamples === 0) evidence.projection = fact('projection', 'not projected: projectionSamples is 0')
      else if (!scratch)
        evidence.projection = fact(
          'projection',
          'not projected: the samples restore into fresh databases golive creates and drops, which it does only in its scratch cluster (leave restoreUrl out)',
        )
      else
        try {
          const p = await projectionFigures(
            {
              file,
              bytes,
              cluster: { ...target, database: 'postgres' },
              restore: async (f, into) => {
                await restoreInto(f, into)
              },
              ...(s.restoreCommand || dumpFormat(file) === 'plain'
                ? {}
                : {
                    restoreSchema: async (f: string, into: DbUrl) => {
                      await pgRestore(f, into, s.jobs, s.timeoutSeconds, ctx.signal, true)
                    },
                  }),
              copies: s.projectionCopies ?? autoCopies(bytes),
              samples: s.projectionSamples,
              work,
              jobs: s.jobs,
              timeoutSeconds: s.timeoutSeconds,
              signal: ctx.signal,
              log: ctx.log,
            },
            s.productionBackupBytes,
          )
          Object.assign(figures, p.figures)
          evidence.projection = fact('projection', p.evidence)
        } catch (e) {
          // the restore and its integrity stand; without a projection its gate fails as missing
          if (ctx.signal.aborted) throw e
          evidence.projection = { notProjected: fact('projection', `the projection's samples failed: ${(e as Error).message}`) }
        }
      return result({ status: 'measured' })
    } catch (e) {
      return result({ status: 'error', reason: ctx.signal.aborted ? `interrupted: ${(e as Error).message}` : (e as Error).message })
    } finally {
      await scratch?.stop()
      rmSync(work, { recursive: true, force: true })
    }
  },
}

/** golive drill backup-restore --dry-run: what it would back up, restore and verify */
async function backupRestorePlan(ctx: CheckContext): Promise<string[]> {
  const s = readBackupSettings(ctx.settings, ctx.configDir)
  let source: string
  try {
    const d = sourceOf(s, ctx.stack)
    source = `${d.host}:${d.port}/${d.database} as ${d.user}`
  } catch (e) {
    source = (e as Error).message
  }
  const docker = dockerEngine()
  const backup =
    s.backup === 'pg_dump'
      ? 'pg_dump -Fc in an exported snapshot (source sums in the same transaction)'
      : s.backup === 'command'
        ? `${s.backupCommand} (writes $GOLIVE_BACKUP_FILE)`
        : `the newest file matching ${s.backupPath}`
  const into = s.restoreUrl
    ? `${s.restoreUrl.host}:${s.restoreUrl.port}/${s.restoreUrl.database}`
    : `a throwaway local cluster (${docker.why}), removed afterwards`
  const copies = s.projectionCopies ? `${s.projectionCopies} copies` : 'copies (about 32 MB, 2 to 64)'
  const project =
    s.productionBackupBytes === undefined
      ? 'nothing (set productionBackupBytes)'
      : s.projectionSamples === 0
        ? 'nothing (projectionSamples 0)'
        : `${s.productionBackupBytes} bytes from a least-squares fit of fixed + per-byte cost: ` +
          `${s.projectionSamples} restores each of the backup and of ${copies} of it, each also schema-only unless a restoreCommand restores`
  return [
    `  source:    ${source}`,
    `  backup:    ${backup}`,
    ...(s.backupPath && s.backup !== 'newest' ? [`  age of:    the newest file matching ${s.backupPath}`] : []),
    `  restore:   ${s.restoreCommand ? `${s.restoreCommand} ` : `pg_restore -j ${s.jobs} `}into ${into}`,
    '  verify:    every table: row count and content checksum, source vs restored',
    `  project:   ${project}`,
    `  time cap:  ${s.timeoutSeconds} s per step`,
  ]
}
