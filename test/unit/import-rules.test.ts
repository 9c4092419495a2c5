// The dependency direction of DESIGN.md as a test (Playwright's DEPS.list):
// cli → {scenarios, checks, gates, reports} → core. The four never import each other, staging/
// or cli/; core imports none of them. A new sideways import fails here.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const FOLDERS = ['scenarios', 'checks', 'gates', 'reports'] as const
const ALLOWED: Record<string, readonly string[]> = {
  core: ['core'],
  ...Object.fromEntries(FOLDERS.map((f) => [f, [f, 'core']])),
}

// No known violations: the checks reach golive's staging stack through the port in core
// (core/stack.ts) that cli gives them as ctx.stack. An entry here ("file -> imported file") would
// have to name a violation that still occurs; the list only shrinks.
const KNOWN_VIOLATIONS = new Set<string>([])

/** Comments removed (block comments, and line comments that start a line), so commented-out
 * imports do not count. Strings are left alone: an import written inside a template string of
 * generated code starts a line of that string and is counted, which errs on the strict side. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^[ \t]*\/\/.*$/gm, '')
}

// import x from '…', import type { X } from '…', import '…', export { x } from '…',
// export * from '…', import('…'), typeof import('…'), require('…').
const SPECIFIER = new RegExp(
  [
    String.raw`(?:^|\n)[ \t]*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+|[^'";]*?\s+from|)\s*['"]([^'"]+)['"]`,
    String.raw`\bimport\(\s*['"]([^'"]+)['"]\s*\)`,
    String.raw`\brequire\(\s*['"]([^'"]+)['"]\s*\)`,
  ].join('|'),
  'g',
)

export function importSpecifiers(src: string): string[] {
  return [...stripComments(src).matchAll(SPECIFIER)].map((m) => (m[1] ?? m[2] ?? m[3]) as string)
}

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules') tsFiles(path, out)
    } else if (/\.(m|c)?ts$/.test(name)) out.push(path)
  }
  return out
}

const posix = (p: string) => p.split(sep).join('/')

/** "file -> imported file" for every relative import that leaves the folder's allowed set. */
function violations(): { found: string[]; scanned: number; imports: number } {
  const found: string[] = []
  let scanned = 0
  let imports = 0
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    for (const file of tsFiles(join(root, folder))) {
      scanned++
      for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue // packages and node: builtins
        imports++
        const target = posix(relative(root, resolve(dirname(file), spec))).replace(/\.js$/, '.ts')
        const top = target.split('/')[0] as string
        if (!allowed.includes(top)) found.push(`${posix(relative(root, file))} -> ${target}`)
      }
    }
  }
  return { found, scanned, imports }
}

describe('import rules', () => {
  it('the scanner reads every import form', () => {
    const src = [
      `import a from './a.js'`,
      `import type { B } from "../b.js"`,
      `import {\n  c,\n  type D,\n} from './c.js'`,
      `import './side-effect.js'`,
      `export { e } from './e.js'`,
      `export * from './f.js'`,
      `export type { G } from './g.js'`,
      `const h = await import('./h.js')`,
      `type I = typeof import('./i.js')`,
      `// import x from './commented.js'`,
      `/* import y from './blocked.js' */`,
      `const s = 'not an import from ./nowhere.js'`,
    ].join('\n')
    assert.deepEqual(importSpecifiers(src), ['./a.js', '../b.js', './c.js', './side-effect.js', './e.js', './f.js', './g.js', './h.js', './i.js'])
  })

  const { found, scanned, imports } = violations()

  it('scans the source folders (a broken walk must not pass by finding nothing)', () => {
    assert.ok(scanned > 100, `scanned only ${scanned} files`)
    assert.ok(imports > 300, `found only ${imports} relative imports`)
  })

  it('scenarios/, checks/, gates/, reports/ import only themselves and core/; core/ only itself', () => {
    const fresh = found.filter((v) => !KNOWN_VIOLATIONS.has(v))
    assert.deepEqual(
      fresh,
      [],
      `new imports against the dependency direction (cli → {scenarios, checks, gates, reports} → core):\n${fresh.join('\n')}\nmove the shared thing to core/, or pass it in from cli/`,
    )
  })

  it('the allow-list of known violations holds no entry that is gone', () => {
    const stale = [...KNOWN_VIOLATIONS].filter((v) => !found.includes(v))
    assert.deepEqual(stale, [], `fixed: remove from KNOWN_VIOLATIONS in test/unit/import-rules.test.ts:\n${stale.join('\n')}`)
  })
})
