// Shared by the checks' strict settings readers: one message shape for a wrong setting
// ("checks.<id>.<path>: expected …, got …") and the http(s) URL rule.

export function settingsReader(checkId: string) {
  const where = (p: string) => `checks.${checkId}.${p}`
  function fail(path: string, want: string, got: unknown): never {
    throw new Error(`${where(path)}: expected ${want}, got ${JSON.stringify(got)}`)
  }
  function url(v: unknown, path: string): string {
    if (typeof v !== 'string') fail(path, 'an http:// URL', v)
    try {
      const u = new URL(v as string)
      if (!/^https?:$/.test(u.protocol)) throw new Error()
    } catch {
      fail(path, 'an http:// URL', v)
    }
    return (v as string).replace(/\/$/, '')
  }
  return { where, fail, url }
}
