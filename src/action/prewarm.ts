// Before the bulk of the action loads (about 0.1 s of parsing), the warm pytest its test runs will use starts
// importing pytest on the other core (src/verify/warm-pytest.ts). It reads the inputs as the runner passes them,
// with the defaults the inputs module uses. A guess only: when the run ends up with another command, directory or
// environment, the runner starts the server it needs and this one ends with the run, unused.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Inputs } from '../constants.js'
import { Defaults } from '../inputs.js'
import { environmentForTests } from '../redact.js'
import { prewarmPytest } from '../verify/warm-pytest.js'

export function prewarmForAction(env: NodeJS.ProcessEnv): void {
  const input = (name: string): string => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
  try {
    if (input(Inputs.WarmPytest).toLowerCase() === 'false') return
    const workDir = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), input(Inputs.WorkingDirectory) || Defaults.workingDirectory)
    if (!fs.statSync(workDir).isDirectory()) return
    prewarmPytest(input(Inputs.TestCommand) || Defaults.testCommand, workDir, environmentForTests(env))
  } catch {
    // a guess that cannot be made: the runner starts the server when it needs it
  }
}
