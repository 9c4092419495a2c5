// Measures the memory of browser users (docs/browser.md, "Limits"): the demo target's form
// login spec, run by golive with U users in one Chromium for 20 s, for each U given; prints the
// PSS right after launch, at the peak, and the slope per user between the runs.
//   node --import tsx scripts/bench-browser-memory.ts 1 4

import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Results } from '../core/results.js'
import { startDemoTarget } from '../staging/app/demo-target.js'

const users = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0)
if (!users.length) users.push(1, 4)
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const demo = await startDemoTarget()
const rows: { users: number; launched: number; peak: number }[] = []
try {
  for (const u of users) {
    const dir = mkdtempSync(join(tmpdir(), 'golive-bmem-'))
    copyFileSync(fileURLToPath(new URL('../test/fixtures/browser/login.spec.ts', import.meta.url)), join(dir, 'login.spec.ts'))
    writeFileSync(
      join(dir, 'golive.config.json'),
      JSON.stringify({ environments: { bench: { baseUrl: demo.url, scenarios: ['./login.spec.ts'], browser: { vus: u, duration: '20s', browsers: 1 } } } }),
    )
    try {
      execFileSync(process.execPath, [cli, 'loadtest', '--env', 'bench', '--out', join(dir, 'run')], {
        cwd: dir,
        stdio: 'ignore',
        env: { ...process.env, CI: 'true' },
      })
    } catch {
      /* no-go is fine: memory is what is read */
    }
    const r = JSON.parse(readFileSync(join(dir, 'run', 'results.json'), 'utf8')) as Results
    const m = r.scenarios[0]!.browser!.memory
    rows.push({ users: u, launched: m.launchedMiB ?? NaN, peak: m.peakMiB ?? NaN })
    console.log(`${u} users, 1 Chromium: PSS ${m.launchedMiB} MiB after launch, peak ${m.peakMiB} MiB, ${r.scenarios[0]!.iterations} iterations`)
  }
} finally {
  await demo.stop()
}
if (rows.length >= 2) {
  const a = rows[0]!,
    b = rows.at(-1)!
  console.log(
    `per user (slope of the peaks): ${((b.peak - a.peak) / (b.users - a.users)).toFixed(1)} MiB; one Chromium with its first user: ${a.peak - a.users * ((b.peak - a.peak) / (b.users - a.users))} MiB`,
  )
}
