// `golive scenario from-openapi` on the document FastAPI generates: one step per operation, the
// example body, the documented statuses, the id POST /orders returns captured for GET
// /orders/{order_id} (the app starts its ids at a random offset, so a made-up id reads 404),
// and the smoke journey passes on both engines.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Results } from '../../core/results.js'
import { findK6 } from '../../scenarios/engines/k6/index.js'
import { findScenario } from '../../scenarios/registry.js'
import type { Step } from '../../scenarios/dsl.js'
import { fastApiInstalled, startFastApi } from '../support/fastapi.js'
import { golive } from '../support/cli.js'

const FASTAPI = fastApiInstalled()

test('the OpenAPI document of a FastAPI app becomes a smoke journey that passes on both engines', {
  skip: FASTAPI ? false : 'python3-fastapi / python3-uvicorn not installed',
  timeout: 240_000,
}, async (t) => {
  const app = await startFastApi()
  try {
    const dir = mkdtempSync(join(tmpdir(), 'golive-openapi-'))
    const out = join(dir, 'smoke.ts')
    const conv = await golive(['scenario', 'from-openapi', `${app.url}/openapi.json`, '--out', out])
    assert.equal(conv.code, 0, conv.stderr)
    assert.match(conv.stderr, /capture order_id on step 'post-orders': \$\.id of its response is the \{order_id\} of GET \/orders\/\{order_id\}/)
    const { scenario } = await findScenario(out, dir)
    assert.deepEqual(
      (scenario.steps as Step[]).map((s) => [s.method ?? 'GET', s.path, s.check?.status]),
      [
        ['POST', '/items', 200],
        ['GET', '/items', 200],
        ['GET', '/items/1', 200],
        ['POST', '/orders', 201],
        ['GET', '/orders/{{order_id}}', 200],
        ['GET', '/healthz', 200],
      ],
    )
    const place = (scenario.steps as Step[])[3]!
    assert.deepEqual(place.json, { item: 'bolt', quantity: 3 }, 'the examples FastAPI wrote from Field(example=...)')
    assert.deepEqual(place.capture, { order_id: { json: '$.id' } })
    assert.match(readFileSync(out, 'utf8'), /\/\/ order_id: inferred: /)

    // the same document from a file gives the same steps
    const file = join(dir, 'inventory.json')
    writeFileSync(file, await (await fetch(`${app.url}/openapi.json`)).text())
    const fromFile = await golive(['scenario', 'from-openapi', file, '--out', join(dir, 'inventory.ts')])
    assert.equal(fromFile.code, 0, fromFile.stderr)
    assert.deepEqual((await findScenario(join(dir, 'inventory.ts'), dir)).scenario.steps, scenario.steps)

    let k6 = true
    try {
      findK6()
    } catch (e) {
      if (process.env.CI) throw e
      k6 = false
    }
    const perStep: Record<string, string> = {}
    for (const engine of k6 ? ['embedded', 'k6'] : ['embedded']) {
      const runDir = mkdtempSync(join(tmpdir(), `golive-openapi-${engine}-`))
      const r = await golive(['loadtest', '-s', out, '--target', app.url, '--engine', engine, '--vus', '1', '--iterations', '3', '--out', runDir], { cwd: dir })
      assert.ok(r.code === 0 || r.code === 1, r.stderr)
      const s = (JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as Results).scenarios[0]!
      assert.equal(s.errors, 0, `${engine}: ${JSON.stringify(s.topErrors)}`)
      perStep[engine] = JSON.stringify(s.steps.map((st) => [st.name, st.requests, st.statuses]))
    }
    assert.equal(perStep.embedded, JSON.stringify((scenario.steps as Step[]).map((st) => [st.name, 3, { [String(st.check!.status)]: 3 }])))
    if (k6) assert.equal(perStep.k6, perStep.embedded)
    else t.diagnostic('k6 is not installed: the k6 half was not run')
  } finally {
    await app.close()
  }
})

test('bad input: a document that is not OpenAPI, or not JSON/YAML, is exit 2 with the file, the place and the fix', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'golive-openapi-bad-'))
  const cases: [string, string, RegExp][] = [
    [
      'package.json',
      '{"name": "x", "version": "1.0.0"}',
      /package\.json: openapi: missing: not an OpenAPI \(or Swagger 2\.0\) document\n {2}fix: an OpenAPI document starts with openapi:/,
    ],
    ['nopaths.json', '{"openapi": "3.0.3", "info": {"title": "x"}}', /nopaths\.json: paths: missing or not an object\n {2}fix: /],
    ['broken.yaml', 'openapi: 3.0.3\npaths: {\n  /x: [\n', /broken\.yaml: neither JSON nor YAML: .*\n {2}fix: give the OpenAPI document itself/],
  ]
  for (const [name, text, message] of cases) {
    writeFileSync(join(dir, name), text)
    const r = await golive(['scenario', 'from-openapi', join(dir, name)])
    assert.equal(r.code, 2, `${name}: ${r.stderr}`)
    assert.match(r.stderr, message)
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
    assert.equal(r.stdout, '')
  }
})
