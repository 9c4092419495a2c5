// The chain rule as testssl.sh 3.2 applies it: the server must send the issuer of its leaf,
// unless that issuer is itself a trust anchor. Where golive found the issuer instead (the --ca
// file, the leaf's AIA URL) decides only whether a path to a root exists (T or not), never
// whether the chain is complete: browsers and clients without that bundle fail either way.

import { X509Certificate } from 'node:crypto'
import { rootCertificates } from 'node:tls'

/** where the leaf's issuer came from: 'self' (self-signed leaf), 'sent' (the server sent it),
 *  'trust-anchor' (the leaf is issued directly by a root), 'ca-file' (found only in --ca),
 *  'aia' (fetched from the leaf's AIA URL), 'not-found' */
export type IssuerSource = 'self' | 'sent' | 'trust-anchor' | 'ca-file' | 'aia' | 'not-found'

/** the server's chain lacks the leaf's issuer (which is not a trust anchor) */
export const incomplete = (s: IssuerSource) => s === 'ca-file' || s === 'aia' || s === 'not-found'

/** OpenSSL's codes for "an issuer is missing" (20, 2, 21) */
export const MISSING_ISSUER = /^(UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/

/** does `parent` issue `child` (names, key identifiers and the signature)? */
export function issues(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey)
  } catch {
    return false
  }
}

export const selfIssued = (c: X509Certificate) => issues(c, c)

/** every certificate in a PEM bundle (unparsable blocks are left out) */
export function pemCertificates(pem: string | undefined): X509Certificate[] {
  if (!pem) return []
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
  return blocks.flatMap((b) => {
    try {
      return [new X509Certificate(b)]
    } catch {
      return []
    }
  })
}

let systemRoots: X509Certificate[] | null = null
/** Node's bundled roots, parsed once */
function roots(): X509Certificate[] {
  return (systemRoots ??= pemCertificates(rootCertificates.join('\n')))
}

/** The trust anchors: the system roots plus the self-signed certificates of the --ca file.
 *  An intermediate inside --ca helps build a path but is not an anchor. */
export function trustAnchors(caPem: string | undefined): X509Certificate[] {
  return [...roots(), ...pemCertificates(caPem).filter(selfIssued)]
}

/** Where the leaf's issuer is, among what the server sent, the anchors and the --ca file. */
export function leafIssuer(sent: X509Certificate[], caPem: string | undefined): IssuerSource {
  const leaf = sent[0]
  if (!leaf) return 'not-found'
  if (selfIssued(leaf)) return 'self'
  if (sent.slice(1).some((c) => issues(leaf, c))) return 'sent'
  if (trustAnchors(caPem).some((c) => issues(leaf, c))) return 'trust-anchor'
  if (pemCertificates(caPem).some((c) => issues(leaf, c))) return 'ca-file'
  return 'not-found'
}
