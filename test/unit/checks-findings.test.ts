import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { readReport } from '../../checks/findings/read.js'
import { countBySeverity, FindingsFileError, severityFromScore, topFindings } from '../../checks/findings/severity.js'
import { findings as check, reportFiles } from '../../checks/findings.js'
import type { CheckContext } from '../../core/check.js'

const dir = fileURLToPath(new URL('../fixtures/findings/', import.meta.url))
const read = (name: string) => readReport(readFileSync(dir + name, 'utf8'), name)
const ctx = (settings: Record<string, unknown>): CheckContext => ({
  env: { baseUrl: 'http://127.0.0.1:1' },
  envName: 't',
  settings,
  signal: new AbortController().signal,
  runDir: dir,
  configDir: process.cwd(),
  log: () => {},
})

describe('severity mapping', () => {
  it('maps CVSS scores at the documented boundaries', () => {
    assert.deepEqual([10, 9, 8.9, 7, 6.9, 4, 3.9, 0.1, 0].map(severityFromScore), [
      'critical',
      'critical',
      'high',
      'high',
      'medium',
      'medium',
      'low',
      'low',
      'info',
    ])
  })
})

describe('SARIF and ZAP reports, counted by hand', () => {
  it("Trivy: security-severity of the rule, overridden by the result's own", () => {
    const r = read('trivy.sarif')
    assert.equal(r.format, 'sarif-2.1.0')
    assert.deepEqual(r.tools, ['Trivy'])
    // critical: minimist ×2 (9.8), zlib (9.8), libssl3 (result says 9.1 over the rule's 5.5)
    // high: cross-spawn 7.5, body-parser 8.7, ws 7.5, DS002 8.0; medium: tough-cookie 6.5; low: apt 3.7
    assert.deepEqual(countBySeverity(r.findings), { critical: 4, high: 4, medium: 1, low: 1, info: 0, total: 10 })
    const ssl = r.findings.find((f) => f.ruleId === 'CVE-2024-0727')!
    assert.equal(ssl.severity, 'critical')
    assert.equal(ssl.basis, 'security-severity 9.1')
    assert.equal(r.findings[0]!.location, 'app/package-lock.json:1412')
    assert.equal(r.findings[0]!.message, 'Package: cross-spawn', 'first line of the message')
  })

  it('Semgrep: levels (result, else rule default, else warning); suppressed results left out', () => {
    const r = read('semgrep.sarif')
    // high: xss (error), secret (rule default error); medium: path traversal ×2 (warning), jwt (no level → warning)
    // low: debugger (note); info: debugger (none); the suppressed xss is not counted
    assert.deepEqual(countBySeverity(r.findings), { critical: 0, high: 2, medium: 3, low: 1, info: 1, total: 7 })
    assert.deepEqual(r.leftOut, { suppressed: 1, notFindings: 0, absent: 0 })
    const secret = r.findings.find((f) => f.ruleId.startsWith('generic.secrets'))!
    assert.equal(secret.basis, 'level error')
    assert.equal(secret.location, 'config/default.json:7')
  })

  it('ZAP JSON: riskcode per instance; an alert without instances counts once', () => {
    const r = read('zap-report.json')
    assert.equal(r.format, 'zap-json')
    assert.deepEqual(r.tools, ['ZAP 2.15.0'])
    // high: XSS ×2; medium: CSP ×3, clickjacking ×1; low: nosniff ×2, server version ×1 (no instances); info: 1
    assert.deepEqual(countBySeverity(r.findings), { critical: 0, high: 2, medium: 4, low: 3, info: 1, total: 10 })
    assert.equal(r.findings.find((f) => f.ruleId === '40012')!.location, 'http://127.0.0.1:8080/search?q=%3CscrIpt%3Ealert%281%29%3B%3C%2FscRipt%3E')
  })

  it('CodeQL: rules in a query pack (tool.extensions), found through rule.toolComponent', () => {
    const r = read('codeql.sarif')
    // high: sql-injection 8.8, missing-rate-limiting 7.5 (security-severity over its warning level);
    // low: unused variable (note, no security-severity); the kind 'pass' result is not a finding
    assert.deepEqual(countBySeverity(r.findings), { critical: 0, high: 2, medium: 0, low: 1, info: 0, total: 3 })
    assert.deepEqual(r.leftOut, { suppressed: 0, notFindings: 1, absent: 0 })
    assert.equal(r.findings[1]!.location, 'src/app.ts:44')
  })

  it('lists the worst first: critical by score, then high', () => {
    const all = ['trivy.sarif', 'semgrep.sarif', 'zap-report.json'].flatMap((f) => read(f).findings)
    const top = topFindings(all, 5)
    assert.deepEqual(
      top.map((f) => `${f.severity} ${f.ruleId}`),
      ['critical CVE-2021-44906', 'critical CVE-2021-44906', 'critical CVE-2023-45853', 'critical CVE-2024-0727', 'high CVE-2024-45590'],
    )
  })
})

