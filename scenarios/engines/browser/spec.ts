// Loads a Playwright spec file as a browser scenario: esbuild bundles it with golive's
// @playwright/test stand-in (shim.ts), so importing it records the tests instead of running
// them. A spec that does not load, or that has no tests, is a usage error naming the file.

import { basename, join } from 'node:path'
import type { Plugin } from 'esbuild'
import { UsageError } from '../../../core/errors.js'
import { importTsModule } from '../../../core/load-module.js'
import { packageRoot } from '../../../core/package-root.js'
import type { RecordedTest, SpecRegistry } from './shim.js'

export interface LoadedSpec {
  name: string
  file: string
  tests: RecordedTest[]
}

/** checkout.spec.ts, checkout.spec.mjs, checkout.test.ts...: a Playwright test file. */
export const SPEC_FILE = /\.(spec|test)\.(ts|mts|js|mjs)$/i

/** The scenario's name: the file name without .spec.ts (figure paths split on dots). */
export function specName(file: string): string {
  return basename(file)
    .replace(SPEC_FILE, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
}

const KEY = Symbol.for('golive.browser-spec')

function shimPlugin(): Plugin {
  const shim = join(packageRoot(), 'scenarios/engines/browser/shim.ts')
  // Playwright's own expect, from golive's dependencies (a spec folder need not install it)
  const real = import.meta.resolve('@playwright/test')
  return {
    name: 'golive-playwright-test',
    setup(b) {
      b.onResolve({ filter: /^@playwright\/test$/ }, (args) => (args.importer === shim ? { path: real, external: true } : { path: shim }))
    },
  }
}

export async function loadSpec(file: string): Promise<LoadedSpec> {
  const g = globalThis as Record<symbol, SpecRegistry>
  const engine = g[KEY]
  const registry: SpecRegistry = { tests: [], unsupported: [], step: engine?.step, info: engine?.info }
  g[KEY] = registry
  await importTsModule(file, [shimPlugin()])
  if (registry.unsupported.length) {
    throw new UsageError(
      `${file}: uses ${[...new Set(registry.unsupported)].join(', ')}, which golive's browser engine does not run`,
      'keep the journey in test() bodies with test.step, test.beforeEach and test.afterEach (docs/browser.md)',
    )
  }
  const only = registry.tests.filter((t) => t.only)
  const tests = only.length ? only : registry.tests
  if (!tests.length) {
    throw new UsageError(`${file}: the spec has no tests`, "add one: test('checkout', async ({ page }) => { ... }) with test imported from '@playwright/test'")
  }
  return { name: specName(file), file, tests }
}
