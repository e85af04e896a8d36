// Set-up of the fault-injection scenarios: a fixture project with a committed bug, a bare origin, the model and
// GitHub stand-ins with faults, secrets planted in the environment, and the bundled action run like the runner
// runs it. Each scenario then checks what a user relies on: outputs, one clear message, the tree as before, and
// no secret anywhere the action writes or sends.
import { expect } from '@jest/globals'
import * as fs from 'node:fs'
import { startGitHubServer } from '../harness/github-server.mjs'
import { createProjectRepo, injectBug, runGitSync, snapshotTracked, trackedStatus } from '../harness/git-repo.mjs'
import { startOpenAIServer, type OpenAIServerOptions } from '../harness/openai-server.mjs'
import { runAction } from '../harness/run-action.mjs'
import type { Bug } from '../e2e/scenario.js'

export { bug, bugRegion, correctAnswer, uselessAnswer } from '../e2e/scenario.js'

/** Secrets every scenario plants: the action's own inputs, and env vars named like secrets that tests can read. */
export const secrets = {
  apiKey: 'sk-test-key-0123456789abcdef',
  githubToken: 'ghs_testtoken0123456789abcdefABCDEF0123',
  serviceToken: 'svc-7f3a9c2e5b1d4a68e0',
  dbPassword: 'hunter2-Correct-Horse-42'
}

type GitHubOptions = NonNullable<Parameters<typeof startGitHubServer>[0]>
type RunOptions = Parameters<typeof runAction>[0]
export type ActionRun = Awaited<ReturnType<typeof runAction>>

export interface FaultOptions {
  branch?: string
  /** runs after the bug is injected, before the "inject bug" commit (add files, links, ...) */
  mutate?: (dir: string) => void
  github?: GitHubOptions
  /** the model stand-in's script */
  script: OpenAIServerOptions['script']
}

export type FaultScenario = Awaited<ReturnType<typeof setUpFault>>

export async function setUpFault(item: Bug, options: FaultOptions) {
  const model = await startOpenAIServer({ script: options.script })
  const project = await createProjectRepo(item.project, {
    branch: options.branch ?? 'main',
    mutate: (dir: string) => {
      injectBug(dir, item)
      options.mutate?.(dir)
    }
  })
  const github = await startGitHubServer({ originDir: project.originDir, ...options.github })
  const before = await snapshotTracked(project.dir)
  const statusBefore = await trackedStatus(project.dir)
  const runs: ActionRun[] = []
  return {
    model,
    github,
    project,
    runs,
    async run(
      inputs: Record<string, string> = {},
      env: Record<string, string> = {},
      more: Pick<RunOptions, 'onOutput' | 'event' | 'eventName'> = {}
    ): Promise<ActionRun> {
      const result = await runAction({
        workspace: project.dir,
        inputs: {
          'api-key': secrets.apiKey,
          'base-url': model.baseUrl,
          model: 'stand-in-model',
          cache: 'false',
          'flaky-reruns': '0',
          ...inputs
        },
        env: {
          GITHUB_API_URL: github.apiUrl,
          GITHUB_TOKEN: secrets.githubToken,
          MY_SERVICE_TOKEN: secrets.serviceToken,
          DB_PASSWORD: secrets.dbPassword,
          // the hypothesis plugin adds about a second to every pytest start here; the fixtures don't use it
          PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1',
          ...env
        },
        timeoutMs: 120_000,
        ...more
      })
      runs.push(result)
      return result
    },
    /** Every tracked file byte for byte as before the run, and nothing new, deleted or staged. */
    async treeUnchanged(): Promise<boolean> {
      const now = await snapshotTracked(project.dir)
      return JSON.stringify(now) === JSON.stringify(before) && (await trackedStatus(project.dir)) === statusBefore
    },
    /** Branches on origin other than the one that failed. */
    pushedBranches(): string[] {
      return runGitSync(project.originDir, ['for-each-ref', '--format=%(refname:short)', 'refs/heads'])
        .split('\n')
        .filter(name => name !== '' && name !== (options.branch ?? 'main'))
    },
    async close() {
      await model.close()
      await github.close()
      project.cleanup()
      for (const result of runs) result.cleanup()
    }
  }
}

/** The JSON report the run wrote (output `report`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function reportOf(result: ActionRun): Record<string, any> {
  expect(result.outputs.report).toBeTruthy()
  return JSON.parse(fs.readFileSync(result.outputs.report, 'utf8'))
}

/** The `::error::` messages of the run, each as the user reads it (not the annotations at a failing test's file). */
export function errorsOf(result: ActionRun): string[] {
  return result.commands
    .filter(command => command.command === 'error' && command.properties.file === undefined)
    .map(command => command.message)
}

/** The run failed the step with exactly one error message, on one line, matching every pattern. */
export function expectOneClearError(result: ActionRun, ...patterns: RegExp[]): string {
  expect(result.exitCode).not.toBe(0)
  const errors = errorsOf(result)
  expect(errors).toHaveLength(1)
  expect(errors[0]).not.toContain('\n')
  expect(errors[0]).not.toMatch(/Unexpected error/) // a stack trace is no message for a user
  for (const pattern of patterns) expect(errors[0]).toMatch(pattern)
  return errors[0]
}

/**
 * No planted secret in anything the runs wrote or sent: stdout, stderr, the job summary, the report, the
 * outputs, what the model was asked, the PR titles and bodies (every request body GitHub got), and the commit
 * messages and files pushed to origin. Extra values (e.g. a token a test printed) are checked too.
 */
export function expectNoSecrets(scenario: FaultScenario, extra: string[] = []): void {
  const values = [...Object.values(secrets), ...extra]
  const places: Record<string, string> = {
    'model requests': JSON.stringify(scenario.model.requests.map(request => request.body)),
    'GitHub request bodies': JSON.stringify(scenario.github.requests.map(request => request.body)),
    'pull requests': JSON.stringify(scenario.github.state.pulls.map(pull => [pull.title, pull.body])),
    'commits on origin': runGitSync(scenario.project.originDir, ['log', '--all', '-p', '--format=%B'])
  }
  scenario.runs.forEach((result, index) => {
    // `::add-mask::` hands the secrets to the runner, which masks them in the log: the one place they belong
    places[`stdout of run ${index + 1}`] = result.stdout
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n')
    places[`stderr of run ${index + 1}`] = result.stderr
    places[`summary of run ${index + 1}`] = result.summary
    places[`outputs of run ${index + 1}`] = JSON.stringify(result.outputs)
    if (result.outputs.report && fs.existsSync(result.outputs.report))
      places[`report of run ${index + 1}`] = fs.readFileSync(result.outputs.report, 'utf8')
  })
  const leaks: string[] = []
  for (const [place, text] of Object.entries(places)) {
    for (const value of values) if (text.includes(value)) leaks.push(`${place} holds ${value.slice(0, 6)}…`)
  }
  expect(leaks).toEqual([])
}
