// golive's own folder, found from this module's location. Works from source (tsx) and from the
// bundle in dist/, whose depths differ.

import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let cached: string | undefined

export function packageRoot(): string {
  if (cached) return cached
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'golive') return (cached = dir)
      } catch {
        /* not ours: keep walking */
      }
    }
    const up = dirname(dir)
    if (up === dir) throw new Error("cannot find golive's package.json above " + fileURLToPath(import.meta.url))
    dir = up
  }
}
