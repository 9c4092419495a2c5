// The backup-restore check's settings (environments.<env>.checks.backup-restore), read strictly.

import { isAbsolute, resolve } from 'node:path'
import { cpus } from 'node:os'
import { settingsSchema } from '../../core/check.js'
import { readDeclared } from '../../core/declared-settings.js'

const str = (description: string, fix: string) => ({
  type: 'string',
  minLength: 1,
  pattern: '\\S',
  description,
  'x-expected': 'a non-empty string',
  'x-fix': fix,
})
const num = (min: number, max: number, dflt: number | string | undefined, description: string) => ({
  type: 'number',
  minimum: min,
  maximum: max,
  ...(dflt === undefined ? {} : { default: dflt }),
  description,
  'x-expected': `a number from ${min} to ${max}`,
  'x-fix': `give a number from ${min} to ${max}`,
})
const PG_FIX = 'write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE (the password from ${env:...})'

/** The declaration: loadConfig validates it, readBackupSettings reads by it (readDeclared). */
export const BACKUP_SETTINGS = settingsSchema(
  {
    databaseUrl: str("the source database (default: the staging stack's primary)", PG_FIX),
    stagingDir: str("golive's staging stack state directory (GOLIVE_STAGING_DIR)", 'give the staging state directory, e.g. .golive/staging'),
    backup: {
      type: 'string',
      enum: ['pg_dump', 'command', 'newest'],
      description: 'how the backup is taken: pg_dump -Fc, backupCommand, or the newest file at backupPath (default: from which of those is set)',
      'x-expected': 'the backup method',
      'x-fix': "set backup to 'pg_dump', 'command' or 'newest'",
    },
    backupCommand: str('a command that writes the backup to $GOLIVE_BACKUP_FILE', 'give the command as a string'),
    backupPath: str('existing backups: a path whose file name may hold * (relative to the config file)', "give a path, e.g. '/var/backups/db/*.dump'"),
    restoreCommand: str('a command that restores $GOLIVE_BACKUP_FILE (default: pg_restore into a scratch cluster)', 'give the command as a string'),
    restoreUrl: str('where restoreCommand restores to', PG_FIX),
    jobs: num(1, 64, undefined, 'pg_restore --jobs (default: the CPUs, 1 to 4)'),
    productionBackupBytes: {
      anyOf: [
        { type: 'number', exclusiveMinimum: 0, 'x-expected': 'a number of bytes above 0', 'x-fix': "give the size as '50GB' or a number of bytes" },
        {
          type: 'string',
          pattern: '^\\s*\\d+(\\.\\d+)?\\s*([KkMmGgTt]?[Bb])?\\s*$',
          'x-expected': "a size such as '50GB'",
          'x-fix': "give the size as '50GB' or a number of bytes",
        },
      ],
      description: "a production backup's size, for projected_restore_seconds ('50GB' or bytes)",
      'x-expected': "a size such as '50GB' or a number of bytes",
      'x-fix': "give the size as '50GB' or a number of bytes",
    },
    projectionCopies: num(2, 64, undefined, "the projection's larger backup: this many copies of the backup (default: chosen from the size)"),
    projectionSamples: num(0, 20, 3, 'restores of each size for the fit (0: no projection)'),
    timeoutSeconds: num(10, 86_400, 3600, 'the time limit of the backup and of the restore'),
  },
  { underLoad: false },
)

export interface DbUrl {
  host: string
  port: number
  user: string
  password?: string
  database: string
}

export interface BackupSettings {
  /** the source; undefined → the staging stack's primary (stagingDir) */
  database?: DbUrl
  stagingDir: string
  /** how the backup is taken: pg_dump -Fc, a command of yours, or the newest existing file */
  backup: 'pg_dump' | 'command' | 'newest'
  backupCommand?: string
  /** existing backups: a path whose file name may hold * (the newest match is restored, or only aged) */
  backupPath?: string
  restoreCommand?: string
  /** where restoreCommand restores to; undefined → a scratch cluster */
  restoreUrl?: DbUrl
  jobs: number
  /** a production backup's size in bytes, for projected_restore_seconds */
  productionBackupBytes?: number
  /** the projection's larger backup: this many copies of the backup (undefined → autoCopies) */
  projectionCopies?: number
  /** restores of each size for the fit (0: no projection) */
  projectionSamples: number
  timeoutSeconds: number
}

