#!/usr/bin/env node
// Installs pinned Go tools into .tools/bin from their Go modules (go install <module>@<version>):
// k6 for `--engine k6` and the k6 tests (built from tools/k6: the pinned k6 with golive's output
// extension), actionlint for the CI-template test, miniflux for the test against a system that
// is not ours. Does nothing for a tool whose right version is already there.
// Usage: node scripts/install-go-tools.mjs k6 [actionlint] [--force]  (npm run install-k6, install-tools)

import { $, fs, path, which } from 'zx'

const TOOLS = {
  // the version is tools/k6/go.mod's (a unit test keeps K6_VERSION in scenarios/engines/k6/binary.ts
  // in step); `k6 version` must also list the golive output, else a plain k6 is rebuilt
  k6: { module: 'go.k6.io/k6', local: 'tools/k6', version: 'v1.8.1', versionArgs: ['version'], mustSay: /\bgolive \[output\]/ },
  actionlint: { module: 'github.com/rhysd/actionlint/cmd/actionlint', version: 'v1.7.12', versionArgs: ['-version'] },
  // a third-party web app on PostgreSQL for the "system that is not ours" test (go install names
  // the binary of a /v2 module after the element before it)
  miniflux: { module: 'miniflux.app/v2', version: 'v2.3.5', versionArgs: null, exe: 'miniflux.app' },
}
const root = path.resolve(import.meta.dirname, '..')
const bin = path.join(root, '.tools', 'bin')
const names = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const unknown = names.filter((n) => !Object.hasOwn(TOOLS, n))
if (names.length === 0 || unknown.length) {
  console.error(
    `install-go-tools: ${unknown.length ? `unknown tool ${unknown.join(', ')}` : 'no tool named'}\n  fix: name one or more of ${Object.keys(TOOLS).join(', ')}`,
  )
  process.exit(2)
}

$.verbose = false
for (const name of names) await install(name, TOOLS[name])

async function install(name, { module, local, version, versionArgs, mustSay, exe: file = name }) {
  const exe = path.join(bin, file)
  const bare = version.replace(/^v/, '')
  if (!process.argv.includes('--force') && fs.existsSync(exe)) {
    const have = await versionOf(exe, versionArgs)
    if (new RegExp(`\\bv?${bare.replace(/\./g, '\\.')}\\b`).test(have) && (!mustSay || mustSay.test(have))) {
      console.log(`${name} ${version} is already installed at ${path.relative(root, exe)}`)
      return
    }
  }
  const go = await which('go', { nothrow: true })
  if (!go) {
    console.error(
      `install-go-tools: Go is not installed, so ${name} ${version} cannot be built from its module.\n` +
        `  fix: install Go (https://go.dev/dl/)${name === 'k6' ? ', or install k6 another way and set K6_BINARY' : ''}`,
    )
    process.exit(2)
  }
  await fs.mkdirp(bin)
  const started = Date.now()
  const how = local ? `go build in ${local}, ${module}@${version}` : `go install ${module}@${version}`
  console.log(`building ${name} ${version} with ${go} (${how}) ...`)
  const env = { ...process.env, GOBIN: bin, CGO_ENABLED: '0' }
  const r = local
    ? await $({ env, cwd: path.join(root, local) })`${go} build -trimpath -o ${exe} .`.nothrow()
    : await $({ env })`${go} install ${module}@${version}`.nothrow()
  if (r.exitCode !== 0) {
    console.error(`install-go-tools: ${how} failed (exit ${r.exitCode}):\n${r.stderr.split('\n').slice(-15).join('\n')}`)
    process.exit(1)
  }
  const said = (await versionOf(exe, versionArgs)).trim().split('\n')[0]
  console.log(`${said} installed at ${path.relative(root, exe)} in ${Math.round((Date.now() - started) / 1000)} s`)
}

/** What the binary says its version is; versionArgs null: the module version Go recorded in it
 *  (`go version -m`), for programs whose own -version does not name it. */
async function versionOf(exe, versionArgs) {
  if (versionArgs) return (await $`${exe} ${versionArgs}`.nothrow()).stdout
  const m = /\bmod\s+\S+\s+(v\S+)/.exec((await $`go version -m ${exe}`.nothrow()).stdout)
  return m ? `${path.basename(exe)} ${m[1]}` : ''
}
