// Where a backup is restored: a scratch PostgreSQL. testcontainers' PostgreSQL module needs a
// Docker engine; golive does not bundle that path, so it says whether an engine is reachable and
// uses a throwaway local cluster: initdb into a temporary directory, postgres on a free loopback
// port (no unix socket), stopped and removed afterwards, whatever happened.

import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { pgProgram } from './programs.js'

export interface Scratch {
  url: pg.ClientConfig
  port: number
  dir: string
  stop(): Promise<void>
}

/** Whether a Docker engine could be reached (the testcontainers path's precondition), in words. */
export function dockerEngine(): { reachable: boolean; why: string } {
  if (process.env.DOCKER_HOST) return { reachable: true, why: `DOCKER_HOST=${process.env.DOCKER_HOST}` }
  if (existsSync('/var/run/docker.sock')) return { reachable: true, why: '/var/run/docker.sock exists' }
  return { reachable: false, why: 'no Docker engine reachable (no DOCKER_HOST, no /var/run/docker.sock)' }
}

/** PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'))
  if (!line)
    throw new Error('PostgreSQL refuses to run as root and there is no postgres user: run golive as an ordinary user, or give a restoreCommand and restoreUrl')
  const [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen({ port: 0, host: '127.0.0.1' }, () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

function run(program: string, args: string[], user: ReturnType<typeof runAs>): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { uid: user?.uid, gid: user?.gid, env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' }, timeout: 120_000 }, (e, _out, err) => {
      if (e) reject(new Error(`${program} failed: ${String(err).trim() || e.message}`))
      else resolve()
    })
  })
}

export async function startScratch(log: (l: string) => void): Promise<Scratch> {
  const user = runAs()
  const dir = mkdtempSync(join(tmpdir(), 'golive-restore-'))
  let child: ChildProcess | undefined
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child!.once('exit', () => r()))
      child.kill('SIGINT') // fast shutdown
      await Promise.race([exited, sleep(10_000)])
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await Promise.race([exited, sleep(5000)])
      }
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    if (user) chownSync(dir, user.uid, user.gid)
    const data = join(dir, 'data')
    await run(pgProgram('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], user)
    const port = await freePort()
    child = spawn(
      pgProgram('postgres'),
      ['-D', data, '-c', `port=${port}`, '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_wal_size=4GB'],
      { uid: user?.uid, gid: user?.gid, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' } },
    )
    let stderr = ''
    child.stderr!.on('data', (d) => {
      stderr = (stderr + d).slice(-2000)
    })
    const url: pg.ClientConfig = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2000 }
    const until = Date.now() + 30_000
    while (true) {
      if (child.exitCode !== null) throw new Error(`the scratch PostgreSQL exited: ${stderr.trim()}`)
      const c = new pg.Client(url)
      c.on('error', () => {})
      try {
        await c.connect()
        await c.query('SELECT 1')
        await c.end()
        break
      } catch {
        await c.end().catch(() => {})
      }
      if (Date.now() > until) throw new Error(`the scratch PostgreSQL did not accept connections within 30 s: ${stderr.trim()}`)
      await sleep(100)
    }
    log(`scratch PostgreSQL on 127.0.0.1:${port} (${dir})`)
    return { url, port, dir, stop }
  } catch (e) {
    await stop()
    throw e
  }
}
