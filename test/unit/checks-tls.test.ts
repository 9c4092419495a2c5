// The TLS rating as a pure function, on recorded probe data: the rules Debian's OpenSSL can no
// longer serve (SSLv2, SSLv3, RC4, 3DES, export suites, SHA-1) are tested here; the corpus nginx
// can serve is graded live in test/integration/tls-nginx.test.ts. Expected grades follow the
// Qualys SSL Labs SSL Server Rating Guide (2009r).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rate, type TlsProbe } from '../../checks/tls/grade.js'
import { SUITES, SUITES_BY_CODE } from '../../checks/tls/suites.js'
import { signatureAlgorithm } from '../../checks/tls/der.js'
import { incomplete, leafIssuer } from '../../checks/tls/chain.js'
import type { Protocol } from '../../checks/tls/hello.js'

const suite = (code: number) => {
  const s = SUITES_BY_CODE.get(code)!
  return {
    code,
    name: s.name,
    bits: s.bits,
    forwardSecrecy: s.forwardSecrecy,
    aead: s.aead,
    export: s.export,
    rc4: s.rc4,
    block64: s.block64,
    cbc: s.cbc,
    anon: s.kx === 'anon',
  }
}
const ECDHE_AES128_GCM = 0xc02f,
  ECDHE_AES256_GCM = 0xc030,
  TLS13_AES128 = 0x1301,
  TLS13_AES256 = 0x1302

/** A good modern server (the corpus's A+), as the probe records it; each test changes one thing. */
function good(over: Partial<TlsProbe> = {}): TlsProbe {
  return {
    protocols: { SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true },
    suites: { 'TLSv1.2': [suite(ECDHE_AES128_GCM), suite(ECDHE_AES256_GCM)], 'TLSv1.3': [suite(TLS13_AES128), suite(TLS13_AES256)] },
    dhBits: null,
    curves: ['x25519'],
    certificate: {
      keyType: 'RSA',
      keyBits: 2048,
      keyStrength: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      sha1: false,
      notAfter: '2027-01-01T00:00:00.000Z',
      daysToExpiry: 40,
      expired: false,
      selfSigned: false,
      trusted: true,
      chainIncomplete: false,
      issuer: 'sent',
      untrustedForMissingIssuer: false,
      hostnameMatches: true,
      trustError: null,
    },
    secureRenegotiation: true,
    hsts: { header: 'max-age=31536000', maxAge: 31536000, valid: true },
    ...over,
  }
}
const withProtocol = (p: Protocol, suites: number[], base = good()): TlsProbe => ({
  ...base,
  protocols: { ...base.protocols, [p]: true },
  suites: { ...base.suites, [p]: suites.map(suite) },
})
const rules = (r: ReturnType<typeof rate>) => [...r.caps, ...r.warnings].map((c) => c.rule)

test('the score: protocol 30 %, key exchange 30 %, cipher 40 %, as the guide computes them', () => {
  const r = rate(good())
  // protocols (100 + 100) / 2; RSA 2048 key exchange → 90; ciphers (256-bit 100 + 128-bit 80) / 2
  assert.deepEqual([r.protocolScore, r.keyExchangeScore, r.cipherScore, r.score], [100, 90, 90, 93])
  assert.equal(r.grade, 'A+')
  const p4096 = rate(good({ certificate: { ...good().certificate!, keyBits: 4096, keyStrength: 4096 }, curves: ['P-384'] }))
  assert.equal(p4096.keyExchangeScore, 100)
  // TLS 1.0 next to 1.3: (100 + 90) / 2 = 95; 0.3·95 + 0.3·90 + 0.4·90 = 91.5 → 92
  assert.equal(rate(withProtocol('TLSv1.0', [0xc013])).score, 92)
})

test('A+ needs HSTS ≥ 180 days; without it A; an invalid or disabled HSTS is a warning (A-)', () => {
  assert.equal(rate(good({ hsts: { header: null, maxAge: null, valid: false } })).grade, 'A')
  const short = rate(good({ hsts: { header: 'max-age=86400', maxAge: 86400, valid: true } }))
  assert.equal(short.grade, 'A')
  assert.ok(rules(short).includes('no-hsts'))
  assert.equal(rate(good({ hsts: { header: 'max-age=0', maxAge: 0, valid: true } })).grade, 'A-')
  assert.equal(rate(good({ hsts: { header: 'maxage=abc', maxAge: null, valid: false } })).grade, 'A-')
  assert.equal(rate(good({ secureRenegotiation: false })).grade, 'A-')
})

