// The projection's figures and evidence: samples at two sizes (projection.ts), the fit and the
// interval (fit.ts), onto productionBackupBytes. When the fit cannot separate the per-byte cost
// from the noise, there is no projected figure and the evidence says why.

import type { Figure } from '../../core/results.js'
import { fitRestore, projectRestore } from './fit.js'
import { measureProjection, type ProjectionOptions } from './projection.js'

const r3 = (n: number) => Math.round(n * 1000) / 1000

export async function projectionFigures(
  o: ProjectionOptions,
  productionBytes: number,
): Promise<{ figures: Record<string, Figure>; evidence: Record<string, unknown> }> {
  const run = await measureProjection(o)
  const fit = fitRestore(run.samples)
  const evidence: Record<string, unknown> = {
    method:
      `least squares over repeated restores at two sizes (the backup, and ${run.copies} copies of it restored into one database and dumped again)` +
      `${o.restoreSchema ? ', each also restored schema-only' : ''}, fitting seconds = ${fit?.model ?? 'fixed + per-byte'}; ` +
      'projected onto productionBackupBytes (one schema) with the 95 % prediction interval',
    ...(fit && fit.model === 'fixed + per-byte'
      ? {
          caveat: 'no schema-only restores (a restoreCommand or plain SQL): the per-object work of the copies is counted per byte, so the projection errs long',
        }
      : {}),
    productionBackupBytes: productionBytes,
    sizes: [o.bytes, run.grownBytes],
    copies: run.copies,
    samplesPerSize: o.samples,
    samples: run.samples.map((x) => ({ bytes: x.bytes, copies: x.copies, ...(x.schemaOnly ? { schemaOnly: true } : {}), seconds: r3(x.seconds) })),
    growSeconds: r3(run.growSeconds),
    warmupRounds: run.warmupRounds,
  }
  if (!fit || !(fit.secondsPerByte > 0)) {
    evidence.notProjected = `the per-byte cost could not be told from the noise (fitted ${fit ? `${r3(fit.secondsPerByte * 1e9)} s/GB` : 'nothing'}): raise projectionCopies or projectionSamples`
    return { figures: {}, evidence }
  }
  const p = projectRestore(fit, productionBytes)
  const samples = fit.samples
  Object.assign(evidence, {
    fixedSeconds: r3(fit.fixedSeconds),
    perSchemaSeconds: r3(fit.perSchemaSeconds),
    secondsPerGB: r3(fit.secondsPerByte * 1e9),
    residualSeconds: r3(fit.residualSeconds),
    interval: { low: Math.round(p.low), high: Math.round(p.high), confidence: p.confidence },
  })
  return {
    figures: {
      projected_restore_seconds: { value: Math.round(p.value), unit: 's', low: Math.round(p.low), high: Math.round(p.high), samples },
      projected_restore_seconds_low: { value: Math.round(p.low), unit: 's', samples },
      projected_restore_seconds_high: { value: Math.round(p.high), unit: 's', samples },
      restore_fixed_seconds: { value: r3(fit.fixedSeconds + fit.perSchemaSeconds), unit: 's', samples },
      restore_seconds_per_gb: { value: r3(fit.secondsPerByte * 1e9), samples },
    },
    evidence,
  }
}
