// Set-up of the trigger recipes end to end: a fixture project with a committed bug pushed to a bare origin, the
// failing run's real JUnit report and console log (pytest run here), the model and GitHub stand-ins, and the
// bundled action run the way the runner runs it for workflow_run, workflow_dispatch and issue_comment.
import { execFileSync, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { startGitHubServer } from '../harness/github-server.mjs'
import { createProjectRepo, injectBug, snapshotTracked, trackedStatus } from '../harness/git-repo.mjs'
import { startOpenAIServer, type OpenAIServerOptions } from '../harness/openai-server.mjs'
import { runAction } from '../harness/run-action.mjs'
import type { Bug } from '../e2e/scenario.js'

export { bug, correctAnswer, uselessAnswer } from '../e2e/scenario.js'

export const token = 'ghs_testtoken0123456789abcdefABCDEF0123'
type ServerOptions = NonNullable<Parameters<typeof startGitHubServer>[0]>

export interface TriggerScenarioOptions {
  alsoInject?: Bug[]
  github?: ServerOptions
}

export async function setUpTriggers(item: Bug, script: OpenAIServerOptions['script'], options: TriggerScenarioOptions = {}) {
  const model = await startOpenAIServer({ script })
  const project = await createProjectRepo(item.project, {
    mutate: (dir: string) => {
      for (const bug of [item, ...(options.alsoInject ?? [])]) injectBug(dir, bug)
    }
  })
  const github = await startGitHubServer({ originDir: project.originDir, ...options.github })
  const before = await snapshotTracked(project.dir)
  const statusBefore = await trackedStatus(project.dir)
  const headSha = project.git(['rev-parse', 'HEAD']).trim()
  const runs: Array<{ cleanup: () => void }> = []

  return {
    model,
    github,
    project,
    headSha,
    /** pytest on the project as the failing CI job ran it: its JUnit XML and its console log, timestamped like GitHub's */
    failingRun() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pytest-fixer-ci-'))
      const xml = path.join(dir, 'pytest-results.xml')
      const run = spawnSync('python3', ['-m', 'pytest', `--junitxml=${xml}`, '-p', 'no:cacheprovider'], {
        cwd: project.dir,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' },
        encoding: 'utf8'
      })
      const junit = fs.readFileSync(xml, 'utf8')
      fs.rmSync(dir, { recursive: true, force: true })
      const stamp = '2026-12-02T10:00:00.0000000Z'
      const log = [
        '##[group]Run python -m pytest --junitxml=pytest-results.xml',
        '##[endgroup]',
        ...run.stdout.split('\n'),
        '##[error]Process completed with exit code 1.'
      ]
        .map(line => `${stamp} ${line}`)
        .join('\n')
      return { junit, log, console: run.stdout }
    },
    async run(eventName: string, event: Record<string, unknown>, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
      const result = await runAction({
        workspace: project.dir,
        eventName,
        event,
        inputs: {
          'api-key': 'sk-test-key-0123456789abcdef',
          'base-url': model.baseUrl,
          model: 'stand-in-model',
          cache: 'false',
          ...inputs
        },
        env: { GITHUB_API_URL: github.apiUrl, GITHUB_TOKEN: token, PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1', ...env },
        timeoutMs: 180_000
      })
      runs.push(result)
      return result
    },
    /** the tracked files and the status as before the first run */
    async treeUnchanged(): Promise<boolean> {
      const now = await snapshotTracked(project.dir)
      return JSON.stringify(now) === JSON.stringify(before) && (await trackedStatus(project.dir)) === statusBefore
    },
    currentBranch: () => project.git(['symbolic-ref', '--short', 'HEAD']).trim(),
    remoteSha: (branch: string) =>
      execFileSync('git', ['rev-parse', `refs/heads/${branch}`], { cwd: project.originDir, encoding: 'utf8' }).trim(),
    remoteBranches: () =>
      execFileSync('git', ['for-each-ref', '--format=%(refname:short)', 'refs/heads'], { cwd: project.originDir, encoding: 'utf8' })
        .trim()
        .split('\n'),
    async close() {
      await model.close()
      await github.close()
      project.cleanup()
      for (const result of runs) result.cleanup()
    }
  }
}

export type TriggerScenario = Awaited<ReturnType<typeof setUpTriggers>>

/** The workflow_run payload of a failed run of workflow 'tests'. */
export function workflowRunEvent(run: { id: number; headSha: string; headBranch?: string; headRepository?: string }) {
  return {
    action: 'completed',
    workflow_run: {
      id: run.id,
      name: 'tests',
      head_sha: run.headSha,
      head_branch: run.headBranch ?? 'main',
      head_repository: { full_name: run.headRepository ?? 'octo/project' },
      html_url: `http://github.local/octo/project/actions/runs/${run.id}`,
      conclusion: 'failure'
    }
  }
}

/** The issue_comment payload of a comment the stand-in holds. */
export function commentEvent(
  comment: { id: number; body: string; user: { login: string }; html_url: string },
  number: number,
  onPullRequest = true
) {
  return {
    action: 'created',
    comment: { id: comment.id, body: comment.body, user: comment.user, html_url: comment.html_url },
    issue: { number, ...(onPullRequest ? { pull_request: { url: `http://127.0.0.1/repos/octo/project/pulls/${number}` } } : {}) }
  }
}

/** The notices the action printed (`::notice::`). */
export function notices(result: { commands: Array<{ command: string; message: string }> }): string[] {
  return result.commands.filter(command => command.command === 'notice').map(command => command.message)
}
