// A system that is not ours, on loopback: miniflux (a Go feed reader from the Go module proxy,
// `npm run install-tools`) on its own PostgreSQL 15 cluster, Debian's nginx with TLS in front,
// Prometheus scraping miniflux and itself with a Watchdog rule, and Alertmanager. miniflux runs
// under a service script (start | stop | restart) the way systemd would run it: the drills' own
// `command` actions call that script, as a user's config would call systemctl.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { postgresUser } from '../../staging/native/postgres.js'
import { freePort, hasNginx } from './tls-lab.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const PG_BIN = '/usr/lib/postgresql/15/bin'

/** What is missing to run the foreign system, or an empty list. */
export function foreignMissing(): string[] {
  const missing: string[] = []
  if (!minifluxBinary()) missing.push('miniflux (npm run install-tools)')
  if (!hasNginx()) missing.push('nginx')
  if (!existsSync(join(PG_BIN, 'postgres'))) missing.push('postgresql-15')
  if (!existsSync('/usr/bin/prometheus')) missing.push('prometheus')
  if (!existsSync('/usr/bin/prometheus-alertmanager')) missing.push('prometheus-alertmanager')
  if (!existsSync('/usr/bin/curl')) missing.push('curl')
  return missing
}

export function minifluxBinary(): string | null {
  const p = process.env.MINIFLUX_BINARY ?? join(ROOT, '.tools', 'bin', 'miniflux.app')
  return existsSync(p) ? p : null
}

export interface ForeignSystem {
  dir: string
  /** https://127.0.0.1:<nginx port> */
  baseUrl: string
  ca: string
  prometheus: string
  alertmanager: string
  /** the service script: `sh <script> start|stop|restart` */
  script: string
  minifluxPort: number
  accessLog: string
  stop(): Promise<void>
}

const ssl = (dir: string, ...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })

async function until(what: string, ok: () => Promise<boolean> | boolean, ms: number, log: () => string): Promise<void> {
  const end = Date.now() + ms
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`${what} did not come up within ${ms / 1000} s:\n${log()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const answers = async (url: string) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok
  } catch {
    return false
  }
}
const tail = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').slice(-2000) : '')

export async function startForeignSystem(): Promise<ForeignSystem> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-foreign-'))
  chmodSync(dir, 0o755)
  const procs: ChildProcess[] = []
  const [pgPort, mfPort, nginxPort, promPort, amPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()])
  const script = join(dir, 'miniflux.sh')
  const stop = async () => {
    try {
      execFileSync('sh', [script, 'stop'], { stdio: 'ignore', timeout: 20_000 })
    } catch {
      /* not running */
    }
    for (const p of procs.reverse()) {
      if (p.exitCode !== null) continue
      p.kill('SIGTERM')
      await new Promise((r) => {
        const t = setTimeout(() => {
          p.kill('SIGKILL')
          r(null)
        }, 10_000)
        p.once('exit', () => {
          clearTimeout(t)
          r(null)
        })
      })
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    // PostgreSQL 15: its own cluster, trust on loopback (a test database nobody else reaches)
    const user = postgresUser()
    const pgData = join(dir, 'pg')
    mkdirSync(pgData, { mode: 0o700 })
    if (user) chownSync(pgData, user.uid, user.gid)
    execFileSync(join(PG_BIN, 'initdb'), ['-D', pgData, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'], {
      uid: user?.uid,
      gid: user?.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const pgLog = join(dir, 'pg.log')
    const pg = spawn(join(PG_BIN, 'postgres'), ['-D', pgData, '-c', `port=${pgPort}`, '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], {
      uid: user?.uid,
      gid: user?.gid,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let pgErr = ''
    pg.stderr!.on('data', (d) => {
      pgErr = (pgErr + d).slice(-2000)
    })
    procs.push(pg)
    await until(
      'PostgreSQL',
      () => {
        try {
          execFileSync(join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(pgPort)], { stdio: 'ignore' })
          return true
        } catch {
          return false
        }
      },
      30_000,
      () => pgErr + tail(pgLog),
    )
    execFileSync(join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'postgres', '-X', '-q', '-c', 'CREATE DATABASE miniflux'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })

    // miniflux under its service script
    writeFileSync(
      script,
      `#!/bin/sh
# miniflux's service script: start | stop | restart, as systemd would run it
PID=${dir}/miniflux.pid
running() { [ -f "$PID" ] && kill -0 "$(cat "$PID")" 2>/dev/null; }
case "$1" in
  start)
    running && exit 0
    DATABASE_URL='postgres://postgres@127.0.0.1:${pgPort}/miniflux?sslmode=disable' RUN_MIGRATIONS=1 CREATE_ADMIN=1 \\
    ADMIN_USERNAME=admin ADMIN_PASSWORD=golive-admin-pass LISTEN_ADDR=127.0.0.1:${mfPort} \\
    METRICS_COLLECTOR=1 METRICS_REFRESH_INTERVAL=5 METRICS_ALLOWED_NETWORKS=127.0.0.1/32 POLLING_FREQUENCY=1440 \\
      nohup ${minifluxBinary()} >> ${dir}/miniflux.log 2>&1 < /dev/null &
    echo $! > "$PID"
    i=0
    until curl -sf http://127.0.0.1:${mfPort}/healthcheck > /dev/null; do
      i=$((i + 1)); [ $i -gt 300 ] && { echo "miniflux did not start" >&2; exit 1; }; sleep 0.1
    done ;;
  stop)
    running || exit 0
    kill "$(cat "$PID")"
    while running; do sleep 0.05; done
    rm -f "$PID" ;;
  restart) "$0" stop && "$0" start ;;
  *) echo "usage: $0 start|stop|restart" >&2; exit 2 ;;
