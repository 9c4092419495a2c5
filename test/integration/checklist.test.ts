// The go-live checklist renders from a real run: load against a server whose latency the test
// sets, a scanner report with one high finding the test wrote, and manual items from config,
// one signed and one not. Checked, failed and not measured items land in their groups.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive } from '../support/cli.js'
import { startLatencyServer } from '../support/latency-server.js'

test('golive checklist from a real run: groups, states, figures, manual sign-offs, evidence links', async () => {
  const server = await startLatencyServer([{ ms: 5, share: 100 }])
  const dir = mkdtempSync(join(tmpdir(), 'golive-checklist-'))
  try {
    writeFileSync(
      join(dir, 'zap.json'),
      JSON.stringify({
        '@programName': 'ZAP',
        site: [{ '@name': server.url, alerts: [{ pluginid: '40012', name: 'XSS', riskcode: '3', instances: [{ uri: `${server.url}/q` }] }] }],
      }),
    )
    writeFileSync(
      join(dir, 'golive.config.json'),
      JSON.stringify({
        defaultEnv: 'stage',
        environments: { stage: { baseUrl: server.url, scenarios: ['smoke'], checks: { findings: { files: ['zap.json'] } } } },
        checklist: {
          manual: [
            { item: 'On-call rota for launch week', group: 'Observability', signedBy: 'Dana', signedAt: '2026-11-30', evidence: 'https://wiki.example/oncall' },
            { item: 'Runbooks reviewed', group: 'Resilience' },
          ],
        },
      }),
    )
    const run = await golive(['run', '--duration', '3s', '--vus', '3'], { cwd: dir })
    assert.equal(run.code, 1, run.stdout + run.stderr) // the high finding is a blocker
    const r = await golive(['checklist', '--out', join(dir, 'ticket')], { cwd: dir })
    assert.equal(r.code, 0, r.stderr)
    const md = readFileSync(join(dir, 'ticket', 'checklist.md'), 'utf8')
    assert.match(md, /^# Go-live checklist: stage · ❌ NO-GO/)
    const section = (name: string) => md.split(`## ${name}\n`)[1]?.split('\n## ')[0] ?? ''
    assert.match(
      section('Performance'),
      /- \[x\] ✅ \*\*load\.\\\*\.latency\\_p95 &lt; 500ms\*\*: load\.smoke\.latency\\_p95: [\d.]+ ms \(target &lt; 500 ms\) · \[evidence\]\(\.\.\/\.golive\/runs\/[^)]+\/report\.html#scenario-smoke\)/,
    )
    assert.doesNotMatch(md, /runs\/latest\//, 'evidence links name the run, not latest (which moves on)')
    assert.match(section('Security'), /- \[ \] ❌ \*\*findings\.high == 0\*\*: findings\.high: 1 \(target == 0\)/)
    assert.match(section('Security'), /- \[x\] ✅ \*\*findings\.critical == 0\*\*/)
    assert.match(section('Security'), /- \[ \] ➖ \*\*tls\.grade &gt;= A\+\*\*: tls\.grade: not measured .*no tls check ran/)
    assert.match(
      section('Observability'),
      /- \[x\] ✅ \*\*On-call rota for launch week\*\*: signed by Dana on 2026-11-30 · \[evidence\]\(https:\/\/wiki\.example\/oncall\)/,
    )
    assert.match(section('Resilience'), /- \[ \] ➖ \*\*Runbooks reviewed\*\*: not signed yet/)
    assert.ok(md.indexOf('## Performance') < md.indexOf('## Security') && md.indexOf('## Security') < md.indexOf('## Resilience'))
    // the run wrote report.html, so the links point at its sections: each one exists there
    const report = readFileSync(join(dir, '.golive', 'runs', 'latest', 'report.html'), 'utf8')
    for (const [, anchor] of md.matchAll(/report\.html#([\w-]+)\)/g)) assert.ok(report.includes(`id="${anchor}"`), `report.html has #${anchor}`)
    const html = readFileSync(join(dir, 'ticket', 'checklist.html'), 'utf8')
    assert.match(html, /<div class="verdict no-go">NO-GO: go-live checklist for stage<\/div>/)
    assert.match(html, /<li class="failed"><span class="mark" title="failed">✖<\/span> <b>findings\.high == 0<\/b>/)
    // stdout, and a run that does not exist
    const printed = await golive(['checklist', '--format', 'html'], { cwd: dir })
    assert.match(printed.stdout, /^<!doctype html>/)
    const none = await golive(['checklist'], { cwd: mkdtempSync(join(tmpdir(), 'golive-empty-')) })
    assert.equal(none.code, 2)
    assert.match(none.stderr, /no run to make a checklist from: .*\n\s+fix: run golive run first, or pass --from <results\.json>/)
  } finally {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
