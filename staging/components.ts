// The staging stack's components: one table that both forms derive from. The native form
// (`golive staging up`) starts them as processes on 127.0.0.1; docker-compose.staging.yml runs the
// same services from official images (a unit test keeps the two in step).

export type ComponentName =
  | 'postgres-primary'
  | 'postgres-replica'
  | 'redis'
  | 'postgres-exporter-primary'
  | 'postgres-exporter-replica'
  | 'node-exporter'
  | 'app1'
  | 'app2'
  | 'edge'
  | 'prometheus'
  | 'alertmanager'

export interface Component {
  name: ComponentName
  /** what it is for, shown by `golive staging status` */
  role: string
  /** ports relative to the base port, by use */
  ports: Record<string, number>
  /** the Debian package that provides its program (native form) */
  debianPackage: string
  /** the official image (compose form) */
  image: string
  /** config templates (staging/templates/*) it reads */
  configs: string[]
}

export const DEFAULT_BASE_PORT = 18400

/** In start order: each one's dependencies come before it. */
export const COMPONENTS: Component[] = [
  {
    name: 'postgres-primary',
    role: 'PostgreSQL primary',
    ports: { pg: 20 },
    debianPackage: 'postgresql-15',
    image: 'postgres:15-bookworm',
    configs: ['postgresql.conf', 'pg_hba.conf', 'seed.sql'],
  },
  {
    name: 'postgres-replica',
    role: 'PostgreSQL streaming replica',
    ports: { pg: 21 },
    debianPackage: 'postgresql-15',
    image: 'postgres:15-bookworm',
    configs: ['postgresql.conf', 'pg_hba.conf'],
  },
  {
    name: 'redis',
    role: 'sessions, login lockout, cache, fault flags',
    ports: { redis: 30 },
    debianPackage: 'redis-server',
    image: 'redis:7-bookworm',
    configs: ['redis.conf'],
  },
  {
    name: 'postgres-exporter-primary',
    role: 'metrics of the primary',
    ports: { http: 50 },
    debianPackage: 'prometheus-postgres-exporter',
    image: 'quay.io/prometheuscommunity/postgres-exporter:v0.11.1',
    configs: ['postgres-exporter-queries.yml'],
  },
  {
    name: 'postgres-exporter-replica',
    role: 'metrics of the replica (replication lag)',
    ports: { http: 51 },
    debianPackage: 'prometheus-postgres-exporter',
    image: 'quay.io/prometheuscommunity/postgres-exporter:v0.11.1',
    configs: ['postgres-exporter-queries.yml'],
  },
  {
    name: 'node-exporter',
    role: 'metrics of the machine (CPU, memory, disk: the node server preset)',
    ports: { http: 52 },
    debianPackage: 'prometheus-node-exporter',
    image: 'quay.io/prometheus/node-exporter:v1.5.0',
    configs: [],
  },
  { name: 'app1', role: 'ERP app instance 1', ports: { http: 10 }, debianPackage: 'nodejs', image: 'node:20-bookworm-slim', configs: [] },
  { name: 'app2', role: 'ERP app instance 2', ports: { http: 11 }, debianPackage: 'nodejs', image: 'node:20-bookworm-slim', configs: [] },
  {
    name: 'edge',
    role: 'HAProxy: TLS, headers, health-checked upstreams, login rate limit',
    ports: { https: 0, http: 1, metrics: 2 },
    debianPackage: 'haproxy',
    image: 'haproxy:2.6-bookworm',
    configs: ['haproxy.cfg'],
  },
  {
    name: 'prometheus',
    role: 'scrapes everything, evaluates alert rules',
    ports: { http: 40 },
    debianPackage: 'prometheus',
    image: 'prom/prometheus:v2.42.0',
    configs: ['prometheus.yml', 'alert-rules.yml'],
  },
  {
    name: 'alertmanager',
    role: 'routes alerts to the webhook receiver',
    ports: { http: 41 },
    debianPackage: 'prometheus-alertmanager',
    image: 'prom/alertmanager:v0.25.0',
    configs: ['alertmanager.yml'],
  },
]

/** Where alertmanager delivers (golive's alert check runs the receiver there; nothing of ours listens). */
export const WEBHOOK_PORT_OFFSET = 60

export function componentNamed(name: string): Component | undefined {
  return COMPONENTS.find((c) => c.name === name)
}

export function portOf(c: Component, use: string, basePort: number): number {
  const off = c.ports[use]
  if (off === undefined) throw new Error(`${c.name} has no ${use} port`)
  return basePort + off
}

/** Every port the stack binds, with who binds it: checked before `up`, and after `down`. */
export function allPorts(basePort: number): { component: ComponentName; use: string; port: number }[] {
  return COMPONENTS.flatMap((c) => Object.entries(c.ports).map(([use, off]) => ({ component: c.name, use, port: basePort + off })))
}
