// The backup-restore check's settings (environments.<env>.checks.backup-restore), read strictly.

import { isAbsolute, resolve } from 'node:path'
import { cpus } from 'node:os'

export interface DbUrl { host: string; port: number; user: string; password?: string; database: string }

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
  try { u = new URL(text) } catch { throw new Error(`checks.backup-restore.${key}: not a URL; expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE`) }
  if (u.protocol !== 'postgresql:' && u.protocol !== 'postgres:') throw new Error(`checks.backup-restore.${key}: expected a postgresql:// URL, got ${u.protocol}`)
  return { host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(u.port || 5432), user: decodeURIComponent(u.username || 'postgres'), ...(u.password ? { password: decodeURIComponent(u.password) } : {}), database: decodeURIComponent(u.pathname.slice(1)) || 'postgres' }
}

export function parseBytes(v: unknown, key: string): number {
  if (typeof v === 'number' && v > 0) return v
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)?\s*$/i.exec(v) : null
  if (!m) throw new Error(`checks.backup-restore.${key}: expected a size such as '50GB' or a number of bytes, got ${JSON.stringify(v)}`)
  const unit = (m[2] ?? 'B').toUpperCase()
  return Number(m[1]) * ({ B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 } as Record<string, number>)[unit]!
}

export function readBackupSettings(s: Record<string, unknown>, cwd = process.cwd()): BackupSettings {
  const str = (key: string): string | undefined => {
    const v = s[key]
    if (v === undefined) return undefined
    if (typeof v !== 'string' || !v.trim()) throw new Error(`checks.backup-restore.${key}: expected a non-empty string, got ${JSON.stringify(v)}`)
    return v
  }
  const num = (key: string, dflt: number, min: number, max: number): number => {
    const v = s[key]
    if (v === undefined) return dflt
    if (typeof v !== 'number' || !(v >= min && v <= max)) throw new Error(`checks.backup-restore.${key}: expected a number from ${min} to ${max}, got ${JSON.stringify(v)}`)
    return v
  }
  const backupCommand = str('backupCommand')
  const backupPathRaw = str('backupPath')
  const backupPath = backupPathRaw && (isAbsolute(backupPathRaw) ? backupPathRaw : resolve(cwd, backupPathRaw))
  const backup = (str('backup') ?? (backupCommand ? 'command' : backupPath ? 'newest' : 'pg_dump')) as BackupSettings['backup']
  if (!['pg_dump', 'command', 'newest'].includes(backup)) throw new Error(`checks.backup-restore.backup: expected 'pg_dump', 'command' or 'newest', got '${backup}'`)
  if (backup === 'command' && !backupCommand) throw new Error("checks.backup-restore.backup is 'command': set backupCommand (it writes the backup to $GOLIVE_BACKUP_FILE)")
  if (backup === 'newest' && !backupPath) throw new Error("checks.backup-restore.backup is 'newest': set backupPath (e.g. '/var/backups/db/*.dump')")
  const restoreUrl = str('restoreUrl')
  const database = str('databaseUrl')
  const restoreCommand = str('restoreCommand')
  if (restoreUrl && !restoreCommand) throw new Error('checks.backup-restore.restoreUrl: set restoreCommand too (it restores $GOLIVE_BACKUP_FILE there), or leave both out for a scratch cluster')
  return {
    ...(database ? { database: parseDbUrl(database, 'databaseUrl') } : {}),
    stagingDir: str('stagingDir') ?? process.env.GOLIVE_STAGING_DIR ?? '.golive/staging',
    backup,
    ...(backupCommand ? { backupCommand } : {}),
    ...(backupPath ? { backupPath } : {}),
    ...(restoreCommand ? { restoreCommand } : {}),
    ...(restoreUrl ? { restoreUrl: parseDbUrl(restoreUrl, 'restoreUrl') } : {}),
    jobs: Math.floor(num('jobs', Math.max(1, Math.min(4, cpus().length)), 1, 64)),
    ...(s.productionBackupBytes !== undefined ? { productionBackupBytes: parseBytes(s.productionBackupBytes, 'productionBackupBytes') } : {}),
    ...(s.projectionCopies !== undefined ? { projectionCopies: Math.floor(num('projectionCopies', 0, 2, 64)) } : {}),
    projectionSamples: Math.floor(num('projectionSamples', 3, 0, 20)),
    timeoutSeconds: num('timeoutSeconds', 3600, 10, 86_400),
  }
}

export const pgEnv = (d: DbUrl): Record<string, string> => ({ PGHOST: d.host, PGPORT: String(d.port), PGUSER: d.user, PGDATABASE: d.database, ...(d.password ? { PGPASSWORD: d.password } : {}) })

export const urlOf = (d: DbUrl): string => `postgresql://${encodeURIComponent(d.user)}${d.password ? `:${encodeURIComponent(d.password)}` : ''}@${d.host.includes(':') ? `[${d.host}]` : d.host}:${d.port}/${encodeURIComponent(d.database)}`
