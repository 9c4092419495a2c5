// k6 reports a request that got no response as status 0 with a numeric error code
// (https://grafana.com/docs/k6/latest/javascript-api/error-codes/). The embedded engine names
// the same failures by their socket codes; results.json uses those names for both engines.

const NAMES: Record<number, string> = {
  1050: 'TIMEOUT', // request timeout
  1100: 'DNS',
  1101: 'DNS',
  1110: 'DNS',
  1111: 'DNS',
  1210: 'TIMEOUT',
  1211: 'TIMEOUT', // dial timeout, TCP timeout
  1212: 'ECONNREFUSED',
  1220: 'ECONNRESET',
  1310: 'ECONNRESET',
  1701: 'BAD_ENCODING', // the body could not be decompressed
}

export function transportCode(k6Code: number | string | undefined): string {
  const n = Number(k6Code)
  return NAMES[n] ?? (n >= 1300 && n < 1400 ? 'ECONNRESET' : n >= 1400 && n < 1500 ? 'TLS' : `K6_ERROR_${Number.isFinite(n) ? n : 'UNKNOWN'}`)
}
