// The built-in server queries, by preset: what launch plans ask about the machine (CPU, memory,
// disk), its processes and its database. Each is one number per moment: golive reduces the
// series over the window to its maximum and mean. $rate_interval is four scrape intervals of the
// Prometheus asked (Grafana's $__rate_interval), so a rate() has samples whatever the scrape rate.

import type { ServerPreset } from '../../core/config.js'
import type { Unit } from '../../core/results.js'

export interface NamedQuery {
  name: string
  query: string
  unit?: Unit
  preset?: ServerPreset
}

/** filesystems that are not disks (the root of a container is overlay: kept) */
const NOT_DISK = 'fstype!~"tmpfs|devtmpfs|ramfs|squashfs|nsfs|autofs|proc|sysfs|fuse.*"'

export const PRESET_QUERIES: Readonly<Record<ServerPreset, readonly NamedQuery[]>> = {
  // prometheus-node-exporter
  node: [
    { name: 'cpu_percent', unit: '%', query: '100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[$rate_interval])))' },
    { name: 'memory_percent', unit: '%', query: '100 * (1 - sum(node_memory_MemAvailable_bytes) / sum(node_memory_MemTotal_bytes))' },
    // the fullest disk
    { name: 'disk_percent', unit: '%', query: `100 * max(1 - node_filesystem_avail_bytes{${NOT_DISK}} / node_filesystem_size_bytes{${NOT_DISK}})` },
    { name: 'open_connections', unit: 'count', query: 'sum(node_netstat_Tcp_CurrEstab)' },
  ],
  // the process_* metrics every official client library exports: the busiest process
  process: [
    { name: 'process_cpu_percent', unit: '%', query: '100 * max(rate(process_cpu_seconds_total[$rate_interval]))' },
    { name: 'process_memory_bytes', unit: 'B', query: 'max(process_resident_memory_bytes)' },
    { name: 'process_open_fds', unit: 'count', query: 'max(process_open_fds)' },
  ],
  // prometheus-postgres-exporter; the query p95 from an app's database histogram where one exists
  postgres: [
    { name: 'pg_connections', unit: 'count', query: 'sum(pg_stat_activity_count)' },
    { name: 'replication_lag', unit: 's', query: 'max(pg_replication_lag)' },
    {
      name: 'db_query_p95',
      unit: 'ms',
      query: '1000 * histogram_quantile(0.95, sum by (le) (rate({__name__=~"(.+_)?(db|sql|database)_query_duration_seconds_bucket"}[$rate_interval])))',
    },
  ],
}

/** The presets' queries, then the config's own (a config query of the same name replaces the preset's). */
export function serverQueries(presets: readonly ServerPreset[], own: Record<string, string | { query: string; unit?: Unit }>): NamedQuery[] {
  const out = new Map<string, NamedQuery>()
  for (const p of presets) for (const q of PRESET_QUERIES[p]) out.set(q.name, { ...q, preset: p })
  for (const [name, q] of Object.entries(own))
    out.set(name, typeof q === 'string' ? { name, query: q } : { name, query: q.query, ...(q.unit ? { unit: q.unit } : {}) })
  return [...out.values()]
}
