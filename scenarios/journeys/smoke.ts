import { defineScenario } from '../dsl.js'
import { ERP_BASE } from './erp-journey.js'
import { profiles } from '../profiles.js'

/** Does the journey work at all? Two users, ten seconds. */
export default defineScenario({
  ...ERP_BASE,
  name: 'smoke',
  description: 'Two users walk the journey for 10 s: does every step work?',
  profile: profiles.smoke,
})