describe('files that are not what they claim', () => {
  const cases: [string, RegExp][] = [
    ['not-json.sarif', /^broken\/not-json\.sarif: not JSON \(/],
    ['empty.sarif', /^broken\/empty\.sarif: not JSON \(the file is empty\)/],
    ['no-version.sarif', /no "version": "2\.1\.0"/],
    ['wrong-version.sarif', /"version" is "2\.0\.0"/],
    ['no-runs.sarif', /"runs" is missing/],
    ['no-ruleid.sarif', /runs\[0\]\.results\[1\] has no ruleId/],
    ['package.json', /not SARIF 2\.1\.0: "version" is "1\.0\.0", and no "runs" list/],
    ['bad-severity.sarif', /runs\[0\]\.results\[0\]: security-severity "HIGH" is not a score/],
    ['zap-bad-riskcode.json', /site\[0\]\.alerts\[1\]: riskcode "5" is not 0, 1, 2 or 3/],
  ]
  for (const [name, message] of cases) {
    it(name, () => {
      assert.throws(
        () => read(`broken/${name}`),
        (e: unknown) => e instanceof FindingsFileError && message.test(e.message) && e.message.startsWith(`broken/${name}: `),
      )
    })
  }
  it('JSON that is neither SARIF nor ZAP', () => {
    assert.throws(() => readReport('[1,2]', 'x.json'), /x\.json: JSON, but neither SARIF 2\.1\.0/)
  })
})

describe('the findings check', () => {
  it('sums every file into the figures', async () => {
    const r = await check.run(ctx({ files: [dir + 'trivy.sarif', dir + 'semgrep.sarif', dir + 'zap-report.json'], top: 3 }))
    assert.equal(r.status, 'measured', r.reason ?? '')
    const v = Object.fromEntries(Object.entries(r.figures).map(([k, f]) => [k, f.value]))
    assert.deepEqual(v, { critical: 4, high: 8, medium: 8, low: 5, info: 2, total: 27 })
    assert.equal(r.figures.critical!.unit, 'count')
    assert.equal((r.evidence as { top: unknown[] }).top.length, 3)
  })
  it('one broken file makes the whole check an error naming it: no partial counts', async () => {
    const r = await check.run(ctx({ files: [dir + 'trivy.sarif', dir + 'broken/no-ruleid.sarif'] }))
    assert.equal(r.status, 'error')
    assert.match(r.reason!, /broken\/no-ruleid\.sarif: runs\[0\]\.results\[1\] has no ruleId/)
    assert.deepEqual(r.figures, {})
  })
  it('a missing file and a missing setting are errors with the fix', async () => {
    const missing = await check.run(ctx({ files: [dir + 'nope.sarif'] }))
    assert.equal(missing.status, 'error')
    assert.match(missing.reason!, /nope\.sarif: cannot be read \(ENOENT\)/)
    const none = await check.run(ctx({}))
    assert.equal(none.status, 'error')
    assert.match(none.reason!, /set checks\.findings\.files/)
  })
  it('resolves relative paths against the base it is given', () => {
    assert.deepEqual(reportFiles({ files: ['a.sarif', '/abs/b.json'] }, '/cfg'), ['/cfg/a.sarif', '/abs/b.json'])
    assert.deepEqual(reportFiles({ file: 'one.sarif' }, '/cfg'), ['/cfg/one.sarif'])
  })
})
