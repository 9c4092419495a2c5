// golive's configuration for this repository. Copy it to your project and point an environment
// at your staging system. YAML and JSON configs work too (see core/config.schema.json).
import { defineConfig } from 'golive'

export default defineConfig({
  // with no --env: the built-in demo target, started in-process on a random loopback port
  defaultEnv: 'demo',
  environments: {
    demo: {
      baseUrl: 'demo',
      scenarios: ['load'],
    },
    // the reference staging stack on this machine (npm run staging:up): HAProxy with TLS in front
    // of two app instances on PostgreSQL + Redis; drills may break it (golive staging heal mends it)
    'staging-local': {
      baseUrl: 'https://127.0.0.1:18400',
      ca: '.golive/staging/tls/ca.pem',
      allowDrills: true,
      scenarios: ['load'],
      // what the machine and the database did under the load (docs/server.md): the stack's
      // Prometheus scrapes the node and postgres exporters; the primary has pg_stat_statements,
      // read by the stack's monitoring role (pg_monitor), whose fixed password is the stack's own
      server: {
        prometheus: 'http://127.0.0.1:18440',
        presets: ['node', 'postgres'],
        postgres: 'postgresql://golive_monitor:golive-staging-monitor@127.0.0.1:18420/golive',
      },
      // the checks `golive run --env staging-local` makes besides the load
      checks: {
        tls: {},
        headers: { httpPort: 18401 },
        // how the front page feels in Chromium (apt-get install chromium)
        'page-load': { pages: [{ name: 'home', path: '/' }] },
        // is the monitoring watching? (read-only: before the alert drills)
        monitoring: {
          prometheus: 'http://127.0.0.1:18440',
          maxAge: '30s',
          requiredMetrics: ['up', 'http_request_duration_seconds_count', 'pg_up', 'pg_replication_lag', 'golive_backup_last_success_timestamp_seconds'],
        },
        // do alerts ring? each drill causes the condition, times delivery to golive's own receiver
        // (Alertmanager's webhook points at base port + 60), and heals, also on Ctrl-C
        alerts: {
          prometheus: 'http://127.0.0.1:18440',
          receiverPort: 18460,
          // the three triggers do not mask one another: one fault window, one heal
          parallel: true,
          ruleTests: ['staging/rule-tests/alert-rules.test.yml'],
          expected: [
            { alertname: 'AppInstanceDown', trigger: 'staging:kill-app1', resolve: 'staging:heal', labels: { severity: 'critical' }, deadline: '5m' },
            {
              alertname: 'HighErrorRate',
              trigger: 'staging:error-burst',
              resolve: 'staging:heal',
              traffic: { path: '/api/products?limit=5', rps: 20 },
              labels: { severity: 'critical' },
              deadline: '5m',
            },
            {
              alertname: 'HighLatencyP95',
              trigger: 'staging:slow-db',
              resolve: 'staging:heal',
              traffic: { path: '/api/products?limit=5', rps: 10 },
              labels: { severity: 'warning' },
              deadline: '5m',
            },
          ],
        },
        // disaster-recovery drills against the stack (golive drill <id> --dry-run prints each plan):
        // restore a pg_dump into a scratch cluster and project it onto a 10 GB production backup;
        // lose app1, lose the primary (promote the replica); restart app1 then app2 under probes
        // 6 restores of each size for the projection (default 3): a 10 GB figure fitted from MB-sized
        // restores is noisy, and this one is read as a trend from night to night
        'backup-restore': { backup: 'pg_dump', backupPath: '.golive/staging/data/backups/*.dump', productionBackupBytes: '10GB', projectionSamples: 6 },
        failover: {},
        'rolling-restart': {},
      },
    },
    // the demo app (or your own service) already running on this machine
    local: {
      baseUrl: 'http://127.0.0.1:8080',
      scenarios: ['smoke'],
    },
  },
  gates: {
    // p95 < 500 ms, max < 2 s, errors < 0.1 % for every scenario; the load scenario reaches 100 users
    // the system preset: CPU < 80 %, memory < 85 %, disk < 90 % under the load (warnings)
    presets: ['go-live', 'system'],
    rules: [
      // each step of the journey, not just the whole: a slow checkout hides behind fast browsing
      'load.*.step.*.latency_p95 < 500ms',
      // a warning, not a blocker: shows up on the scorecard without failing the run
      'load.*.latency_p99 < 1s warn',
    ],
  },
})
