// The alerts check: proves that alerts really ring. For each expected alert it causes the
// condition (a drill), watches Prometheus (pending → firing), Alertmanager and golive's own
// webhook receiver, then resolves it (always, also on Ctrl-C) and watches it clear. Before
// that, from the live configuration: each alert's latency budget (scrape + evaluation + for +
// group_wait) against its deadline, expected alerts no rule defines, rules that read metrics
// nobody exports; and `promtool test rules` on the configured rule tests.
// Drills run only where the environment allows drills; the rest runs everywhere.
// Settings: checks/alerts/settings.ts and docs/checks/alerts.md.

import { resultClock, targetOf, type Check, type CheckContext } from '../core/check.js'
import { allowsDrills, consentRefusal } from '../core/consent.js'
import { ALERTS_SETTINGS } from './alerts/settings.js'
import type { CheckResult, Detail, DetailChart, Figure } from '../core/results.js'
import { alertmanagerBase, amStatus, promAlertmanagers, promConfigYaml, promQuery, promRules } from './alerts/api.js'
import { promIntervals, routeFor, webhookUrls } from './alerts/budget.js'
import { drill, drillTogether, type DrillOutcome } from './alerts/drill.js'
import { headings, listDetail, tableDetail, timelineDetail } from '../core/details.js'
import { planAlert, type AlertPlan } from './alerts/plan.js'
import { startReceiver, type Receiver } from './alerts/receiver.js'
import { promtoolFound, runRuleTests, type RuleTestFile } from './alerts/rule-tests.js'
import { readSettings, type AlertsSettings } from './alerts/settings.js'
import { actionContext } from './actions/context.js'
import { Journal, journalDir } from './drill/journal.js'
import { userAgentOf } from '../core/user-agent.js'

const s = (value: number, samples?: number): Figure => ({ value, unit: 's', ...(samples ? { samples } : {}) })
const count = (value: number): Figure => ({ value, unit: 'count' })