test('protocol caps: SSLv2 F, SSLv3 B (C with POODLE), TLS 1.0/1.1 B, no TLS 1.2 C', () => {
  assert.equal(rate(withProtocol('SSLv2', [])).grade, 'F')
  assert.equal(rate(withProtocol('SSLv3', [0x0005])).grade, 'B') // SSL 3 with RC4 only: no CBC, so no POODLE
  const poodle = rate(withProtocol('SSLv3', [0x002f]))
  assert.equal(poodle.grade, 'C')
  assert.ok(rules(poodle).includes('sslv3-poodle'))
  assert.equal(rate(withProtocol('TLSv1.1', [0xc013])).grade, 'B')
  const old = good({
    protocols: { SSLv2: false, SSLv3: false, 'TLSv1.0': true, 'TLSv1.1': true, 'TLSv1.2': false, 'TLSv1.3': false },
    suites: { 'TLSv1.0': [suite(0xc013)], 'TLSv1.1': [suite(0xc014)] },
  })
  assert.equal(rate(old).grade, 'C')
  assert.ok(rules(rate(old)).includes('no-tls12'))
})

test('cipher caps: RC4 B, 3DES C, export and anonymous suites F, no AEAD B, no forward secrecy B', () => {
  const rc4 = withProtocol('TLSv1.2', [ECDHE_AES128_GCM, 0x0005])
  assert.equal(rate(rc4).grade, 'B')
  assert.equal(rate(withProtocol('TLSv1.2', [ECDHE_AES128_GCM, 0x000a])).grade, 'C')
  const exp = rate(withProtocol('TLSv1.2', [ECDHE_AES128_GCM, 0x0003]))
  assert.equal(exp.grade, 'F')
  assert.equal(exp.keyExchangeScore, 40)
  assert.equal(rate(withProtocol('TLSv1.2', [ECDHE_AES128_GCM, 0x0034])).grade, 'F')
  const cbcOnly = good({ protocols: { ...good().protocols, 'TLSv1.3': false }, suites: { 'TLSv1.2': [suite(0xc013), suite(0xc014)] } })
  assert.ok(rules(rate(cbcOnly)).includes('no-aead'))
  assert.equal(rate(cbcOnly).grade, 'B')
  const rsaOnly = good({ protocols: { ...good().protocols, 'TLSv1.3': false }, suites: { 'TLSv1.2': [suite(0x009c)] } })
  assert.equal(rate(rsaOnly).grade, 'B')
  assert.ok(rules(rate(rsaOnly)).includes('no-forward-secrecy'))
})

test('key and certificate rules: < 1024 F, < 2048 B, weak DH, incomplete chain B; expired, self-signed, untrusted, SHA-1 T; mismatch M', () => {
  const cert = good().certificate!
  assert.equal(rate(good({ certificate: { ...cert, keyBits: 512, keyStrength: 512 } })).grade, 'F')
  assert.equal(rate(good({ certificate: { ...cert, keyBits: 1024, keyStrength: 1024 } })).grade, 'B')
  assert.equal(rate(good({ dhBits: 1024 })).grade, 'B')
  assert.equal(rate(good({ certificate: { ...cert, chainIncomplete: true } })).grade, 'B')
  for (const [over, rule] of [
    [{ expired: true }, 'expired'],
    [{ selfSigned: true, trusted: false }, 'self-signed'],
    [{ trusted: false, trustError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }, 'untrusted'],
    [{ sha1: true }, 'sha1'],
  ] as const) {
    const r = rate(good({ certificate: { ...cert, ...over } }))
    assert.equal(r.grade, 'T', rule)
    assert.equal(r.gradeIfTrusted, 'A+', `${rule}: the grade behind the T`)
    assert.ok(rules(r).includes(rule))
  }
  assert.equal(rate(good({ certificate: { ...cert, hostnameMatches: false } })).grade, 'M')
})

