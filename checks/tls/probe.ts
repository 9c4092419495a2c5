// Collects what the rating needs from a live server: protocols and suites (raw hellos, one
// connection each, suites enumerated by offering all and removing the one the server picks),
// key exchange parameters, the certificate chain as sent and whether it is trusted (system store
// plus the configured CA; the issuer fetched from the leaf's AIA URL when the chain is short),
// the hostname, expiry, key and signature, and the HSTS header.

import { X509Certificate } from 'node:crypto'
import { request as httpGet } from 'node:http'
import { request as httpsGet } from 'node:https'
import { connect, rootCertificates, checkServerIdentity, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls'
import { hello, PROTOCOLS, type Endpoint, type HelloAnswer, type Protocol } from './hello.js'
import { LEGACY_SUITES, SUITES_BY_CODE, TLS13_SUITES } from './suites.js'
import { CURVE_STRENGTH, type TlsProbe } from './grade.js'
import { signatureAlgorithm } from './der.js'
import { incomplete, issues, leafIssuer, MISSING_ISSUER } from './chain.js'

const CURVES: Record<number, string> = { 0x001d: 'x25519', 0x0017: 'P-256', 0x0018: 'P-384', 0x0019: 'P-521', 0x001e: 'x448' }

export interface ProbeOptions {
  host: string
  port: number
  servername: string
  ca?: string
  timeoutMs?: number
  path?: string
}

export async function probe(o: ProbeOptions): Promise<TlsProbe & { certificatesSent: number }> {
  const ep: Endpoint = { host: o.host, port: o.port, servername: o.servername, timeoutMs: o.timeoutMs ?? 3000 }
  const found = await Promise.all(PROTOCOLS.map((proto) => enumerate(ep, proto)))
  const protocols = Object.fromEntries(PROTOCOLS.map((p, i) => [p, found[i]!.accepted.length > 0 || (p === 'SSLv2' && found[i]!.sslv2)])) as Record<
    Protocol,
    boolean
  >
  const suites: TlsProbe['suites'] = {}
  let dhBits: number | null = null
  const curves = new Set<string>()
  let sent: Buffer[] | undefined
  let reneg: boolean | null = null
  PROTOCOLS.forEach((proto, i) => {
    const f = found[i]!
    if (!f.accepted.length) return
    suites[proto] = f.accepted.map((code) => {
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
    })
    for (const a of f.answers) {
      if (a.dhBits !== undefined) dhBits = Math.min(dhBits ?? Infinity, a.dhBits)
      if (a.curve !== undefined) curves.add(CURVES[a.curve] ?? `curve 0x${a.curve.toString(16)}`)
      if (a.certificates && (!sent || proto === 'TLSv1.2')) sent = a.certificates
      if (a.secureRenegotiation !== undefined) reneg = (reneg ?? true) && a.secureRenegotiation
    }
  })
  const [certificate, hsts] = await Promise.all([certificateFacts(o, sent), readHsts(o)])
  return { protocols, suites, dhBits, curves: [...curves], certificate, secureRenegotiation: reneg, hsts, certificatesSent: sent?.length ?? 0 }
}

/** Every suite the server accepts for one protocol. */
async function enumerate(ep: Endpoint, proto: Protocol) {
  const answers: HelloAnswer[] = []
  const accepted: number[] = []
  if (proto === 'SSLv2') {
    const a = await hello(ep, proto, [])
    return { accepted, answers, sslv2: a.accepted }
  }
  let remaining = (proto === 'TLSv1.3' ? TLS13_SUITES : LEGACY_SUITES).map((s) => s.code)
  // bounded: at most one connection per suite
  for (let i = 0; i < 200 && remaining.length; i++) {
    const a = await hello(ep, proto, remaining)
    if (!a.accepted || a.cipher === undefined || !remaining.includes(a.cipher)) break
    answers.push(a)
    accepted.push(a.cipher)
    remaining = remaining.filter((c) => c !== a.cipher)
  }
  return { accepted, answers, sslv2: false }
}

async function certificateFacts(o: ProbeOptions, sent: Buffer[] | undefined): Promise<TlsProbe['certificate']> {
  const ca = o.ca ? [...rootCertificates, o.ca] : undefined
  const first = await nodeHandshake(o, ca)
  if (!first) return null
  // TLS 1.3 encrypts the Certificate message, so a TLS 1.3-only server's chain comes from Node:
  // with Node's own roots only, since it appends issuers from the CA store to what was sent
  const viaNode = sent?.length ? undefined : (o.ca ? await nodeHandshake(o, undefined) : first)?.chain
  const chain = (sent?.length ? sent : viaNode?.length ? viaNode : [first.raw]).map((d) => new X509Certificate(d))
  const leaf = chain[0]!
  const leafDer = leaf.raw
  let { authorized, error } = first
  let issuer = leafIssuer(chain, o.ca)
  // the server did not send the issuer and it is nowhere local: fetch it from the leaf's AIA
  // URL, as browsers and SSL Labs do, to learn whether a path to a root exists at all
  if (issuer === 'not-found') {
    const fetched = await fetchIssuer(leaf)
    if (fetched && issues(leaf, new X509Certificate(fetched))) {
      issuer = 'aia'
      if (!authorized) {
        const again = await nodeHandshake(o, [...(ca ?? rootCertificates), fetched])
        if (again) ({ authorized, error } = again)
      }
    }
  }
  const key = leaf.publicKey.asymmetricKeyDetails ?? {}
  const keyType = leaf.publicKey.asymmetricKeyType?.toUpperCase() ?? '?'
  const curve = key.namedCurve === 'prime256v1' ? 'P-256' : key.namedCurve === 'secp384r1' ? 'P-384' : key.namedCurve === 'secp521r1' ? 'P-521' : key.namedCurve
  const keyBits = key.modulusLength ?? (curve === 'P-384' ? 384 : curve === 'P-521' ? 521 : 256)
  const keyStrength = key.modulusLength ?? CURVE_STRENGTH[curve ?? ''] ?? 3072
  // SHA-1 matters on the leaf and the intermediates it was sent with, not on a root
  const sigs = (sent?.length ? sent : [leafDer])
    .map((d) => new X509Certificate(d))
    .filter((c, i) => i === 0 || c.subject !== c.issuer)
    .map((c) => signatureAlgorithm(c.raw))
  const notAfter = new Date(leaf.validTo)
  const days = Math.floor((notAfter.getTime() - Date.now()) / 86_400_000)
  return {
    keyType,
    keyBits,
    keyStrength,
    signatureAlgorithm: sigs[0] ?? 'unknown',
    sha1: sigs.some((s) => /sha1/i.test(s)),
    notAfter: notAfter.toISOString(),
    daysToExpiry: days,
    expired: notAfter.getTime() < Date.now() || error === 'CERT_HAS_EXPIRED',
    selfSigned: leaf.subject === leaf.issuer && leaf.checkIssued(leaf) && (error === 'DEPTH_ZERO_SELF_SIGNED_CERT' || !authorized),
    trusted: authorized,
    chainIncomplete: incomplete(issuer),
    issuer,
    issuerName: issuerName(leaf),
    // no path to a root only because the issuer is missing: an incomplete chain (B), not T
    untrustedForMissingIssuer: !authorized && issuer === 'not-found' && MISSING_ISSUER.test(error ?? ''),
    hostnameMatches: checkServerIdentity(o.servername, first.peer) === undefined,
    trustError: authorized ? null : error,
  }
}

/** the issuer's CN (or the whole DN), for the finding's why */
function issuerName(c: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]+)/.exec(c.issuer)?.[1] ?? c.issuer.replace(/\n/g, ', ')
}

