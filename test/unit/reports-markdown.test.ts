import { test } from 'node:test'
import assert from 'node:assert/strict'
import { markdown } from '../../reports/markdown.js'
import { fixture, goFixture } from '../support/report-fixture.js'

/** Cells of a GFM table row the way GitHub splits them: a backslash escapes the next character. */
function cells(line: string): string[] {
  const out: string[] = []
  let cell = ''
  for (let i = 1; i < line.length; i++) {
    const ch = line[i]!
    if (ch === '\\') {
      cell += ch + (line[i + 1] ?? '')
      i++
      continue
    }
    if (ch === '|') {
      out.push(cell.trim())
      cell = ''
      continue
    }
    cell += ch
  }
  return out
}

/** Consecutive lines starting with '|', grouped into tables. */
function tables(md: string): string[][] {
  const found: string[][] = []
  let current: string[] | null = null
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) (current ??= []).push(line)
    else if (current) {
      found.push(current)
      current = null
    }
  }
  if (current) found.push(current)
  return found
}

test('every table keeps its column count with hostile text in its cells', () => {
  const md = markdown.render(fixture())
  const all = tables(md)
  // scorecard, scenarios, checkout steps, checkout errors, browse steps, checks
  assert.deepEqual(
    all.map((t) => cells(t[0]!).length),
    [6, 11, 10, 4, 10, 3],
  )
  for (const t of all) {
    const width = cells(t[0]!).length
    for (const line of t) assert.equal(cells(line).length, width, line)
  }
  // header + rule + one line per row: nothing spilled onto extra lines
  assert.deepEqual(
    all.map((t) => t.length - 2),
    [10, 2, 3, 2, 2, 4],
  )
})

test('no HTML from the target survives, and no raw escapes or backticks', () => {
  const md = markdown.render(fixture())
  assert.doesNotMatch(md, /<script|<img/i)
  // the only tag in the document is our own line break
  assert.deepEqual([...new Set(md.match(/<[a-z/!?][^>]*>?/gi))], ['<br>'])
  assert.doesNotMatch(md, /\u001b/)
  assert.doesNotMatch(md, /(?<!\\)`/)
  // and the hostile text is still there to read, escaped
  assert.ok(md.includes('&lt;script&gt;alert(1)&lt;/script&gt; \\| &lt;img src=x onerror=alert(1)&gt; RED &amp; \\`code\\`<br>second line'))
})

test('heading, summary and partial warning follow the verdict', () => {
  const md = markdown.render(fixture())
  assert.equal(md.split('\n')[0], '## ❌ NO-GO')
  assert.match(md, /^> ⚠️ \*\*Partial run:\*\* interrupted by SIGINT\./m)
  assert.ok(md.includes('NO-GO: 3 blockers failed (load.checkout.latency\\_p95'))
  const go = markdown.render(goFixture())
  assert.equal(go.split('\n')[0], '## ✅ GO')
  assert.doesNotMatch(go, /Partial run/)
})

test('scorecard rows: the gate with its figure, and outcomes that are not a fail read differently', () => {
  const rows = tables(markdown.render(fixture()))[0]!
    .slice(2)
    .map((l) => cells(l)[0])
  assert.deepEqual(cells(tables(markdown.render(fixture()))[0]![2]!).slice(1), [
    'load.\\*.latency\\_p95 &lt; 500ms (load.checkout.latency\\_p95)',
    '&lt; 500 ms',
    '812 ms',
    'blocker',
    'p95 812 ms is 312 ms over the 500 ms target',
  ])
  assert.deepEqual(rows, ['❌ FAIL', '✅ PASS', '⚠️ WARN', '✅ PASS', '❌ FAIL', '❓ MISSING', '⏭️ SKIPPED', '💥 ERROR', '➖ not run', '⚪ off'])
})

test('scenario summary and step rows carry the numbers', () => {
  const [, scenarios, steps] = tables(markdown.render(fixture()))
  assert.deepEqual(cells(scenarios![2]!), ['checkout', 'measured', '12,000', '4,000', '200 req/s', '2.5 %', '50', '45 ms', '812 ms', '1.45 s', '2.3 s'])
  assert.deepEqual(cells(steps![3]!), [
    'POST /cart \\| add',
    'POST',
    '4,000',
    '50',
    '60 ms',
    '300 ms',
    '700 ms',
    '1.2 s',
    '512 KiB → 2.0 MiB',
    'h2 3900 · http/1.1 100',
  ])
})

test('artifact links only to relative paths inside the run directory (a crafted results.json)', () => {
  const input = fixture()
  input.results.scenarios[0]!.artifacts = [
    { label: 'k6 web dashboard', path: 'k6/dash board.html' },
    { label: 'evil', path: 'javascript:alert(document.domain)' },
    { label: 'up', path: '../../etc/passwd' },
    { label: 'abs', path: '/etc/passwd' },
    { label: 'data', path: 'DATA:text/html,x' },
  ]
  const md = markdown.render(input)
  assert.match(md, /\[k6 web dashboard\]\(k6\/dash%20board\.html\)/)
  assert.doesNotMatch(md, /\]\((javascript|data|\.\.|\/)/i)
  assert.equal(md.match(/not linked: its path is outside the run directory/g)?.length, 4)
})
