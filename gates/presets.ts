// Built-in gate sets. Preset gates are optional: a preset names checks a run may not include,
// and those rows read 'not-run' instead of failing. One array per area, so adding the tls,
// headers or backup gates later is one new array and one line in the preset.

import type { GateSpec } from '../core/results.js'
import { UsageError } from '../core/errors.js'
import { parseGate } from './parse.js'

/** The 100-user gate, before forMainScenario names the environment's main scenario. */
const MAIN_SCENARIO_GATE = 'load.load.vus_max >= 100'
const MAIN_FIGURE = 'load.load.vus_max'

/** The preset's 100-user gate on the environment's main scenario, whatever its name. */
export function forMainScenario(gates: GateSpec[], main: string | undefined): GateSpec[] {
  if (main === undefined) return gates
  return gates.map((g) => (g.source === 'go-live' && g.figure === MAIN_FIGURE ? { ...g, figure: `load.${main}.vus_max` } : g))
}

/** The main scenario a run named in its recorded gates (forMainScenario), if any. */
export function mainScenarioOf(recorded: readonly GateSpec[]): string | undefined {
  const g = recorded.find(
    (x) => x.source === 'go-live' && x.op === '>=' && String(x.target) === '100' && /^load\.[^.]+\.vus_max$/.test(x.figure) && x.figure !== MAIN_FIGURE,
  )
  return g?.figure.split('.')[1]
}

/** Every load scenario: fast enough at p95, no request stuck for long, next to no errors. */
const LOAD_GATES = [
  'load.*.latency_p95 < 500ms',
  'load.*.latency_max < 2s',
  'load.*.error_rate < 0.1%',
  // the environment's main scenario (its first) reached at least 100 concurrent users: the
  // run renames this gate to load.<main>.vus_max (forMainScenario); unrenamed it reads not run
  MAIN_SCENARIO_GATE,
  // "100+ users without degradation": p95 at peak users at most 3× the p95 at low load
  'load.*.degradation <= 3 warn',
]

/** The machine under the load (server figures, the node query preset): headroom on CPU, memory
 *  and disk, as launch plans set their alerts. Warnings: a busy box is a risk, not an outage. */
const SYSTEM_GATES = ['server.*.cpu_percent < 80% warn', 'server.*.memory_percent < 85% warn', 'server.*.disk_percent < 90% warn']

/** The TLS endpoint: SSL Labs A+, and a certificate that is not about to expire. */
const TLS_GATES = ['tls.grade >= A+', 'tls.days_to_expiry >= 30 warn']

/** Security headers: the MDN HTTP Observatory grade of the target (checks/headers). */
const HEADERS_GATES = ['headers.grade >= A']

/** Brute force: a client is refused after at most 100 wrong passwords. */
const RATE_LIMIT_GATES = ['rate-limit.login_attempts_before_block <= 100']

/** Scanner reports: nothing critical or high left open. */
const FINDINGS_GATES = ['findings.critical == 0', 'findings.high == 0']

/** Disaster-recovery drills: a restore fits in an hour and loses nothing; failover within two
 *  minutes without losing an acknowledged write (where a write probe measured it: without one
 *  the gate reads not run, never pass); in no failover experiment do most probe requests fail
 *  (any failed request is a warning); a rolling restart fails no request. */
const DRILL_GATES = [
  'backup-restore.projected_restore_seconds < 3600',
  'backup-restore.mismatches == 0',
  'backup-restore.backup_age_hours < 24 warn',
  'failover.*.rto_seconds < 120',
  'failover.*.lost_writes == 0',
  // every experiment, whatever the environment names it: a failover users notice is a warning,
  // one in which most probe requests failed (a crash of the only instance) is an outage,
  // whatever its RTO
  'failover.*.failed_requests == 0 warn',
  'failover.*.failed_ratio < 50%',
  // an experiment run under load (underLoad): the real journeys in the fault window, as a warning
  'failover.*.load.error_rate < 1% warn',
  'rolling-restart.failed_requests == 0',
  // (rolling-restart.rollback_seconds < 120 only where a rollbackCommand is configured: add it
  // to the config's rules there; a preset gate on a figure most runs do not have would fail)
]

/** Alerts (checks/alerts): every expected alert reaches the receiver within 5 minutes (the
 *  maximum is reported only when every triggered alert was delivered), and resolves; no expected
 *  alert lacks a rule or has a budget over its deadline; the rule tests pass. */