/** Node's own verification (OpenSSL), at the lowest security level so a weak key or old
 *  protocol still connects: only trust is judged here. */
function nodeHandshake(
  o: ProbeOptions,
  ca: string[] | undefined,
): Promise<{ authorized: boolean; error: string | null; peer: PeerCertificate; raw: Buffer; chain: Buffer[] } | null> {
  return new Promise((resolve) => {
    const s = connect({
      host: o.host,
      port: o.port,
      servername: /^[\d.]+$|:/.test(o.servername) ? undefined : o.servername,
      ca,
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      ciphers: 'ALL:@SECLEVEL=0',
      timeout: o.timeoutMs ?? 3000,
    })
    const done = (v: Parameters<typeof resolve>[0]) => {
      s.destroy()
      resolve(v)
    }
    s.once('secureConnect', () => {
      const peer = s.getPeerCertificate()
      const error = s.authorizationError ? String((s.authorizationError as Error & { code?: string }).code ?? s.authorizationError) : null
      done({ authorized: s.authorized, error, peer, raw: peer.raw, chain: peerChain(s.getPeerCertificate(true)) })
    })
    s.once('error', () => done(null))
    s.once('timeout', () => done(null))
  })
}

/** the certificates of a detailed peer certificate, leaf first (the last one links to itself) */
function peerChain(c: DetailedPeerCertificate): Buffer[] {
  const out: Buffer[] = []
  const seen = new Set<string>()
  for (let x: DetailedPeerCertificate | undefined = c; x?.raw && !seen.has(x.fingerprint256); x = x.issuerCertificate) {
    seen.add(x.fingerprint256)
    out.push(x.raw)
  }
  return out
}

/** The issuer certificate from the leaf's AIA "CA Issuers" URL (http only, bounded), as PEM. */
async function fetchIssuer(leaf: X509Certificate): Promise<string | null> {
  const url = /CA Issuers - URI:(http:\/\/\S+)/.exec(leaf.infoAccess ?? '')?.[1]
  if (!url) return null
  const body = await new Promise<Buffer | null>((resolve) => {
    const req = httpGet(url, { timeout: 5000 }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size > 65_536) req.destroy()
        else chunks.push(c)
      })
      res.on('end', () => resolve(res.statusCode === 200 ? Buffer.concat(chunks) : null))
    })
    req.on('error', () => resolve(null))
    req.on('timeout', () => {
      req.destroy()
      resolve(null)
    })
    req.end()
  })
  if (!body) return null
  try {
    return new X509Certificate(body).toString()
  } catch {
    return null
  }
}

/** HSTS as the server sends it on the first response. */
async function readHsts(o: ProbeOptions): Promise<TlsProbe['hsts']> {
  const header = await new Promise<string | null>((resolve) => {
    const req = httpsGet(
      {
        host: o.host,
        port: o.port,
        path: o.path ?? '/',
        method: 'GET',
        servername: /^[\d.]+$|:/.test(o.servername) ? undefined : o.servername,
        rejectUnauthorized: false,
        minVersion: 'TLSv1',
        ciphers: 'ALL:@SECLEVEL=0',
        timeout: o.timeoutMs ?? 3000,
        headers: { 'user-agent': 'golive-tls-check' },
      },
      (res) => {
        const h = res.headers['strict-transport-security']
        res.resume()
        resolve(Array.isArray(h) ? (h[0] ?? null) : (h ?? null))
      },
    )
    req.on('error', () => resolve(null))
    req.on('timeout', () => {
      req.destroy()
      resolve(null)
    })
    req.end()
  })
  if (header === null) return { header: null, maxAge: null, valid: false }
  const m = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?\s*(?:;|$)/i.exec(header)
  return { header, maxAge: m ? Number(m[1]) : null, valid: m !== null }
}
