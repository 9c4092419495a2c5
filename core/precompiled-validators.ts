// The config and scenario validators as standalone code. In the sources they are absent (the
// schemas are compiled on first use); scripts/build.mjs replaces this module in dist/ with the
// code ajv generates from core/ajv-setup.ts, so `golive` starts without compiling a schema.

import type { ValidateFunction } from 'ajv'

export const precompiled: { config?: ValidateFunction; scenario?: ValidateFunction } = {}
