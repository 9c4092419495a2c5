import { defineScenario } from '../dsl.js'
import { ERP_BASE } from './erp-journey.js'
import { profiles } from '../profiles.js'

/** The expected load for a long time: leaks, pool exhaustion, slow drift. */
export default defineScenario({
  ...ERP_BASE,
  name: 'soak',
  description: '100 users for 30 minutes.',
  profile: profiles.soak,
})
