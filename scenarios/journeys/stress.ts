import { defineScenario } from '../dsl.js'
import { ERP_BASE } from './erp-journey.js'
import { profiles } from '../profiles.js'

/** Past the expected load, in steps, to see where latency and errors start to climb. */
export default defineScenario({
  ...ERP_BASE,
  name: 'stress',
  description: 'Step up 100 → 200 → 300 users (20 s each), then ramp down.',
  profile: profiles.stress,
})