export const alerts: Check = {
  id: 'alerts',
  title: 'Alerts fire, reach a receiver and resolve',
  group: 'Observability',
  settings: ALERTS_SETTINGS,
  figures: [
    { name: 'expected_alerts', unit: 'count', meaning: 'alerts listed in expected' },
    { name: 'without_rule', unit: 'count', meaning: 'expected alerts no Prometheus rule defines' },
    { name: 'over_budget', unit: 'count', meaning: "alerts whose for + group_wait + evaluation can exceed their deadline (from Alertmanager's config)" },
    { name: '<alert>.budget_seconds', unit: 's', meaning: "the alert's worst-case time to notify, from its rule and Alertmanager's config" },
    { name: '<alert>.deadline_seconds', unit: 's', meaning: "the alert's deadline" },
    { name: '<alert>.for_seconds', unit: 's', meaning: "the rule's for:" },
    { name: 'rule_tests_passed', unit: 'count', meaning: 'promtool rule tests passed' },
    { name: 'rule_tests_failed', unit: 'count', meaning: 'promtool rule tests failed (or whose file failed)' },
    { name: 'rule_test_<test>', unit: 'count', meaning: '1 when that rule test passed' },
    { name: 'missing_data', unit: 'count', meaning: 'alerts whose expression had no data after the drill' },
    { name: '<alert>.seconds_to_pending', unit: 's', meaning: 'the trigger → the alert pending in Prometheus' },
    { name: '<alert>.seconds_to_firing', unit: 's', meaning: 'the trigger → firing in Prometheus' },
    { name: '<alert>.seconds_to_alertmanager', unit: 's', meaning: 'the trigger → active in Alertmanager' },
    { name: '<alert>.seconds_to_notify', unit: 's', meaning: 'the trigger → the notification at the receiver' },
    { name: '<alert>.seconds_to_resolve', unit: 's', meaning: 'the resolve action → the resolved notification (without a receiver: gone from Prometheus)' },
    { name: '<alert>.seconds_to_clear', unit: 's', meaning: 'the resolve action → gone from Prometheus' },
    { name: '<alert>.labels_ok', unit: 'count', meaning: '1 when the notification carried the expected labels' },
    { name: 'not_notified', unit: 'count', meaning: 'triggered alerts that never reached the receiver' },
    { name: 'not_resolved', unit: 'count', meaning: 'alerts that fired and never resolved' },
    { name: 'labels_mismatched', unit: 'count', meaning: 'notifications without the expected labels' },
    { name: 'seconds_to_notify_max', unit: 's', meaning: 'the slowest seconds_to_notify (only when every triggered alert notified)' },
    { name: 'seconds_to_resolve_max', unit: 's', meaning: 'the slowest seconds_to_resolve (only when every alert resolved)' },
  ],
  async run(ctx: CheckContext): Promise<CheckResult> {
    const result = resultClock(alerts)
    let st: AlertsSettings
    try {
      st = readSettings(ctx.settings, ctx.configDir)
    } catch (e) {
      return result({ status: 'error', reason: (e as Error).message, figures: {}, evidence: null })
    }

    const figures: Record<string, Figure> = {}
    const evidence: Record<string, unknown> = { prometheus: st.prometheus }

    // 1. the live configuration
    let groups, configYaml
    try {
      ;[groups, configYaml] = await Promise.all([promRules(st.prometheus, st.timeoutMs, ctx.signal), promConfigYaml(st.prometheus, st.timeoutMs, ctx.signal)])
    } catch (e) {
      return result({
        status: 'error',
        reason: `cannot read Prometheus's rules and config: ${(e as Error).message}: is checks.alerts.prometheus right, and Prometheus up?`,
        figures,
        evidence,
      })
    }
    const iv = promIntervals(configYaml)
    let am = st.alertmanager
    if (!am)
      am = await promAlertmanagers(st.prometheus, st.timeoutMs, ctx.signal).then(
        (u) => u[0] && alertmanagerBase(u[0]),
        () => undefined,
      )
    let amYaml: string | undefined
    if (am) {
      try {
        amYaml = (await amStatus(am, st.timeoutMs, ctx.signal)).config.original
      } catch (e) {
        evidence.alertmanagerProblem = `cannot read Alertmanager's status: ${(e as Error).message}`
      }
    } else evidence.alertmanagerProblem = 'no Alertmanager: Prometheus sends alerts to none (set checks.alerts.alertmanager)'
    evidence.alertmanager = am ?? null
    evidence.intervals = iv

    const plans = st.expected.map((a) => planAlert(a, groups, iv, amYaml))
    const missing = await missingMetrics(st, plans, ctx.signal)
    const withoutRule = plans.filter((p) => !p.rule)
    const overBudget = st.expected.filter((a, i) => plans[i]!.budget && plans[i]!.budget!.totalSeconds > a.deadlineSeconds)
    figures.expected_alerts = count(st.expected.length)
    figures.without_rule = count(withoutRule.length)
    if (amYaml !== undefined) figures.over_budget = count(overBudget.length)
    st.expected.forEach((a, i) => {
      const b = plans[i]!.budget
      if (b) {
        figures[`${a.key}.budget_seconds`] = s(b.totalSeconds)
        figures[`${a.key}.deadline_seconds`] = s(a.deadlineSeconds)
      }
      if (plans[i]!.rule) figures[`${a.key}.for_seconds`] = s(plans[i]!.rule!.forSeconds)
    })

    // does Alertmanager deliver to golive's receiver at all?
    let receiverProblem: string | undefined
    if (st.receiver && amYaml !== undefined) {
      const ours = `http://${st.receiver.host}:${st.receiver.port}${st.receiver.path}`
      const same = (u: string) => {
        try {
          const x = new URL(u)
          return Number(x.port) === st.receiver!.port && x.pathname === st.receiver!.path && /^(127\.|localhost$|\[::1\]$)/.test(x.hostname)
        } catch {
          return false
        }
      }
      const notOurs = st.expected
        .filter(
          (a, i) =>
            plans[i]!.rule && !webhookUrls(amYaml!, routeFor(amYaml!, { ...plans[i]!.rule!.labels, ...a.labels, alertname: a.alertname }).receiver).some(same),
        )
        .map((a) => a.alertname)
      if (notOurs.length)
        evidence.receiverNotRouted = receiverProblem =
          `Alertmanager does not route ${notOurs.join(', ')} to golive's receiver ${ours} (its webhooks: ${webhookUrls(amYaml).join(', ') || 'none'}): ` +
          'point a webhook_config there, or set checks.alerts.receiverPort to its port'
    }

    // 2. rule tests
    const ruleTests: RuleTestFile[] = []
    if (st.ruleTests.length) {
      if (!promtoolFound(st.promtool))
        evidence.ruleTests = `promtool not found (${st.promtool}): install Debian's prometheus package, or set checks.alerts.promtool; rule tests not run`
      else {
        for (const f of st.ruleTests) {
          try {
            ruleTests.push(await runRuleTests(st.promtool, f))
          } catch (e) {
            return result({ status: 'error', reason: (e as Error).message, figures, evidence })
          }
        }
        const all = ruleTests.flatMap((r) => r.tests)
        figures.rule_tests_passed = count(all.filter((t) => t.passed).length)
        figures.rule_tests_failed = count(all.filter((t) => !t.passed).length + ruleTests.filter((r) => r.error && r.tests.length === 0).length)
        for (const t of all) figures[`rule_test_${t.name.replace(/[^A-Za-z0-9_-]/g, '_')}`] = count(t.passed ? 1 : 0)
        evidence.ruleTests = ruleTests.map((r) => ({
          file: r.file,
          tests: r.tests,
          ...(r.error ? { error: `the rules do not load: ${r.error}` } : {}),
          ...(r.tests.some((t) => !t.passed) ? { output: r.output.slice(0, 4000) } : {}),
        }))
      }
    }

    // 3. the drills
    const outcomes: (DrillOutcome | undefined)[] = st.expected.map(() => undefined)
    const drillable = st.expected.filter((a, i) => a.trigger && plans[i]!.rule)
    let drillsNote: string | undefined
    // the read-only part above runs anywhere; the triggers need consent
    if (!allowsDrills(ctx.env)) drillsNote = `${consentRefusal(ctx.envName, 'drills not run')}; delivery figures are missing, so their gates fail`
    else if (drillable.length) {
      let receiver: Receiver | undefined
      try {
        if (st.receiver) receiver = await startReceiver(st.receiver.host, st.receiver.port, st.receiver.path)
        const deps = {
          prometheus: st.prometheus,
          alertmanager: am,
          receiver,
          pollMs: st.pollMs,
          timeoutMs: st.timeoutMs,
          // the traffic looks like users': the environment's headers and auth, to its own origin only
          signal: ctx.signal,
          baseUrl: ctx.env.baseUrl,
          target: targetOf(ctx),
          log: ctx.log,
          journal: { journal: new Journal(journalDir(ctx.configDir, ctx.envName)), env: ctx.envName },
          userAgent: userAgentOf(ctx.env, 'alert traffic'),
          actions: actionContext(ctx, st.stagingDir),
        }
        const todo = st.expected.flatMap((a, i) =>
          a.trigger && plans[i]!.rule ? [{ i, a, waitSeconds: a.waitSeconds ?? Math.min(a.deadlineSeconds, (plans[i]!.budget?.totalSeconds ?? 60) + 60) }] : [],
        )
        if (st.parallel) {
          // one fault window for all: the check takes the longest drill, not the sum
          const done = await drillTogether(todo, deps)
          todo.forEach((t, k) => {
            outcomes[t.i] = done[k]
          })
        } else {
          for (const t of todo) {
            if (ctx.signal.aborted) break
            outcomes[t.i] = await drill(t.a, t.waitSeconds, deps)
          }
        }
        evidence.parallel = st.parallel
      } catch (e) {
        return result({ status: 'error', reason: (e as Error).message, figures, evidence })
      } finally {
        if (receiver) {
          evidence.deliveries = receiver.deliveries.length
          await receiver.close()
        }
      }
    }
    // metrics still missing after the drills: the rule cannot fire for want of data
    const missingAfter = allowsDrills(ctx.env) && drillable.length ? await missingMetrics(st, plans, ctx.signal) : missing
    figures.missing_data = count(plans.filter((p) => (missingAfter.get(p.alertname) ?? []).length > 0).length)

    let notNotified = 0,
      notResolved = 0
    const notifyTimes: number[] = [],
      resolveTimes: number[] = []
    let labelsWrong = 0
    const perAlert = st.expected.map((a, i) => {
      const plan = plans[i]!
      const o = outcomes[i]
      const k = a.key
      const problems = [...plan.problems]
      const miss = missingAfter.get(a.alertname) ?? []
      if (miss.length) {
        problems.push(
          `missing data: no series of ${miss.join(', ')} (the rule's expression reads ${miss.length > 1 ? 'them' : 'it'}; ` +
            `nobody exports ${miss.length > 1 ? 'them' : 'it'}, or the scrape fails), so it cannot fire` +
            (o ? '' : '; a counter that appears only with its first event (an error counter) reads as missing until then: export it at 0 from the start'),
        )
      }
      if (o) {
        if (o.pending !== undefined) figures[`${k}.seconds_to_pending`] = s(o.pending, 1)
        if (o.firing !== undefined) figures[`${k}.seconds_to_firing`] = s(o.firing, 1)
        if (o.alertmanager !== undefined) figures[`${k}.seconds_to_alertmanager`] = s(o.alertmanager, 1)
        if (o.notify !== undefined) {
          figures[`${k}.seconds_to_notify`] = s(o.notify, 1)
          notifyTimes.push(o.notify)
        } else notNotified++
        const resolved = st.receiver && o.notify !== undefined ? o.resolvedNotify : o.cleared
        // resolving means something only for an alert that fired; one that never did fails as not notified
        if (resolved !== undefined) {
          figures[`${k}.seconds_to_resolve`] = s(resolved, 1)
          resolveTimes.push(resolved)
        } else if (o.firing !== undefined || o.notify !== undefined) notResolved++
        if (o.cleared !== undefined) figures[`${k}.seconds_to_clear`] = s(o.cleared, 1)
        const wrong = Object.entries(a.labels).filter(([l, v]) => o.labelsSeen && o.labelsSeen[l] !== v)
        if (o.labelsSeen) figures[`${k}.labels_ok`] = count(wrong.length ? 0 : 1)
        if (wrong.length) {
          labelsWrong++
          problems.push(
            `labels: expected ${wrong.map(([l, v]) => `${l}="${v}"`).join(', ')}, saw ${wrong.map(([l]) => `${l}="${o.labelsSeen![l] ?? ''}"`).join(', ')}`,
          )
        }
        if (o.firing === undefined && !o.interrupted && !o.errors.length) problems.push(`did not fire within ${o.waitedSeconds} s of the trigger`)
        else if (o.notify === undefined && st.receiver && !o.interrupted && !o.errors.length)
          problems.push(`fired but no notification reached golive's receiver within ${o.waitedSeconds} s`)
        problems.push(...o.errors)
      } else if (a.trigger && allowsDrills(ctx.env) && plan.rule) notNotified++
      return {
        alertname: a.alertname,
        expectedLabels: a.labels,
        deadlineSeconds: a.deadlineSeconds,
        rule: plan.rule,
        route: plan.route,
        budget: plan.budget,
        metrics: plan.metrics,
        drill: o,
        problems,
      }
    })
    if (allowsDrills(ctx.env) && drillable.length && !ctx.signal.aborted) {
      // an expected alert that has no rule never notifies: it counts as not notified
      notNotified += st.expected.filter((a, i) => a.trigger && !plans[i]!.rule).length
      figures.not_notified = count(notNotified)
      figures.not_resolved = count(notResolved)
      figures.labels_mismatched = count(labelsWrong)
      const triggered = st.expected.filter((a) => a.trigger).length
      // the slowest alert, only when every triggered alert was delivered: a missing one fails the gate
      if (notNotified === 0 && notifyTimes.length === triggered) figures.seconds_to_notify_max = s(Math.max(...notifyTimes), notifyTimes.length)
      if (notResolved === 0 && notNotified === 0 && resolveTimes.length === triggered)
        figures.seconds_to_resolve_max = s(Math.max(...resolveTimes), resolveTimes.length)
    }
    evidence.alerts = perAlert
    // what the timings rest on: one trigger per alert, read on Prometheus's evaluation and Alertmanager's group timers
    if (outcomes.some(Boolean))
      evidence.samples = `each alert's timings are one trial (one trigger); the *_max figures rest on ${notifyTimes.length} notified and ${resolveTimes.length} resolved alerts`
    if (drillsNote) evidence.drills = drillsNote
    const problems = perAlert.flatMap((p) => p.problems.map((x) => `${p.alertname}: ${x}`))
    if (receiverProblem) problems.unshift(receiverProblem)
    for (const r of ruleTests) {
      if (r.error) problems.push(`rule tests ${r.file}: the rules do not load: ${r.error}`)
      else for (const t of r.tests.filter((x) => !x.passed)) problems.push(`rule tests ${r.file}: ${t.name} failed`)
    }
    if (problems.length) evidence.problems = problems
    const details = alertDetails(perAlert, problems)
    return result({
      status: 'measured',
      figures,
      evidence,
      details,
      ...(ctx.signal.aborted
        ? { reason: 'interrupted: resolve actions ran; figures are what was measured until then' }
        : drillsNote
          ? { reason: drillsNote }
          : {}),
    })
  },
}

