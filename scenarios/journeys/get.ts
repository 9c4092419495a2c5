import type { Scenario } from '../dsl.js'

/** `--target URL` with no scenario: users GET that URL, so any service can be tried at once. */
export function getJourney(path: string, vus = 10, duration = '30s'): Scenario {
  return {
    name: 'get',
    description: `GET ${path} in a loop`,
    profile: { model: 'closed', vus, duration },
    steps: [{ name: 'get', method: 'GET', path }],
  }
}
