// The load profiles of the shipped scenarios, as presets for your own:
//   defineScenario({ name: 'checkout', profile: profiles.stress, steps: [...] })

import type { ClosedProfile } from './dsl.js'

export const profiles = {
  /** does every step work? 2 users, 10 s */
  smoke: { model: 'closed', vus: 2, duration: '10s' },
  /** the expected launch-day load: ramp to 100 users over 5 s, hold 25 s */
  load: {
    model: 'closed',
    stages: [
      { duration: '5s', target: 100 },
      { duration: '25s', target: 100 },
    ],
    gracefulStop: '5s',
  },
  /** past the expected load in steps: 100 → 200 → 300 users, 20 s each, then down */
  stress: {
    model: 'closed',
    stages: [
      { duration: '10s', target: 100 },
      { duration: '20s', target: 100 },
      { duration: '10s', target: 200 },
      { duration: '20s', target: 200 },
      { duration: '10s', target: 300 },
      { duration: '20s', target: 300 },
      { duration: '10s', target: 0 },
    ],
  },
  /** a sudden surge and the recovery: 10 users, 400 within 5 s for 20 s, back to 10 */
  spike: {
    model: 'closed',
    stages: [
      { duration: '5s', target: 10 },
      { duration: '5s', target: 400 },
      { duration: '20s', target: 400 },
      { duration: '5s', target: 10 },
      { duration: '10s', target: 10 },
    ],
  },
  /** the expected load for a long time: 100 users for 30 minutes */
  soak: {
    model: 'closed',
    stages: [
      { duration: '1m', target: 100 },
      { duration: '29m', target: 100 },
    ],
  },
} as const satisfies Record<string, ClosedProfile>
