// Django's admin (server-rendered form login: CSRF token, session cookie, 302 redirect) and a
// Django REST framework API (TokenAuthentication), served by waitress on loopback. A fresh SQLite
// database per start, migrated, with a superuser the test names; stopped by the pid it started.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../ports.js'

const PROJECT = fileURLToPath(new URL('./django/', import.meta.url))

export interface DjangoApp {
  url: string
  username: string
  password: string
  token: string
  stop(): Promise<void>
}

export async function startDjango(python: string, opts: { username?: string; password?: string; threads?: number } = {}): Promise<DjangoApp> {
  const username = opts.username ?? 'golive'
  const password = opts.password ?? 'golive-real-apps'
  const dir = mkdtempSync(join(tmpdir(), 'golive-django-'))
  const env = { ...process.env, REAL_APPS_DB: join(dir, 'db.sqlite3'), PYTHONDONTWRITEBYTECODE: '1', DJANGO_SUPERUSER_PASSWORD: password }
  const manage = (...args: string[]): string => {
    const r = spawnSync(python, ['manage.py', ...args], { cwd: PROJECT, env, encoding: 'utf8', timeout: 120_000 })
    if (r.status !== 0) throw new Error(`manage.py ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`)
    return r.stdout
  }
  manage('migrate', '--verbosity', '0')
  manage('createsuperuser', '--noinput', '--username', username, '--email', `${username}@example.com`)
  const token = /Generated token (\w+)/.exec(manage('drf_create_token', username))?.[1] ?? ''

  const port = await freePort()
  const waitress = join(dirname(python), 'waitress-serve')
  const child: ChildProcess = spawn(waitress, [`--listen=127.0.0.1:${port}`, `--threads=${opts.threads ?? 8}`, 'realapps.wsgi:application'], {
    cwd: PROJECT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let log = ''
  child.stderr!.on('data', (d) => {
    log = (log + d).slice(-4000)
  })
  const url = `http://127.0.0.1:${port}`
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitUntilUp(`${url}/admin/login/`, child, () => log)
  } catch (e) {
    await stop()
    throw e
  }
  return { url, username, password, token, stop }
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`waitress exited (${child.exitCode}):\n${log()}`)
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
      if (res.status === 200) return
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`Django did not answer ${url} within 30 s:\n${log()}`)
}
