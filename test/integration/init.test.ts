// `golive init` as a newcomer meets it: a probe that only reads, a config and a first scenario
// that load and run, different for a bare server and for an API with health, metrics and an
// OpenAPI document; never an overwritten file; no question asked off a terminal.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { loadConfig } from '../../core/load-config.js'
import { findScenario } from '../../scenarios/registry.js'
import type { Results } from '../../core/results.js'
import type { Step } from '../../scenarios/dsl.js'
import { golive } from '../support/cli.js'
import { makeCerts, startApiServer, startBareServer, startHttpsSite, type InitServer } from '../support/init-servers.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'golive-init-'))

async function initAndLoad(server: InitServer, extra: string[] = []) {
  const cwd = tmp()
  const init = await golive(['init', '--yes', '--target', server.url, ...extra], { cwd })
  assert.equal(init.code, 0, init.stderr + init.stdout)
  // the probe read and nothing else
  assert.deepEqual([...server.methods], ['GET'], `methods seen: ${[...server.methods].join(', ')}`)
  const loaded = await loadConfig({ cwd })
  const env = loaded.config.environments[loaded.config.defaultEnv!]!
  const { scenario } = await findScenario(env.scenarios![0]!, cwd)
  // the go-live preset's 100 concurrent users, so the written config can read GO at all
  assert.deepEqual(scenario.profile, { model: 'closed', vus: 100, duration: '1m' })
  const seenBeforeLoad = server.paths.length
  // a 2-user smoke run of the written config: NO-GO by the 100-user gate alone (never GO), every
  // other gate on the journeys passing; the 100-user GO is the package test's (one run per suite
  // at 100 users, so a loaded machine's p95 does not decide these)
  const load = await golive(['loadtest', '--duration', '3s', '--vus', '2'], { cwd })
  assert.equal(load.code, 1, load.stderr + load.stdout)
  assert.match(load.stdout, /^NO-GO  NO-GO: 1 blocker failed \(load\.first\.vus_max\)/m)
  const runs = join(cwd, '.golive/runs')
  const run = readdirSync(runs).find((d) => d !== 'latest')!
  const results = JSON.parse(readFileSync(join(runs, run, 'results.json'), 'utf8')) as Results
  assert.ok(server.paths.length > seenBeforeLoad, 'the load reached the server')
  return { cwd, init, env, config: loaded.config, scenario, results }
}

test('a bare http server: a GET of the front page, no checks, the go-live preset', async () => {
  const server = await startBareServer()
  try {
    const { cwd, init, env, config, scenario, results } = await initAndLoad(server)
    assert.equal(env.baseUrl, server.url)
    assert.deepEqual(config.gates?.presets, ['go-live'])
    assert.deepEqual(Object.keys(env.checks ?? {}), [], 'plain http: no tls/headers, no Prometheus given')
    assert.deepEqual(
      scenario.steps!.map((s) => (s as Step).path),
      ['/'],
    )
    assert.match(readFileSync(join(cwd, '.gitignore'), 'utf8'), /^\.golive\/$/m)
    assert.match(init.stdout, /found: plain http\n/)
    // the next three commands
    assert.equal(init.stdout.split('\n').filter((l) => /^ {2}golive /.test(l)).length, 3)
    const s = results.scenarios[0]!
    assert.equal(s.name, 'first')
    assert.ok(s.requests > 0 && s.errors === 0, `${s.requests} requests, ${s.errors} errors`)
  } finally {
    await server.close()
  }
})

test('an API with /health, /metrics, /openapi.json and a login page: its GET operations, monitoring with --prometheus', async () => {
  const server = await startApiServer()
  try {
    const { cwd, init, env, scenario, results } = await initAndLoad(server, ['--prometheus', 'http://127.0.0.1:9090', '--env', 'stage'])
    assert.equal(env.baseUrl, server.url)
    // the OpenAPI GET operations without path parameters (POST-only and /items/{id} left out), then health
    assert.deepEqual(
      scenario.steps!.map((s) => (s as Step).path),
      ['/api/items', '/api/status', '/health'],
    )
    assert.deepEqual(Object.keys(env.checks ?? {}), ['monitoring'])
    assert.equal((env.checks!.monitoring as { prometheus: string }).prometheus, 'http://127.0.0.1:9090')
    const text = readFileSync(join(cwd, 'golive.config.ts'), 'utf8')
    assert.match(text, /a login form at \/login/)
    assert.match(text, /health endpoints: \/health/)
    assert.match(text, /\/\/ failover: /, 'drills left commented out')
    assert.match(init.stdout, /OpenAPI at \/openapi\.json \(2 GET operations used\)/)
    assert.deepEqual(
      results.scenarios[0]!.steps.map((s) => s.name),
      ['api-items', 'api-status', 'health'],
    )
    assert.equal(results.scenarios[0]!.errors, 0)
  } finally {
    await server.close()
  }
})

