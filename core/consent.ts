// Consent for what breaks things on purpose (drills, floods, alert triggers): one rule, one
// wording. The runner refuses a destructive check with it; a check that is only partly
// destructive (alerts' triggers) and the drill dry run say it the same way.

import type { EnvironmentConfig } from './config.js'

/** May this environment be broken on purpose? (allowDrills, or --allow-drills for one run) */
export function allowsDrills(env: Pick<EnvironmentConfig, 'allowDrills'>): boolean {
  return env.allowDrills === true
}

/** Why it is refused: `what` says what would have run ('a drill', 'drills not run'). */
export function consentRefusal(envName: string, what: string): string {
  return `${what}: environment '${envName}' does not allow drills (set allowDrills: true where that is safe, or --allow-drills)`
}
