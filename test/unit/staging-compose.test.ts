// docker-compose.staging.yml and the native form describe one stack: the same components, ports
// and configs. The compose file cannot run here (no container engine), so this is its test.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { COMPONENTS, DEFAULT_BASE_PORT, allPorts } from '../../staging/components.js'
import { COMPOSE_CONFIG_DIR, COMPOSE_FILE, composeConfigs, composeYaml } from '../../staging/compose-form.js'
import { nativeVars } from '../../staging/native/launch.js'
import { stackPaths } from '../../staging/native/paths.js'
import { defaultSettings, render, renderTemplate } from '../../staging/render.js'
import { packageRoot } from '../../core/package-root.js'

const root = packageRoot()
const configDir = join(root, 'staging', 'templates')
const committed = readFileSync(join(root, COMPOSE_FILE), 'utf8')
interface Service {
  image: string
  ports: string[]
  volumes: string[]
  healthcheck?: { test: string[] }
  depends_on?: Record<string, { condition: string }>
}
const doc = parse(committed) as { services: Record<string, Service>; volumes: Record<string, unknown> }

test('the committed compose file and staging/compose/ are what npm run staging:compose writes', () => {
  assert.equal(committed, composeYaml(), `${COMPOSE_FILE} is stale: npm run staging:compose`)
  for (const [file, text] of Object.entries(composeConfigs(configDir))) {
    assert.equal(readFileSync(join(root, COMPOSE_CONFIG_DIR, file), 'utf8'), text, `${COMPOSE_CONFIG_DIR}/${file} is stale: npm run staging:compose`)
  }
  assert.deepEqual(readdirSync(join(root, COMPOSE_CONFIG_DIR)).sort(), Object.keys(composeConfigs(configDir)).sort())
})

test('compose services are exactly the native components, with their images', () => {
  assert.deepEqual(Object.keys(doc.services).sort(), COMPONENTS.map((c) => c.name).sort())
  for (const c of COMPONENTS) assert.equal(doc.services[c.name]!.image, c.image, c.name)
})

test('compose publishes the native ports (default base port), on 127.0.0.1 only', () => {
  const composePorts = Object.entries(doc.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => ({ name, p })))
  for (const { name, p } of composePorts) assert.match(p, /^127\.0\.0\.1:(\d+):\1$/, `${name}: ${p}`)
  const byService = (name: string) =>
    composePorts
      .filter((x) => x.name === name)
      .map((x) => Number(x.p.split(':')[1]))
      .sort()
  for (const c of COMPONENTS) {
    const native = allPorts(DEFAULT_BASE_PORT)
      .filter((p) => p.component === c.name)
      .map((p) => p.port)
      .sort()
    assert.deepEqual(byService(c.name), native, c.name)
  }
})

test('every service mounts the configs its component reads, has a healthcheck, and waits for healthy dependencies', () => {
  for (const c of COMPONENTS) {
    const s = doc.services[c.name]!
    for (const f of c.configs)
      assert.ok(
        s.volumes.some((v) => v.startsWith(`./${COMPOSE_CONFIG_DIR}/${f}:`)),
        `${c.name} mounts ${f}`,
      )
    assert.ok(s.healthcheck?.test?.length, `${c.name} has a healthcheck`)
    for (const [dep, cond] of Object.entries(s.depends_on ?? {})) {
      assert.ok(doc.services[dep], `${c.name} depends on a service that exists: ${dep}`)
      assert.equal(cond.condition, 'service_healthy', `${c.name} → ${dep}`)
    }
    for (const v of s.volumes) {
      const source = v.split(':')[0]!
      if (!source.startsWith('.')) assert.ok(source in doc.volumes, `${c.name}: named volume ${source} is declared`)
    }
  }
})

test('both forms render every template completely; Prometheus scrapes the same targets in both', () => {
  const native = nativeVars(defaultSettings(), stackPaths('/tmp/golive-staging-test'))
  const files = [...new Set(COMPONENTS.flatMap((c) => c.configs))]
  const targets = (text: string) =>
    (parse(text) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] }).scrape_configs
      .flatMap((j) => j.static_configs.flatMap((s) => s.targets.map((t) => `${j.job_name}:${t.split(':')[1]}`)))
      .sort()
  for (const f of files) assert.doesNotMatch(renderTemplate(configDir, f, native), /\{\{[a-z0-9_]+\}\}/, f)
  assert.deepEqual(targets(renderTemplate(configDir, 'prometheus.yml', native)), targets(composeConfigs(configDir)['prometheus.yml']!))
  assert.equal(targets(composeConfigs(configDir)['prometheus.yml']!).length, 8)
})

test('render refuses a placeholder it has no value for', () => {
  assert.throws(() => render('port {{nope}}', {}, 'x.cfg'), /x\.cfg: no value for \{\{nope\}\}/)
  assert.equal(render('{{ $labels.instance }} {{a}}', { a: 1 }, 'x'), '{{ $labels.instance }} 1')
})

test('.ci/run installs exactly the Debian packages the native form needs', async () => {
  const { DEBIAN_PACKAGES } = await import('../../staging/native/programs.js')
  const line = /^STAGING_PACKAGES="([^"]+)"/m.exec(readFileSync(join(root, '.ci', 'run'), 'utf8'))
  assert.ok(line, '.ci/run sets STAGING_PACKAGES')
  assert.deepEqual(line[1]!.split(' ').sort(), [...DEBIAN_PACKAGES].sort())
})
