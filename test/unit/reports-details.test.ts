// Reports render a check by its details' kinds alone: a check no report has heard of shows its
// table and timeline, target text escaped; a check with evidence but no details (an older
// results.json) shows its evidence as escaped, folded JSON; and no file in reports/ compares
// anything with a check id.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { html } from '../../reports/html.js'
import { markdown } from '../../reports/markdown.js'
import { validateResults } from '../../core/read-results.js'
import { CHECKS } from '../../checks/index.js'
import type { CheckResult, Detail } from '../../core/results.js'
import { goFixture } from '../support/report-fixture.js'

const XSS = '<script>alert(1)</script>'

const MADE_UP_DETAILS: Detail[] = [
  {
    kind: 'table',
    title: 'Widgets',
    headings: [
      { key: 'name', label: 'widget', unit: 'text' },
      { key: 'took', label: 'took', unit: 'ms' },
      { key: 'size', label: 'size', unit: 'bytes' },
      { key: 'ok', label: 'ok', unit: 'bool' },
    ],
    rows: [
      { name: XSS, took: 1500, size: 2048, ok: true },
      { name: 'plain | pipe', took: 12, size: null, ok: false },
    ],
  },
  {
    kind: 'timeline',
    timeKey: 'atMs',
    unit: 'ms',
    labelKey: 'phase',
    // the time is in 'atMs' (declared); the 't' field is a decoy a guesser would take
    events: [
      { atMs: 2000, t: 99, phase: 'down' },
      { atMs: 0, t: 98, phase: 'up' },
      { atMs: 4500, t: 97, phase: `${XSS}` },
    ],
    marks: [{ at: 1000, label: 'fault' }],
  },
  {
    kind: 'kv',
    title: 'Facts',
    items: [
      { label: 'answer', value: 42, unit: 'count' },
      { label: 'server', value: XSS },
    ],
  },
  { kind: 'list', title: 'Notes', items: [XSS] },
]

function madeUp(): CheckResult {
  return {
    id: 'made-up',
    title: 'A check no report knows',
    status: 'measured',
    figures: {},
    evidence: { raw: 'kept' },
    details: MADE_UP_DETAILS,
    startedAt: '2024-05-14T10:00:00.000Z',
    durationMs: 10,
  }
}

/** The page without its inlined library and chart script: what the renderer wrote from data. */
function ours(page: string): string {
  return page.replace(/<script>[\s\S]*?<\/script>/g, '<script>…</script>').replace(/<style>[\s\S]*?<\/style>/, '<style>…</style>')
}

function charts(page: string): { id: string; x: number[]; lanes?: string[]; marks?: { x: number; label: string }[] }[] {
  return JSON.parse(/id="golive-charts">([\s\S]*?)<\/script>/.exec(page)![1]!)
}

