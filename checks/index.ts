// Every check golive knows, by id (each id equals its file name). Later issues add tls,
// headers, rate-limit, backup-restore, failover, alerts, monitoring and page-load.

import type { Check } from '../core/check.js'
import { findings } from './findings.js'
import { rateLimit } from './rate-limit.js'

export const CHECKS: Check[] = [rateLimit, findings]