test('the chain rule (testssl.sh 3.2): a missing issuer caps B with the fix, wherever golive found it; T only for another reason', () => {
  const cert = good().certificate!
  for (const issuer of ['ca-file', 'aia'] as const) {
    const r = rate(good({ certificate: { ...cert, chainIncomplete: true, issuer } }))
    assert.equal(r.grade, 'B', issuer)
    const c = r.caps.find((k) => k.rule === 'incomplete-chain')!
    assert.equal(c.fix, 'send the intermediate certificate(s)')
  }
  // found nowhere: untrusted only because of the missing intermediate → B, not T
  const nowhere = rate(
    good({
      certificate: {
        ...cert,
        chainIncomplete: true,
        issuer: 'not-found',
        trusted: false,
        untrustedForMissingIssuer: true,
        trustError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      },
    }),
  )
  assert.equal(nowhere.grade, 'B')
  assert.deepEqual(
    rules(nowhere).filter((k) => k === 'untrusted' || k === 'incomplete-chain'),
    ['incomplete-chain'],
  )
  // the issuer was fetched but the path still ends at an unknown root: T, the chain still flagged
  const unknownRoot = rate(
    good({ certificate: { ...cert, chainIncomplete: true, issuer: 'aia', trusted: false, trustError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' } }),
  )
  assert.equal(unknownRoot.grade, 'T')
  assert.equal(unknownRoot.gradeIfTrusted, 'B')
  assert.ok(rules(unknownRoot).includes('incomplete-chain'))
})

test('leafIssuer: sent, trust anchor, only in --ca, nowhere; an intermediate in --ca is no anchor', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'golive-chain-'))
  const ssl = (...a: string[]) => execFileSync('openssl', a, { cwd: dir, stdio: 'ignore' })
  try {
    try {
      ssl('version')
    } catch {
      return t.skip('openssl is not installed')
    }
    writeFileSync(join(dir, 'ca.ext'), '[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n')
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '1', '-subj', '/CN=root')
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=int')
    ssl(
      'x509',
      '-req',
      '-in',
      'int.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-CAcreateserial',
      '-out',
      'int.pem',
      '-days',
      '1',
      '-extfile',
      'ca.ext',
      '-extensions',
      'v3',
    )
    for (const [name, by] of [
      ['leaf', 'int'],
      ['direct', 'root'],
    ]) {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=localhost')
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${by}.pem`, '-CAkey', `${by}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '1')
    }
    const pem = (f: string) => readFileSync(join(dir, f), 'utf8')
    const x = (name: string) => new X509Certificate(pem(`${name}.pem`))
    assert.equal(leafIssuer([x('leaf'), x('int')], pem('root.pem')), 'sent')
    assert.equal(leafIssuer([x('direct')], pem('root.pem')), 'trust-anchor')
    assert.equal(leafIssuer([x('leaf')], pem('root.pem') + pem('int.pem')), 'ca-file')
    assert.equal(leafIssuer([x('leaf')], pem('root.pem')), 'not-found')
    assert.equal(leafIssuer([x('leaf'), x('direct')], pem('root.pem')), 'not-found', 'a certificate that did not issue the leaf does not count')
    assert.equal(leafIssuer([x('root')], undefined), 'self')
    assert.ok(incomplete('ca-file') && incomplete('aia') && incomplete('not-found') && !incomplete('sent') && !incomplete('trust-anchor'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test("the suite table agrees with OpenSSL's codes and names; bits come from the cipher, not the MAC", (t) => {
  let out = ''
  try {
    out = execFileSync('openssl', ['ciphers', '-V', '-stdname', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], { encoding: 'utf8' })
  } catch {
    return t.skip('openssl is not installed')
  }
  const byName = new Map(SUITES.map((s) => [s.name, s.code]))
  let compared = 0
  for (const line of out.split('\n')) {
    const m = /0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)/.exec(line)
    if (!m || !byName.has(m[3]!)) continue
    assert.equal(byName.get(m[3]!), parseInt(m[1]! + m[2]!, 16), m[3]!)
    compared++
  }
  assert.ok(compared > 60, `compared ${compared}`)
  assert.equal(SUITES_BY_CODE.get(0xc02f)!.bits, 128, 'AES_128_GCM_SHA256 is 128-bit')
  assert.equal(SUITES_BY_CODE.get(0x1303)!.bits, 256)
  assert.equal(SUITES_BY_CODE.get(0x000a)!.block64, true)
  assert.equal(SUITES_BY_CODE.get(0x0003)!.export, true)
})

test("the signature algorithm is read from the certificate's DER", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'golive-der-'))
  try {
    for (const md of ['sha1', 'sha256']) {
      try {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-keyout',
            join(dir, 'k'),
            '-out',
            join(dir, `${md}.pem`),
            '-days',
            '1',
            '-subj',
            '/CN=x',
            `-${md}`,
          ],
          { stdio: 'ignore' },
        )
      } catch {
        return t.skip('openssl is not installed')
      }
      assert.equal(signatureAlgorithm(new X509Certificate(readFileSync(join(dir, `${md}.pem`))).raw), `${md}WithRSAEncryption`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
