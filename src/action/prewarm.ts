// Before the bulk of the action loads (about 0.1 s of parsing), the warm pytest its test runs will use starts
// importing pytest on the other core (src/verify/warm-pytest.ts). The inputs are read as the action reads them
// (readSettings, with the runner's INPUT_ variables); inputs it refuses start nothing, and the run says why. A
// guess only: when the run ends up with another command, directory or environment (a trigger's), the runner
// starts the server it needs and this one ends with the run, unused.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { readSettings } from '../inputs.js'
import { environmentForTests } from '../redact.js'
import { prewarmPytest } from '../verify/warm-pytest.js'

export function prewarmForAction(env: NodeJS.ProcessEnv): void {
  try {
    // the runner's naming of inputs, as @actions/core's getInput reads them
    const settings = readSettings(name => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim())
    if (!settings.warmPytest) return
    const workDir = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), settings.workingDirectory)
    if (!fs.statSync(workDir).isDirectory()) return
    prewarmPytest(settings.testCommand, workDir, environmentForTests(env))
  } catch {
    // no guess to make: the runner starts the server when it needs it
  }
}
