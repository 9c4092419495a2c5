// 'golive' as a scenario file bundled into a k6 script sees it: the scenario DSL only (the public
// entry, index.ts, also exports config code that needs Node.js).

export { defineScenario } from '../../dsl.js'
export { profiles } from '../../profiles.js'
