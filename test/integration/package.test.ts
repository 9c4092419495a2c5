// The package as users install it: `npm pack` of this checkout, installed into an empty project
// from the tarball (its dependencies from the registry), then the newcomer's three commands.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { packageRoot } from '../../core/package-root.js'
import { startBareServer } from '../support/init-servers.js'

const run = promisify(execFile)
const root = packageRoot()
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; private?: boolean; dependencies: Record<string, string> }

async function sh(cmd: string, args: string[], cwd: string, timeout = 150_000): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(cmd, args, {
      cwd,
      timeout,
      env: { ...process.env, CI: 'true', GITHUB_STEP_SUMMARY: '', npm_config_update_notifier: 'false' },
      maxBuffer: 16 * 1024 * 1024,
    })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string }
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: `${err.stderr ?? ''}${err.code}` }
  }
}

test('npm pack → install in an empty project → golive --version, init, loadtest', { timeout: 240_000 }, async () => {
  assert.ok(existsSync(join(root, 'dist/cli.js')), 'dist/ is built (npm test builds it first)')
  assert.notEqual(pkg.private, true)
  assert.ok(!('autocannon' in pkg.dependencies), 'autocannon is for the bench only')
  const dir = mkdtempSync(join(tmpdir(), 'golive-pack-'))
  // --ignore-scripts: pack the dist/ this test run built, without rebuilding it under other tests
  const packed = await sh('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], root)
  assert.equal(packed.code, 0, packed.stderr)
  const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!)
  const listing = (await sh('tar', ['tzf', tarball], dir)).stdout
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''))
  for (const needed of [
    'dist/cli.js',
    'dist/engine-worker.js',
    'dist/demo-worker.js',
    'core/config.schema.json',
    'core/results.schema.json',
    'index.ts',
    'scenarios/engines/k6/runtime.ts',
    'README.md',
  ]) {
    assert.ok(listing.includes(needed), `${needed} is in the package`)
  }
  assert.deepEqual(
    listing.filter((f) => /^(test|staging|scripts|\.tools)\//.test(f)),
    [],
    'no tests, staging data or scripts',
  )

  const project = join(dir, 'project')
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'newcomer', private: true, type: 'module' }))
  const install = await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project)
  assert.equal(install.code, 0, install.stderr)

  const version = await sh('npx', ['--no-install', 'golive', '--version'], project)
  assert.equal(version.stdout.trim(), pkg.version, version.stderr)
  const server = await startBareServer()
  try {
    const init = await sh('npx', ['--no-install', 'golive', 'init', '--yes', '--target', server.url], project)
    assert.equal(init.code, 0, init.stderr + init.stdout)
    const load = await sh('npx', ['--no-install', 'golive', 'loadtest', '--duration', '3s', '--vus', '100'], project)
    assert.equal(load.code, 0, load.stderr + load.stdout)
    assert.match(load.stdout, /^GO {2}GO: /)
    assert.match(load.stdout, /^load\.first {2}embedded /m)
    assert.ok(existsSync(join(project, '.golive/runs/latest/report.html')), 'the HTML report renders from the installed package')
    // a scenario's hook imports golive/helpers from the installed package, on both engines' builds
    writeFileSync(
      join(project, 'signed.ts'),
      `import { defineScenario } from 'golive'
import { hmacSha256 } from 'golive/helpers'
export default defineScenario({ name: 'signed', profile: { model: 'closed', vus: 1, duration: '10s', iterations: 2 },
  steps: [{ name: 'home', path: '/', headers: { 'x-sig': '{{sig}}' }, before: () => ({ sig: hmacSha256('k', 'home') }) }] })
`,
    )
    const signed = await sh('npx', ['--no-install', 'golive', 'loadtest', '--scenario', './signed.ts', '--out', join(project, 'signed-run')], project)
    assert.notEqual(signed.code, 2, signed.stderr)
    const run = JSON.parse(readFileSync(join(project, 'signed-run/results.json'), 'utf8')) as { scenarios: { requests: number; errors: number }[] }
    assert.deepEqual([run.scenarios[0]!.requests, run.scenarios[0]!.errors], [2, 0], signed.stderr)
    const built = await sh('npx', ['--no-install', 'golive', 'k6', 'build', './signed.ts', '--out', join(project, 'signed.k6.js')], project)
    assert.equal(built.code, 0, built.stderr)
    assert.match(readFileSync(join(project, 'signed.k6.js'), 'utf8'), /from "k6\/crypto"/, "golive/helpers is k6's build in the script")
  } finally {
    await server.close()
  }
})
