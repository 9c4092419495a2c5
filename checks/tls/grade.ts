// The Qualys SSL Labs SSL Server Rating Guide (2009r, May 2025), as a pure function of what the
// probe saw: protocol support 30 %, key exchange 30 %, cipher strength 40 %; the score's letter;
// then the caps, the warnings (A- at best) and A+ (no warnings and HSTS ≥ 180 days).

import type { Protocol } from './hello.js'
import type { IssuerSource } from './chain.js'

export interface TlsProbe {
  protocols: Record<Protocol, boolean>
  /** accepted suites per protocol */
  suites: Partial<
    Record<
      Protocol,
      {
        code: number
        name: string
        bits: number
        forwardSecrecy: boolean
        aead: boolean
        export: boolean
        rc4: boolean
        block64: boolean
        cbc: boolean
        anon: boolean
      }[]
    >
  >
  /** smallest DH prime (bits) and the ECDH curves seen in ServerKeyExchange */
  dhBits: number | null
  curves: string[]
  certificate: {
    keyType: string
    /** RSA/DSA modulus bits, or the EC curve's size */
    keyBits: number
    /** the key's strength in RSA-equivalent bits (EC P-256 ≈ 3072) */
    keyStrength: number
    signatureAlgorithm: string
    sha1: boolean
    notAfter: string
    daysToExpiry: number
    expired: boolean
    selfSigned: boolean
    trusted: boolean
    /** the server does not send the leaf's issuer and that issuer is not a trust anchor
     *  (testssl.sh 3.2), wherever golive found it: checks/tls/chain.ts */
    chainIncomplete: boolean
    /** where the leaf's issuer was found */
    issuer: IssuerSource
    issuerName?: string
    /** not trusted only because the issuer is missing everywhere: the chain is incomplete, and
     *  that (B) is the finding, not T */
    untrustedForMissingIssuer: boolean
    hostnameMatches: boolean
    trustError: string | null
  } | null
  /** renegotiation_info answered (null: only TLS 1.3, where renegotiation does not exist) */
  secureRenegotiation: boolean | null
  hsts: { header: string | null; maxAge: number | null; valid: boolean }
}

export interface Cap {
  rule: string
  grade: string
  why: string
  fix?: string
}

export interface TlsRating {
  grade: string
  /** what the grade would be if the certificate were trusted (SSL Labs shows it beside T and M) */
  gradeIfTrusted: string
  score: number
  protocolScore: number
  keyExchangeScore: number
  cipherScore: number
  caps: Cap[]
  warnings: Cap[]
}

const LETTERS = ['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F'] as const
const rank = (g: string) => LETTERS.indexOf(g as (typeof LETTERS)[number])
const worse = (a: string, b: string) => (rank(a) >= rank(b) ? a : b)

const PROTOCOL_SCORE: Record<Protocol, number> = { SSLv2: 0, SSLv3: 80, 'TLSv1.0': 90, 'TLSv1.1': 95, 'TLSv1.2': 100, 'TLSv1.3': 100 }
const HSTS_MIN = 180 * 24 * 3600

/** Key exchange strength table (bits of the weaker of the certificate key and the DH/ECDH parameters). */
function keyExchangeScore(bits: number, anon: boolean, exportOnly: boolean): number {
  if (anon) return 0
  if (bits < 512) return 20
  if (exportOnly || bits < 1024) return 40
  if (bits < 2048) return 80
  if (bits < 4096) return 90
  return 100
}

function cipherBitsScore(bits: number): number {
  if (bits === 0) return 0
  if (bits < 128) return 20
  if (bits < 256) return 80
  return 100
}

function letter(score: number): string {
  return score >= 80 ? 'A' : score >= 65 ? 'B' : score >= 50 ? 'C' : score >= 35 ? 'D' : score >= 20 ? 'E' : 'F'
}

