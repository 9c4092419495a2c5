import { defineScenario } from '../dsl.js'
import { ERP_BASE } from './erp-journey.js'

/** Past the expected load, in steps, to see where latency and errors start to climb. */
export default defineScenario({
  ...ERP_BASE,
  name: 'stress',
  description: 'Step up 100 → 200 → 300 users (20 s each), then ramp down.',
  profile: {
    model: 'closed',
    stages: [
      { duration: '10s', target: 100 }, { duration: '20s', target: 100 },
      { duration: '10s', target: 200 }, { duration: '20s', target: 200 },
      { duration: '10s', target: 300 }, { duration: '20s', target: 300 },
      { duration: '10s', target: 0 },
    ],
  },
})
