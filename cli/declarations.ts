// What the checks and scenarios declare, handed to core (which never imports them): settings
// schemas and figure names, validated with the config before the first request.

import { CHECKS } from '../checks/index.js'
import type { Declarations } from '../core/check.js'
import { SCENARIO_FIGURES } from '../scenarios/figure-names.js'

export const DECLARATIONS: Declarations = { checks: CHECKS, scenarioFigures: SCENARIO_FIGURES }
