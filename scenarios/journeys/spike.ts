import { defineScenario } from '../dsl.js'
import { ERP_BASE } from './erp-journey.js'
import { profiles } from '../profiles.js'

/** A sudden surge (a campaign, a launch announcement) and the recovery after it. */
export default defineScenario({
  ...ERP_BASE,
  name: 'spike',
  description: '10 users, a jump to 400 within 5 s for 20 s, back to 10.',
  profile: profiles.spike,
})
