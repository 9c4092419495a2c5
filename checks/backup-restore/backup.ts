// Taking the backup (pg_dump -Fc inside an exported snapshot, a command of yours, or the newest
// existing file) and restoring it (pg_restore -j, psql for plain SQL, or a command of yours).

import { execFile } from 'node:child_process'
import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { DbUrl } from './settings.js'
import { pgEnv } from './settings.js'
import { pgProgram } from './programs.js'

export function runProgram(program: string, args: string[], env: Record<string, string>, timeoutSeconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8', ...env }, timeout: timeoutSeconds * 1000, signal, maxBuffer: 16 * 1024 * 1024 },
      (e, _out, err) => {
        if (e) reject(new Error(`${basename(program)} failed: ${String(err).trim().slice(-1500) || e.message}`))
        else resolve()
      },
    )
  })
}

export function pgDumpArgs(d: DbUrl, file: string, snapshot?: string): string[] {
  return [
    '-Fc',
    '-f',
    file,
    '-h',
    d.host,
    '-p',
    String(d.port),
    '-U',
    d.user,
    '-d',
    d.database,
    '--no-password',
    ...(snapshot ? [`--snapshot=${snapshot}`] : []),
  ]
}

/** The newest file matching a path whose file name may hold * and ? wildcards. */
export function newestMatch(pattern: string): { file: string; mtimeMs: number } | undefined {
  const dir = dirname(pattern)
  const re = new RegExp(
    `^${basename(pattern)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.')}$`,
  )
  if (!existsSync(dir)) return undefined
  let best: { file: string; mtimeMs: number } | undefined
  for (const name of readdirSync(dir)) {
    if (!re.test(name)) continue
    const file = join(dir, name)
    const st = statSync(file)
    if (!best || st.mtimeMs > best.mtimeMs) best = { file, mtimeMs: st.mtimeMs }
  }
  return best
}

export type DumpFormat = 'custom' | 'directory' | 'tar' | 'plain'

export function dumpFormat(file: string): DumpFormat {
  if (statSync(file).isDirectory()) return 'directory'
  const head = Buffer.alloc(512)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, head, 0, 512, 0)
  } finally {
    closeSync(fd)
  }
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'custom'
  if (head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar'
  return 'plain'
}

export function sizeOf(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory()) return st.size
  return readdirSync(path).reduce((n, f) => n + sizeOf(join(path, f)), 0)
}

/** Restores with PostgreSQL's tools: parallel (-j) where the format allows it; `schemaOnly`
 *  (not for plain SQL) leaves the data out. */
export async function pgRestore(
  file: string,
  into: DbUrl,
  jobs: number,
  timeoutSeconds: number,
  signal: AbortSignal,
  schemaOnly = false,
): Promise<{ format: DumpFormat; jobs: number }> {
  const format = dumpFormat(file)
  const env = pgEnv(into)
  if (format === 'plain') {
    await runProgram(pgProgram('psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', file], env, timeoutSeconds, signal)
    return { format, jobs: 1 }
  }
  const j = format === 'tar' ? 1 : jobs
  await runProgram(
    pgProgram('pg_restore'),
    ['--no-owner', '--no-privileges', '--exit-on-error', ...(schemaOnly ? ['--schema-only'] : []), '-j', String(j), '-d', into.database, file],
    env,
    timeoutSeconds,
    signal,
  )
  return { format, jobs: j }
}
