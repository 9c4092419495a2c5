// Fixed + per-byte cost of a restore, fitted by least squares over repeated samples, and the
// projection onto a production size with a 95 % prediction interval. A pure function of the
// samples: what it rests on (sizes, sample count, residual spread) travels along.
//
// Model: seconds = fixed + perSchema·schemaCopies + perByte·dataBytes. Restoring a backup made of
// k copies of the staging schema multiplies the per-object work (CREATE TABLE, constraints,
// catalog) by k as well as the data; a production backup has one schema and more rows. Schema-only
// restores (dataBytes 0) tell the two apart. Without them (a restoreCommand: golive cannot ask it
// for the schema alone) the model drops perSchema and the per-object work is counted per byte,
// which errs long; the evidence says which model was fitted.

export interface RestoreSample {
  /** the backup's size in bytes (what the projection scales) */
  bytes: number
  seconds: number
  /** copies of the schema restored (1 for the backup itself) */
  copies: number
  /** restored without data (pg_restore --schema-only) */
  schemaOnly?: boolean
}

export interface RestoreFit {
  model: 'fixed + per-schema + per-byte' | 'fixed + per-byte'
  fixedSeconds: number
  perSchemaSeconds: number
  secondsPerByte: number
  /** residual standard deviation, seconds */
  residualSeconds: number
  samples: number
  /** the distinct backup sizes measured, bytes, ascending */
  sizes: number[]
  /** (XᵀX)⁻¹, for the interval */
  inverse: number[][]
}

export interface Projection {
  value: number
  low: number
  high: number
  confidence: number
}

const GB = 1e9
const row = (s: RestoreSample, withSchema: boolean) => (withSchema ? [1, s.copies, s.schemaOnly ? 0 : s.bytes / GB] : [1, s.bytes / GB])

function invert(m: number[][]): number[][] | null {
  const n = m.length
  const a = m.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r
    if (Math.abs(a[p]![c]!) < 1e-12) return null
    ;[a[c], a[p]] = [a[p]!, a[c]!]
    const d = a[c]![c]!
    for (let j = 0; j < 2 * n; j++) a[c]![j]! /= d
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const f = a[r]![c]!
      for (let j = 0; j < 2 * n; j++) a[r]![j]! -= f * a[c]![j]!
    }
  }
  return a.map((r) => r.slice(n))
}

/** ordinary least squares; null when the samples cannot separate the costs (one size, or
 *  too few samples for an interval) */
export function fitRestore(samples: RestoreSample[]): RestoreFit | null {
  const sizes = [...new Set(samples.filter((s) => !s.schemaOnly).map((s) => s.bytes))].sort((a, b) => a - b)
  const withSchema = samples.some((s) => s.schemaOnly)
  const used = withSchema ? samples : samples.filter((s) => !s.schemaOnly)
  const k = withSchema ? 3 : 2
  if (sizes.length < 2 || used.length < k + 1) return null
  const X = used.map((s) => row(s, withSchema))
  const y = used.map((s) => s.seconds)
  const xtx = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => X.reduce((a, r) => a + r[i]! * r[j]!, 0)))
  const inverse = invert(xtx)
  if (!inverse) return null
  const xty = Array.from({ length: k }, (_, i) => X.reduce((a, r, n) => a + r[i]! * y[n]!, 0))
  const beta = inverse.map((r) => r.reduce((a, v, j) => a + v * xty[j]!, 0))
  const sse = X.reduce((a, r, n) => a + (y[n]! - r.reduce((b, v, j) => b + v * beta[j]!, 0)) ** 2, 0)
  return {
    model: withSchema ? 'fixed + per-schema + per-byte' : 'fixed + per-byte',
    fixedSeconds: beta[0]!,
    perSchemaSeconds: withSchema ? beta[1]! : 0,
    secondsPerByte: beta[k - 1]! / GB,
    residualSeconds: Math.sqrt(sse / (used.length - k)),
    samples: used.length,
    sizes,
    inverse,
  }
}

/** Student's t, two-sided 95 % (the 0.975 quantile), by degrees of freedom */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086]
export const t975 = (df: number) => (df < 1 ? Infinity : df <= T975.length ? T975[df - 1]! : df > 60 ? 1.96 : 2.0)

/** One restore of a backup of `bytes` with one schema: the fit there, and the 95 % prediction
 *  interval ŷ ± t·s·√(1 + x₀ᵀ(XᵀX)⁻¹x₀). Far beyond the measured sizes the per-byte cost's
 *  uncertainty, times the distance, rules the interval. */
export function projectRestore(fit: RestoreFit, bytes: number): Projection {
  const x0 = fit.model === 'fixed + per-byte' ? [1, bytes / GB] : [1, 1, bytes / GB]
  const value = fit.fixedSeconds + fit.perSchemaSeconds + fit.secondsPerByte * bytes
  const q = x0.reduce((a, xi, i) => a + xi * fit.inverse[i]!.reduce((b, v, j) => b + v * x0[j]!, 0), 0)
  const half = t975(fit.samples - x0.length) * fit.residualSeconds * Math.sqrt(1 + q)
  return { value, low: Math.max(0, value - half), high: value + half, confidence: 0.95 }
}
