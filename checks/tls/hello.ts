// Raw TLS handshakes, so golive sees what a server accepts whatever Node's OpenSSL would speak:
// a ClientHello for SSLv2 … TLS 1.3 with the suites we choose, and the server's answer parsed up
// to ServerHelloDone (the version and suite it picked, its certificate chain as sent, its key
// exchange parameters, whether it does secure renegotiation). No handshake is ever completed.

import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { isIP, Socket } from 'node:net'

export type Protocol = 'SSLv2' | 'SSLv3' | 'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'
export const PROTOCOLS: Protocol[] = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']
const WIRE: Record<Exclude<Protocol, 'SSLv2'>, number> = { SSLv3: 0x0300, 'TLSv1.0': 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304 }

export interface HelloAnswer {
  /** the server answered with a ServerHello (or HelloRetryRequest) for this protocol */
  accepted: boolean
  cipher?: number
  /** renegotiation_info in the ServerHello (TLS ≤ 1.2) */
  secureRenegotiation?: boolean
  /** the certificate chain exactly as the server sent it (TLS ≤ 1.2), DER */
  certificates?: Buffer[]
  /** ServerKeyExchange: DH prime size in bits, or the ECDH named curve id */
  dhBits?: number
  curve?: number
  /** why not accepted: an alert, a version it preferred, a closed connection */
  refusal?: string
}

const GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e] // x25519, P-256, P-384, P-521, x448
const SIGALGS = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201, 0x0402, 0x0202]
const x25519 = () => {
  const der = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' })
  return der.subarray(der.length - 32)
}

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff])
const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff])
const vec16 = (b: Buffer) => Buffer.concat([u16(b.length), b])
const ext = (type: number, data: Buffer) => Buffer.concat([u16(type), vec16(data)])
const list16 = (items: number[]) => vec16(Buffer.concat(items.map(u16)))

export function clientHello(protocol: Exclude<Protocol, 'SSLv2'>, suites: number[], servername: string | null): Buffer {
  const tls13 = protocol === 'TLSv1.3'
  const exts: Buffer[] = []
  if (protocol !== 'SSLv3') {
    if (servername && !isIP(servername)) {
      const name = Buffer.from(servername, 'ascii')
      exts.push(ext(0x0000, vec16(Buffer.concat([Buffer.from([0]), vec16(name)]))))
    }
    exts.push(ext(0x000a, list16(GROUPS)), ext(0x000b, Buffer.from([1, 0])), ext(0x000d, list16(SIGALGS)))
    exts.push(ext(0xff01, Buffer.from([0]))) // renegotiation_info, empty
    if (tls13) {
      exts.push(ext(0x002b, Buffer.from([2, 0x03, 0x04])))
      exts.push(ext(0x0033, vec16(Buffer.concat([u16(0x001d), vec16(x25519())]))))
      exts.push(ext(0x002d, Buffer.from([1, 1]))) // psk_dhe_ke: some servers want the field
    }
  }
  const version = tls13 ? 0x0303 : WIRE[protocol]
  const body = Buffer.concat([
    u16(version),
    randomBytes(32),
    tls13 ? Buffer.concat([Buffer.from([32]), randomBytes(32)]) : Buffer.from([0]),
    list16(suites),
    Buffer.from([1, 0]),
    ...(exts.length ? [vec16(Buffer.concat(exts))] : []),
  ])
  const handshake = Buffer.concat([Buffer.from([1]), u24(body.length), body])
  return Buffer.concat([Buffer.from([0x16]), u16(protocol === 'SSLv3' ? 0x0300 : 0x0301), u16(handshake.length), handshake])
}

/** SSLv2's own CLIENT-HELLO with its seven cipher kinds. */
export function sslv2Hello(): Buffer {
  const specs = Buffer.from([0x01, 0x00, 0x80, 0x02, 0x00, 0x80, 0x03, 0x00, 0x80, 0x04, 0x00, 0x80, 0x05, 0x00, 0x80, 0x06, 0x00, 0x40, 0x07, 0x00, 0xc0])
  const body = Buffer.concat([Buffer.from([1, 0x00, 0x02]), u16(specs.length), u16(0), u16(16), specs, randomBytes(16)])
  return Buffer.concat([Buffer.from([0x80 | (body.length >> 8), body.length & 0xff]), body])
}

export interface Endpoint {
  host: string
  port: number
  servername: string | null
  timeoutMs: number
}

