// Loading a Playwright spec as a browser scenario: golive's @playwright/test stand-in records
// the tests (describe titles, beforeEach/afterEach, test.use, only, skip) without running them,
// hands out Playwright's own expect, and refuses what it cannot honour, naming it.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect as playwrightExpect } from '@playwright/test'
import { loadSpec } from '../../scenarios/engines/browser/spec.js'
import { UsageError } from '../../core/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'golive-spec-'))
const spec = (name: string, code: string) => {
  const f = join(dir, name)
  writeFileSync(f, `import { test, expect } from '@playwright/test'\n${code}`)
  return f
}

test('records tests with describe titles, hooks and use; runs none of them while loading', async () => {
  const s = await loadSpec(
    spec(
      'shop.spec.ts',
      `
    let ran = 0
    test.use({ locale: 'de-DE' })
    test.beforeEach(async () => { ran++ })
    test('browse', async () => { ran++ })
    test.describe('cart', () => {
      test.use({ viewport: { width: 400, height: 800 } })
      test.afterEach(async () => {})
      test('add', async ({ page }) => { expect(page).toBeTruthy() })
    })
    test.skip('later', async () => {})
    export const loadedWithoutRunning = () => ran
    ;(globalThis as any).__expect = expect
  `,
    ),
  )
  assert.equal(s.name, 'shop')
  assert.deepEqual(
    s.tests.map((t) => t.title),
    ['browse', 'cart › add'],
  )
  assert.deepEqual(
    s.tests.map((t) => [t.beforeEach.length, t.afterEach.length]),
    [
      [1, 0],
      [1, 1],
    ],
  )
  assert.deepEqual(s.tests[1]!.use, { locale: 'de-DE', viewport: { width: 400, height: 800 } })
  assert.equal((globalThis as { __expect?: unknown }).__expect, playwrightExpect, "the spec's expect is Playwright's own")
})

test('test.only narrows to the marked tests', async () => {
  const s = await loadSpec(spec('only.spec.ts', `test('a', async () => {})\ntest.only('b', async () => {})`))
  assert.deepEqual(
    s.tests.map((t) => t.title),
    ['b'],
  )
})

test('unsupported APIs and an empty spec are usage errors naming them', async () => {
  await assert.rejects(
    loadSpec(spec('all.spec.ts', `test.beforeAll(async () => {})\ntest('a', async () => {})`)),
    (e: UsageError) => e instanceof UsageError && /uses test\.beforeAll, which golive's browser engine does not run/.test(e.message),
  )
  await assert.rejects(
    loadSpec(spec('ext.spec.ts', `const my = test.extend({})\nmy('a', async () => {})`)),
    (e: UsageError) => e instanceof UsageError && /test\.extend \(custom fixtures\) is not supported/.test(e.message),
  )
  await assert.rejects(
    loadSpec(spec('empty.spec.ts', `test.describe('x', () => {})`)),
    (e: UsageError) => e instanceof UsageError && /the spec has no tests/.test(e.message) && /add one/.test(e.hint ?? ''),
  )
})
