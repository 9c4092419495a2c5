// Just enough DER to read a certificate's signature algorithm, which Node 20's X509Certificate
// does not expose: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }.

const OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10040.4.3': 'dsa-with-sha1',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassa-pss',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ed25519',
  '1.3.101.113': 'ed448',
}

/** [tag, start of contents, end of contents] of the element at `at`. */
function element(b: Buffer, at: number): [number, number, number] {
  const tag = b[at]!
  let len = b[at + 1]!
  let start = at + 2
  if (len & 0x80) {
    const n = len & 0x7f
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!
    start += n
  }
  return [tag, start, start + len]
}

function oid(b: Buffer): string {
  const parts = [Math.floor(b[0]! / 40), b[0]! % 40]
  let v = 0
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f)
    if (!(b[i]! & 0x80)) {
      parts.push(v)
      v = 0
    }
  }
  return parts.join('.')
}

export function signatureAlgorithm(der: Buffer): string {
  try {
    const [, certStart] = element(der, 0)
    const [, , tbsEnd] = element(der, certStart)
    const [, algStart] = element(der, tbsEnd)
    const [tag, oidStart, oidEnd] = element(der, algStart)
    if (tag !== 0x06) return 'unknown'
    const id = oid(der.subarray(oidStart, oidEnd))
    return OIDS[id] ?? id
  } catch {
    return 'unknown'
  }
}
