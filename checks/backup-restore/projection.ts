// Measuring the restore at two sizes for the projection: the backup itself, and a larger one made
// by restoring it `copies` times into one scratch database (each copy's schemas renamed aside
// before the next) and dumping that in the same format. Both are restored `samples` times, in
// turn, into fresh databases by the same path as the check's restore; the fit (fit.ts) separates
// the fixed cost from the per-byte cost, which a single small restore cannot.

import { join } from 'node:path'
import pg from 'pg'
import { dumpFormat, runProgram, sizeOf, pgRestore, type DumpFormat } from './backup.js'
import { pgProgram } from './programs.js'
import { pgEnv, type DbUrl } from './settings.js'
import type { RestoreSample } from './fit.js'

export interface ProjectionRun {
  samples: RestoreSample[]
  copies: number
  grownBytes: number
  /** wall time spent building the larger backup (not a sample) */
  growSeconds: number
  /** untimed rounds before the samples: the first restores after a cluster starts pay cold
   *  caches (programs, the dump's pages), a cost a 10 GB restore does not multiply */
  warmupRounds: number
}

const WARMUP_ROUNDS = 1

export interface ProjectionOptions {
  file: string
  bytes: number
  /** the scratch cluster, as superuser, any database */
  cluster: DbUrl
  /** the check's own restore path (pg_restore -j, or the restoreCommand) */
  restore: (file: string, into: DbUrl) => Promise<void>
  /** the same path without data (pg_restore --schema-only): separates per-object from per-byte
   *  work; absent for a restoreCommand or plain SQL */
  restoreSchema?: (file: string, into: DbUrl) => Promise<void>
  copies: number
  samples: number
  work: string
  jobs: number
  timeoutSeconds: number
  signal: AbortSignal
  log: (line: string) => void
}

const FORMAT_FLAG: Record<DumpFormat, string> = { custom: '-Fc', directory: '-Fd', tar: '-Ft', plain: '-Fp' }
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`

/** a default number of copies: the larger backup near 32 MB, 2 to 64 copies */
export const autoCopies = (bytes: number) => Math.max(2, Math.min(64, Math.round(32e6 / Math.max(bytes, 1))))

async function admin<T>(d: DbUrl, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ host: d.host, port: d.port, user: d.user, password: d.password, database: 'postgres', connectionTimeoutMillis: 5000 })
  c.on('error', () => {})
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end().catch(() => {})
  }
}

const fresh = (d: DbUrl, name: string) =>
  admin(d, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${ident(name)}`)
    await c.query(`CREATE DATABASE ${ident(name)}`)
  })
const drop = (d: DbUrl, name: string) => admin(d, (c) => c.query(`DROP DATABASE IF EXISTS ${ident(name)}`)).then(() => {})

/** The backup restored `copies` times into one database, each copy's schemas renamed
 *  `<schema>_golive_copy<i>` before the next, then dumped in the backup's own format. */
export async function growBackup(o: ProjectionOptions): Promise<{ file: string; bytes: number; seconds: number }> {
  const t = performance.now()
  const db = { ...o.cluster, database: 'golive_grow' }
  await fresh(o.cluster, db.database)
  try {
    for (let i = 1; i <= o.copies; i++) {
      await pgRestore(o.file, db, o.jobs, o.timeoutSeconds, o.signal)
      if (i === o.copies) break
      const c = new pg.Client({ host: db.host, port: db.port, user: db.user, database: db.database })
      c.on('error', () => {})
      await c.connect()
      try {
        const schemas = await c.query<{ n: string }>(
          `SELECT nspname AS n FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' AND nspname !~ '_golive_copy[0-9]+$'`,
        )
        for (const { n } of schemas.rows) await c.query(`ALTER SCHEMA ${ident(n)} RENAME TO ${ident(`${n}_golive_copy${i}`)}`)
        await c.query('CREATE SCHEMA IF NOT EXISTS public')
      } finally {
        await c.end().catch(() => {})
      }
    }
    const format = dumpFormat(o.file)
    const out = join(o.work, `grown-${o.copies}x${format === 'directory' ? '' : '.dump'}`)
    await runProgram(
      pgProgram('pg_dump'),
      [FORMAT_FLAG[format], '-f', out, '-h', db.host, '-p', String(db.port), '-U', db.user, '-d', db.database, '--no-password'],
      pgEnv(db),
      o.timeoutSeconds,
      o.signal,
    )
    return { file: out, bytes: sizeOf(out), seconds: (performance.now() - t) / 1000 }
  } finally {
    await drop(o.cluster, db.database).catch(() => {})
  }
}

/** `samples` rounds, each restoring the backup and then the larger one into a fresh database. */
export async function measureProjection(o: ProjectionOptions): Promise<ProjectionRun> {
  o.log(`backup-restore: projection: building a ${o.copies}× backup, then ${WARMUP_ROUNDS} untimed and ${o.samples} timed restores of each size`)
  const grown = await growBackup(o)
  const samples: RestoreSample[] = []
  const into = { ...o.cluster, database: 'golive_sample' }
  const kinds = [
    { file: o.file, bytes: o.bytes, copies: 1, schemaOnly: false },
    { file: grown.file, bytes: grown.bytes, copies: o.copies, schemaOnly: false },
    ...(o.restoreSchema
      ? [
          { file: o.file, bytes: o.bytes, copies: 1, schemaOnly: true },
          { file: grown.file, bytes: grown.bytes, copies: o.copies, schemaOnly: true },
        ]
      : []),
  ]
  // in turn, round after round: a slow spell on a shared machine spreads over every kind
  for (let r = -WARMUP_ROUNDS; r < o.samples; r++) {
    for (const k of kinds) {
      if (o.signal.aborted) throw new Error('interrupted during the projection samples')
      await fresh(o.cluster, into.database)
      const t = performance.now()
      await (k.schemaOnly ? o.restoreSchema! : o.restore)(k.file, into)
      if (r >= 0) samples.push({ bytes: k.bytes, seconds: (performance.now() - t) / 1000, copies: k.copies, ...(k.schemaOnly ? { schemaOnly: true } : {}) })
    }
  }
  await drop(o.cluster, into.database).catch(() => {})
  return { samples, copies: o.copies, grownBytes: grown.bytes, growSeconds: grown.seconds, warmupRounds: WARMUP_ROUNDS }
}
