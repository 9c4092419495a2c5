// A throwaway PostgreSQL cluster from Debian's postgresql-15 binaries: initdb into a temp folder,
// on an ephemeral loopback port, trust auth, pg_stat_statements preloaded and created. As root
// it runs as the postgres user (the server refuses root).

import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { freePort } from './ports.js'

const BIN = '/usr/lib/postgresql/15/bin'
export const noPostgres = !existsSync(join(BIN, 'postgres')) && !process.env.CI ? 'needs Debian postgresql-15 (apt-get install postgresql-15)' : false

export interface Cluster {
  url: string
  port: number
  close: () => Promise<void>
}

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'))!
  const [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-pg-'))
  const user = runAs()
  if (user) chownSync(dir, user.uid, user.gid)
  const data = join(dir, 'data')
  execFileSync(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'], {
    uid: user?.uid,
    gid: user?.gid,
    stdio: 'pipe',
  })
  const port = await freePort()
  const child: ChildProcess = spawn(
    join(BIN, 'postgres'),
    [
      '-D',
      data,
      '-c',
      `port=${port}`,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'shared_preload_libraries=pg_stat_statements',
      '-c',
      'fsync=off',
    ],
    { uid: user?.uid, gid: user?.gid, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let log = ''
  child.stderr!.on('data', (d) => {
    log = (log + d).slice(-4000)
  })
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`
  const close = async () => {
    if (child.exitCode === null) {
      child.kill('SIGINT') // fast shutdown
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(15_000).then(() => child.kill('SIGKILL'))])
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline && child.exitCode === null) {
    const c = new pg.Client({ connectionString: url })
    c.on('error', () => {})
    try {
      await c.connect()
      await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
      await c.end()
      return { url, port, close }
    } catch {
      await c.end().catch(() => {})
      await sleep(200)
    }
  }
  await close()
  throw new Error(`PostgreSQL did not start within 30 s:\n${log}`)
}
