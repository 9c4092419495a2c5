import { defineScenario } from '../dsl.js'
import { ERP_BASE } from './erp-journey.js'
import { profiles } from '../profiles.js'

/** The expected launch-day load: ramp to 100 users, hold them. The default scenario. */
export default defineScenario({
  ...ERP_BASE,
  name: 'load',
  description: 'Ramp to 100 concurrent users over 5 s and hold them for 25 s.',
  profile: profiles.load,
})
