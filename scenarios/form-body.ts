// Form bodies, encoded by one function both engines share (the k6 runtime bundles it):
// application/x-www-form-urlencoded as the WHATWG URL standard serialises it.

export const FORM_TYPE = 'application/x-www-form-urlencoded'

/** Only A–Z a–z 0–9 * - . _ stay as they are; space becomes '+'. */
export function encodeFormComponent(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
}

export function encodeForm(fields: [string, string][]): string {
  let out = ''
  for (const [k, v] of fields) out += `${out ? '&' : ''}${encodeFormComponent(k)}=${encodeFormComponent(v)}`
  return out
}