const ALERT_GATES = [
  'alerts.*.seconds_to_notify < 300s',
  'alerts.seconds_to_notify_max < 300s',
  'alerts.not_notified == 0',
  'alerts.not_resolved == 0',
  'alerts.without_rule == 0',
  'alerts.over_budget == 0',
  'alerts.missing_data == 0 warn',
  'alerts.labels_mismatched == 0 warn',
  'alerts.rule_tests_failed == 0 warn',
]

/** Monitoring (checks/monitoring): every target up, required metrics fresh, Alertmanager ready,
 *  the Watchdog (dead man's switch) firing. */
const MONITORING_GATES = [
  'monitoring.targets_down == 0',
  'monitoring.metrics_stale == 0',
  'monitoring.metrics_missing == 0',
  'monitoring.alertmanager_ready == 1',
  'monitoring.watchdog_firing == 1',
]

/** Against the baseline run (--baseline): p95 and errors must not regress past both a relative
 *  and an absolute step (jitter on a 3 ms endpoint is not a regression), grades must not drop.
 *  Without a baseline these rows read "not run". */
const BASELINE_GATES = ['load.*.latency_p95 rise< 10%,20ms', 'load.*.error_rate rise< 50%,0.05%', 'tls.grade drop< 1 warn', 'headers.grade drop< 1 warn']

/** How the page feels in Chromium (checks/page-load): Google's "good" Core Web Vitals for LCP and
 *  CLS, the load event within 3 s, and a console without errors (warn). The asset audit warns:
 *  static files without a long enough cache lifetime, text sent uncompressed, HTTP/1 requests. */
const PAGE_LOAD_GATES = [
  'page-load.page.*.lcp_ms < 2.5s',
  'page-load.page.*.load_ms < 3s',
  'page-load.page.*.cls < 0.1',
  'page-load.page.*.console_errors == 0 warn',
  'page-load.page.*.assets.uncached == 0 warn',
  'page-load.page.*.assets.uncompressed == 0 warn',
  'page-load.page.*.assets.http1_requests == 0 warn',
]

/** Browser scenarios (a Playwright spec as users, docs/browser.md): Google's "good" Web Vitals
 *  at the 75th percentile of page views, as CrUX judges a site. Their error rate (failed
 *  iterations) is judged by load.*.error_rate < 0.1% above. */
const BROWSER_GATES = ['load.*.web_vitals.lcp_p75 < 2.5s', 'load.*.web_vitals.inp_p75 < 200ms', 'load.*.web_vitals.cls_p75 < 0.1']

/** The capacity search (golive capacity): the capacity found is at least twice the launch
 *  load (environments.<env>.launchLoad); not run without a capacity run. */
const CAPACITY_GATES = ['capacity.*.headroom >= 2']

function preset(name: string, ...areas: string[][]): GateSpec[] {
  return areas.flat().map((gate) => Object.freeze({ ...parseGate(gate, name), optional: true }))
}

export const PRESETS: Readonly<Record<string, readonly GateSpec[]>> = Object.freeze({
  'go-live': preset(
    'go-live',
    LOAD_GATES,
    TLS_GATES,
    HEADERS_GATES,
    RATE_LIMIT_GATES,
    FINDINGS_GATES,
    DRILL_GATES,
    ALERT_GATES,
    MONITORING_GATES,
    BASELINE_GATES,
    PAGE_LOAD_GATES,
    BROWSER_GATES,
    CAPACITY_GATES,
  ),
  system: preset('system', SYSTEM_GATES),
})

/** The gates in force: the named presets in order, then the config's rules. A rule on the
 *  same figure pattern and in the same direction (upper bound <, <=; lower bound >, >=;
 *  equality ==, !=) replaces the preset's gate, so 'load.*.latency_p95 < 800ms warn' relaxes
 *  the preset rather than adding a second, stricter gate beside it. */
export function resolveGates(presets: string[], rules: (GateSpec | string)[]): GateSpec[] {
  const known = Object.keys(PRESETS)
  const fromPresets = presets.flatMap((name) => {
    const gates = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined
    if (!gates) {
      throw new UsageError(`unknown gate preset '${name}': the known presets are ${known.map((k) => `'${k}'`).join(', ')}`)
    }
    return gates.map((g) => ({ ...g }))
  })
  const fromConfig = rules.map((rule) => parseGate(rule, 'config'))
  const overridden = new Set(fromConfig.map(key))
  return [...fromPresets.filter((g) => !overridden.has(key(g))), ...fromConfig]
}

function key(gate: GateSpec): string {
  const direction = gate.op === 'rise<' || gate.op === 'drop<' ? gate.op : gate.op.startsWith('<') ? 'upper' : gate.op.startsWith('>') ? 'lower' : 'equal'
  return `${gate.figure} ${direction}`
}
