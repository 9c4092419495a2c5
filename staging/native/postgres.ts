// PostgreSQL for the native form: the primary (initdb, our settings, seed), the streaming replica
// (pg_basebackup -R from the primary), promotion, and a dump as the stack's first backup.
// The server refuses to run as root, so as root it runs as the `postgres` user.

import { execFileSync } from 'node:child_process'
import { chownSync, mkdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { UsageError } from '../../core/errors.js'
import { PASSWORDS, renderTemplate, type Vars } from '../render.js'
import type { Programs } from './programs.js'
import type { SpawnSpec } from './processes.js'
import type { StackPaths } from './paths.js'

export type RunAs = { uid: number; gid: number } | undefined

/** Root: the postgres user (from /etc/passwd). Anyone else: themselves. */
export function postgresUser(): RunAs {
  if (process.getuid?.() !== 0) return undefined
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'))
  if (!line)
    throw new UsageError(
      'PostgreSQL refuses to run as root and there is no postgres user',
      'install postgresql-15 (it creates the user), or run golive staging as an ordinary user',
    )
  const [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

const own = (dir: string, user: RunAs) => {
  if (user) chownSync(dir, user.uid, user.gid)
}

function run(program: string, args: string[], user: RunAs, env: Record<string, string> = {}): void {
  try {
    execFileSync(program, args, {
      uid: user?.uid,
      gid: user?.gid,
      env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string }
    throw new Error(`${program} ${args.join(' ')} failed: ${err.stderr?.toString().trim() || err.message}`)
  }
}

/** initdb with a superuser password, and our settings included into postgresql.conf. */
export function initPrimary(p: StackPaths, prog: Programs, vars: Vars, configDir: string, user: RunAs): void {
  rmSync(p.pgPrimary, { recursive: true, force: true })
  mkdirSync(p.pgPrimary, { recursive: true, mode: 0o700 })
  own(p.pgPrimary, user)
  const pwfile = join(p.root, 'data', '.pgpass-init')
  writeFileSync(pwfile, `${PASSWORDS.postgres}\n`, { mode: 0o600 })
  own(pwfile, user)
  try {
    run(
      prog.initdb,
      ['-D', p.pgPrimary, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C'],
      user,
    )
  } finally {
    rmSync(pwfile, { force: true })
  }
  const conf = renderTemplate(configDir, 'postgresql.conf', vars)
  writeFileSync(join(p.pgPrimary, 'golive.conf'), conf)
  appendFileSync(join(p.pgPrimary, 'postgresql.conf'), "\ninclude 'golive.conf'\n")
  writeFileSync(join(p.pgPrimary, 'pg_hba.conf'), renderTemplate(configDir, 'pg_hba.conf', vars))
  for (const f of ['golive.conf', 'pg_hba.conf']) own(join(p.pgPrimary, f), user)
}

export function postgresSpec(name: string, dataDir: string, port: number, prog: Programs, log: string, user: RunAs): SpawnSpec {
  // no unix socket: everything goes through 127.0.0.1 (and no clash with a system PostgreSQL)
  return { name, program: prog.postgres, args: ['-D', dataDir, '-c', `port=${port}`, '-c', 'unix_socket_directories='], log, user }
}

export function superuserUrl(port: number, db = 'postgres'): pg.ClientConfig {
  return { host: '127.0.0.1', port, user: 'postgres', password: PASSWORDS.postgres, database: db, connectionTimeoutMillis: 2000 }
}

/** One query as the superuser, on a short-lived connection. */
export async function sql<R extends pg.QueryResultRow>(port: number, text: string, db = 'postgres'): Promise<R[]> {
  const c = new pg.Client(superuserUrl(port, db))
  c.on('error', () => {})
  await c.connect()
  try {
    return (await c.query<R>(text)).rows
  } finally {
    await c.end().catch(() => {})
  }
}

/** Roles, schema, seed data: psql runs seed.sql (it switches databases with \connect). */
export function seed(p: StackPaths, prog: Programs, vars: Vars, configDir: string, port: number): void {
  const file = join(p.configs, 'seed.sql')
  writeFileSync(file, renderTemplate(configDir, 'seed.sql', vars))
  run(prog.psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-f', file], undefined, {
    PGPASSWORD: PASSWORDS.postgres,
  })
}

/** The replica: a base backup of the primary that streams from it (-R writes primary_conninfo). */
export function initReplica(p: StackPaths, prog: Programs, primaryPort: number, user: RunAs, sourceDir = p.pgReplica): void {
  rmSync(sourceDir, { recursive: true, force: true })
  mkdirSync(sourceDir, { recursive: true, mode: 0o700 })
  own(sourceDir, user)
  run(prog.pgBasebackup, ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'replicator', '-D', sourceDir, '-R', '-X', 'stream', '-c', 'fast'], user, {
    PGPASSWORD: PASSWORDS.replication,
  })
}

/** A logical dump of the application database, and the time it finished (for BackupTooOld). */
export function backup(p: StackPaths, prog: Programs, port: number): string {
  mkdirSync(p.backups, { recursive: true })
  const file = join(p.backups, `golive-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`)
  run(prog.pgDump, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-Fc', '-f', file, 'golive'], undefined, { PGPASSWORD: PASSWORDS.postgres })
  writeFileSync(p.backupStamp, `${Math.floor(Date.now() / 1000)}\n`)
  return file
}
