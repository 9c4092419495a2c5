// multipart/form-data bodies, built byte for byte by one function both engines share (the k6
// runtime bundles it; k6 has no TextEncoder, hence the small UTF-8 encoder), so the two send
// the same body. Text fields are rendered templates; files are the bytes read at compile time.

export type BodyPart = { name: string; text: string } | { name: string; bytes: Uint8Array; filename: string; contentType: string }

/** A boundary no part is likely to contain (WHATWG uses random bytes too). */
export function newBoundary(): string {
  let s = '----golive'
  for (let i = 0; i < 24; i++) s += Math.floor(Math.random() * 16).toString(16)
  return s
}

export function multipartBody(parts: BodyPart[], boundary: string): Uint8Array {
  const chunks: Uint8Array[] = []
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(p.name)}"`
    if ('bytes' in p) head += `; filename="${escapeName(p.filename)}"\r\nContent-Type: ${p.contentType}`
    chunks.push(utf8(`${head}\r\n\r\n`), 'bytes' in p ? p.bytes : utf8(p.text), utf8('\r\n'))
  }
  chunks.push(utf8(`--${boundary}--\r\n`))
  let size = 0
  for (const c of chunks) size += c.length
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/** As the HTML standard escapes field names and file names in multipart headers. */
function escapeName(s: string): string {
  return s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

export function utf8(s: string): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i)
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
        i++
      }
    }
    if (c < 0x80) out.push(c)
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63))
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
  }
  return new Uint8Array(out)
}
