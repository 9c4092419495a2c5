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
      // the checks `golive run --env staging-local` makes besides the load
      checks: { tls: {}, headers: { httpPort: 18401 },
        // disaster-recovery drills against the stack (golive drill <id> --dry-run prints each plan):
        // restore a pg_dump into a scratch cluster and project it onto a 10 GB production backup;
        // lose app1, lose the primary (promote the replica); restart app1 then app2 under probes
        'backup-restore': { backup: 'pg_dump', backupPath: '.golive/staging/data/backups/*.dump', productionBackupBytes: '10GB' },
        failover: {},
        'rolling-restart': {} },
    },
    // the demo app (or your own service) already running on this machine
    local: {
      baseUrl: 'http://127.0.0.1:8080',
      scenarios: ['smoke'],
    },
  },
  gates: {
    // p95 < 500 ms, max < 2 s, errors < 0.1 % for every scenario; the load scenario reaches 100 users
    presets: ['go-live'],
    rules: [
      // each step of the journey, not just the whole: a slow checkout hides behind fast browsing
      'load.*.step.*.latency_p95 < 500ms',
      // a warning, not a blocker: shows up on the scorecard without failing the run
      'load.*.latency_p99 < 1s warn',
    ],
  },
})
