import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findScenario, SHIPPED } from '../../scenarios/registry.js'
import { compileScenario } from '../../scenarios/compile.js'
import { UsageError } from '../../core/errors.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const FIX = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url))
const NAMES = ['smoke', 'load', 'stress', 'spike', 'soak']

async function usageError(p: Promise<unknown>): Promise<UsageError> {
  let caught: unknown
  await assert.rejects(p, (e: unknown) => {
    caught = e
    return true
  })
  assert.ok(caught instanceof UsageError, `expected a UsageError, got ${String(caught)}`)
  return caught
}

describe('findScenario: shipped names', () => {
  for (const name of NAMES) {
    it(`'${name}' resolves to the shipped scenario and its real file`, async () => {
      const src = await findScenario(name, FIX)
      assert.equal(src.scenario, SHIPPED[name])
      assert.equal(src.scenario.name, name)
      assert.equal(src.file, join(ROOT, 'scenarios/journeys', `${name}.ts`))
      assert.ok(existsSync(src.file), src.file)
      // the data path is relative to that file, so the plan reads the demo users
      assert.ok(compileScenario(src.scenario, { file: src.file }).data!.rows.length > 0)
    })
  }

  it('an unknown name is a UsageError listing the shipped names', async () => {
    const e = await usageError(findScenario('lod', FIX))
    assert.equal(e.message, "unknown scenario 'lod'")
    for (const name of NAMES) assert.ok(e.hint?.includes(name), `hint lists ${name}: ${e.hint}`)
    assert.match(e.hint ?? '', /path of a scenario file/)
  })

  it('names of Object.prototype members are unknown, not shipped (regression)', async () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const e = await usageError(findScenario(name, FIX))
      assert.equal(e.message, `unknown scenario '${name}'`)
    }
  })

  it("a scenario file's bare name (no ./, no extension) is read as a name, not a file", async () => {
    const e = await usageError(findScenario('checkout', FIX))
    assert.equal(e.message, "unknown scenario 'checkout'")
  })

  it('a path that does not exist is an unknown scenario', async () => {
    const e = await usageError(findScenario('./no-such-scenario.ts', FIX))
    assert.match(e.message, /unknown scenario '\.\/no-such-scenario\.ts'/)
  })
})

describe('findScenario: scenario files', () => {
  it("loads a TS file importing defineScenario from 'golive', relative to cwd", async () => {
    const src = await findScenario('./checkout.ts', FIX)
    assert.equal(src.file, join(FIX, 'checkout.ts'))
    assert.equal(src.scenario.name, 'checkout')
    const plan = compileScenario(src.scenario, { file: src.file })
    assert.deepEqual(
      plan.steps.map((s) => `${s.method} ${s.name}`),
      ['GET home', 'POST login'],
    )
    assert.deepEqual(plan.profile.stages, [{ durationMs: 90_000, from: 2, to: 2 }])
    assert.equal(plan.profile.maxVUs, 40)
    assert.equal(plan.data?.rows.length, 3)
    assert.equal(plan.data?.mode, 'sequential')
  })

  it('loads by a path relative to another cwd, and leaves no temporary file behind', async () => {
    const before = readdirSync(FIX).sort()
    const src = await findScenario('test/fixtures/scenarios/checkout.ts', ROOT)
    assert.equal(src.file, join(FIX, 'checkout.ts'))
    assert.equal(src.scenario.name, 'checkout')
    assert.deepEqual(readdirSync(FIX).sort(), before)
  })

  it('a file without a default export: the exported object with steps', async () => {
    const src = await findScenario('./named-export.ts', FIX)
    assert.equal(src.scenario.name, 'browse')
    assert.equal(compileScenario(src.scenario, { file: src.file }).profile.maxVUs, 3)
  })

  it('a file that exports nothing is a clear error naming it, with the fix', async () => {
    const e = await usageError(findScenario('./exports-nothing.ts', FIX))
    assert.equal(e.message, `${join(FIX, 'exports-nothing.ts')}: exports no scenario`)
    assert.match(e.hint ?? '', /export default defineScenario\(/)
  })
})
