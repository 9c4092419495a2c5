#!/usr/bin/env node
// Bundles the CLI, its worker threads and the public entry into dist/ with esbuild (no type
// check at run time: `npm run typecheck` does that), so `golive` starts in well under a second.

import { build } from 'esbuild'
import { readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const started = Date.now()
// chunk names carry a hash: without this, every old build's chunks would stay (and be packed)
rmSync(new URL('../dist/chunks', import.meta.url), { recursive: true, force: true })

// the config and scenario schemas as standalone validators (scripts/precompile-validators.ts):
// the bundle gets them in place of core/precompiled-validators.ts, so no schema is compiled at start
const generator = fileURLToPath(new URL('../dist/.precompile-validators.mjs', import.meta.url))
await build({
  entryPoints: ['scripts/precompile-validators.ts'],
  outfile: generator,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
})
const validators = (await import(generator)).precompiledModule()
rmSync(generator, { force: true })
const precompiled = {
  name: 'precompiled-validators',
  setup(b) {
    b.onLoad({ filter: /core[\\/]precompiled-validators\.ts$/ }, () => ({
      contents: validators,
      loader: 'js',
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
    }))
  },
}

await build({
  entryPoints: {
    cli: 'cli/main.ts',
    'engine-worker': 'scenarios/engines/embedded/worker.ts',
    'demo-worker': 'staging/app/demo-worker.ts',
    'staging-app': 'staging/app/staging-main.ts',
    index: 'index.ts',
    helpers: 'scenarios/helpers.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  // commands are imported on demand; chunks keep that laziness in the bundle
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  define: { __GOLIVE_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  plugins: [precompiled],
})
if (!process.argv.includes('--quiet')) console.error(`built dist/ in ${Date.now() - started} ms`)
