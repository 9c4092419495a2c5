// The User-Agent golive's requests carry: the environment's userAgent, or golive/<version>
// (some WAFs refuse requests without one).

import type { EnvironmentConfig } from './config.js'
import { VERSION } from './version.js'

export function userAgentOf(env: Pick<EnvironmentConfig, 'userAgent'>, what?: string): string {
  return env.userAgent ?? `golive/${VERSION}${what ? ` (${what})` : ''}`
}
