// How each component is started in the native form: its program, arguments and environment,
// from the rendered configs in the state directory.

import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packageRoot } from '../../core/package-root.js'
import { componentNamed, portOf, type ComponentName } from '../components.js'
import { PASSWORDS, templateVars, type StackSettings, type Vars } from '../render.js'
import { logOf, type StackPaths } from './paths.js'
import { postgresSpec, type RunAs } from './postgres.js'
import type { Programs } from './programs.js'
import type { SpawnSpec } from './processes.js'

/** Alerts re-sent every 2 s, not every minute: a drill's first alert is not lost in start-up. */
export const PROMETHEUS_DRILL_FLAGS = ['--rules.alert.resend-delay=2s']

export function nativeVars(s: StackSettings, p: StackPaths): Vars {
  return templateVars(s, () => '127.0.0.1', {
    edge_bind: '127.0.0.1',
    redis_bind: '127.0.0.1',
    pg_listen: '127.0.0.1',
    pg_hba_net: '127.0.0.1/32',
    tls_pem: p.edgePem,
    rules_file: join(p.configs, 'alert-rules.yml'),
  })
}

/** The staging app: bundled dist/staging-app.js, or the source through tsx when golive runs from source. */
function appCommand(): { args: string[]; cwd: string } {
  const root = packageRoot()
  return import.meta.url.endsWith('.ts')
    ? { args: ['--import', 'tsx', fileURLToPath(new URL('../app/staging-main.ts', import.meta.url))], cwd: root }
    : { args: [join(root, 'dist', 'staging-app.js')], cwd: root }
}

export function launchSpec(name: ComponentName, s: StackSettings, p: StackPaths, prog: Programs, pgUser: RunAs): SpawnSpec {
  const c = componentNamed(name)!
  const port = (n: ComponentName, use: string) => portOf(componentNamed(n)!, use, s.basePort)
  const log = logOf(p, name)
  const cfg = (f: string) => join(p.configs, f)
  switch (name) {
    case 'postgres-primary':
      return postgresSpec(name, p.pgPrimary, port(name, 'pg'), prog, log, pgUser)
    case 'postgres-replica':
      return postgresSpec(name, p.pgReplica, port(name, 'pg'), prog, log, pgUser)
    case 'redis':
      return { name, program: prog.redis, args: [cfg('redis.conf')], log, cwd: p.root }
    case 'postgres-exporter-primary':
    case 'postgres-exporter-replica': {
      const db = name.endsWith('primary') ? 'postgres-primary' : 'postgres-replica'
      return {
        name,
        program: prog.postgresExporter,
        log,
        args: [
          `--web.listen-address=127.0.0.1:${portOf(c, 'http', s.basePort)}`,
          '--disable-settings-metrics',
          `--extend.query-path=${cfg('postgres-exporter-queries.yml')}`,
        ],
        env: { DATA_SOURCE_NAME: `postgresql://golive_monitor:${PASSWORDS.monitor}@127.0.0.1:${port(db, 'pg')}/postgres?sslmode=disable` },
      }
    }
    // the machine's own figures; nothing to configure (the collectors read /proc and /sys)
    case 'node-exporter':
      return { name, program: prog.nodeExporter, log, args: [`--web.listen-address=127.0.0.1:${portOf(c, 'http', s.basePort)}`] }
    case 'app1':
    case 'app2': {
      const { args, cwd } = appCommand()
      return {
        name,
        program: process.execPath,
        args,
        cwd,
        log,
        env: {
          GOLIVE_INSTANCE: name,
          GOLIVE_HOST: '127.0.0.1',
          GOLIVE_PORT: String(portOf(c, 'http', s.basePort)),
          GOLIVE_DB_HOSTS: `127.0.0.1:${port('postgres-primary', 'pg')},127.0.0.1:${port('postgres-replica', 'pg')}`,
          GOLIVE_DB_PASSWORD: PASSWORDS.app,
          GOLIVE_REDIS_URL: `redis://127.0.0.1:${port('redis', 'redis')}`,
          GOLIVE_BACKUP_STAMP: p.backupStamp,
          NODE_ENV: 'production',
        },
      }
    }
    case 'edge':
      return { name, program: prog.haproxy, args: ['-db', '-f', cfg('haproxy.cfg')], log }
    case 'prometheus':
      return {
        name,
        program: prog.prometheus,
        log,
        args: [
          `--config.file=${cfg('prometheus.yml')}`,
          `--storage.tsdb.path=${p.prometheusData}`,
          `--web.listen-address=127.0.0.1:${portOf(c, 'http', s.basePort)}`,
          '--storage.tsdb.retention.time=1d',
          ...PROMETHEUS_DRILL_FLAGS,
        ],
      }
    case 'alertmanager':
      return {
        name,
        program: prog.alertmanager,
        log,
        args: [
          `--config.file=${cfg('alertmanager.yml')}`,
          `--storage.path=${p.alertmanagerData}`,
          `--web.listen-address=127.0.0.1:${portOf(c, 'http', s.basePort)}`,
          '--cluster.listen-address=',
        ],
      }
  }
}
