#!/usr/bin/env node
// `pairkit`: runs the CLI built into out/cli. When out/cli is missing or older than its
// sources it is built first, so `npx pairkit` works right after `npm ci` and after an edit.
import { ensureCliBuilt } from '../scripts/cli-build.js'

ensureCliBuilt()
await import('../out/cli/index.js')
