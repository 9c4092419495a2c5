import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { terminal } from '../../reports/terminal.js'
import { displayWidth, fit, reportWidth } from '../../reports/terminal-width.js'
import { fixture, goFixture } from '../support/report-fixture.js'

// Snapshots of the compact report at three widths. A layout change shows as a diff here;
// after reading it, refresh with GOLIVE_UPDATE_SNAPSHOTS=1.
const UPDATE = process.env.GOLIVE_UPDATE_SNAPSHOTS === '1'

for (const width of [80, 100, 160]) {
  test(`compact report at ${width} columns matches its snapshot`, () => {
    const file = new URL(`./snapshots/terminal-${width}.txt`, import.meta.url)
    const out = terminal.render(fixture(), { color: false, width })
    if (UPDATE || !existsSync(file)) writeFileSync(file, out)
    assert.equal(out, readFileSync(file, 'utf8'))
  })
}

test('no line is wider than the width, compact or verbose, coloured or not', () => {
  for (const width of [40, 60, 80, 100, 120, 160, 200]) {
    for (const verbose of [false, true]) {
      for (const input of [fixture(), goFixture()]) {
        const out = terminal.render(input, { color: true, width, verbose })
        for (const line of out.split('\n')) {
          assert.ok(displayWidth(line) <= width, `${width}${verbose ? ' verbose' : ''}: ${displayWidth(line)} columns: ${line}`)
        }
      }
    }
  }
})

test('compact: failing and erroring gates first, one line each; passes counted in one line', () => {
  const lines = terminal.render(fixture(), { color: false, width: 100 }).split('\n')
  const first = lines.findIndex((l) => /^\S+ (FAIL|MISSING|SKIPPED|ERROR|WARN) /.test(l))
  const states = lines.slice(first, first + 6).map((l) => l.split(/\s+/)[1])
  // blocking rows (fail, missing, skipped) before the warn-level ones (WARN, ERROR at level warn)
  assert.deepEqual(states, ['FAIL', 'FAIL', 'MISSING', 'SKIPPED', 'WARN', 'ERROR'])
  assert.match(lines[first]!, /load\.checkout\.latency_p95 +812 ms vs < 500 ms · p95 812 ms is 312 ms over/)
  assert.ok(lines.includes('✔ PASS (2): load.browse.latency_p95, tls.grade'))
  assert.ok(lines.includes('· not run (1): page-load.lcp'))
  // one line per source
  assert.equal(lines.filter((l) => /^load\.(checkout|browse) /.test(l)).length, 2)
  assert.ok(lines.includes('tls  1.25 s · grade A+'))
  assert.ok(lines.some((l) => l.startsWith('backup-restore  SKIPPED · no backup configured')))
})

test('step tables drop columns by width, the p95 and the step name stay', () => {
  const at = (width: number) =>
    terminal
      .render(fixture(), { color: false, width })
      .split('\n')
      .find((l) => l.includes('│ step'))!
  assert.match(at(160), /│ p50 .*│ p99 .*│ max/)
  const narrow = at(60)
  assert.match(narrow, /│ step .*│ p95/)
  assert.doesNotMatch(narrow, /│ max/)
})

test('verbose shows every scorecard row in full; compact does not list passes as rows', () => {
  const verbose = terminal.render(fixture(), { color: false, width: 160, verbose: true })
  assert.match(verbose, /│ ✔ PASS +│ tls\.grade >= A/)
  assert.doesNotMatch(terminal.render(fixture(), { color: false, width: 160 }), /│ ✔ PASS/)
})

test('width: stdout columns, else COLUMNS, else 100', () => {
  assert.equal(reportWidth(132, '90'), 132)
  assert.equal(reportWidth(undefined, '90'), 90)
  assert.equal(reportWidth(undefined, undefined), 100)
  assert.equal(reportWidth(undefined, 'wide'), 100)
  assert.equal(fit('abcdef', 4), 'abc…')
  assert.equal(displayWidth('\u001b[31m漢字\u001b[0m'), 4)
})
