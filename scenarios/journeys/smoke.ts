import { defineScenario } from '../dsl.js'
import { ERP_BASE, ERP_STEPS } from './erp-journey.js'
import { profiles } from '../profiles.js'

/** Does every step work at all? Two users, ten seconds, each step in one journey (no mix). */
const { journeys: _mix, ...base } = ERP_BASE
export default defineScenario({
  ...base,
  steps: ERP_STEPS,
  name: 'smoke',
  description: 'Two users walk the journey for 10 s: does every step work?',
  profile: profiles.smoke,
})
