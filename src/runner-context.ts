// What the runner tells the action through its environment, read once at run time (not at import time).
import * as fs from 'node:fs'
import * as os from 'node:os'

export interface RunnerContext {
  workspace: string
  tempDir: string
  repository: { owner: string; repo: string }
  serverUrl: string
  apiUrl: string
  runId: string
  runAttempt: string
  eventName: string
  /** the branch that failed: the PR's head branch on pull_request events, else the pushed branch */
  refBranch: string | null
  /** set when the failing run is a pull request from another repository */
  forkRepository: string | null
  runUrl: string | null
}

export function readRunnerContext(env: NodeJS.ProcessEnv): RunnerContext {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '')
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const event = readEvent(env.GITHUB_EVENT_PATH)
  const isPullRequest = eventName === 'pull_request' || eventName === 'pull_request_target'
  let refBranch: string | null = null
  if (isPullRequest && env.GITHUB_HEAD_REF) refBranch = env.GITHUB_HEAD_REF
  else if ((env.GITHUB_REF ?? '').startsWith('refs/heads/')) refBranch = (env.GITHUB_REF ?? '').slice('refs/heads/'.length)
  const headRepo = (event as { pull_request?: { head?: { repo?: { full_name?: string } } } }).pull_request?.head?.repo?.full_name
  const runId = env.GITHUB_RUN_ID ?? ''
  const runAttempt = env.GITHUB_RUN_ATTEMPT ?? '1'
  return {
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    tempDir: env.RUNNER_TEMP ?? os.tmpdir(),
    repository: { owner, repo },
    serverUrl,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    runId,
    runAttempt,
    eventName,
    refBranch,
    forkRepository: isPullRequest && headRepo !== undefined && headRepo !== env.GITHUB_REPOSITORY ? headRepo : null,
    runUrl: owner !== '' && runId !== '' ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}/attempts/${runAttempt}` : null
  }
}

function readEvent(eventPath: string | undefined): unknown {
  if (!eventPath) return {}
  try {
    return JSON.parse(fs.readFileSync(eventPath, 'utf8')) as unknown
  } catch {
    return {}
  }
}
