#!/usr/bin/env node
// The `pytest-fixer` command (package.json bin, bundled to dist/cli/index.js).
import { main } from './main.js'

const code = await main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  stdinIsTTY: process.stdin.isTTY === true,
  exit: code => process.exit(code)
})
process.exitCode = code
