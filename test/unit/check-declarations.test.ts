// Checks declare their settings and figures; loadConfig and the gates are held to them before
// the first request: a misspelled setting, an unknown check, a gate on a figure nothing makes.
import { describe, it, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHECKS } from '../../checks/index.js'
import { DECLARATIONS } from '../../cli/declarations.js'
import { ConfigError } from '../../core/errors.js'
import { unmadeFigure } from '../../core/gate-figures.js'
import { loadConfig, resolveEnvironment } from '../../core/load-config.js'
import type { LatencySummary, ScenarioResult, StepResult } from '../../core/results.js'
import { PRESETS } from '../../gates/presets.js'
import { canName } from '../../core/gate-figures.js'
import { scenarioFigures } from '../../scenarios/figures.js'
import { SCENARIO_FIGURES } from '../../scenarios/figure-names.js'
import { assetFigures, auditAssets } from '../../checks/page-load/assets.js'
import { pageFigures } from '../../checks/page-load/stats.js'
import { drillFigures } from '../../checks/drill/figures.js'
import type { Check } from '../../core/check.js'

const declared = CHECKS.filter((c) => c.settings)

async function configError(checks: Record<string, unknown>): Promise<ConfigError> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-decl-'))
  try {
    writeFileSync(join(dir, 'golive.config.json'), JSON.stringify({ environments: { s: { baseUrl: 'http://127.0.0.1:1', checks } } }))
    resolveEnvironment(await loadConfig({ cwd: dir, declarations: DECLARATIONS }), 's')
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`)
    return e
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  assert.fail(`accepted ${JSON.stringify(checks)}`)
}

/** A one-letter slip: the second-to-last letter dropped (httpPort → httpPrt). */
const misspell = (key: string) => key.slice(0, -2) + key.slice(-1)

describe('check settings: declared, validated with the config', () => {
  it('every check declares its settings and figures', () => {
    assert.deepEqual(
      CHECKS.filter((c) => !c.settings || !c.figures).map((c) => c.id),
      [],
    )
  })

  for (const check of declared) {
    for (const key of Object.keys(check.settings!.properties)) {
      it(`${check.id}: a misspelled ${key} is refused with the path and "did you mean ${key}"`, async () => {
        const typo = misspell(key)
        const e = await configError({ [check.id]: { [typo]: 1 } })
        assert.equal(e.file, 'golive.config.json')
        const id = /^[A-Za-z_$][\w$]*$/.test(check.id) ? `.${check.id}` : `["${check.id}"]`
        assert.equal(e.path, `environments.s.checks${id}.${typo}`)
        assert.equal(e.problem, `unknown setting (did you mean ${key}?)`)
        assert.equal(e.fix, `rename '${typo}' to '${key}'`)
      })
    }
  }

  it("the brief's example: headers: { httpPrt: 18401 }, as the CLI prints it", async () => {
    const e = await configError({ headers: { httpPrt: 18401 } })
    assert.match(
      e.message,
      /golive\.config\.json: environments\.s\.checks\.headers\.httpPrt: unknown setting \(did you mean httpPort\?\)\n {2}fix: rename 'httpPrt' to 'httpPort'/,
    )
  })

  it('a wrong type says what was expected, with the x-fix', async () => {
    const e = await configError({ headers: { httpPort: 'eighty' } })
    assert.equal(e.path, 'environments.s.checks.headers.httpPort')
    assert.match(e.problem, /expected a port number \(1-65535\), got 'eighty'/)
    assert.equal(e.fix, 'set httpPort to the port plain http listens on, e.g. 80')
    const m = await configError({ monitoring: { prometheus: 'http://p', requiredMetrics: [{ metric: 'up', maxAg: '1m' }] } })
    assert.equal(m.path, 'environments.s.checks.monitoring.requiredMetrics[0].maxAg')
  })

  it("one environment's typo is raised when that environment is chosen, not for another", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-decl-'))
    try {
      writeFileSync(
        join(dir, 'golive.config.json'),
        JSON.stringify({
          environments: {
            good: { baseUrl: 'http://127.0.0.1:1', checks: { headers: { httpPort: 8080 } } },
            typo: { baseUrl: 'http://127.0.0.1:1', checks: { headers: { httpPrt: 8080 } } },
          },
        }),
      )
      const loaded = await loadConfig({ cwd: dir, declarations: DECLARATIONS })
      assert.equal(resolveEnvironment(loaded, 'good').name, 'good')
      assert.throws(() => resolveEnvironment(loaded, 'typo'), /environments\.typo\.checks\.headers\.httpPrt: unknown setting \(did you mean httpPort\?\)/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a bad value that came from ${env:...} is never shown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-decl-'))
    try {
      writeFileSync(
        join(dir, 'golive.config.json'),
        JSON.stringify({
          environments: {
            s: {
              baseUrl: 'http://127.0.0.1:1',
              checks: { 'backup-restore': { restoreCommand: 'x', restoreUrl: 'postgresql://a@h/d', timeoutSeconds: '${env:DB_URL}' } },
            },
          },
        }),
      )
      const loaded = await loadConfig({ cwd: dir, declarations: DECLARATIONS, env: { DB_URL: 'postgresql://u:hunter2@db/x' } })
      const e = loaded.checkErrors?.s
      assert.ok(e, 'refused')
      assert.equal(e.path, 'environments.s.checks["backup-restore"].timeoutSeconds')
      assert.match(e.problem, /the value of \$\{env:DB_URL\} \(not shown\)/)
      assert.doesNotMatch(e.message, /hunter2/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('an unknown check id is refused with the nearest id', async () => {
    const e = await configError({ hedaers: true })
    assert.equal(e.path, 'environments.s.checks.hedaers')
    assert.equal(e.problem, "no check named 'hedaers' (did you mean headers?)")
  })

  it('actions are checked at config load: a misspelled staging fault, a bare fault name in an alert (checks/actions/)', async () => {
    const bad = await configError({ failover: { experiments: { a: { fault: ['staging:kil-app1'], rollback: 'staging:heal' } } } })
    assert.equal(bad.path, 'environments.s.checks.failover.experiments.a.fault')
    assert.match(bad.fix, /staging:kill-app1/)
    const alert = await configError({
      alerts: { prometheus: 'http://127.0.0.1:1', expected: [{ alertname: 'A', trigger: 'kill-app1', resolve: 'staging:heal' }] },
    })
    assert.equal(alert.path, 'environments.s.checks.alerts.expected[0].trigger')
  })
  it("rate-limit's allowedHosts moved to the environment's drillHosts: refused with that fix", async () => {
    const e = await configError({ 'rate-limit': { allowedHosts: ['staging.example.com'] } })
    assert.equal(e.path, 'environments.s.checks["rate-limit"].allowedHosts')
    assert.match(e.fix, /drillHosts/)
  })
  it("valid settings, true and false pass; underLoad is the runner's, on checks that take it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-decl-'))
    try {
      const checks = {
        headers: { httpPort: '8080', corsOrigin: 'https://evil.example', underLoad: true },
        tls: { timeoutMs: 1500 },
        findings: { files: ['a.sarif'], top: 3 },
        'page-load': { runs: 2, throttling: 'mobile', pages: ['/', { name: 'a', url: 'http://127.0.0.1:1/a' }], underLoad: true },
        monitoring: {
          prometheus: 'http://127.0.0.1:1',
          requiredMetrics: ['up', { metric: 'pg_up', maxAge: '2m' }],
          watchdog: false,
          grafana: { url: 'http://g', dashboards: ['x'] },
        },
        'rate-limit': false,
      }
      writeFileSync(join(dir, 'golive.config.json'), JSON.stringify({ environments: { s: { baseUrl: 'http://127.0.0.1:1', checks } } }))
      const loaded = await loadConfig({ cwd: dir, declarations: DECLARATIONS })
      resolveEnvironment(loaded, 's')
      assert.deepEqual(loaded.config.environments.s!.checks, checks, 'validation leaves the settings as written')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const e = await configError({ monitoring: { prometheus: 'http://p', underLoad: true } })
    assert.equal(e.problem, 'unknown setting')
  })
})

describe('gate figures: matched against what scenarios and checks can make', () => {
  it('refuses load.<s>.<unknown>, naming the nearest figures', () => {
    assert.equal(unmadeFigure('load.*.latency_p59', DECLARATIONS), 'no check or scenario makes load.*.latency_p59; did you mean latency_p50 or latency_p99?')
    assert.match(unmadeFigure('load.checkout.step.login.latncy_p95', DECLARATIONS)!, /did you mean step\.login\.latency_p95\?/)
    assert.match(unmadeFigure('load.checkout.p95', DECLARATIONS)!, /^no check or scenario makes load\.checkout\.p95/)
  })

  it('refuses <check>.<unknown> for a check that declares its figures', () => {
    assert.equal(unmadeFigure('headers.grdae', DECLARATIONS), 'the headers check makes no headers.grdae; did you mean grade?')
    assert.ok(unmadeFigure('tls.days_to_expire', DECLARATIONS))
    assert.ok(unmadeFigure('findings.criticals', DECLARATIONS))
  })

  const made = [
    'load.*.latency_p95',
    'load.checkout.error_rate',
    'load.*.step.*.latency_p99',
    'load.x.step.login.requests',
    'load.x.journey.buy.iterations',
    'load.x.group.cart.duration_p95',
    'load.x.metric.orders_count',
    'load.x.metric.ttfb_p95',
    'load.x.setup.error_rate',
    'load.x.web_vitals.lcp_p75',
    'load.x.web_vitals.cls_p75',
    'load.x.iteration_duration_p95',
    'load.x.step.home.duration_p95',
    'headers.grade',
    'headers.test.content-security-policy',
    'headers.under_load.grade',
    'tls.days_to_expiry',
    'findings.critical',
    'monitoring.targets_down',
    '*.grade',
    'load.*.*',
  ]
  for (const f of made) it(`takes ${f}`, () => assert.equal(unmadeFigure(f, DECLARATIONS), null))

  const others = [
    'server.checkout.cpu_p95',
    'db.checkout.query_p95',
    'capacity.load.headroom',
    'failover.primary.rto_seconds',
    'page-load.page.home.lcp_ms',
    'under_load.x',
  ]
  for (const f of others) it(`takes ${f}: its vocabulary is not enumerated here, so it is not refused`, () => assert.equal(unmadeFigure(f, DECLARATIONS), null))

  it('every preset gate names a figure something makes (the declarations cover the presets)', () => {
    for (const [name, gates] of Object.entries(PRESETS)) {
      for (const g of gates) assert.equal(unmadeFigure(g.figure, DECLARATIONS), null, `${name}: ${g.figure}`)
    }
  })
})

describe('scenario figure names: the declaration covers what scenarioFigures makes', () => {
  const LAT: LatencySummary = { count: 10, min: 1, mean: 2, p50: 2, p90: 3, p95: 4, p99: 5, max: 6 }
  const step = (name: string, over: Partial<StepResult> = {}): StepResult => ({
    name,
    method: 'GET',
    requests: 5,
    errors: 1,
    statuses: {},
    checks: { passed: 1, failed: 1 },
    latency: LAT,
    histogram: null,
    ...over,
  })
  const r: ScenarioResult = {
    name: 'checkout',
    engine: 'embedded',
    status: 'measured',
    startedAt: '2024-01-01T00:00:00Z',
    durationMs: 1000,
    profile: {},
    coordinatedOmission: 'not-applicable',
    requests: 10,
    errors: 1,
    iterations: 2,
    droppedIterations: 0,
    vusMax: 1,
    bytesReceived: 10,
    statuses: {},
    latency: LAT,
    histogram: null,
    steps: [step('home'), step('login', { phase: 'setup' }), step('bye', { phase: 'teardown' })],
    timeline: [],
    topErrors: [],
    journeys: [{ name: 'buy', weight: 1, iterations: 2, requests: 10, errors: 1, latency: LAT, steps: ['home'] }],
    groups: [{ name: 'cart', count: 2, duration: LAT, histogram: null }],
    metrics: [
      { name: 'orders', type: 'counter', count: 2, sum: 2, nonZero: 2 },
      { name: 'ok', type: 'rate', count: 2, sum: 1, nonZero: 1 },
      { name: 'think', type: 'trend', count: 2, sum: 4, nonZero: 2, summary: LAT },
    ],
  }
  const names = Object.keys(scenarioFigures(r))

  it('makes a figure of each family (a sanity check of this test)', () => {
    for (const f of [
      'load.checkout.latency_p95',
      'load.checkout.step.home.latency_p99',
      'load.checkout.setup.error_rate',
      'load.checkout.journey.buy.latency_p95',
      'load.checkout.group.cart.duration_p95',
      'load.checkout.metric.think_p95',
      'load.checkout.metric.ok_rate',
    ]) {
      assert.ok(names.includes(f), f)
    }
  })

  for (const n of names) {
    it(`${n} is declared`, () => {
      assert.ok(
        SCENARIO_FIGURES.some((d) => canName(n.split('.').slice(2), d)),
        `add ${n.split('.').slice(2).join('.')} to scenarios/figure-names.ts`,
      )
    })
  }
})

describe("checks' figure declarations cover what their pure figure functions make", () => {
  const byId = (id: string) => CHECKS.find((c) => c.id === id) as Check
  const covered = (check: Check, name: string) => assert.equal(unmadeFigure(`${check.id}.${name}`, DECLARATIONS), null, `${check.id}.${name} is not declared`)

  it('page-load: every page metric, its _worst, runs and every asset count', () => {
    const run = { ttfb_ms: 1, fcp_ms: 2, lcp_ms: 3, cls: 0.01, dcl_ms: 4, load_ms: 5, bytes: 6, requests: 7, console_errors: 0, failed_requests: 0 }
    const names = [...Object.keys(pageFigures('home', [run as never])), ...Object.keys(assetFigures('home', auditAssets([])))]
    assert.ok(names.length >= 30, `${names.length} figures`)
    for (const n of names) covered(byId('page-load'), n)
  })

  it('failover: every drill figure per experiment; rolling-restart: its own', () => {
    const all = {
      seconds_to_first_failure: 1,
      rto_seconds: 2,
      failed_requests: 3,
      requests: 4,
      failed_ratio: 0.1,
      error_ratio_during: 0.2,
      lost_writes: 0,
      rpo_seconds: 0,
      writes_acknowledged: 5,
      recovered: true,
    }
    const names = Object.keys(drillFigures(all as never, 'primary.'))
    assert.equal(names.length, 9)
    for (const n of names) covered(byId('failover'), n)
    for (const n of Object.keys(drillFigures(all as never, 'rollback_', ['failed_requests', 'requests', 'failed_ratio', 'error_ratio_during', 'lost_writes'])))
      covered(byId('rolling-restart'), n)
    assert.ok(unmadeFigure('rolling-restart.rto_seconds', DECLARATIONS), 'a rolling restart has no RTO')
  })
})

test('a check is its file: every checks/<id>.ts that exports a Check is registered, under the id of its file name', async () => {
  const dir = fileURLToPath(new URL('../../checks/', import.meta.url))
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  const declared: string[] = []
  for (const f of files) {
    const name = /^export const (\w+): Check = \{/m.exec(readFileSync(join(dir, f), 'utf8'))?.[1]
    if (!name) continue
    const check = ((await import(`../../checks/${f.replace(/\.ts$/, '.js')}`)) as Record<string, Check>)[name]!
    assert.equal(check.id, f.replace(/\.ts$/, ''), `checks/${f}: the id equals the file name`)
    assert.ok(CHECKS.includes(check), `checks/${f} exports ${name} but checks/index.ts does not list it: add it to CHECKS`)
    declared.push(check.id)
  }
  assert.deepEqual(declared.sort(), CHECKS.map((c) => c.id).sort(), 'CHECKS holds exactly the checks the files declare')
})