/** For each planned alert, the metrics its rule reads that have no series at all right now. */
async function missingMetrics(st: AlertsSettings, plans: AlertPlan[], signal: AbortSignal): Promise<Map<string, string[]>> {
  const names = [...new Set(plans.flatMap((p) => p.metrics))]
  const out = new Map<string, string[]>()
  if (!names.length) return out
  let present: Set<string>
  try {
    const r = await promQuery(st.prometheus, `count by (__name__) ({__name__=~"${names.join('|')}"})`, st.timeoutMs, signal)
    present = new Set(r.map((x) => x.metric.__name__ ?? ''))
  } catch {
    return out
  }
  for (const p of plans)
    out.set(
      p.alertname,
      p.metrics.filter((m) => !present.has(m)),
    )
  return out
}

/** Each drilled alert's stages in time (seconds after the trigger, its deadline marked), then every
 *  expected alert's timings against its deadline, then the problems. */
export function alertDetails(
  perAlert: { alertname: string; deadlineSeconds: number; drill?: DrillOutcome; problems: string[] }[],
  problems: string[],
): Detail[] {
  const out: Detail[] = []
  const stages = [
    ['pending', 'pending'],
    ['firing', 'firing'],
    ['alertmanager', 'in Alertmanager'],
    ['notify', 'notified'],
  ] as const
  for (const a of perAlert) {
    const d = a.drill
    if (!d) continue
    const events = [{ t: 0, stage: 'triggered' }, ...stages.flatMap(([k, label]) => (d[k] === undefined ? [] : [{ t: d[k]!, stage: label }]))]
    const seen = Math.max(...events.map((e) => e.t))
    out.push(
      timelineDetail({
        title: `Alert drill: ${a.alertname} (seconds after the trigger)`,
        timeKey: 't',
        unit: 's',
        labelKey: 'stage',
        events,
        // the deadline, when it is in view of what happened
        ...(a.deadlineSeconds <= seen * 1.5 ? { marks: [{ at: a.deadlineSeconds, label: 'deadline' }] } : {}),
      }),
    )
  }
  out.push(
    tableDetail(
      headings(
        ['alert', 'alert'],
        ['pending', 'pending', 's'],
        ['firing', 'firing', 's'],
        ['alertmanager', 'Alertmanager', 's'],
        ['notify', 'notified', 's'],
        ['deadline', 'deadline', 's'],
        ['resolved', 'resolved after the resolve action', 's'],
        ['problems', 'problems', 'text'],
      ),
      perAlert.map((a) => {
        const d = a.drill
        return {
          alert: a.alertname,
          pending: d?.pending,
          firing: d?.firing,
          alertmanager: d?.alertmanager,
          notify: d ? (d.notify ?? 'never') : null,
          deadline: a.deadlineSeconds,
          resolved: d?.resolvedNotify ?? d?.cleared,
          problems: a.problems.join('; '),
        }
      }),
      {
        title: 'Alerts',
        name: 'alerts',
        chart: alertsChart(perAlert.filter((a) => a.drill).map((a) => ({ deadline: a.deadlineSeconds, times: stages.map(([k]) => a.drill![k]) }))),
      },
    ),
  )
  if (problems.length) out.push(listDetail(problems, 'Problems'))
  return out
}

/** The drills as lanes: each alert's stages in seconds after the trigger, the earliest deadline
 *  marked when it is in view of what happened. */
function alertsChart(drills: { deadline: number; times: (number | undefined)[] }[]): DetailChart {
  const seen = Math.max(0, ...drills.flatMap((d) => d.times.filter((t): t is number => typeof t === 'number')))
  const deadline = Math.min(...drills.map((d) => d.deadline))
  return {
    kind: 'lanes',
    title: 'Alert drills: triggered → pending → firing → Alertmanager → notified',
    xLabel: 'seconds after the trigger',
    laneKey: 'alert',
    origin: 'triggered',
    series: [{ key: 'pending' }, { key: 'firing' }, { key: 'alertmanager', label: 'in Alertmanager' }, { key: 'notify', label: 'notified' }],
    marks: drills.length && deadline <= seen * 1.5 ? [{ at: deadline, label: 'deadline' }] : [],
  }
}
