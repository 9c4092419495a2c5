// The monitoring check: is the monitoring itself watching? Every Prometheus target up (the down
// ones named), each required metric with a sample newer than its allowed age (the stale and
// missing ones named), Alertmanager ready and its cluster status, the Watchdog (dead man's
// switch) alert firing through Prometheus and Alertmanager, and, with a Grafana URL, each
// dashboard panel's query returning data (the panels with no data named). Read-only.

import { resultClock, type Check, type CheckContext } from '../core/check.js'
import type { CheckResult, Detail, Figure } from '../core/results.js'
import { headings, kvDetail, listDetail, tableDetail } from '../core/details.js'
import { alertmanagerBase, amAlerts, amStatus, promAlertmanagers, promAlerts, promQuery, promTargets } from './alerts/api.js'
import { freshness, panelQueries, summarizeTargets, type Freshness } from './monitoring/evaluate.js'
import { MONITORING_SETTINGS, readSettings, type MonitoringSettings } from './monitoring/settings.js'
import { deliveryBroken, deliveryQueries, type Delivery } from './monitoring/delivery.js'

const count = (value: number): Figure => ({ value, unit: 'count' })

export const monitoring: Check = {
  id: 'monitoring',
  title: 'Monitoring watches: targets up, metrics fresh, Alertmanager ready, Watchdog firing',
  group: 'Observability',
  settings: MONITORING_SETTINGS,
  figures: [
    { name: 'targets_total', unit: 'count', meaning: "Prometheus's scrape targets" },
    { name: 'targets_up', unit: 'count', meaning: 'scrape targets up' },
    { name: 'targets_down', unit: 'count', meaning: 'scrape targets down' },
    { name: 'metrics_required', unit: 'count', meaning: 'required metrics fresh (requiredMetrics)' },
    { name: 'metrics_stale', unit: 'count', meaning: 'required metrics older than their maxAge' },
    { name: 'metrics_missing', unit: 'count', meaning: 'required metrics without any series' },
    { name: 'alertmanager_ready', unit: 'count', meaning: '1 when Alertmanager answers ready' },
    { name: 'alertmanager_cluster', meaning: "Alertmanager's cluster status (ready, settling, disabled)" },
    { name: 'alertmanager_peers', unit: 'count', meaning: 'Alertmanager cluster peers' },
    { name: 'watchdog_firing', unit: 'count', meaning: "1 when the dead man's switch fires in Prometheus and Alertmanager" },
    { name: 'grafana_panels', unit: 'count', meaning: 'panels of the listed Grafana dashboards' },
    { name: 'grafana_panels_no_data', unit: 'count', meaning: 'panels whose queries return no data' },
  ],
  async run(ctx: CheckContext): Promise<CheckResult> {
    const result = resultClock(monitoring)
    let st: MonitoringSettings
    try {
      st = readSettings(ctx.settings)
    } catch (e) {
      return result({ status: 'error', reason: (e as Error).message, figures: {}, evidence: null })
    }
    const t = st.timeoutMs
    const figures: Record<string, Figure> = {}
    const evidence: Record<string, unknown> = { prometheus: st.prometheus }
    const problems: string[] = []
    let freshRows: Freshness[] = []

    // targets
    let targets
    try {
      targets = await promTargets(st.prometheus, t, ctx.signal)
    } catch (e) {
      return result({
        status: 'error',
        reason: `cannot read Prometheus's targets: ${(e as Error).message}: is checks.monitoring.prometheus right, and Prometheus up?`,
        figures,
        evidence,
      })
    }
    const ts = summarizeTargets(targets)
    figures.targets_total = count(ts.total)
    figures.targets_up = count(ts.up)
    figures.targets_down = count(ts.down.length)
    evidence.targetsDown = ts.down
    for (const d of ts.down) problems.push(`target down: ${d.job} ${d.instance}${d.lastError ? ` (${d.lastError})` : ''}`)

    // required metrics (none configured: 0 of 0, said so in the evidence)
    if (!st.requiredMetrics.length) {
      figures.metrics_required = count(0)
      figures.metrics_stale = count(0)
      figures.metrics_missing = count(0)
      evidence.metrics = 'no required metrics configured (checks.monitoring.requiredMetrics)'
    } else {
      const now = Date.now() / 1000
      const fresh: Freshness[] = []
      for (const m of st.requiredMetrics) {
        const window = Math.min(3600, Math.max(60, Math.ceil(m.maxAgeSeconds * 3)))
        try {
          const series = await promQuery(st.prometheus, `${m.metric}[${window}s]`, t, ctx.signal)
          fresh.push(freshness(m.metric, m.maxAgeSeconds, window, now, series))
        } catch (e) {
          problems.push(`metric ${m.metric}: the query failed: ${(e as Error).message}`)
          fresh.push({ metric: m.metric, maxAgeSeconds: m.maxAgeSeconds, state: 'missing', windowSeconds: window })
        }
      }
      figures.metrics_required = count(fresh.length)
      figures.metrics_stale = count(fresh.filter((f) => f.state === 'stale').length)
      figures.metrics_missing = count(fresh.filter((f) => f.state === 'missing').length)
      evidence.metrics = freshRows = fresh
      for (const f of fresh) {
        if (f.state === 'stale') problems.push(`metric stale: ${f.metric}: newest sample ${f.ageSeconds} s old (allowed ${f.maxAgeSeconds} s)`)
        if (f.state === 'missing') problems.push(`metric missing: ${f.metric}: no sample in the last ${f.windowSeconds} s`)
      }
    }

    // Alertmanager
    let am = st.alertmanager
    if (!am)
      am = await promAlertmanagers(st.prometheus, t, ctx.signal).then(
        (u) => u[0] && alertmanagerBase(u[0]),
        () => undefined,
      )
    evidence.alertmanager = am ?? null
    if (!am) {
      figures.alertmanager_ready = count(0)
      problems.push('no Alertmanager: Prometheus sends alerts to none (set checks.monitoring.alertmanager, or alerting.alertmanagers in prometheus.yml)')
    } else {
      const ready = await fetch(`${am}/-/ready`, { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(t)]) }).then(
        (r) => r.ok,
        () => false,
      )
      figures.alertmanager_ready = count(ready ? 1 : 0)
      if (!ready) problems.push(`Alertmanager ${am} is not ready (${am}/-/ready)`)
      try {
        const status = await amStatus(am, t, ctx.signal)
        figures.alertmanager_cluster = { value: status.cluster.status }
        figures.alertmanager_peers = count(status.cluster.peers?.length ?? 0)
        evidence.alertmanagerCluster = { status: status.cluster.status, peers: status.cluster.peers ?? [], version: status.versionInfo?.version }
        if (status.cluster.status === 'settling') problems.push('Alertmanager cluster is still settling')
      } catch (e) {
        problems.push(`Alertmanager status: ${(e as Error).message}`)
      }
    }

    // the dead man's switch
    if (st.watchdog !== false) {
      const name = st.watchdog
      const inProm = await promAlerts(st.prometheus, t, ctx.signal).then(
        (a) => a.some((x) => x.labels.alertname === name && x.state === 'firing'),
        () => false,
      )
      const inAmNow = () =>
        am
          ? amAlerts(am, name, t, ctx.signal).then(
              (a) => a.some((x) => x.status.state !== 'unprocessed'),
              () => false,
            )
          : Promise.resolve(false)
      let inAm = await inAmNow()
      // one sample is not a verdict: look again a few times (a reload can hide it for a moment),
      // and judge the pipe by Prometheus's own delivery counters over a window
      for (let i = 0; inProm && am && !inAm && i < 5 && !ctx.signal.aborted; i++) {
        await new Promise((r) => setTimeout(r, 1000))
        inAm = await inAmNow()
      }
      const delivery = inProm && am && !inAm ? await measureDelivery(st.prometheus, t, ctx.signal) : null
      const broken = delivery ? deliveryBroken(delivery) : null
      figures.watchdog_firing = count(inProm && inAm ? 1 : 0)
      evidence.watchdog = { alertname: name, firingInPrometheus: inProm, activeInAlertmanager: inAm, ...(delivery ? { delivery } : {}) }
      if (!inProm) problems.push(`the ${name} alert is not firing in Prometheus: add an always-firing rule (expr: vector(1)) so that silence means broken`)
      else if (!inAm)
        problems.push(
          broken
            ? `the ${name} alert fires in Prometheus but Alertmanager does not have it; ${broken}`
            : `the ${name} alert fires in Prometheus but Alertmanager did not have it within 5 s, while Prometheus's delivery counters look healthy` +
                `${delivery?.sent !== null && delivery ? ` (${delivery.sent} sent over ${delivery.windowMinutes} min)` : ''}` +
                ': a reload or a restart of either; run the check again',
        )
    }

    // Grafana panels: each query run against Prometheus (the panels' data source)
    if (st.grafana) {
      const g = st.grafana
      const noData: string[] = []
      let panels = 0
      for (const uid of g.dashboards) {
        let dash: { dashboard: Parameters<typeof panelQueries>[0] & { title?: string } }
        try {
          dash = await getJsonAuth(`${g.url}/api/dashboards/uid/${encodeURIComponent(uid)}`, g.token, t, ctx.signal)
        } catch (e) {
          problems.push(`Grafana dashboard ${uid}: ${(e as Error).message}`)
          noData.push(`${uid}: (dashboard not readable)`)
          continue
        }
        const byPanel = new Map<string, boolean>()
        for (const q of panelQueries(dash.dashboard)) {
          const has = await promQuery(st.prometheus, q.expr, t, ctx.signal).then(
            (r) => r.length > 0,
            () => false,
          )
          byPanel.set(q.panel, (byPanel.get(q.panel) ?? false) || has)
        }
        panels += byPanel.size
        for (const [panel, has] of byPanel) if (!has) noData.push(`${dash.dashboard.title ?? uid}: ${panel}`)
      }
      figures.grafana_panels = count(panels)
      figures.grafana_panels_no_data = count(noData.length)
      evidence.grafanaNoData = noData
      for (const p of noData) problems.push(`Grafana panel with no data: ${p}`)
    }
    if (problems.length) evidence.problems = problems
    const details: Detail[] = [
      kvDetail(
        Object.entries(figures).map(([label, f]) => ({ label, value: f.value, unit: f.unit === 'count' ? 'count' : 'text' })),
        'Monitoring',
      ),
      tableDetail(headings(['job', 'job'], ['instance', 'instance', 'code'], ['health', 'health'], ['lastError', 'last error', 'text']), ts.down, {
        title: 'Targets down',
        ...(ts.down.length ? {} : { note: `All ${ts.total} targets are up.` }),
      }),
      ...(freshRows.length
        ? [
            tableDetail(
              headings(
                ['metric', 'metric', 'code'],
                ['state', 'state'],
                ['ageSeconds', 'newest sample', 's'],
                ['maxAgeSeconds', 'allowed age', 's'],
                ['series', 'series', 'count'],
              ),
              freshRows,
              { title: 'Required metrics' },
            ),
          ]
        : []),
      ...(problems.length ? [listDetail(problems, 'Problems')] : []),
    ]
    return result({ status: 'measured', figures, evidence, details })
  },
}

async function getJsonAuth<T>(url: string, token: string | undefined, timeoutMs: number, signal: AbortSignal): Promise<T> {
  const res = await fetch(url, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  })
  if (!res.ok) throw new Error(`HTTP ${res.status}${res.status === 401 || res.status === 403 ? ': set checks.monitoring.grafana.token' : ''}`)
  return (await res.json()) as T
}

/** Prometheus's notification counters over the last 5 minutes; null counts when unreadable. */
async function measureDelivery(prom: string, t: number, signal: AbortSignal): Promise<Delivery> {
  const q = deliveryQueries(5)
  const one = (expr: string) =>
    promQuery(prom, expr, t, signal).then(
      (r) => (r[0]?.value ? Number(r[0].value[1]) : null),
      () => null,
    )
  const [sent, dropped, errors] = await Promise.all([one(q.sent), one(q.dropped), one(q.errors)])
  return { windowMinutes: 5, sent, dropped, errors }
}
