import { defineScenario } from '../dsl.js'
import { ERP_BASE } from './erp-journey.js'

/** The expected launch-day load: ramp to 100 users, hold them. The default scenario. */
export default defineScenario({
  ...ERP_BASE,
  name: 'load',
  description: 'Ramp to 100 concurrent users over 5 s and hold them for 25 s.',
  profile: { model: 'closed', stages: [{ duration: '5s', target: 100 }, { duration: '25s', target: 100 }], gracefulStop: '5s' },
})