test('report.html renders a check it has never heard of from its details alone, cells escaped', () => {
  const input = goFixture()
  input.results.checks = [madeUp()]
  const page = html.render(input)
  const section = /<section class="check" id="check-made-up">[\s\S]*?<\/section>/.exec(page)![0]
  // the table: headings, cells by unit, the hostile name as text
  assert.match(section, /<h4 class="name">Widgets<\/h4>/)
  assert.match(section, /<th>widget<\/th><th class="num">took<\/th><th class="num">size<\/th><th>ok<\/th>/)
  assert.ok(section.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
  assert.ok(section.includes('<td>1.5 s</td>'), 'ms formatted by its unit')
  assert.ok(section.includes('2 KiB'))
  assert.match(section, /<span class="ok">yes<\/span>/)
  assert.doesNotMatch(ours(page), /<script>alert/)
  // kv and list
  assert.match(section, /<th>answer<\/th><td>42<\/td>/)
  assert.match(section, /<h4 class="name">Notes<\/h4><ul class="notes"><li class="target-text">&lt;script&gt;/)
  // the timeline: seconds from its declared key and unit, not the decoy 't'
  const tl = charts(page).find((c) => c.id === 'c0-timeline')!
  assert.deepEqual(tl.x, [0, 2, 4.5])
  assert.deepEqual(tl.lanes, ['up', 'down', XSS])
  assert.deepEqual(tl.marks, [{ x: 1, label: 'fault' }])
  const changes = /<table class="timeline">[\s\S]*?<\/table>/.exec(section)![0]
  assert.deepEqual(
    [...changes.matchAll(/<tr><td>([\d.]+)<\/td>/g)].map((m) => m[1]),
    ['0.000', '1.000', '2.000', '4.500'],
  )
  assert.ok(changes.includes('&lt;script&gt;'))
  // the evidence is still there, folded
  assert.match(section, /<details class="evidence"><summary>Evidence \(JSON\)<\/summary>/)
})

test('report.md renders a check it has never heard of from its details alone, cells escaped', () => {
  const input = goFixture()
  input.results.checks = [madeUp()]
  const md = markdown.render(input)
  assert.match(md, /^#### A check no report knows \(made-up\)$/m)
  assert.match(md, /^\*\*Widgets\*\*$/m)
  assert.match(md, /^\| widget \| took \| size \| ok \|$/m)
  assert.match(md, /^\| &lt;script&gt;alert\(1\)&lt;\/script&gt; \| 1\.5 s \| 2 KiB \| yes \|$/m)
  // a pipe in a cell does not split the row
  assert.match(md, /^\| plain \\\| pipe \| 12 ms \| — \| no \|$/m)
  assert.doesNotMatch(md, /<script/i)
  // the timeline's changes, in seconds from the declared key, the mark in its place
  assert.match(md, /^\| 0\.000 \| up \| t=98 \|$/m)
  assert.match(md, /^\| 1\.000 \| fault \| mark \|$/m)
  assert.match(md, /^\| 2\.000 \| down \| t=99 \|$/m)
  assert.match(md, /^\| 4\.500 \| &lt;script&gt;alert\(1\)&lt;\/script&gt; \| t=97 \|$/m)
  assert.match(md, /^- &lt;script&gt;alert\(1\)&lt;\/script&gt;$/m)
})

test('a check with evidence but no details (an older results.json) shows its evidence as escaped, folded JSON', () => {
  const input = goFixture()
  const old: CheckResult = {
    id: 'tls',
    status: 'measured',
    figures: {},
    evidence: { server: XSS, nested: { list: [1, 2] } },
    startedAt: '2024-05-14T10:00:00.000Z',
    durationMs: 10,
  }
  input.results.checks = [old]
  const page = html.render(input)
  const section = /<section class="check" id="check-tls">[\s\S]*?<\/section>/.exec(page)![0]
  assert.match(
    section,
    /<details class="evidence"><summary>Evidence \(JSON\)<\/summary><pre class="target-text">\{\n {2}&quot;server&quot;: &quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;/,
  )
  assert.doesNotMatch(ours(page), /<script>alert/)
  const md = markdown.render(input)
  assert.match(md, /<details><summary>Evidence \(JSON\)<\/summary>\n\n<pre>\{\n {2}&quot;server&quot;: &quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;/)
  assert.doesNotMatch(md, /<script/i)
  // and a result with neither shows neither
  input.results.checks = [{ ...old, evidence: null }]
  assert.doesNotMatch(markdown.render(input), /Evidence \(JSON\)/)
  assert.doesNotMatch(html.render(input), /Evidence \(JSON\)/)
})

test('results.json with details validates; a detail of an unknown kind does not', () => {
  const input = goFixture()
  input.results.checks = [madeUp()]
  assert.equal(validateResults(JSON.parse(JSON.stringify(input.results))), null)
  const bad = JSON.parse(JSON.stringify(input.results))
  bad.checks[0].details.push({ kind: 'pie', slices: [] })
  assert.notEqual(validateResults(bad), null)
  const noKey = JSON.parse(JSON.stringify(input.results))
  delete noKey.checks[0].details[1].timeKey
  assert.notEqual(validateResults(noKey), null)
})

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : []
  })
}

test('no file in reports/ compares anything with a check id: reports render by detail kind', () => {
  // the checks of checks/index.ts, and the results the commands add beside them
  const ids = [...CHECKS.map((c) => c.id), 'server', 'db', 'capacity']
  const quoted = ids.map((id) => `['"\`]${id.replace(/[-]/g, '\\-')}['"\`]`).join('|')
  const comparison = new RegExp(`(?:[!=]==?\\s*(?:${quoted}))|(?:(?:${quoted})\\s*[!=]==?)|(?:case\\s+(?:${quoted})\\s*:)`)
  const root = join(import.meta.dirname, '../../reports')
  const found: string[] = []
  for (const file of sources(root)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (comparison.test(line)) found.push(`${file.slice(root.length + 1)}:${i + 1}: ${line.trim()}`)
      })
  }
  assert.deepEqual(found, [])
  // the pattern itself finds what it should
  assert.ok(comparison.test("if (c.id === 'tls') out.push(x)"))
  assert.ok(comparison.test('case "page-load":'))
})
