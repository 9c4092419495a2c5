// Links a report may carry to files it did not write itself (artifacts[].path of a results.json,
// which may be crafted): only relative paths that stay inside the run directory. A scheme
// (javascript:, data:, http:), an absolute path, '..' or a backslash is not linked.

/** The path as a URL-encoded relative href, or null when it must not be linked. */
export function runRelativeHref(path: string): string | null {
  if (typeof path !== 'string' || path === '' || path.length > 1000) return null
  // control characters and bidi overrides, backslashes (Windows separators, escapes), schemes
  if (/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\\]/.test(path)) return null
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.startsWith('#') || path.startsWith('?')) return null
  const segments = path.split('/')
  if (segments.some((s) => s === '..' || s === '')) return null
  return segments.map((s) => encodeURIComponent(s)).join('/')
}
