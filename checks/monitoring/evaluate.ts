// Pure parts of the monitoring check: which targets are down, how old each required metric's
// newest sample is, and which queries a Grafana dashboard's panels run.

import type { PromTarget } from '../alerts/api.js'

export interface TargetsSummary {
  total: number
  up: number
  down: { job: string; instance: string; lastError: string; health: string }[]
}

export function summarizeTargets(targets: PromTarget[]): TargetsSummary {
  const down = targets
    .filter((t) => t.health !== 'up')
    .map((t) => ({
      job: t.labels.job ?? t.scrapePool,
      instance: t.labels.instance ?? t.scrapeUrl,
      health: t.health,
      lastError: t.lastError || (t.health === 'unknown' ? 'not scraped yet' : ''),
    }))
  return { total: targets.length, up: targets.length - down.length, down }
}

export type Freshness = { metric: string; maxAgeSeconds: number } & (
  | { state: 'fresh' | 'stale'; ageSeconds: number; series: number }
  | { state: 'missing'; windowSeconds: number }
)

/** The newest sample among a range query's series, against the metric's allowed age. */
export function freshness(
  metric: string,
  maxAgeSeconds: number,
  windowSeconds: number,
  nowSeconds: number,
  series: { values?: [number, string][] }[],
): Freshness {
  let newest = -Infinity
  for (const s of series) for (const [t] of s.values ?? []) if (t > newest) newest = t
  if (!Number.isFinite(newest)) return { metric, maxAgeSeconds, state: 'missing', windowSeconds }
  const ageSeconds = Math.max(0, Math.round((nowSeconds - newest) * 100) / 100)
  return { metric, maxAgeSeconds, state: ageSeconds <= maxAgeSeconds ? 'fresh' : 'stale', ageSeconds, series: series.length }
}

interface Panel {
  id?: number
  title?: string
  type?: string
  targets?: { expr?: string; refId?: string; hide?: boolean }[]
  panels?: Panel[]
}

/** Every panel with a Prometheus query (rows' nested panels too), with Grafana's variables
 *  replaced by values that let Prometheus run it. */
export function panelQueries(dashboard: { panels?: Panel[]; rows?: { panels?: Panel[] }[] }): { panel: string; refId: string; expr: string }[] {
  const all: Panel[] = []
  const walk = (ps: Panel[] | undefined) => {
    for (const p of ps ?? []) {
      all.push(p)
      walk(p.panels)
    }
  }
  walk(dashboard.panels)
  for (const r of dashboard.rows ?? []) walk(r.panels)
  return all.flatMap((p) =>
    (p.targets ?? [])
      .filter((t) => t.expr && !t.hide)
      .map((t) => ({
        panel: p.title || `panel ${p.id ?? '?'}`,
        refId: t.refId ?? 'A',
        expr: grafanaVars(t.expr!),
      })),
  )
}

export function grafanaVars(expr: string): string {
  return (
    expr
      .replace(/\$__rate_interval|\$\{__rate_interval\}/g, '1m')
      .replace(/\$__interval(_ms)?|\$\{__interval(_ms)?\}/g, (m) => (m.includes('_ms') ? '30000' : '30s'))
      .replace(/\$__range|\$\{__range\}/g, '5m')
      // a label matched against a variable: any value (a regex matcher)
      .replace(/(!)?=~?\s*"\$\{?[A-Za-z_]\w*(?::\w+)?\}?"/g, (_m, neg: string | undefined) => (neg ? '!~"$^"' : '=~".+"'))
      .replace(/\$\{?[A-Za-z_]\w*(?::\w+)?\}?|\[\[[A-Za-z_]\w*\]\]/g, '.+')
  )
}
