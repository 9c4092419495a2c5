// OTLP/HTTP with the JSON encoding (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
// an ExportMetricsServiceRequest POSTed to <endpoint>/v1/metrics. Per-second figures are gauges,
// the running totals cumulative monotonic sums; the labels are data point attributes (testid,
// scenario, step), so a collector's Prometheus exporter gives the same series as remote write.

import { VERSION } from '../../core/version.js'
import type { MetricSample } from './series.js'

const CUMULATIVE = 2 // AGGREGATION_TEMPORALITY_CUMULATIVE

const nanos = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`

export function exportRequest(samples: MetricSample[]): string {
  const metrics = new Map<string, { name: string; unit: string; kind: MetricSample['kind']; points: unknown[] }>()
  for (const s of samples) {
    let m = metrics.get(s.name)
    if (!m) {
      m = { name: s.name, unit: s.unit, kind: s.kind, points: [] }
      metrics.set(s.name, m)
    }
    m.points.push({
      attributes: Object.entries(s.labels).map(([key, value]) => ({ key, value: { stringValue: value } })),
      ...(s.kind === 'counter' ? { startTimeUnixNano: nanos(s.startMs ?? s.timeMs) } : {}),
      timeUnixNano: nanos(s.timeMs),
      asDouble: s.value,
    })
  }
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'golive' } }] },
        scopeMetrics: [
          {
            scope: { name: 'golive', version: VERSION },
            metrics: [...metrics.values()].map((m) => ({
              name: m.name,
              unit: m.unit,
              ...(m.kind === 'counter'
                ? { sum: { aggregationTemporality: CUMULATIVE, isMonotonic: true, dataPoints: m.points } }
                : { gauge: { dataPoints: m.points } }),
            })),
          },
        ],
      },
    ],
  })
}

/** OTEL_EXPORTER_OTLP_ENDPOINT's rule: a base URL (no path) gets /v1/metrics; a path is used as given. */
export function otlpMetricsUrl(url: URL): URL {
  if (url.pathname !== '/' && url.pathname !== '') return url
  const u = new URL(url.href)
  u.pathname = '/v1/metrics'
  return u
}
