// No source line over 200 characters (issue 18 point 7): every .ts, .mjs and .js file of the repo,
// outside installed, built, scratch and fixture folders. Biome wraps code at 160 columns; what it
// cannot wrap (long strings, templates, regexes, test titles) is wrapped by hand.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { packageRoot } from '../../core/package-root.js'

const MAX = 200
const SKIP_DIRS = new Set(['node_modules', 'dist', 'fixtures'])
const root = packageRoot()

function sources(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name.startsWith('.') || SKIP_DIRS.has(e.name) ? [] : sources(path)
    return e.isFile() && /\.(ts|mjs|js)$/.test(e.name) ? [path] : []
  })
}

test(`no source line is over ${MAX} characters`, () => {
  const files = sources()
  assert.ok(files.length > 100, `found only ${files.length} source files under ${root}`)
  const long = files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.length > MAX ? [`${relative(root, f)}:${i + 1} (${line.length} chars)`] : [])),
  )
  assert.deepEqual(long, [], `lines over ${MAX} characters (wrap the string, template or regex; see issue 18 point 7):\n${long.join('\n')}`)
})
