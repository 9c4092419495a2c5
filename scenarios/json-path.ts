// A small JSON path subset for captures and checks: $.a.b[0].c, $['a-b'], a.b (the $ is optional).

export function parseJsonPath(path: string): (string | number)[] {
  const src = path.trim().replace(/^\$/, '')
  const keys: (string | number)[] = []
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[['"]([^'"]+)['"]\]|^([A-Za-z_$][\w$-]*)/y
  let pos = 0
  while (pos < src.length) {
    re.lastIndex = pos
    const m = re.exec(src)
    if (!m) throw new Error(`'${path}' is not a JSON path this engine reads: write it like $.items[0].id`)
    keys.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4])!)
    pos = re.lastIndex
  }
  return keys
}

export function readJsonPath(doc: unknown, keys: (string | number)[]): unknown {
  let v = doc
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string | number, unknown>)[k]
  }
  return v
}
