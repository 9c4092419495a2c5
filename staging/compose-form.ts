// The compose form of the stack, derived from the same component table and templates as the
// native form: `npm run staging:compose` writes docker-compose.staging.yml and staging/compose/
// (configs rendered for the compose network), and a unit test fails when they are out of date.
// Containers listen on the same ports as the native form with the default base port, published
// on 127.0.0.1 only.

import { join } from 'node:path'
import { stringify } from 'yaml'
import { COMPONENTS, DEFAULT_BASE_PORT, WEBHOOK_PORT_OFFSET, componentNamed, portOf, type Component, type ComponentName } from './components.js'
import { PROMETHEUS_DRILL_FLAGS } from './native/launch.js'
import { PASSWORDS, defaultSettings, renderTemplate, templateVars, type Vars } from './render.js'

export const COMPOSE_FILE = 'docker-compose.staging.yml'
export const COMPOSE_CONFIG_DIR = 'staging/compose'
/** Inside the containers, every config sits here. */
const ETC = '/etc/golive'

export function composeVars(): Vars {
  const s = defaultSettings(DEFAULT_BASE_PORT)
  s.webhookUrl = `http://host.docker.internal:${DEFAULT_BASE_PORT + WEBHOOK_PORT_OFFSET}/alerts`
  return templateVars(s, (c) => c, {
    edge_bind: '*',
    redis_bind: '0.0.0.0',
    pg_listen: '*',
    pg_hba_net: '0.0.0.0/0',
    tls_pem: `${ETC}/tls/edge.pem`,
    rules_file: `${ETC}/alert-rules.yml`,
  })
}

/** Every config file the compose form mounts, rendered: name → text. */
export function composeConfigs(configDir: string): Record<string, string> {
  const vars = composeVars()
  const files = [...new Set(COMPONENTS.flatMap((c) => c.configs))].sort()
  return Object.fromEntries(files.map((f) => [f, renderTemplate(configDir, f, vars)]))
}

const port = (n: ComponentName, use: string) => portOf(componentNamed(n)!, use, DEFAULT_BASE_PORT)
const published = (c: Component) => Object.keys(c.ports).map((use) => `127.0.0.1:${port(c.name, use)}:${port(c.name, use)}`)
const mounts = (c: Component) =>
  c.configs.map((f) => `./${COMPOSE_CONFIG_DIR}/${f}:${f === 'seed.sql' ? '/docker-entrypoint-initdb.d/seed.sql' : `${ETC}/${f}`}:ro`)
const healthy = (...names: ComponentName[]) => Object.fromEntries(names.map((n) => [n, { condition: 'service_healthy' }]))
const check = (test: string[]) => ({ test, interval: '2s', timeout: '2s', retries: 30, start_period: '5s' })
const httpCheck = (p: number, path: string) => check(['CMD', 'wget', '-qO-', `http://127.0.0.1:${p}${path}`])
const pgArgs = (n: ComponentName) => [
  'postgres',
  '-c',
  `config_file=${ETC}/postgresql.conf`,
  '-c',
  `hba_file=${ETC}/pg_hba.conf`,
  '-c',
  `port=${port(n, 'pg')}`,
]

