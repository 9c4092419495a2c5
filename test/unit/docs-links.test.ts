// The docs hold together: every relative link in README.md and docs/**/*.md points at a file that
// exists, every #anchor at a heading of its target (GitHub's slugs), and the README stays the
// front door (at most 200 lines: what golive is, the two commands, a first config, links).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const README_MAX_LINES = 200

function docFiles(dir = join(ROOT, 'docs')): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? docFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []))
    .sort()
}

/** The text outside fenced code blocks, line by line (a fenced line becomes empty, so line numbers hold). */
function prose(md: string): string[] {
  let fence: string | null = null
  return md.split('\n').map((line) => {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line)
    if (m) {
      if (fence === null) fence = m[1]!
      else if (m[1]!.startsWith(fence[0]!) && m[1]!.length >= fence.length) fence = null
      return ''
    }
    return fence === null ? line : ''
  })
}

/** GitHub's heading slug (github-slugger): the heading's text, lower case, without punctuation, spaces → '-'. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/`([^`]*)`/g, '$1') // code spans: their text
    .trim()
    .toLowerCase()
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-')
}

/** Every anchor a markdown file offers: its headings' slugs (repeats get -1, -2, …) and explicit ids. */
export function anchors(md: string): Set<string> {
  const out = new Set<string>()
  const seen = new Map<string, number>()
  for (const line of prose(md)) {
    const h = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (h) {
      const base = slug(h[1]!)
      const n = seen.get(base) ?? 0
      seen.set(base, n + 1)
      out.add(n === 0 ? base : `${base}-${n}`)
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1]!)
  }
  return out
}

interface Link {
  line: number
  target: string
}

/** The relative links of a markdown text (inline code and fenced code left out). */
export function links(md: string): Link[] {
  const out: Link[] = []
  prose(md).forEach((raw, i) => {
    const line = raw.replace(/``[^`]*``|`[^`]*`/g, '')
    for (const m of line.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1]!
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // https:, mailto:, …
      out.push({ line: i + 1, target })
    }
  })
  return out
}

/** What is wrong with the links of one file: a missing file, or an anchor its target lacks. */
export function brokenLinks(file: string, md: string, read: (f: string) => string | null): string[] {
  const problems: string[] = []
  const where = (l: Link) => `${relative(ROOT, file) || file}:${l.line}: ${l.target}`
  for (const l of links(md)) {
    const [path, hash] = (() => {
      const i = l.target.indexOf('#')
      return i < 0 ? [l.target, null] : [l.target.slice(0, i), l.target.slice(i + 1)]
    })()
    const target = path === '' ? file : resolve(dirname(file), decodeURIComponent(path))
    const text = path === '' ? md : read(target)
    if (text === null) {
      problems.push(`${where(l)}: no such file`)
      continue
    }
    if (hash === null || hash === '') continue
    if (!target.endsWith('.md')) {
      problems.push(`${where(l)}: an anchor into a file that is not markdown`)
      continue
    }
    if (!anchors(text).has(decodeURIComponent(hash))) problems.push(`${where(l)}: no heading '#${hash}' in ${relative(ROOT, target)}`)
  }
  return problems
}

function readIfExists(f: string): string | null {
  if (!existsSync(f)) return null
  return statSync(f).isDirectory() ? '' : readFileSync(f, 'utf8')
}

test('every relative link in README.md and docs/**/*.md resolves, anchors included', () => {
  const files = [join(ROOT, 'README.md'), ...docFiles()]
  assert.ok(
    files.some((f) => f.includes(join('docs', 'recipes'))) && files.some((f) => f.includes(join('docs', 'checks'))),
    'docs/recipes and docs/checks are read',
  )
  let count = 0
  const problems = files.flatMap((f) => {
    const md = readFileSync(f, 'utf8')
    count += links(md).length
    return brokenLinks(f, md, readIfExists)
  })
  assert.deepEqual(problems, [], `broken links:\n${problems.join('\n')}`)
  assert.ok(count >= 100, `found only ${count} links (the extraction broke?)`)
})

test('README.md is the front door: at most 200 lines, linking into docs/', () => {
  const md = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const lines = md.replace(/\n$/, '').split('\n').length
  assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; at most ${README_MAX_LINES}: move the detail into docs/`)
  for (const page of ['commands', 'configuration', 'scenarios', 'engines', 'gates', 'reports', 'staging', 'architecture']) {
    assert.ok(
      links(md).some((l) => l.target === `docs/${page}.md`),
      `README.md links docs/${page}.md`,
    )
  }
})

test('the checker fails on what it must: a missing file, a missing anchor, GitHub slugs', () => {
  const file = join(ROOT, 'docs', 'x.md')
  const pages: Record<string, string> = {
    [join(ROOT, 'docs', 'y.md')]:
      '# Y\n\n## The HTML report (report.html)\n\n## `setup` and `teardown` (per user)\n\n## Figures\n\n### Figures\n\n```sh\n# not a heading\n```\n',
  }
  const read = (f: string) => pages[f] ?? null
  const md = [
    '[ok](y.md) [ok](y.md#the-html-report-reporthtml) [ok](y.md#setup-and-teardown-per-user) [ok](y.md#figures-1)',
    '[gone](nope.md) [bad](y.md#no-such-heading) [fenced](y.md#not-a-heading) [self](#here)',
    '`[not a link](nope.md)` [web](https://example.com/nope.md)',
    '## Here',
  ].join('\n')
  assert.deepEqual(
    brokenLinks(file, md, read).map((p) => p.replace(/^.*?: /, '')),
    [
      'nope.md: no such file',
      "y.md#no-such-heading: no heading '#no-such-heading' in docs/y.md",
      "y.md#not-a-heading: no heading '#not-a-heading' in docs/y.md",
    ],
  )
  assert.equal(slug('k6 on a cluster (k6-operator)'), 'k6-on-a-cluster-k6-operator')
  assert.equal(slug('Disaster-recovery drills: backup-restore, failover, rolling-restart'), 'disaster-recovery-drills-backup-restore-failover-rolling-restart')
  assert.equal(slug('`--dashboard [PORT]`'), '--dashboard-port')
})
