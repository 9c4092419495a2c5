// A drill outcome as figures with units: '<prefix>rto_seconds', '<prefix>failed_requests', ...

import type { ServerWindow } from '../../core/check.js'
import type { Figure } from '../../core/results.js'
import type { DrillFigures } from './analyze.js'

export function drillFigures(f: DrillFigures, prefix = '', which: readonly (keyof DrillFigures)[] = ['seconds_to_first_failure', 'rto_seconds', 'failed_requests', 'requests', 'failed_ratio', 'error_ratio_during', 'lost_writes', 'rpo_seconds', 'writes_acknowledged']): Record<string, Figure> {
  const out: Record<string, Figure> = {}
  for (const k of which) {
    const v = f[k]
    if (typeof v !== 'number') continue
    out[prefix + k] = k === 'error_ratio_during' || k === 'failed_ratio' ? { value: Math.round(v * 100_000) / 1000, unit: '%' }
      // one drill is one RTO: the figure says how many probe requests it rests on
      : k === 'rto_seconds' ? { value: v, unit: 's', samples: f.requests }
      : k.endsWith('_seconds') || k === 'seconds_to_first_failure' ? { value: v, unit: 's' }
      : { value: v, unit: 'count' }
  }
  return out
}

/** The server queries over an experiment's fault window as '<experiment>.server.<name>' (the
 *  maximum) and '<name>_mean'; a query with no data goes to noData with why, so its gate fails
 *  as missing naming the query. */
export function serverFigures(experiment: string, w: ServerWindow | undefined, figures: Record<string, Figure>, noData: Record<string, string>): void {
  if (!w) return
  for (const [k, v] of Object.entries(w.figures)) figures[`${experiment}.server.${k}`] = v
  for (const [k, why] of Object.entries(w.noData)) noData[`${experiment}.server.${k}`] = why
}
