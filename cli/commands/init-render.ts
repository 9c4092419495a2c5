// The files `golive init` writes, as text from what the probe found. Every guess says so in a
// comment, and everything left to fill in is a TODO naming what is needed.

import type { Probe } from './init-probe.js'
import { key, q, stepName, uniqueNames } from '../../scenarios/ts-source.js'

export interface InitAnswers {
  probe: Probe
  prometheus?: string
  envName: string
  scenarioFile: string
  ca?: string
}

export function renderConfig(a: InitAnswers): string {
  const { probe: p } = a
  const found: string[] = []
  if (!p.reachable) found.push(`${p.baseUrl} did not answer (${p.error ?? 'no response'}): the probes found nothing; check the URL`)
  else {
    found.push(`${p.https ? 'https' : 'plain http'}${p.https ? (p.hsts ? ' with HSTS' : ' without HSTS') : ''}; / answered ${p.rootStatus}`)
    if (p.health.length) found.push(`health endpoints: ${p.health.join(', ')}`)
    if (p.metrics) found.push('Prometheus metrics at /metrics')
    if (p.openapi) found.push(`an OpenAPI document at ${p.openapi.path}${p.openapi.title ? ` (${p.openapi.title})` : ''}`)
    if (p.loginForm) found.push(`a login form at ${p.loginForm}`)
  }
  const checks: string[] = []
  if (p.https) {
    checks.push('        // the certificate and protocols (grade), and the security headers of the front page')
    checks.push('        tls: {},')
    checks.push('        headers: {},')
  } else {
    checks.push('        // tls: {}, headers: {},   // for an https:// base URL: certificate grade and security headers')
  }
  if (a.prometheus) {
    checks.push('        // is the monitoring watching? every Prometheus target up, the metrics below fresh')
    checks.push(`        monitoring: { prometheus: ${q(a.prometheus)}, maxAge: '1m', requiredMetrics: ['up'] },`)
  } else {
    checks.push(
      "        // monitoring: { prometheus: 'http://prometheus:9090', requiredMetrics: ['up'] },   " +
        `// TODO: your Prometheus URL (golive init --prometheus URL)${p.metrics ? '; the app already serves /metrics' : ''}`,
    )
  }
  checks.push(
    '        // Drills change the system: they run only with allowDrills: true above (an environment you may',
    '        // break), on loopback or the drillHosts. `golive drill <id> --dry-run` prints the plan first.',
    "        // 'backup-restore': { databaseUrl: 'postgresql://user:pass@db:5432/app', backupPath: '/var/backups/*.dump' },   // TODO: a backup and a scratch PostgreSQL",
    "        // failover: { experiments: { 'db-primary': { fault: ['…'], rollback: ['…'] } } },   // TODO: the commands that cause and undo the fault",
    "        // 'rolling-restart': { deployCommand: 'kubectl rollout restart deploy/app' },   // TODO: how you deploy",
  )
  const auth = p.loginForm
    ? [
        `      // TODO: the site has a login form at ${p.loginForm}. For an API token: auth: { type: 'bearer', token: process.env.STAGING_TOKEN },`,
        '      // or a scenario step that posts the form (form: { username, password }) and keeps the cookie.',
      ]
    : ["      // auth: { type: 'bearer', token: process.env.STAGING_TOKEN },   // if the target needs credentials (kept out of reports)"]
  return `// golive.config.ts, written by \`golive init\` for ${p.baseUrl}.
// What the read-only probe found:
${found.map((f) => `//   - ${f}`).join('\n')}
// Fill in the TODOs, then: golive loadtest (load only), golive run (load and every check below).
import { defineConfig } from 'golive'

export default defineConfig({
  defaultEnv: ${q(a.envName)},
  environments: {
    ${key(a.envName)}: {
      baseUrl: ${q(p.baseUrl)},
${a.ca ? `      // the CA that signed the target's certificate (relative to this file)\n      ca: ${q(a.ca)},\n` : ''}${auth.join('\n')}
      // the journeys \`golive loadtest\` drives (edit ${a.scenarioFile}: users, duration, steps)
      scenarios: [${q(`./${a.scenarioFile}`)}],
      // allowDrills: true,   // only for an environment the drills below may break
      checks: {
${checks.join('\n')}
      },
    },
  },
  gates: {
    // the go-live preset: p95 < 500 ms, max < 2 s, errors < 0.1 % per scenario, and the checks' gates
    presets: ['go-live'],
    rules: [
      // your own targets, e.g. 'load.*.step.*.latency_p95 < 300ms' or 'load.*.latency_p99 < 1s warn'
    ],
  },
})
`
}

export function renderScenario(a: InitAnswers): string {
  const { probe: p } = a
  const ok = p.reachable && (p.rootStatus ?? 0) >= 200 && (p.rootStatus ?? 0) < 300
  const steps: { name: string; path: string; status: boolean }[] = []
  let origin: string
  if (p.openapi && p.openapi.gets.length > 0) {
    origin = `the GET operations without path parameters in ${p.openapi.path}`
    for (const path of p.openapi.gets) steps.push({ name: stepName(path), path, status: true })
  } else {
    origin = p.pages.length ? 'the front page and the pages it links to' : 'the front page'
    steps.push({ name: 'home', path: '/', status: ok })
    for (const path of p.pages) steps.push({ name: stepName(path), path, status: true })
  }
  if (p.health[0] && !steps.some((st) => st.path === p.health[0])) steps.push({ name: 'health', path: p.health[0], status: true })
  uniqueNames(steps.map((st) => st.name)).forEach((n, i) => {
    steps[i]!.name = n
  })
  const lines = steps.map((s) => `    { name: ${q(s.name)}, path: ${q(s.path)}${s.status ? ', check: { status: 200 }' : ''} },`)
  return `// A first scenario, written by \`golive init\` from ${origin}.
// Each virtual user walks the steps in order, again and again, for the profile's duration.
// TODO: add the journeys that matter at launch (log in, search, check out): method, json or
// form, capture values for later steps ({{name}}), check status and body. See docs/getting-started.md.
import { defineScenario } from 'golive'

export default defineScenario({
  name: 'first',
  description: 'golive init: a GET walk of what the target serves',
  // 100 users for 1 min: the go-live preset's load.first.vus_max >= 100 gate asks for 100
  // concurrent users (fewer, say --vus 5 for a smoke run, reads NO-GO on that gate, never GO).
  // --vus and --duration override it. TODO: your launch-day load
  profile: { model: 'closed', vus: 100, duration: '1m' },
  thinkTime: '500ms',
  steps: [
${lines.join('\n')}
  ],
})
`
}
