// The bundled CLI validates with standalone code generated at build time (scripts/build.mjs),
// the sources compile the schemas at run time: both must find the same problems. The generated
// module is written into the project (so it resolves ajv as dist/ does), imported, and run
// against the broken and valid fixtures beside the run-time validators.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'yaml'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { precompiledModule } from '../../scripts/precompile-validators.js'
import { configAjv, scenarioAjv } from '../../core/ajv-setup.js'
import { configSchema } from '../../core/validate-config.js'
import { scenarioSchema } from '../../scenarios/validate-scenario.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const FIX = join(ROOT, 'test/fixtures')

const readData = (file: string): unknown => {
  const text = readFileSync(file, 'utf8')
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parse(text)
  } catch {
    return undefined
  }
}
const dataFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .map((f) => join(dir, f))
const outcome = (v: ValidateFunction, data: unknown) => {
  const ok = v(data)
  // what the messages are made of: keyword, where, the params, the schema node's annotations
  return {
    ok,
    errors: (v.errors ?? []).map((e: ErrorObject) => ({
      keyword: e.keyword,
      instancePath: e.instancePath,
      schemaPath: e.schemaPath,
      params: e.params,
      fix: (e.parentSchema as Record<string, unknown> | undefined)?.['x-fix'],
    })),
  }
}

test("the build's standalone validators find what the run-time ones find, config and scenario fixtures alike", async () => {
  const dir = mkdtempSync(join(ROOT, '.precompiled-test-'))
  try {
    const file = join(dir, 'validators.mjs')
    writeFileSync(file, precompiledModule())
    const { precompiled } = (await import(pathToFileURL(file).href)) as { precompiled: { config: ValidateFunction; scenario: ValidateFunction } }
    const runtime = { config: configAjv().compile(configSchema), scenario: scenarioAjv().compile(scenarioSchema) }

    const configs = [...dataFiles(join(FIX, 'configs/broken')), ...dataFiles(join(FIX, 'configs'))]
    const scenarios = dataFiles(join(FIX, 'scenarios'))
    let invalid = 0
    for (const [kind, files] of [
      ['config', configs],
      ['scenario', scenarios],
    ] as const) {
      for (const f of files) {
        const data = readData(f)
        if (data === undefined) continue
        const want = outcome(runtime[kind], data)
        assert.deepEqual(outcome(precompiled[kind], data), want, `${kind} ${f.slice(ROOT.length)}`)
        if (!want.ok) invalid++
      }
    }
    // the keywords of golive's own: both exclusive fields and a hook that is not a function
    const step = { name: 's', path: '/', json: {}, body: 'x', before: 'not a function' }
    const scenario = { name: 'x', profile: { model: 'closed', vus: 1, duration: '1s' }, steps: [step] }
    const want = outcome(runtime.scenario, scenario)
    assert.deepEqual(
      want.errors
        .map((e) => e.keyword)
        .filter((k) => k.startsWith('x-'))
        .sort(),
      ['x-exclusive', 'x-function'],
    )
    assert.deepEqual(outcome(precompiled.scenario, scenario), want)
    assert.ok(invalid >= 15, `only ${invalid} fixtures were invalid: the comparison covers too little`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
