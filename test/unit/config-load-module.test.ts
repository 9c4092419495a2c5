import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { importTsModule, publicEntry } from '../../core/load-module.js'
import { UsageError } from '../../core/errors.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-module-'))
    try {
      await fn(dir)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

test("'golive' resolves to the package's index.ts", () => {
  assert.equal(publicEntry(), join(ROOT, 'index.ts'))
})

test(
  'imports a TS file with types, a relative import and the golive API; leaves no temp file',
  withDir(async (dir) => {
    writeFileSync(join(dir, 'helper.ts'), 'export const port: number = 8080\n')
    writeFileSync(
      join(dir, 'golive.config.ts'),
      [
        "import { defineConfig, defineScenario } from 'golive'",
        "import { port } from './helper.js'",
        'interface Unused { a: string }',
        'export const kinds = [typeof defineConfig, typeof defineScenario]',
        'export default defineConfig({ environments: { local: { baseUrl: `http://localhost:${port}` } } })',
        '',
      ].join('\n'),
    )
    const mod = await importTsModule(join(dir, 'golive.config.ts'))
    assert.deepEqual(mod.default, { environments: { local: { baseUrl: 'http://localhost:8080' } } })
    assert.deepEqual(mod.kinds, ['function', 'function'])
    assert.deepEqual(readdirSync(dir).sort(), ['golive.config.ts', 'helper.ts'])
  }),
)

test(
  'does not type-check: a type error still loads',
  withDir(async (dir) => {
    writeFileSync(join(dir, 'x.mts'), "const n: number = 'not a number'\nexport default n\n")
    const mod = await importTsModule(join(dir, 'x.mts'))
    assert.equal(mod.default, 'not a number')
  }),
)

test(
  'bare imports stay external and resolve from the user file (node: builtins here)',
  withDir(async (dir) => {
    writeFileSync(join(dir, 'x.js'), "import { sep } from 'node:path'\nexport const s = sep\n")
    const mod = await importTsModule(join(dir, 'x.js'))
    assert.equal(typeof mod.s, 'string')
  }),
)

test(
  "a syntax error is a UsageError with file:line:column and esbuild's message",
  withDir(async (dir) => {
    const file = join(dir, 'broken.ts')
    writeFileSync(file, 'export default {\n  a: 1\n  b: 2\n}\n')
    const err = await importTsModule(file).then(
      () => assert.fail('loaded'),
      (e: unknown) => e,
    )
    assert.ok(err instanceof UsageError)
    assert.ok(err.message.startsWith(`${file}:3:3: Expected "}" but found "b"`), err.message)
    assert.deepEqual(readdirSync(dir), ['broken.ts'])
  }),
)

test(
  'a file that throws when run is a UsageError naming it; the temp file is removed',
  withDir(async (dir) => {
    const file = join(dir, 'throws.ts')
    writeFileSync(file, "throw new Error('boom at load')\n")
    const err = await importTsModule(file).then(
      () => assert.fail('loaded'),
      (e: unknown) => e,
    )
    assert.ok(err instanceof UsageError)
    assert.ok(err.message.includes(file) && err.message.includes('boom at load'), err.message)
    assert.deepEqual(readdirSync(dir), ['throws.ts'])
  }),
)

test('a missing file is a UsageError', async () => {
  await assert.rejects(importTsModule(join(tmpdir(), 'golive-no-such-file.ts')), UsageError)
})

test(
  'two loads of a changed file see the change (no module cache)',
  withDir(async (dir) => {
    const file = join(dir, 'v.ts')
    writeFileSync(file, 'export default 1\n')
    assert.equal((await importTsModule(file)).default, 1)
    writeFileSync(file, 'export default 2\n')
    assert.equal((await importTsModule(file)).default, 2)
  }),
)
