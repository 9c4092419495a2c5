// `npm run docs:checks`: writes the settings and figures tables of docs/checks/<id>.md from each
// check's declaration (core/declaration-docs.ts). A page without them gets a short header that
// points to the check's prose; a page with them keeps its prose and gets new tables.
// test/unit/check-docs.test.ts fails when a page and its check disagree.

import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHECKS } from '../checks/index.js'
import { withGeneratedBlock } from '../core/declaration-docs.js'
import { PROSE } from './check-docs-prose.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export function pagePath(id: string): string {
  return join(root, 'docs', 'checks', `${id}.md`)
}

export function renderPage(id: string, current: string | null): string {
  const check = CHECKS.find((c) => c.id === id)!
  const head = current ?? `# ${id}: ${check.title}\n\n${PROSE[id] ?? ''}\n`
  return withGeneratedBlock(head, check)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const c of CHECKS) {
    const file = pagePath(c.id)
    const current = existsSync(file) ? readFileSync(file, 'utf8') : null
    const next = renderPage(c.id, current)
    if (next !== current) {
      writeFileSync(file, next)
      console.log(`wrote ${file}`)
    }
  }
}
