// Debian's Chromium for the browser tests (never a browser download). Locally a missing
// Chromium skips those tests; under CI it fails them, since .ci/run installs it.

import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

export function chromiumPath(): string | null {
  const p = process.env.GOLIVE_CHROMIUM ?? '/usr/bin/chromium'
  if (existsSync(p)) return p
  if (process.env.CI) throw new Error(`Chromium is not at ${p}: .ci/run installs it (apt-get install chromium)`)
  return null
}

export const SKIP_NO_CHROMIUM = 'Chromium is not installed (apt-get install chromium)'

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] })
}
