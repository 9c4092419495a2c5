// nginx (Debian) serving a corpus of security-header sets on 127.0.0.1, each case on its own
// https port with its own plain-http port, behind a CA and server certificate made by openssl
// in a temp dir. Used by test/integration/headers-nginx.test.ts.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p))

export interface HeaderCase {
  name: string
  /** response headers of the https site (add_header ... always) */
  headers: [string, string][]
  /** the page body served at / */
  html: string
  /** what plain http does: redirect to the https site (default), serve the page, or redirect elsewhere */
  http?: 'redirect' | 'serve'
  /** more directives for the https server block */
  extra?: string
}

export interface RunningCase {
  name: string
  httpsPort: number
  httpPort: number
}

export interface CorpusServer {
  dir: string
  ca: string
  cases: Map<string, RunningCase>
  stop(): Promise<void>
}

import { freePort } from './ports.js'

export { freePort }

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
}

function makeCerts(dir: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=golive headers test CA',
    ],
    dir,
  )
  openssl(
    ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'],
    dir,
  )
  writeFileSync(
    join(dir, 'san.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n',
  )
  openssl(
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext'],
    dir,
  )
}

const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`

async function waitForPort(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1')
      s.once('connect', () => {
        s.destroy()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`nginx did not listen on 127.0.0.1:${port}`)
}

export async function startCorpus(cases: HeaderCase[]): Promise<CorpusServer> {
  if (!NGINX) throw new Error('nginx is not installed')
  const dir = mkdtempSync(join(tmpdir(), 'golive-headers-'))
  makeCerts(dir)
  const running = new Map<string, RunningCase>()
  const servers: string[] = []
  for (const c of cases) {
    const httpsPort = await freePort()
    const httpPort = await freePort()
    running.set(c.name, { name: c.name, httpsPort, httpPort })
    const root = join(dir, 'sites', c.name)
    mkdirSync(root, { recursive: true })
    writeFileSync(join(root, 'index.html'), c.html)
    const adds = c.headers.map(([n, v]) => `    add_header ${n} ${quote(v)} always;`).join('\n')
    servers.push(`  server {
    listen 127.0.0.1:${httpsPort} ssl;
    ssl_certificate ${join(dir, 'server.pem')};
    ssl_certificate_key ${join(dir, 'server.key')};
    root ${root};
${adds}
${c.extra ?? ''}
  }
  server {
    listen 127.0.0.1:${httpPort};
    root ${root};
${c.http === 'serve' ? '' : `    return 301 https://127.0.0.1:${httpsPort}$request_uri;`}
  }`)
  }
  const conf = `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
events { worker_connections 128; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  server_tokens off;
  client_body_temp_path ${dir}/tmp-body;
  proxy_temp_path ${dir}/tmp-proxy;
  fastcgi_temp_path ${dir}/tmp-fastcgi;
  uwsgi_temp_path ${dir}/tmp-uwsgi;
  scgi_temp_path ${dir}/tmp-scgi;
${servers.join('\n')}
}
`
  writeFileSync(join(dir, 'nginx.conf'), conf)
  const proc: ChildProcess = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir, '-g', `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  proc.stderr?.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  try {
    const deadline = Date.now() + 10_000
    for (const r of running.values()) {
      if (proc.exitCode !== null) throw new Error(`nginx exited: ${stderr}`)
      await waitForPort(r.httpsPort, deadline)
      await waitForPort(r.httpPort, deadline)
    }
  } catch (e) {
    proc.kill('SIGKILL')
    throw new Error(`${(e as Error).message}\n${stderr}`)
  }
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    cases: running,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGQUIT')
        const t = setTimeout(() => proc.kill('SIGKILL'), 3000)
        await exited
        clearTimeout(t)
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
