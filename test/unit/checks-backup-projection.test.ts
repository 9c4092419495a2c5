// The restore projection as a pure function of its samples: the fit recovers known costs, tells
// per-object from per-byte work when schema-only restores are there, widens its interval with
// the noise, and refuses what cannot be fitted (one size).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fitRestore, projectRestore, t975, type RestoreSample } from '../../checks/backup-restore/fit.js'
import { autoCopies } from '../../checks/backup-restore/projection.js'

const MB = 1e6,
  GB = 1e9
// a restore that costs 0.05 s fixed, 0.02 s per schema copy, 300 s per GB of backup
const truth = (copies: number, bytes: number, schemaOnly = false) => 0.05 + 0.02 * copies + (schemaOnly ? 0 : (300 * bytes) / GB)
const kinds = [
  [1, 0.1 * MB, false],
  [64, 6.4 * MB, false],
  [1, 0.1 * MB, true],
  [64, 6.4 * MB, true],
] as const
const sample = (noise: (i: number) => number) =>
  Array.from({ length: 3 }).flatMap((_, r) =>
    kinds.map(
      ([copies, bytes, schemaOnly], k): RestoreSample => ({
        bytes,
        copies,
        seconds: truth(copies, bytes, schemaOnly) + noise(r * 4 + k),
        ...(schemaOnly ? { schemaOnly } : {}),
      }),
    ),
  )

test('without noise the fit recovers fixed, per-schema and per-byte cost, and projects one schema at the production size', () => {
  const fit = fitRestore(sample(() => 0))!
  assert.equal(fit.model, 'fixed + per-schema + per-byte')
  assert.ok(Math.abs(fit.fixedSeconds - 0.05) < 1e-9 && Math.abs(fit.perSchemaSeconds - 0.02) < 1e-9)
  assert.ok(Math.abs(fit.secondsPerByte * GB - 300) < 1e-6)
  assert.deepEqual(fit.sizes, [0.1 * MB, 6.4 * MB])
  const p = projectRestore(fit, 10 * GB)
  assert.ok(Math.abs(p.value - (0.07 + 3000)) < 1e-3)
  assert.ok(p.high - p.low < 1e-3, 'no noise, no width')
})

test('noise widens the interval, which still holds the truth; the samples are counted', () => {
  // per kind, three rounds of zero-mean noise; the large restores the noisiest
  const noise = [0.01, 0.2, 0.01, 0.05, -0.02, -0.15, 0.02, -0.08, 0.01, -0.05, -0.03, 0.03]
  const noisy = sample((i) => noise[i]!)
  const fit = fitRestore(noisy)!
  assert.equal(fit.samples, 12)
  const p = projectRestore(fit, 10 * GB)
  assert.ok(p.low < 3000.07 && 3000.07 < p.high, `${p.low} .. ${p.high}`)
  assert.ok(p.high - p.low > 100, 'a 10 GB extrapolation from 6 MB is uncertain')
})

test('the per-object work of the copies is not read as per-byte work when schema-only restores are there', () => {
  const full = sample(() => 0).filter((s) => !s.schemaOnly)
  const twoParam = projectRestore(fitRestore(full)!, 10 * GB).value
  const threeParam = projectRestore(fitRestore(sample(() => 0))!, 10 * GB).value
  assert.equal(fitRestore(full)!.model, 'fixed + per-byte')
  assert.ok(twoParam > threeParam * 1.05, `without schema-only restores the projection errs long: ${twoParam} vs ${threeParam}`)
})

test('one size, or too few samples, cannot be fitted; t quantiles; the default copies', () => {
  assert.equal(
    fitRestore([
      { bytes: 1, seconds: 1, copies: 1 },
      { bytes: 1, seconds: 1.1, copies: 1 },
      { bytes: 1, seconds: 0.9, copies: 1 },
    ]),
    null,
  )
  assert.equal(
    fitRestore([
      { bytes: 1, seconds: 1, copies: 1 },
      { bytes: 2, seconds: 2, copies: 2 },
    ]),
    null,
  )
  assert.equal(t975(1), 12.706)
  assert.equal(t975(9), 2.262)
  assert.equal(t975(100), 1.96)
  assert.equal(autoCopies(100_000), 64)
  assert.equal(autoCopies(1.8e6), 18)
  assert.equal(autoCopies(5e9), 2)
})
