// docs/checks/<id>.md carries its check's settings and figures tables, generated from the
// declaration (npm run docs:checks): a setting or figure added, renamed or re-described in a
// check and not in its page fails here.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { CHECKS } from '../../checks/index.js'
import { BEGIN, END, generatedBlock, withGeneratedBlock } from '../../core/declaration-docs.js'
import { fileURLToPath } from 'node:url'

const pagePath = (id: string) => fileURLToPath(new URL(`../../docs/checks/${id}.md`, import.meta.url))

describe('docs/checks/<id>.md: generated from the declarations', () => {
  for (const check of CHECKS) {
    it(`${check.id}: the page holds the tables its declaration renders`, () => {
      const file = pagePath(check.id)
      assert.ok(existsSync(file), `no ${file}: run npm run docs:checks`)
      const page = readFileSync(file, 'utf8')
      const block = page.slice(page.indexOf(BEGIN), page.indexOf(END) + END.length)
      assert.equal(block, generatedBlock(check), `docs/checks/${check.id}.md drifted from checks/${check.id}: run npm run docs:checks`)
    })
  }

  it('every declared setting and figure appears in its table (the renderer drops nothing)', () => {
    for (const check of CHECKS) {
      const block = generatedBlock(check)
      for (const key of Object.keys(check.settings?.properties ?? {})) assert.ok(block.includes(`| \`${key}\` |`), `${check.id}: ${key}`)
      for (const f of check.figures ?? []) assert.ok(block.includes(`\`${check.id}.${f.name}\``), `${check.id}: ${f.name}`)
    }
  })

  it('regenerating keeps the prose around the tables and is stable', () => {
    const check = CHECKS.find((c) => c.id === 'tls')!
    const page = `# tls\n\nprose before\n\n${BEGIN}\nstale\n${END}\n\nprose after\n`
    const next = withGeneratedBlock(page, check)
    assert.ok(next.startsWith('# tls\n\nprose before\n\n') && next.endsWith('\n\nprose after\n'))
    assert.equal(withGeneratedBlock(next, check), next)
  })
})