esac
`,
    )
    chmodSync(script, 0o755)
    execFileSync('sh', [script, 'start'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })

    // nginx with TLS in front: a CA and a leaf for 127.0.0.1
    ssl(
      dir,
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '30',
      '-subj',
      '/CN=foreign test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    )
    ssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1')
    writeFileSync(
      join(dir, 'leaf.ext'),
      '[v3]\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
    )
    ssl(
      dir,
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'leaf.pem',
      '-days',
      '30',
      '-extfile',
      'leaf.ext',
      '-extensions',
      'v3',
    )
    const accessLog = join(dir, 'access.log')
    writeFileSync(
      join(dir, 'nginx.conf'),
      `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
events { worker_connections 512; }
http {
  log_format ua '$status "$http_user_agent"';
  access_log ${accessLog} ua;
  client_body_temp_path ${dir}/t1; proxy_temp_path ${dir}/t2; fastcgi_temp_path ${dir}/t3; uwsgi_temp_path ${dir}/t4; scgi_temp_path ${dir}/t5;
  server {
    listen 127.0.0.1:${nginxPort} ssl;
    ssl_certificate ${dir}/leaf.pem;
    ssl_certificate_key ${dir}/leaf.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { proxy_pass http://127.0.0.1:${mfPort}; proxy_set_header Host $host; proxy_set_header X-Forwarded-Proto https; }
  }
}
`,
    )
    const nginx = spawn(hasNginx()!, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] })
    procs.push(nginx)

    // Prometheus: miniflux and itself, a Watchdog, Alertmanager
    writeFileSync(
      join(dir, 'rules.yml'),
      `groups:
  - name: meta
    rules:
      - alert: Watchdog
        expr: vector(1)
        labels: { severity: none }
`,
    )
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 2s, evaluation_interval: 2s }
rule_files: [${dir}/rules.yml]
alerting:
  alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:${amPort}'] }] }]
scrape_configs:
  - job_name: miniflux
    static_configs: [{ targets: ['127.0.0.1:${mfPort}'] }]
  - job_name: prometheus
    static_configs: [{ targets: ['127.0.0.1:${promPort}'] }]
`,
    )
    writeFileSync(
      join(dir, 'alertmanager.yml'),
      `route: { receiver: devnull, group_wait: 1s }
receivers: [{ name: devnull }]
`,
    )
    procs.push(
      spawn(
        '/usr/bin/prometheus-alertmanager',
        [`--config.file=${dir}/alertmanager.yml`, `--storage.path=${dir}/am`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address='],
        { stdio: 'ignore' },
      ),
    )
    procs.push(
      spawn(
        '/usr/bin/prometheus',
        [
          `--config.file=${dir}/prometheus.yml`,
          `--storage.tsdb.path=${dir}/prom`,
          `--web.listen-address=127.0.0.1:${promPort}`,
          // the first Watchdog notification is dropped while Prometheus discovers Alertmanager: resend soon, not in 1 min
          '--rules.alert.resend-delay=2s',
        ],
        { stdio: 'ignore' },
      ),
    )

    const baseUrl = `https://127.0.0.1:${nginxPort}`
    const prometheus = `http://127.0.0.1:${promPort}`
    const alertmanager = `http://127.0.0.1:${amPort}`
    await until(
      'Alertmanager',
      () => answers(`${alertmanager}/-/ready`),
      30_000,
      () => '',
    )
    await until(
      'Prometheus',
      () => answers(`${prometheus}/-/ready`),
      30_000,
      () => '',
    )
    await until(
      'nginx',
      async () => {
        try {
          execFileSync('curl', ['-sf', '--cacert', join(dir, 'ca.pem'), `${baseUrl}/healthcheck`], { stdio: 'ignore' })
          return true
        } catch {
          return false
        }
      },
      15_000,
      () => tail(join(dir, 'nginx-error.log')),
    )
    // monitoring judges a running pipeline: both targets scraped, the Watchdog in Alertmanager
    await until(
      'the Watchdog in Alertmanager',
      async () => {
        try {
          return ((await (await fetch(`${alertmanager}/api/v2/alerts?filter=alertname%3D%22Watchdog%22`)).json()) as unknown[]).length > 0
        } catch {
          return false
        }
      },
      60_000,
      () => '',
    )
    await until(
      'both scrape targets up',
      async () => {
        try {
          const r = (await (await fetch(`${prometheus}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string }[] } }
          return r.data.activeTargets.length === 2 && r.data.activeTargets.every((t) => t.health === 'up')
        } catch {
          return false
        }
      },
      30_000,
      () => '',
    )
    return { dir, baseUrl, ca: resolve(dir, 'ca.pem'), prometheus, alertmanager, script, minifluxPort: mfPort, accessLog, stop }
  } catch (e) {
    await stop()
    throw e
  }
}
