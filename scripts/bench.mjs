#!/usr/bin/env node
// npm run bench: speed and memory figures, printed (never asserted in tests).
// Compiles src/ into lib/ first (package.json does), then runs each bench in its own process.
import { spawnSync } from 'node:child_process'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
let failed = false
for (const bench of ['bench-junit.mjs', 'bench-context.mjs', 'bench-tolerance.mjs', 'bench-speed.mjs']) {
  console.log(`\n=== ${bench}`)
  const result = spawnSync(process.execPath, [path.join(here, bench), ...args], { stdio: 'inherit' })
  if (result.status !== 0) failed = true
}
process.exit(failed ? 1 : 0)
