import { defineScenario } from '../dsl.js'
import { ERP_BASE } from './erp-journey.js'

/** A sudden surge (a campaign, a launch announcement) and the recovery after it. */
export default defineScenario({
  ...ERP_BASE,
  name: 'spike',
  description: '10 users, a jump to 400 within 5 s for 20 s, back to 10.',
  profile: {
    model: 'closed',
    stages: [
      { duration: '5s', target: 10 }, { duration: '5s', target: 400 }, { duration: '20s', target: 400 },
      { duration: '5s', target: 10 }, { duration: '10s', target: 10 },
    ],
  },
})
