// Just enough of an HTML tokenizer to find <script> and <meta> start tags and their attributes
// the way a browser's parser would: comments, raw-text elements (script, style, textarea, ...)
// and <template> contents are skipped, the first of a repeated attribute wins, character
// references in attribute values are decoded.

export interface Tag {
  name: string
  attrs: Map<string, string>
}

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext', 'template'])
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED[ref.toLowerCase()] ?? whole
  })
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f'

/** Every start tag named in `wanted`, in document order. */
export function findTags(html: string, wanted: ReadonlySet<string>): Tag[] {
  const tags: Tag[] = []
  let i = 0
  const n = html.length
  while (i < n) {
    const lt = html.indexOf('<', i)
    if (lt < 0) break
    i = lt + 1
    if (html.startsWith('!--', i)) {
      const end = html.indexOf('-->', i + 3)
      i = end < 0 ? n : end + 3
      continue
    }
    if (html[i] === '!' || html[i] === '?' || html[i] === '/') {
      const end = html.indexOf('>', i)
      i = end < 0 ? n : end + 1
      continue
    }
    if (!/[a-zA-Z]/.test(html[i] ?? '')) continue
    let j = i
    while (j < n && !isSpace(html[j]) && html[j] !== '/' && html[j] !== '>') j++
    const name = html.slice(i, j).toLowerCase()
    const attrs = new Map<string, string>()
    // attributes
    while (j < n && html[j] !== '>') {
      while (j < n && (isSpace(html[j]) || html[j] === '/')) j++
      if (j >= n || html[j] === '>') break
      let k = j
      while (k < n && !isSpace(html[k]) && html[k] !== '/' && html[k] !== '>' && (html[k] !== '=' || k === j)) k++
      const attr = html.slice(j, k).toLowerCase()
      j = k
      while (j < n && isSpace(html[j])) j++
      let value = ''
      if (html[j] === '=') {
        j++
        while (j < n && isSpace(html[j])) j++
        const q = html[j]
        if (q === '"' || q === "'") {
          const end = html.indexOf(q, j + 1)
          value = html.slice(j + 1, end < 0 ? n : end)
          j = end < 0 ? n : end + 1
        } else {
          let e = j
          while (e < n && !isSpace(html[e]) && html[e] !== '>') e++
          value = html.slice(j, e)
          j = e
        }
      }
      if (attr && !attrs.has(attr)) attrs.set(attr, decode(value))
    }
    i = j + 1
    if (wanted.has(name)) tags.push({ name, attrs })
    if (RAW_TEXT.has(name)) {
      const close = new RegExp(`</${name}`, 'ig')
      close.lastIndex = i
      const m = close.exec(html)
      i = m ? m.index : n
    }
  }
  return tags
}
