// What the k6 test files share: the real k6 binary (found once per file; missing, a test skips
// locally and the file fails under CI, where `.ci/run` installs it), a work folder, the truth
// scenario, and a one-gate project around it.

import { before, after, type TestContext } from 'node:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Results } from '../../core/results.js'
import type { Scenario } from '../../scenarios/dsl.js'
import { findK6 } from '../../scenarios/engines/k6/index.js'

export interface K6Suite {
  /** the k6 binary; call only after needK6 said true */
  readonly bin: string
  /** this file's work folder */
  readonly work: string
  /** false (and the test skipped) when k6 is not installed */
  needK6(t: TestContext): boolean
  /** a project in a fresh folder under work: the truth scenario at 10 users for 3 s, this gate alone */
  configFor(url: string, gate: string): string
}

/** Registers the file's before/after hooks; the returned suite is usable inside tests. */
export function k6Suite(): K6Suite {
  let k6: string | null = null
  let work = ''
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'golive-k6-'))
    try {
      k6 = findK6()
    } catch (e) {
      if (process.env.CI) throw new Error(`k6 is required under CI: ${(e as Error).message}`)
    }
  })
  after(() => rmSync(work, { recursive: true, force: true }))
  return {
    get bin() {
      return k6 as string
    },
    get work() {
      return work
    },
    needK6(t) {
      if (k6) return true
      t.skip('k6 is not installed: npm run install-k6')
      return false
    },
    configFor(url, gate) {
      const dir = mkdtempSync(join(work, 'cfg-'))
      writeFileSync(
        join(dir, 'golive.config.json'),
        JSON.stringify({
          defaultEnv: 'slow',
          environments: { slow: { baseUrl: url, scenarios: ['truth.ts'] } },
          // this gate alone (the preset's 100-user gate would judge the 10-user scenario too)
          gates: { presets: [], rules: [gate] },
        }),
      )
      writeFileSync(join(dir, 'truth.ts'), `export default ${JSON.stringify({ ...truthScenario, profile: { model: 'closed', vus: 10, duration: '3s' } })}\n`)
      return dir
    },
  }
}

export const truthScenario: Scenario = { name: 'truth', profile: { model: 'closed', vus: 20, duration: '6s' }, steps: [{ name: 'get', path: '/' }] }

export const readResults = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results
