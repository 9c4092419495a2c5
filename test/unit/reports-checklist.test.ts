import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { CHECKS } from '../../checks/index.js'
import { checklistHtml, checklistItems, checklistMarkdown, groupOf } from '../../reports/checklist.js'
import type { Results, Scorecard, ScorecardRow } from '../../core/results.js'

const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>'
const row = (over: Partial<ScorecardRow>): ScorecardRow => ({
  gate: 'headers.grade >= A',
  figure: 'headers.grade',
  op: '>=',
  expected: '>= A',
  actual: 'B',
  actualValue: 'B',
  level: 'blocker',
  outcome: 'fail',
  why: `grade B: header ${hostile}`,
  source: 'headers',
  ...over,
})
const input = (rows: ScorecardRow[]) => ({
  results: { run: { id: 'r1', environment: `prod ${hostile}`, target: `https://x/${hostile}`, partial: false } } as unknown as Results,
  scorecard: { verdict: 'no-go', summary: 'NO-GO', rows } as unknown as Scorecard,
})

describe('checklist', () => {
  it('groups sources as sign-off meetings do', () => {
    // each check's group is its declaration's (results carry it), not a list in the report
    const declared = Object.fromEntries(CHECKS.map((c) => [c.id, c.group]))
    assert.deepEqual(
      ['load.smoke', 'tls', 'backup-restore', 'failover', 'alerts', 'page-load', 'custom'].map((s) => groupOf(s, declared)),
      ['Performance', 'Security', 'Data safety', 'Resilience', 'Observability', 'User experience', 'Operations'],
    )
  })
  it('item states: pass checked, warn-level fail a warning, missing and not run not measured; off left out', () => {
    const items = checklistItems(
      input([row({ outcome: 'pass' }), row({ level: 'warn' }), row({ outcome: 'missing' }), row({ outcome: 'not-run' }), row({ level: 'off' }), row({})]),
    )
    assert.deepEqual(
      items.map((i) => i.state),
      ['checked', 'warning', 'not-measured', 'not-measured', 'failed'],
    )
  })
  it('text from the target is inert in Markdown and HTML; a javascript: link is dropped', () => {
    const i = { ...input([row({})]), manual: [{ item: 'Runbooks', signedBy: 'Sam', evidence: 'javascript:alert(3)' }] }
    const md = checklistMarkdown(i)
    assert.doesNotMatch(md, /<img|<script|javascript:/)
    const html = checklistHtml(i)
    assert.doesNotMatch(html, /<img|<script>alert/)
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/)
    assert.doesNotMatch(html, /href="javascript:/)
    assert.match(html, /default-src 'none'/)
  })
})
