// What the live configuration promises for each expected alert: the rule that defines it,
// the route it takes, and its latency budget, before anything is triggered. Pure.

import type { PromRule, PromRuleGroup } from './api.js'
import { budgetOf, metricNames, routeFor, scrapeSecondsFor, type Budget, type PromIntervals, type RouteChoice } from './budget.js'
import type { ExpectedAlert } from './settings.js'

export interface AlertPlan {
  alertname: string
  rule?: { group: string; file: string; expr: string; forSeconds: number; labels: Record<string, string>; health?: string; lastError?: string }
  route?: RouteChoice
  budget?: Budget
  /** the metrics the rule's expression reads (those only inside absent() left out) */
  metrics: string[]
  problems: string[]
}

export function planAlert(a: ExpectedAlert, groups: PromRuleGroup[], iv: PromIntervals, amConfigYaml: string | undefined): AlertPlan {
  const candidates: { g: PromRuleGroup; r: PromRule }[] = groups.flatMap((g) =>
    g.rules.filter((r) => r.type === 'alerting' && r.name === a.alertname).map((r) => ({ g, r })),
  )
  if (!candidates.length) {
    return {
      alertname: a.alertname,
      metrics: [],
      problems: [
        `no alerting rule defines ${a.alertname}: Prometheus has ${groups.reduce((n, g) => n + g.rules.length, 0)} alerting rules, none named so (a typo, or a rule file Prometheus does not load?)`,
      ],
    }
  }
  // the rule whose labels agree with the expected ones; else the first
  const agrees = (r: PromRule) => Object.entries(a.labels).every(([k, v]) => (r.labels ?? {})[k] === undefined || (r.labels ?? {})[k] === v)
  const { g, r } = candidates.find((c) => agrees(c.r)) ?? candidates[0]!
  const labels = { ...(r.labels ?? {}), alertname: a.alertname }
  const problems: string[] = []
  for (const [k, v] of Object.entries(a.labels)) {
    if (r.labels?.[k] !== undefined && r.labels[k] !== v) problems.push(`the rule sets ${k}="${r.labels[k]}", the config expects ${k}="${v}"`)
  }
  if (r.health && r.health !== 'ok' && r.health !== 'unknown') problems.push(`the rule's health is ${r.health}${r.lastError ? `: ${r.lastError}` : ''}`)
  const forSeconds = r.duration ?? 0
  const evalSeconds = g.interval || iv.evalSeconds
  const scrape = scrapeSecondsFor(r.query, iv)
  const names = metricNames(r.query)
  const plan: AlertPlan = {
    alertname: a.alertname,
    rule: {
      group: g.name,
      file: g.file,
      expr: r.query,
      forSeconds,
      labels: r.labels ?? {},
      ...(r.health ? { health: r.health } : {}),
      ...(r.lastError ? { lastError: r.lastError } : {}),
    },
    metrics: names.names.filter((n) => !names.onlyInAbsent.includes(n)),
    problems,
  }
  if (amConfigYaml !== undefined) {
    const route = routeFor(amConfigYaml, { ...labels, ...a.labels })
    plan.route = route
    plan.budget = budgetOf(scrape.seconds, evalSeconds, forSeconds, route.groupWaitSeconds)
    if (plan.budget.totalSeconds > a.deadlineSeconds) {
      problems.push(
        `the budget alone (${plan.budget.totalSeconds} s = ` +
          `scrape ${scrape.seconds} + evaluation ${evalSeconds} + for ${forSeconds} + group_wait ${route.groupWaitSeconds}) exceeds the deadline of ${a.deadlineSeconds} s`,
      )
    }
  }
  return plan
}
