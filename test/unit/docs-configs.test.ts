// Every config the docs show runs: each ```ts / ```yaml / ```json block of README.md and docs/**/*.md
// that is a config (a defineConfig file, a document with environments, or a known fragment such
// as `checks: {…}`, one check's settings or `checklist: {…}`) is loaded and validated as golive
// would load it. A sample a user copies must not exit 2.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { loadConfig } from '../../core/load-config.js'
import { CHECKS } from '../../checks/index.js'
import { DECLARATIONS } from '../../cli/declarations.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

interface Block {
  file: string
  line: number
  lang: string
  code: string
}

function blocks(file: string): Block[] {
  const out: Block[] = []
  const re = /^```(ts|yaml|yml|json)[^\n]*\n([\s\S]*?)^```/gm
  const text = readFileSync(file, 'utf8')
  for (const m of text.matchAll(re)) out.push({ file, line: text.slice(0, m.index).split('\n').length, lang: m[1]!, code: m[2]! })
  return out
}

const CHECK_IDS = new Set(CHECKS.map((c) => c.id))
const ENV = `baseUrl: 'http://127.0.0.1:1'`

/** The block as a config file's name and text, or null when it is not a config. */
function asConfig(b: Block): { name: string; text: string } | null {
  if (b.lang === 'ts') {
    if (/\bdefineConfig\s*\(/.test(b.code)) return { name: 'golive.config.ts', text: b.code }
    const key = /^\s*(?:'([\w-]+)'|([\w-]+))\s*:\s*\{/.exec(b.code)
    const k = key?.[1] ?? key?.[2]
    if (!k || /^\s*export\b/m.test(b.code)) return null
    if (k === 'checks') return { name: 'golive.config.ts', text: `export default { environments: { docs: { ${ENV}, ${b.code} } } }\n` }
    if (CHECK_IDS.has(k)) return { name: 'golive.config.ts', text: `export default { environments: { docs: { ${ENV}, checks: { ${b.code} } } } }\n` }
    if (k === 'checklist' || k === 'gates' || k === 'reports')
      return { name: 'golive.config.ts', text: `export default { environments: { docs: { ${ENV} } }, ${b.code} }\n` }
    return null
  }
  let data: unknown
  try {
    data = b.lang === 'json' ? JSON.parse(b.code) : parseYaml(b.code)
  } catch {
    return null
  }
  if (!data || typeof data !== 'object' || !('environments' in data)) return null
  // a fragment that shows one part of an environment (its checks) gets a base URL, nothing else
  const envs = (data as { environments?: Record<string, Record<string, unknown>> }).environments ?? {}
  const partial = Object.values(envs).filter((e) => e && typeof e === 'object' && !('baseUrl' in e))
  if (partial.length === 0) return { name: b.lang === 'json' ? 'golive.config.json' : 'golive.config.yaml', text: b.code }
  for (const e of partial) e.baseUrl = 'http://127.0.0.1:1'
  return { name: 'golive.config.json', text: JSON.stringify(data, null, 2) }
}

/** Every .md file under docs/, at any depth (docs/checks, docs/recipes, …). */
export function docFiles(dir = join(ROOT, 'docs')): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? docFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []))
    .sort()
}

test('every config block in README.md and docs/**/*.md loads and validates', async () => {
  const docs = docFiles()
  assert.ok(
    docs.some((f) => f.includes(`${join('docs', 'recipes')}`)) && docs.some((f) => f.includes(`${join('docs', 'checks')}`)),
    'docs/recipes and docs/checks are read',
  )
  let loaded = 0
  for (const b of [join(ROOT, 'README.md'), ...docs].flatMap(blocks)) {
    const cfg = asConfig(b)
    if (!cfg) continue
    const dir = mkdtempSync(join(tmpdir(), 'golive-docs-'))
    writeFileSync(join(dir, cfg.name), cfg.text)
    // ${env:NAME} in a sample: any value will do; process.env.X in a .ts sample reads undefined
    const env = Object.fromEntries([...cfg.text.matchAll(/\$\{env:(\w+)\}/g)].map((m) => [m[1]!, 'docs-sample-value']))
    const where = `${b.file.slice(ROOT.length)}:${b.line}`
    try {
      // the checks' settings too, as golive validates them (each environment's, when chosen)
      const l = await loadConfig({ cwd: dir, env, declarations: DECLARATIONS })
      const checkError = Object.values(l.checkErrors ?? {})[0]
      if (checkError) throw checkError
    } catch (e) {
      assert.fail(`the config block at ${where} does not load:\n${(e as Error).message}\n--- block\n${b.code}`)
    }
    loaded++
  }
  assert.ok(loaded >= 14, `found ${loaded} config blocks; the docs have more (the extraction broke?)`)
})