/** One hello: sends it, reads the answer, hangs up. */
export function hello(ep: Endpoint, protocol: Protocol, suites: number[]): Promise<HelloAnswer> {
  return new Promise((resolve) => {
    const sock = new Socket()
    let buf = Buffer.alloc(0)
    let done = false
    const answer: HelloAnswer = { accepted: false }
    const finish = (refusal?: string) => {
      if (done) return
      done = true
      clearTimeout(timer)
      sock.destroy()
      if (refusal && !answer.accepted) answer.refusal = refusal
      resolve(answer)
    }
    const timer = setTimeout(() => finish('no answer in time'), ep.timeoutMs)
    sock.once('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message))
    sock.once('close', () => finish('connection closed'))
    sock.connect(ep.port, ep.host, () => sock.write(protocol === 'SSLv2' ? sslv2Hello() : clientHello(protocol, suites, ep.servername)))
    const hs = new HandshakeReader()
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d])
      if (protocol === 'SSLv2') {
        // SERVER-HELLO is message 4 in a two-byte-header SSLv2 record
        if (buf.length >= 3) {
          answer.accepted = (buf[0]! & 0x80) !== 0 && buf[2] === 4
          finish(answer.accepted ? undefined : 'not an SSLv2 SERVER-HELLO')
        }
        return
      }
      // TLS records: type, version, length
      while (buf.length >= 5) {
        const len = buf.readUInt16BE(3)
        if (buf.length < 5 + len) return
        const type = buf[0]!
        const payload = buf.subarray(5, 5 + len)
        buf = buf.subarray(5 + len)
        if (type === 21) return finish(`alert ${payload[1] ?? '?'}`)
        if (type !== 22) return finish(answer.accepted ? undefined : `unexpected record ${type}`)
        for (const m of hs.push(payload)) {
          if (readMessage(m, protocol, answer) === 'done') return finish()
        }
      }
    })
  })
}

/** Handshake messages can span records and records can hold several: reassemble. */
class HandshakeReader {
  private pending = Buffer.alloc(0)
  push(b: Buffer): { type: number; body: Buffer }[] {
    this.pending = Buffer.concat([this.pending, b])
    const out: { type: number; body: Buffer }[] = []
    while (this.pending.length >= 4) {
      const len = (this.pending[1]! << 16) | (this.pending[2]! << 8) | this.pending[3]!
      if (this.pending.length < 4 + len) break
      out.push({ type: this.pending[0]!, body: this.pending.subarray(4, 4 + len) })
      this.pending = this.pending.subarray(4 + len)
    }
    return out
  }
}

/** Reads one handshake message into the answer; 'done' when there is nothing more to learn. */
function readMessage(m: { type: number; body: Buffer }, protocol: Protocol, a: HelloAnswer): 'done' | 'more' {
  const b = m.body
  if (m.type === 2) {
    let p = 0
    let version = b.readUInt16BE(p)
    p += 2
    p += 32 // random (a HelloRetryRequest is a ServerHello too: it names the version and suite)
    p += 1 + b[p]!
    const cipher = b.readUInt16BE(p)
    p += 2
    p += 1
    let reneg = false
    if (p + 2 <= b.length) {
      const end = p + 2 + b.readUInt16BE(p)
      p += 2
      while (p + 4 <= end) {
        const t = b.readUInt16BE(p),
          l = b.readUInt16BE(p + 2)
        if (t === 0x002b && l === 2) version = b.readUInt16BE(p + 4)
        if (t === 0xff01) reneg = true
        p += 4 + l
      }
    }
    const wanted = WIRE[protocol as Exclude<Protocol, 'SSLv2'>]
    if (version !== wanted) return 'done' // it chose another version: not this one
    a.accepted = true
    a.cipher = cipher
    if (protocol === 'TLSv1.3') return 'done' // the rest is encrypted (or a HelloRetryRequest)
    a.secureRenegotiation = reneg
    return 'more'
  }
  if (m.type === 11) {
    const certs: Buffer[] = []
    let p = 3
    while (p + 3 <= b.length) {
      const l = (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!
      certs.push(Buffer.from(b.subarray(p + 3, p + 3 + l)))
      p += 3 + l
    }
    a.certificates = certs
    return 'more'
  }
  if (m.type === 12) {
    if (b[0] === 3 && b.length >= 3)
      a.curve = b.readUInt16BE(1) // ECDHE: named curve
    else if (b.length >= 2) {
      // DHE: dh_p first; its length without leading zero bytes
      const len = b.readUInt16BE(0)
      let p = 2,
        l = len
      while (l > 0 && b[p] === 0) {
        p++
        l--
      }
      a.dhBits = l * 8 - (l ? Math.clz32(b[p]!) - 24 : 0)
    }
    return 'more'
  }
  return m.type === 14 ? 'done' : 'more'
}