function service(c: Component): Record<string, unknown> {
  const base = { image: c.image, ports: published(c), volumes: mounts(c) as string[] }
  switch (c.name) {
    case 'postgres-primary':
      return {
        ...base,
        environment: { POSTGRES_PASSWORD: PASSWORDS.postgres },
        command: pgArgs(c.name),
        volumes: [...base.volumes, 'pg-primary:/var/lib/postgresql/data'],
        healthcheck: check(['CMD', 'pg_isready', '-h', '127.0.0.1', '-p', String(port(c.name, 'pg')), '-U', 'postgres', '-d', 'golive']),
      }
    case 'postgres-replica':
      return {
        ...base,
        user: 'postgres',
        environment: { PGPASSWORD: PASSWORDS.replication, PGDATA: '/var/lib/postgresql/data' },
        // first start: a base backup of the primary that streams from it (pg_basebackup -R), as natively
        entrypoint: [
          'bash',
          '-c',
          `[ -s "$$PGDATA/PG_VERSION" ] || { pg_basebackup -h postgres-primary -p ${port('postgres-primary', 'pg')} -U replicator -D "$$PGDATA" -R -X stream -c fast ` +
            `&& chmod 700 "$$PGDATA"; } && exec ${pgArgs(c.name).join(' ')}`,
        ],
        volumes: [...base.volumes, 'pg-replica:/var/lib/postgresql/data'],
        depends_on: healthy('postgres-primary'),
        healthcheck: check(['CMD', 'pg_isready', '-h', '127.0.0.1', '-p', String(port(c.name, 'pg')), '-U', 'postgres']),
      }
    case 'redis':
      return { ...base, command: ['redis-server', `${ETC}/redis.conf`], healthcheck: check(['CMD', 'redis-cli', '-p', String(port(c.name, 'redis')), 'ping']) }
    case 'postgres-exporter-primary':
    case 'postgres-exporter-replica': {
      const db: ComponentName = c.name.endsWith('primary') ? 'postgres-primary' : 'postgres-replica'
      return {
        ...base,
        environment: { DATA_SOURCE_NAME: `postgresql://golive_monitor:${PASSWORDS.monitor}@${db}:${port(db, 'pg')}/postgres?sslmode=disable` },
        command: [`--web.listen-address=:${port(c.name, 'http')}`, '--disable-settings-metrics', `--extend.query-path=${ETC}/postgres-exporter-queries.yml`],
        depends_on: healthy(db),
        healthcheck: httpCheck(port(c.name, 'http'), '/metrics'),
      }
    }
    // in a container it sees the host's CPU and memory (/proc/stat and /proc/meminfo are not
    // namespaced) and the container's own disk and TCP connections
    case 'node-exporter':
      return { ...base, command: [`--web.listen-address=:${port(c.name, 'http')}`], healthcheck: httpCheck(port(c.name, 'http'), '/metrics') }
    case 'app1':
    case 'app2':
      return {
        ...base,
        working_dir: '/golive',
        command: ['node', 'dist/staging-app.js'],
        // the repository, after npm ci on the host (dist/ and node_modules/ are plain JavaScript)
        volumes: ['.:/golive:ro'],
        environment: {
          GOLIVE_INSTANCE: c.name,
          GOLIVE_HOST: '0.0.0.0',
          GOLIVE_PORT: String(port(c.name, 'http')),
          GOLIVE_DB_HOSTS: `postgres-primary:${port('postgres-primary', 'pg')},postgres-replica:${port('postgres-replica', 'pg')}`,
          GOLIVE_DB_PASSWORD: PASSWORDS.app,
          GOLIVE_REDIS_URL: `redis://redis:${port('redis', 'redis')}`,
          // no backup job in this form: BackupTooOld fires until one records GOLIVE_BACKUP_STAMP
          NODE_ENV: 'production',
        },
        depends_on: healthy('postgres-primary', 'postgres-replica', 'redis'),
        healthcheck: check([
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${port(c.name, 'http')}/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
        ]),
      }
    case 'edge':
      return {
        ...base,
        command: ['haproxy', '-f', `${ETC}/haproxy.cfg`],
        // the CA and certificate: `golive staging certs` (the same openssl steps as the native form)
        volumes: [...base.volumes, './.golive/staging/tls:/etc/golive/tls:ro'],
        depends_on: healthy('app1', 'app2'),
        healthcheck: check([
          'CMD',
          'bash',
          '-c',
          `exec 3<>/dev/tcp/127.0.0.1/${port(c.name, 'metrics')} && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ok <&3`,
        ]),
      }
    case 'prometheus':
      return {
        ...base,
        command: [
          `--config.file=${ETC}/prometheus.yml`,
          '--storage.tsdb.path=/prometheus',
          `--web.listen-address=:${port(c.name, 'http')}`,
          '--storage.tsdb.retention.time=1d',
          ...PROMETHEUS_DRILL_FLAGS,
        ],
        volumes: [...base.volumes, 'prometheus-data:/prometheus'],
        depends_on: healthy('app1', 'app2', 'edge', 'postgres-exporter-primary', 'postgres-exporter-replica', 'node-exporter', 'alertmanager'),
        healthcheck: httpCheck(port(c.name, 'http'), '/-/ready'),
      }
    case 'alertmanager':
      return {
        ...base,
        command: [
          `--config.file=${ETC}/alertmanager.yml`,
          '--storage.path=/alertmanager',
          `--web.listen-address=:${port(c.name, 'http')}`,
          '--cluster.listen-address=',
        ],
        volumes: [...base.volumes, 'alertmanager-data:/alertmanager'],
        extra_hosts: ['host.docker.internal:host-gateway'],
        healthcheck: httpCheck(port(c.name, 'http'), '/-/ready'),
      }
  }
}

export function composeDocument(): Record<string, unknown> {
  return {
    name: 'golive-staging',
    services: Object.fromEntries(COMPONENTS.map((c) => [c.name, service(c)])),
    volumes: { 'pg-primary': {}, 'pg-replica': {}, 'prometheus-data': {}, 'alertmanager-data': {} },
  }
}

export function composeYaml(): string {
  return `# The reference staging stack for a container engine. GENERATED from staging/components.ts and
# staging/templates/ by \`npm run staging:compose\`: edit those, not this file (a unit test checks).
# Before \`docker compose -f ${COMPOSE_FILE} up\`: \`npm ci\` (the apps run dist/staging-app.js from
# this folder) and \`golive staging certs\` (the edge's CA and certificate in .golive/staging/tls).
# The same topology runs without containers: golive staging up.
${stringify(composeDocument(), { lineWidth: 0 })}`
}

export const composeConfigPath = (root: string, file: string) => join(root, COMPOSE_CONFIG_DIR, file)
