import { test } from 'node:test'
import assert from 'node:assert/strict'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { stripControl } from '../../reports/escape.js'
import { junit } from '../../reports/junit.js'
import { fixture, HOSTILE, HOSTILE_HEADER } from '../support/report-fixture.js'

interface Case {
  '@_name': string
  '@_classname': string
  failure?: { '@_message': string; '@_type': string; '#text'?: string }
  skipped?: { '@_message': string }
  'system-out'?: string
}
interface Suite {
  '@_name': string
  '@_tests': string
  '@_failures': string
  '@_skipped': string
  '@_time': string
  testcase: Case[]
}

function parse(xml: string) {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase' || name === 'property',
  })
  return parser.parse(xml).testsuites as {
    '@_tests': string
    '@_failures': string
    '@_skipped': string
    '@_errors': string
    '@_time': string
    testsuite: Suite[]
  }
}

function findCase(suites: Suite[], name: string): Case {
  const found = suites.flatMap((s) => s.testcase).find((c) => c['@_name'] === name)
  assert.ok(found, `no testcase named ${name}`)
  return found
}

test('junit is well-formed XML whose counts match its testcases', () => {
  const xml = junit.render(fixture())
  assert.equal(XMLValidator.validate(xml), true)
  const root = parse(xml)
  const cases = root.testsuite.flatMap((s) => s.testcase)
  assert.equal(Number(root['@_tests']), 10)
  assert.equal(cases.length, 10)
  // a skipped blocker makes the run no-go, so it is a failure too
  assert.equal(Number(root['@_failures']), 4)
  assert.equal(cases.filter((c) => c.failure).length, 4)
  assert.equal(Number(root['@_skipped']), 2)
  assert.equal(cases.filter((c) => c.skipped !== undefined).length, 2)
  assert.equal(root['@_errors'], '0')
  for (const s of root.testsuite) {
    assert.equal(Number(s['@_tests']), s.testcase.length, s['@_name'])
    assert.equal(Number(s['@_failures']), s.testcase.filter((c) => c.failure).length, s['@_name'])
  }
})

test('one testsuite per source, classname golive.<source>, durations in seconds', () => {
  const root = parse(junit.render(fixture()))
  assert.deepEqual(
    root.testsuite.map((s) => s['@_name']),
    ['load.checkout', 'load.browse', 'tls', 'headers', 'backup-restore', 'alerts', 'page-load'],
  )
  for (const s of root.testsuite) {
    for (const c of s.testcase) assert.equal(c['@_classname'], `golive.${s['@_name']}`)
  }
  assert.equal(root['@_time'], '130.500')
  assert.equal(root.testsuite[0]!['@_time'], '60.000')
})

test('a blocking failure carries expected and actual in its message and the why in its body', () => {
  const root = parse(junit.render(fixture()))
  const c = findCase(root.testsuite, 'load.*.latency_p95 < 500ms (load.checkout.latency_p95)')
  assert.equal(c.failure?.['@_message'], 'expected < 500 ms, actual 812 ms')
  assert.equal(c.failure?.['#text'], 'p95 812 ms is 312 ms over the 500 ms target')
  const missing = findCase(root.testsuite, 'headers.hsts_max_age >= 31536000')
  assert.equal(missing.failure?.['@_type'], 'missing')
})

test('a warn-level failure passes with a WARN note; off and not-run rows are skipped; a skipped blocker fails', () => {
  const root = parse(junit.render(fixture()))
  const warn = findCase(root.testsuite, 'load.*.error_rate < 1% (load.checkout.error_rate)')
  assert.equal(warn.failure, undefined)
  assert.match(warn['system-out'] ?? '', /^WARN: expected < 1 %, actual 2\.5 %/)
  const errorWarn = findCase(root.testsuite, 'alerts.delivery_seconds < 60')
  assert.equal(errorWarn.failure, undefined)
  assert.match(errorWarn['system-out'] ?? '', /^WARN: /)
  assert.match(findCase(root.testsuite, 'page-load.lcp < 2500ms').skipped?.['@_message'] ?? '', /^not run: /)
  assert.match(findCase(root.testsuite, 'backup-restore.restore_seconds < 300').failure?.['@_message'] ?? '', /SKIPPED|skipped/)
  assert.match(findCase(root.testsuite, 'load.checkout.latency_p99 < 1s').skipped?.['@_message'] ?? '', /^off: /)
})

test('hostile text is escaped in the XML and parses back as inert text', () => {
  const xml = junit.render(fixture())
  assert.doesNotMatch(xml, /<script|<img/i)
  assert.doesNotMatch(xml, /\u001b/)
  const root = parse(xml)
  // no element named script or img came out of the parse: the markup stayed text
  const walk = (v: unknown): string[] => (v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...walk(x)]) : [])
  assert.ok(!walk(root).some((k) => k === 'script' || k === 'img'))
  const header = findCase(root.testsuite, 'headers.server == hidden')
  assert.equal(header.failure?.['@_message'], `expected == hidden, actual ${stripControl(HOSTILE_HEADER)}`)
  const alerts = findCase(root.testsuite, 'alerts.delivery_seconds < 60')
  assert.ok(alerts['system-out']?.endsWith(`alerts failed: ${stripControl(HOSTILE)}`))
})

test('characters XML 1.0 forbids are stripped, so the document still parses', () => {
  const input = fixture()
  input.scorecard.rows[0]!.why = 'bad\u0000\u0001\u000b\ufffe\ud800 bytes'
  input.scorecard.rows[0]!.figure = 'load.checkout.x\u0008'
  const xml = junit.render(input)
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\ud800]/)
  assert.equal(XMLValidator.validate(xml), true)
  const c = parse(xml).testsuite[0]!.testcase[0]!
  assert.equal(c.failure?.['#text'], 'bad bytes')
})

test('an empty scorecard is still a valid, empty report', () => {
  const input = fixture()
  input.scorecard.rows = []
  const xml = junit.render(input)
  assert.equal(XMLValidator.validate(xml), true)
  assert.match(xml, /<testsuites name="golive" tests="0" failures="0" errors="0" skipped="0"/)
})
