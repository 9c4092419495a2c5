// Short names for figures in a row's one-line why: 'p95 312 ms is under the 500 ms target'
// reads better than the full path, which the row shows beside it anyway.

const KNOWN: Record<string, string> = {
  latency_max: 'max latency',
  latency_min: 'min latency',
  latency_mean: 'mean latency',
  error_rate: 'error rate',
  vus_max: 'peak VUs',
}

export function figureLabel(figure: string): string {
  const last = figure.split('.').pop() ?? figure
  const percentile = /^latency_(p\d+(?:\.\d+)?)$/.exec(last)
  if (percentile) return percentile[1]!
  return KNOWN[last] ?? last.replace(/_/g, ' ')
}