export function parseDbUrl(text: string, key: string): DbUrl {
  let u: URL
  try {
    u = new URL(text)
  } catch {
    throw new Error(`checks.backup-restore.${key}: not a URL; expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE`)
  }
  if (u.protocol !== 'postgresql:' && u.protocol !== 'postgres:')
    throw new Error(`checks.backup-restore.${key}: expected a postgresql:// URL, got ${u.protocol}`)
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    database: decodeURIComponent(u.pathname.slice(1)) || 'postgres',
  }
}

export function parseBytes(v: unknown, key: string): number {
  if (typeof v === 'number' && v > 0) return v
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)?\s*$/i.exec(v) : null
  if (!m) throw new Error(`checks.backup-restore.${key}: expected a size such as '50GB' or a number of bytes, got ${JSON.stringify(v)}`)
  const unit = (m[2] ?? 'B').toUpperCase()
  return Number(m[1]) * ({ B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 } as Record<string, number>)[unit]!
}

export function readBackupSettings(raw: Record<string, unknown>, cwd = process.cwd()): BackupSettings {
  // types, bounds, unknown keys and defaults: the declaration; below, the rules between settings
  const s = readDeclared('backup-restore', BACKUP_SETTINGS, raw)
  const str = (key: string) => s[key] as string | undefined
  const num = (key: string) => s[key] as number
  const backupCommand = str('backupCommand')
  const backupPathRaw = str('backupPath')
  const backupPath = backupPathRaw && (isAbsolute(backupPathRaw) ? backupPathRaw : resolve(cwd, backupPathRaw))
  const backup = (str('backup') ?? (backupCommand ? 'command' : backupPath ? 'newest' : 'pg_dump')) as BackupSettings['backup']
  if (backup === 'command' && !backupCommand)
    throw new Error("checks.backup-restore.backup is 'command': set backupCommand (it writes the backup to $GOLIVE_BACKUP_FILE)")
  if (backup === 'newest' && !backupPath) throw new Error("checks.backup-restore.backup is 'newest': set backupPath (e.g. '/var/backups/db/*.dump')")
  const restoreUrl = str('restoreUrl')
  const database = str('databaseUrl')
  const restoreCommand = str('restoreCommand')
  if (restoreUrl && !restoreCommand)
    throw new Error('checks.backup-restore.restoreUrl: set restoreCommand too (it restores $GOLIVE_BACKUP_FILE there), or leave both out for a scratch cluster')
  return {
    ...(database ? { database: parseDbUrl(database, 'databaseUrl') } : {}),
    stagingDir: str('stagingDir') ?? process.env.GOLIVE_STAGING_DIR ?? '.golive/staging',
    backup,
    ...(backupCommand ? { backupCommand } : {}),
    ...(backupPath ? { backupPath } : {}),
    ...(restoreCommand ? { restoreCommand } : {}),
    ...(restoreUrl ? { restoreUrl: parseDbUrl(restoreUrl, 'restoreUrl') } : {}),
    jobs: Math.floor((s.jobs as number | undefined) ?? Math.max(1, Math.min(4, cpus().length))),
    ...(s.productionBackupBytes !== undefined ? { productionBackupBytes: parseBytes(s.productionBackupBytes, 'productionBackupBytes') } : {}),
    ...(s.projectionCopies !== undefined ? { projectionCopies: Math.floor(num('projectionCopies')) } : {}),
    projectionSamples: Math.floor(num('projectionSamples')),
    timeoutSeconds: num('timeoutSeconds'),
  }
}

export const pgEnv = (d: DbUrl): Record<string, string> => ({
  PGHOST: d.host,
  PGPORT: String(d.port),
  PGUSER: d.user,
  PGDATABASE: d.database,
  ...(d.password ? { PGPASSWORD: d.password } : {}),
})

export const urlOf = (d: DbUrl): string =>
  `postgresql://${encodeURIComponent(d.user)}${d.password ? `:${encodeURIComponent(d.password)}` : ''}@${d.host.includes(':') ? `[${d.host}]` : d.host}:${d.port}/${encodeURIComponent(d.database)}`
