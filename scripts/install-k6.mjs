#!/usr/bin/env node
// Installs the pinned k6 into .tools/bin from its Go module (go install go.k6.io/k6@<version>),
// so `--engine k6` and the k6 tests work without a system-wide k6. Does nothing when the right
// version is already there. Usage: npm run install-k6 [-- --force]

import { $, fs, path, which } from 'zx'

const VERSION = 'v1.8.1' // keep in step with K6_VERSION in scenarios/engines/k6/binary.ts
const root = path.resolve(import.meta.dirname, '..')
const bin = path.join(root, '.tools', 'bin')
const k6 = path.join(bin, 'k6')

$.verbose = false
if (!process.argv.includes('--force') && fs.existsSync(k6)) {
  const have = (await $`${k6} version`.nothrow()).stdout
  if (have.includes(`k6 ${VERSION} `) || have.includes(`k6 ${VERSION}\n`)) {
    console.log(`k6 ${VERSION} is already installed at ${path.relative(root, k6)}`)
    process.exit(0)
  }
}
const go = await which('go', { nothrow: true })
if (!go) {
  console.error(`install-k6: Go is not installed, so k6 ${VERSION} cannot be built from its module.\n` +
    '  fix: install Go (https://go.dev/dl/), or install k6 another way and set K6_BINARY')
  process.exit(2)
}
await fs.mkdirp(bin)
const started = Date.now()
console.log(`building k6 ${VERSION} with ${go} (go install go.k6.io/k6@${VERSION}) ...`)
const r = await $({ env: { ...process.env, GOBIN: bin, CGO_ENABLED: '0' } })`${go} install go.k6.io/k6@${VERSION}`.nothrow()
if (r.exitCode !== 0) {
  console.error(`install-k6: go install failed (exit ${r.exitCode}):\n${r.stderr.split('\n').slice(-15).join('\n')}`)
  process.exit(1)
}
console.log(`${(await $`${k6} version`).stdout.trim()} installed at ${path.relative(root, k6)} in ${Math.round((Date.now() - started) / 1000)} s`)
