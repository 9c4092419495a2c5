// npm test: the unit and integration tests in two passes. Most files run two at a time (they wait
// on servers, processes and fixed-length runs more than they compute); the files listed in
// test/solo.txt run one at a time afterwards, alone on the machine, because what they assert is a
// measurement the load of a neighbouring test would move (engine agreement, latency truths, the
// three-run verdict stability, the staging stacks on fixed ports). Both passes always run; the
// exit code is the first failure's. Arguments narrow the run to those files (still split).
// Within a pass the longest files start first (test/timings.json, a full run's durations; each
// run writes its files' durations to .test-timings.json, which wins when present), so a pass does not end
// with one long file running alone. GOLIVE_TEST_CONCURRENCY sets the shared pass's width.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const listed = (dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => `${dir}/${f}`)
const all = process.argv.length > 2 ? process.argv.slice(2) : [...listed('test/unit'), ...listed('test/integration')]
const solo = new Set(
  readFileSync(join(root, 'test/solo.txt'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean),
)
for (const f of solo) if (!all.includes(f) && process.argv.length <= 2) throw new Error(`test/solo.txt lists ${f}, which is not a test file`)

const readTimings = (path) => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return {}
  }
}
const known = { ...readTimings(join(root, 'test/timings.json')), ...readTimings(join(root, '.test-timings.json')) }
const longestFirst = (files) => [...files].sort((a, b) => (known[b] ?? 0) - (known[a] ?? 0))
const measured = {}
const work = mkdtempSync(join(tmpdir(), 'golive-test-timings-'))

const PASS_LIMIT_MS = 25 * 60_000
const pass = (files, concurrency) => {
  if (!files.length) return 0
  const started = Date.now()
  const out = join(work, `pass-${concurrency}.json`)
  // bounded: a test file whose process never exits (a server left open) must not hold CI for hours
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/test-timings.mjs',
      `--test-reporter-destination=${out}`,
      ...longestFirst(files),
    ],
    { cwd: root, stdio: 'inherit', timeout: PASS_LIMIT_MS, killSignal: 'SIGTERM' },
  )
  const timedOut = r.error && /ETIMEDOUT/.test(String(r.error.message))
  process.stdout.write(
    `\nnpm test: ${files.length} files, ${concurrency} at a time: ` +
      `${r.status === 0 ? 'passed' : timedOut ? `STOPPED after ${PASS_LIMIT_MS / 60_000} min` : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s\n\n`,
  )
  for (const [f, s] of Object.entries(readTimings(out))) measured[relative(root, f)] = Math.round(s * 10) / 10
  return r.status ?? 1
}
const width = Number(process.env.GOLIVE_TEST_CONCURRENCY ?? 2)
const shared = pass(
  all.filter((f) => !solo.has(f)),
  width,
)
const alone = pass(
  all.filter((f) => solo.has(f)),
  1,
)
// a narrowed run updates its files' entries only
const timings = { ...readTimings(join(root, '.test-timings.json')), ...measured }
writeFileSync(join(root, '.test-timings.json'), JSON.stringify(timings, Object.keys(timings).sort(), 1) + '\n')
rmSync(work, { recursive: true, force: true })
process.exit(shared || alone)
