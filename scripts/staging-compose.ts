#!/usr/bin/env node
// Writes docker-compose.staging.yml and staging/compose/ from the component table and the config
// templates (npm run staging:compose). A unit test fails when the committed files are stale.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { COMPOSE_CONFIG_DIR, COMPOSE_FILE, composeConfigs, composeYaml } from '../staging/compose-form.js'
import { packageRoot } from '../core/package-root.js'

const root = packageRoot()
mkdirSync(join(root, COMPOSE_CONFIG_DIR), { recursive: true })
for (const [file, text] of Object.entries(composeConfigs(join(root, 'staging', 'templates')))) writeFileSync(join(root, COMPOSE_CONFIG_DIR, file), text)
writeFileSync(join(root, COMPOSE_FILE), composeYaml())
console.error(`wrote ${COMPOSE_FILE} and ${COMPOSE_CONFIG_DIR}/`)
