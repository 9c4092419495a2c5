// npm test: the unit and integration tests in two passes. Most files run two at a time (they wait
// on servers, processes and fixed-length runs more than they compute); the files listed in
// test/solo.txt run one at a time afterwards, alone on the machine, because what they assert is a
// measurement the load of a neighbouring test would move (engine agreement, latency truths, the
// three-run verdict stability, the staging stacks on fixed ports). Both passes always run; the
// exit code is the first failure's. Arguments narrow the run to those files (still split).

import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const listed = (dir) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `${dir}/${f}`)
const all = process.argv.length > 2 ? process.argv.slice(2) : [...listed('test/unit'), ...listed('test/integration')]
const solo = new Set(readFileSync(join(root, 'test/solo.txt'), 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean))
for (const f of solo) if (!all.includes(f) && process.argv.length <= 2) throw new Error(`test/solo.txt lists ${f}, which is not a test file`)

const PASS_LIMIT_MS = 25 * 60_000
const pass = (files, concurrency) => {
  if (!files.length) return 0
  const started = Date.now()
  // bounded: a test file whose process never exits (a server left open) must not hold CI for hours
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit', timeout: PASS_LIMIT_MS, killSignal: 'SIGTERM' })
  const timedOut = r.error && /ETIMEDOUT/.test(String(r.error.message))
  process.stdout.write(`\nnpm test: ${files.length} files, ${concurrency} at a time: ${r.status === 0 ? 'passed' : timedOut ? `STOPPED after ${PASS_LIMIT_MS / 60_000} min` : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s\n\n`)
  return r.status ?? 1
}
const shared = pass(all.filter((f) => !solo.has(f)), 2)
const alone = pass(all.filter((f) => solo.has(f)), 1)
process.exit(shared || alone)
