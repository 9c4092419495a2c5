// What the k6 bundle needs to carry a scenario's own code (TypeScript hooks): 'golive' and
// 'golive/helpers' resolved to their k6 builds (the public entry imports Node modules k6 lacks),
// and esbuild's errors turned into one message naming the file, the line and the fix.

import { join } from 'node:path'
import type { Message, BuildResult } from 'esbuild'
import { UsageError } from '../../../core/errors.js'
import { packageRoot } from '../../../core/package-root.js'
import type { ScenarioPlan } from '../../compile.js'

/** esbuild's alias option (buildSync takes no plugins): 'golive' and 'golive/helpers' as a
 *  scenario file bundled into a k6 script must see them. A Node.js module stays unresolved, which
 *  esbuild reports as an error at build time (bundleForK6 words it). */
export function k6Aliases(): Record<string, string> {
  return {
    golive: join(packageRoot(), 'scenarios/engines/k6/golive-k6.ts'),
    'golive/helpers': join(packageRoot(), 'scenarios/engines/k6/helpers.ts'),
  }
}

/** Runs the esbuild build; its first error becomes a UsageError (exit 2) naming where. */
export function bundleForK6<T extends BuildResult>(plan: ScenarioPlan, build: () => T): T {
  try {
    return build()
  } catch (err) {
    const first = (err as { errors?: Message[] }).errors?.[0]
    if (!first || !plan.code) throw err
    const loc = first.location
    const where = loc ? `${loc.file}:${loc.line}:${loc.column + 1}` : plan.code
    throw new UsageError(
      `${where}: ${first.text} (bundling the scenario's hooks for k6)${loc?.lineText ? `\n    ${loc.lineText.trim()}` : ''}`,
      'hooks run on both engines: they may import relative modules, pure-JS npm packages and golive/helpers (hashes, HMAC, base64, uuid), not Node.js modules or I/O',
    )
  }
}
