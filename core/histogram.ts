// HDR latency histograms, in microseconds. Kept mergeable (encoded, compressed base64) so that
// runs split over threads, processes or machines merge exactly instead of averaging percentiles.

import * as hdr from 'hdr-histogram-js'
import type { LatencySummary } from './results.js'

export type Histogram = hdr.Histogram

/**
 * 1 µs resolution, 3 significant digits; grows as needed (starts at 60 s). 'packed' keeps many
 * long-lived histograms small (a timeline of a 30-minute soak); 'fast' (32-bit counts) records
 * quicker, for the few histograms on the hot path.
 */
export function createHistogram(kind: 'packed' | 'fast' = 'packed'): Histogram {
  return hdr.build({
    bitBucketSize: kind === 'packed' ? 'packed' : 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  })
}

export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1000)))
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h)
}

/** 'fast' for a histogram only read and dropped (a delta added into totals): packed counts are
 *  small but slow to read back */
export function decodeHistogram(encoded: string, kind: 'packed' | 'fast' = 'packed'): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, kind === 'packed' ? 'packed' : 32, false)
}

/** Adds `from` into `into` exactly (bucket by bucket). */
export function mergeInto(into: Histogram, from: Histogram | string): void {
  const h = typeof from === 'string' ? decodeHistogram(from) : from
  into.add(h)
}

/** One percentile in ms (the unit of every summary), from microsecond counts. */
export function percentileMs(h: Histogram, p: number): number {
  return Math.round(h.getValueAtPercentile(p)) / 1000
}

export function summarize(h: Histogram): LatencySummary | null {
  if (h.totalCount === 0) return null
  const ms = (us: number) => Math.round(us) / 1000
  return {
    count: h.totalCount,
    min: ms(h.minNonZeroValue),
    mean: ms(h.mean),
    p50: percentileMs(h, 50),
    p90: percentileMs(h, 90),
    p95: percentileMs(h, 95),
    p99: percentileMs(h, 99),
    max: ms(h.maxValue),
  }
}
