// Byte sizes as scenarios write them: 1048576, '1MiB', '512KiB', '4MB', '100kb'.

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
}

export function parseByteSize(v: number | string): number {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v > 0) return v
    throw new Error(`expected a whole number of bytes > 0, got ${v}`)
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(v))
  const unit = m ? UNITS[(m[2] || 'b').toLowerCase()] : undefined
  if (!m || unit === undefined) throw new Error(`'${v}' is not a byte size`)
  const n = Math.floor(Number(m[1]) * unit)
  if (n <= 0) throw new Error(`'${v}' is not more than 0 bytes`)
  return n
}

/** 1048576 → '1 MiB', for messages */
export function formatByteSize(n: number): string {
  for (const [u, f] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (n >= f && n % (f / 1024) === 0) return `${+(n / f).toFixed(2)} ${u}`
  }
  return `${n} B`
}
