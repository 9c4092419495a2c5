// Every check golive knows, by id (each id equals its file name). Later issues add
// backup-restore, failover, rolling-restart, alerts, monitoring and page-load.

import type { Check } from '../core/check.js'
import { alerts } from './alerts.js'
import { backupRestore } from './backup-restore.js'
import { failover } from './failover.js'
import { findings } from './findings.js'
import { headers } from './headers.js'
import { monitoring } from './monitoring.js'
import { pageLoad } from './page-load.js'
import { rateLimit } from './rate-limit.js'
import { rollingRestart } from './rolling-restart.js'
import { tls } from './tls.js'

export const CHECKS: Check[] = [tls, headers, rateLimit, findings, backupRestore, failover, rollingRestart, alerts, monitoring, pageLoad]