export function rate(p: TlsProbe): TlsRating {
  const offered = (Object.keys(p.protocols) as Protocol[]).filter((k) => p.protocols[k])
  const suites = offered.flatMap((k) => p.suites[k] ?? [])
  const caps: Cap[] = []
  const cap = (rule: string, grade: string, why: string, fix?: string) => caps.push({ rule, grade, why, ...(fix ? { fix } : {}) })

  const protocolScores = offered.map((k) => PROTOCOL_SCORE[k])
  const protocolScore = protocolScores.length ? (Math.max(...protocolScores) + Math.min(...protocolScores)) / 2 : 0

  const anon = suites.some((s) => s.anon)
  const onlyExport = suites.length > 0 && suites.every((s) => s.export)
  const kxBits = Math.min(
    p.certificate?.keyStrength ?? Infinity,
    p.dhBits ?? Infinity,
    ...p.curves.map((c) => CURVE_STRENGTH[c] ?? 3072),
    ...(suites.some((s) => s.export) ? [512] : []),
  )
  const keyExchange = Number.isFinite(kxBits) ? keyExchangeScore(kxBits, anon, onlyExport) : 0

  const bits = suites.map((s) => s.bits)
  const cipherScore = bits.length ? (cipherBitsScore(Math.max(...bits)) + cipherBitsScore(Math.min(...bits))) / 2 : 0
  const score = Math.round(protocolScore * 0.3 + keyExchange * 0.3 + cipherScore * 0.4)

  // caps: the grade can be no better than these
  if (p.protocols.SSLv2) cap('sslv2', 'F', 'SSL 2 is supported')
  if (p.protocols.SSLv3) {
    const poodle = (p.suites.SSLv3 ?? []).some((s) => s.cbc)
    cap(poodle ? 'sslv3-poodle' : 'sslv3', poodle ? 'C' : 'B', poodle ? 'SSL 3 with CBC suites (POODLE)' : 'SSL 3 is supported')
  }
  if (p.protocols['TLSv1.0'] || p.protocols['TLSv1.1'])
    cap('tls10-11', 'B', `${[p.protocols['TLSv1.0'] && 'TLS 1.0', p.protocols['TLSv1.1'] && 'TLS 1.1'].filter(Boolean).join(' and ')} supported`)
  if (offered.length && !p.protocols['TLSv1.2'] && !p.protocols['TLSv1.3']) cap('no-tls12', 'C', 'TLS 1.2 is not supported')
  if (suites.some((s) => s.export)) cap('export', 'F', 'export cipher suites are supported')
  if (anon) cap('anonymous', 'F', 'anonymous (unauthenticated) key exchange is supported')
  if (suites.some((s) => s.bits === 0)) cap('null-cipher', 'F', 'NULL (unencrypted) cipher suites are supported')
  if (suites.length && !suites.some((s) => s.forwardSecrecy)) cap('no-forward-secrecy', 'B', 'no suite with forward secrecy (ECDHE/DHE)')
  if (suites.length && !suites.some((s) => s.aead)) cap('no-aead', 'B', 'no AEAD suite (GCM, CCM, ChaCha20-Poly1305)')
  if (suites.some((s) => s.rc4)) cap('rc4', 'B', 'RC4 suites are supported')
  if (suites.some((s) => s.block64 && s.bits > 56)) cap('64-bit-block', 'C', '3DES or another 64-bit block cipher is supported (SWEET32)')
  if (p.dhBits !== null && p.dhBits < 2048) cap('weak-dh', p.dhBits < 1024 ? 'F' : 'B', `DH parameters of ${p.dhBits} bits`)
  const c = p.certificate
  if (c) {
    if (c.keyStrength < 1024) cap('key-under-1024', 'F', `${c.keyType} key of ${c.keyBits} bits`)
    else if (c.keyStrength < 2048) cap('key-under-2048', 'B', `${c.keyType} key of ${c.keyBits} bits`)
    if (c.chainIncomplete)
      cap(
        'incomplete-chain',
        'B',
        `the server does not send the issuer of its certificate${c.issuerName ? ` (${c.issuerName})` : ''}: ${FOUND[c.issuer] ?? 'it was not found'}`,
        'send the intermediate certificate(s)',
      )
  }

  let grade = letter(score)
  for (const k of caps) grade = worse(grade, k.grade)

  const warnings: Cap[] = []
  if (offered.length && !p.protocols['TLSv1.3']) warnings.push({ rule: 'no-tls13', grade: 'A-', why: 'TLS 1.3 is not supported' })
  if (p.hsts.header !== null && (!p.hsts.valid || p.hsts.maxAge === 0))
    warnings.push({ rule: 'hsts-invalid', grade: 'A-', why: `HSTS is ${p.hsts.maxAge === 0 ? 'disabled (max-age=0)' : 'invalid'}: ${p.hsts.header}` })
  if (p.secureRenegotiation === false) warnings.push({ rule: 'no-secure-renegotiation', grade: 'A-', why: 'secure renegotiation is not supported' })
  if (grade === 'A' && warnings.length) grade = 'A-'
  if (grade === 'A' && p.hsts.valid && (p.hsts.maxAge ?? 0) >= HSTS_MIN) grade = 'A+'
  if (grade === 'A' && !((p.hsts.maxAge ?? 0) >= HSTS_MIN)) {
    caps.push({
      rule: 'no-hsts',
      grade: 'A',
      why: p.hsts.header === null ? 'no HSTS header: A+ needs HSTS with max-age ≥ 180 days' : `HSTS max-age ${p.hsts.maxAge} s is under 180 days (15552000 s)`,
    })
  }

  // trust problems replace the letter; the letter they hide is kept beside
  const gradeIfTrusted = grade
  if (c && !c.hostnameMatches) {
    caps.push({ rule: 'name-mismatch', grade: 'M', why: 'the certificate does not name the host' })
    grade = 'M'
  } else if (c) {
    const trust = c.expired
      ? ['expired', `the certificate expired on ${c.notAfter}`]
      : c.selfSigned
        ? ['self-signed', 'the certificate is self-signed']
        : !c.trusted && !c.untrustedForMissingIssuer
          ? ['untrusted', `the certificate is not trusted (${c.trustError ?? 'unknown issuer'})`]
          : c.sha1
            ? ['sha1', `the certificate is signed with SHA-1 (${c.signatureAlgorithm})`]
            : null
    if (trust) {
      caps.push({ rule: trust[0]!, grade: 'T', why: trust[1]! })
      grade = 'T'
    }
  } else {
    caps.push({ rule: 'no-certificate', grade: 'T', why: 'no certificate could be read' })
    grade = 'T'
  }
  return { grade, gradeIfTrusted, score, protocolScore, keyExchangeScore: keyExchange, cipherScore, caps, warnings }
}

const FOUND: Partial<Record<IssuerSource, string>> = {
  'ca-file': 'golive found it only in the --ca file, which clients do not have',
  aia: "golive fetched it from the leaf's AIA URL, which many clients do not do",
  'not-found': 'it is neither sent, nor in the --ca file, nor at an AIA URL, so no client can build the chain',
}

/** RSA-equivalent strength of the named curves (NIST SP 800-57). */
export const CURVE_STRENGTH: Record<string, number> = {
  x25519: 3072,
  'P-256': 3072,
  'P-384': 7680,
  'P-521': 15360,
  x448: 7680,
}