test('an https site with HSTS behind a private CA (--ca): tls and headers on, the linked pages walked', async () => {
  const certs = tmp()
  makeCerts(certs)
  const server = await startHttpsSite(certs)
  try {
    const cwd = tmp()
    const init = await golive(['init', '--yes', '--target', server.url, '--ca', join(certs, 'ca.pem')], { cwd })
    assert.equal(init.code, 0, init.stderr + init.stdout)
    assert.match(init.stdout, /found: https with HSTS, 2 linked pages/)
    const loaded = await loadConfig({ cwd })
    const env = loaded.config.environments.staging!
    assert.deepEqual(Object.keys(env.checks ?? {}), ['tls', 'headers'])
    // written relative to the config file, as config paths are
    assert.ok(env.ca && !env.ca.startsWith('/'), `ca: ${env.ca}`)
    assert.equal(resolve(cwd, env.ca), join(certs, 'ca.pem'))
    const { scenario } = await findScenario(env.scenarios![0]!, cwd)
    // the front page and its same-origin links; not the stylesheet, the logout or another origin
    assert.deepEqual(
      scenario.steps!.map((st) => (st as Step).path),
      ['/', '/about', '/pricing?plan=pro'],
    )
    assert.deepEqual([...server.methods], ['GET'])
    // a smoke run (2 users: 100 TLS handshakes at once would measure this test's loaded machine,
    // not the config): NO-GO by the 100-user gate alone, never GO, the journeys clean
    const load = await golive(['loadtest', '--duration', '3s', '--vus', '2'], { cwd })
    assert.equal(load.code, 1, load.stderr + load.stdout)
    assert.match(load.stdout, /NO-GO: 1 blocker failed \(load\.first\.vus_max\)/)
    assert.match(load.stdout, /^load\.first .* errors 0 % /m)
  } finally {
    await server.close()
  }
})

// Debian's python3-fastapi and python3-uvicorn (.ci/run installs them); locally, missing: skipped
const PYTHON = '/usr/bin/python3'
const FASTAPI = (() => {
  const r = spawnSyncOk(PYTHON, ['-c', 'import fastapi, uvicorn'])
  if (!r && process.env.CI) throw new Error('python3-fastapi / python3-uvicorn missing: .ci/run installs them')
  return r
})()

function spawnSyncOk(cmd: string, args: string[]): boolean {
  try {
    return execFileSync(cmd, args, { stdio: 'ignore' }) !== undefined
  } catch {
    return false
  }
}

async function startFastApi(): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(PYTHON, [join(import.meta.dirname, '../support/fastapi-app.py')], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [chunk] = (await Promise.race([
    once(child.stdout!, 'data'),
    once(child, 'exit').then(() => {
      throw new Error('the FastAPI app exited')
    }),
  ])) as [Buffer]
  const url = `http://127.0.0.1:${Number(chunk.toString().trim())}`
  return {
    url,
    close: async () => {
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

test('a FastAPI app (software nobody here wrote): the OpenAPI document FastAPI generates becomes the scenario', {
  skip: FASTAPI ? false : 'python3-fastapi / python3-uvicorn not installed',
}, async () => {
  const app = await startFastApi()
  try {
    const cwd = tmp()
    const init = await golive(['init', '--yes', '--target', app.url], { cwd })
    assert.equal(init.code, 0, init.stderr + init.stdout)
    assert.match(init.stdout, /health \/healthz, OpenAPI at \/openapi\.json \(2 GET operations used\)/)
    const loaded = await loadConfig({ cwd })
    const { scenario } = await findScenario(loaded.config.environments.staging!.scenarios![0]!, cwd)
    // GET /items and /healthz; not /items/{item_id} (a path parameter) nor POST /items; / is FastAPI's 404
    assert.deepEqual(
      scenario.steps!.map((st) => (st as Step).path),
      ['/items', '/healthz'],
    )
    const load = await golive(['loadtest', '--duration', '3s', '--vus', '2'], { cwd })
    assert.equal(load.code, 1, load.stderr + load.stdout)
    assert.match(load.stdout, /NO-GO: 1 blocker failed \(load\.first\.vus_max\)/)
    assert.match(load.stdout, /^load\.first .* errors 0 % /m)
  } finally {
    await app.close()
  }
})

test('never overwrites: an existing config or scenario stops init with exit 2 naming it', async () => {
  const cwd = tmp()
  writeFileSync(join(cwd, 'golive.config.ts'), '// mine\n')
  const r = await golive(['init', '--yes', '--target', 'http://127.0.0.1:9'], { cwd })
  assert.equal(r.code, 2)
  assert.match(r.stderr, /golive\.config\.ts already exists/)
  assert.equal(readFileSync(join(cwd, 'golive.config.ts'), 'utf8'), '// mine\n')
  assert.ok(!existsSync(join(cwd, 'scenarios')))
  // off a terminal, no URL: a usage error, not a question
  const none = await golive(['init'], { cwd: tmp() })
  assert.equal(none.code, 2)
  assert.match(none.stderr, /give --target URL/)
})
