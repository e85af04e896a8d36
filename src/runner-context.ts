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
  /** the branch that failed: the PR's head branch on pull_request events, the failed run's head branch on
   *  workflow_run events, else the pushed branch */
  refBranch: string | null
  /** set when the failing code comes from another repository (a pull request from a fork) */
  forkRepository: string | null
  runUrl: string | null
  /** on pull_request events: the pull request's head, which a fix is built on (the checkout is a merge commit) */
  pullRequest: PullRequestHead | null
  /** where the change under test starts, as the event tells it */
  changeBase: { base: string; why: string }
}

export interface PullRequestHead {
  number: number | null
  /** the head commit: what the pull request's branch holds */
  headSha: string
  /** the head branch; fix PRs go against it */
  headRef: string
}

export function readRunnerContext(env: NodeJS.ProcessEnv): RunnerContext {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '')
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const event = readEvent(env.GITHUB_EVENT_PATH)
  const isPullRequest = eventName === 'pull_request' || eventName === 'pull_request_target'
  // A workflow_run workflow fixes another run: its branch, its repository and its page are the ones that count.
  const failedRun = eventName === 'workflow_run' ? event.workflow_run : undefined
  let refBranch: string | null = null
  if (isPullRequest && env.GITHUB_HEAD_REF) refBranch = env.GITHUB_HEAD_REF
  else if (failedRun?.head_branch) refBranch = failedRun.head_branch
  else if ((env.GITHUB_REF ?? '').startsWith('refs/heads/')) refBranch = (env.GITHUB_REF ?? '').slice('refs/heads/'.length)
  const headRepo = isPullRequest ? event.pull_request?.head?.repo?.full_name : failedRun?.head_repository?.full_name
  const runId = env.GITHUB_RUN_ID ?? ''
  const runAttempt = env.GITHUB_RUN_ATTEMPT ?? '1'
  const ownRunUrl = owner !== '' && runId !== '' ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}/attempts/${runAttempt}` : null
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
    // repository names are case-insensitive on GitHub
    forkRepository: headRepo !== undefined && headRepo.toLowerCase() !== (env.GITHUB_REPOSITORY ?? '').toLowerCase() ? headRepo : null,
    runUrl: failedRun?.html_url ?? ownRunUrl,
    pullRequest: isPullRequest ? pullRequestHead(event, env.GITHUB_HEAD_REF) : null,
    changeBase: changeBaseOf(eventName, event)
  }
}

const isSha = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{40}$/i.test(value) && !/^0+$/.test(value)
const short = (sha: string): string => sha.slice(0, 7)

/** push: before..after; pull_request: the base the pull request goes into; else (and a new branch) HEAD's parent. */
function changeBaseOf(eventName: string, event: EventPayload): { base: string; why: string } {
  if (eventName === 'push' && isSha(event.before)) {
    return { base: event.before.toLowerCase(), why: `push ${short(event.before)}..${isSha(event.after) ? short(event.after) : 'HEAD'}` }
  }
  const base = event.pull_request?.base?.sha
  if ((eventName === 'pull_request' || eventName === 'pull_request_target') && isSha(base)) {
    const number = typeof event.pull_request?.number === 'number' ? ` #${event.pull_request.number}` : ''
    return { base: base.toLowerCase(), why: `pull request${number} (from its base ${short(base)})` }
  }
  return { base: 'parent', why: 'the last commit (from the parent of HEAD)' }
}

/** The parts of the webhook payload read here. */
interface EventPayload {
  before?: string
  after?: string
  pull_request?: { number?: number; head?: { sha?: string; ref?: string; repo?: { full_name?: string } }; base?: { sha?: string } }
  workflow_run?: { head_branch?: string; head_repository?: { full_name?: string }; html_url?: string }
}

/**
 * The notice for a run on a pull request from a fork with no api-key: GitHub gives such workflows no secrets, so
 * this is no mistake of the user's inputs but of where the step runs. null otherwise.
 */
export function forkWithoutSecrets(context: RunnerContext, apiKey: string): string | null {
  if (context.forkRepository === null || apiKey.trim() !== '') return null
  return (
    `pytest-fixer skipped: this pull request comes from the fork ${context.forkRepository}, and GitHub gives workflows of pull ` +
    "requests from forks no secrets, so 'api-key' is empty. Nothing was changed. To skip the step on such pull requests, " +
    'guard it with `if: failure() && github.event.pull_request.head.repo.full_name == github.repository`.'
  )
}

function pullRequestHead(event: EventPayload, headRefEnv: string | undefined): PullRequestHead | null {
  const head = event.pull_request?.head
  const headRef = head?.ref ?? headRefEnv ?? ''
  if (typeof head?.sha !== 'string' || !/^[0-9a-f]{40}$/i.test(head.sha) || headRef === '') return null
  return {
    number: typeof event.pull_request?.number === 'number' ? event.pull_request.number : null,
    headSha: head.sha.toLowerCase(),
    headRef
  }
}

function readEvent(eventPath: string | undefined): EventPayload {
  if (!eventPath) return {}
  try {
    const parsed = JSON.parse(fs.readFileSync(eventPath, 'utf8')) as unknown
    return typeof parsed === 'object' && parsed !== null ? parsed : {}
  } catch {
    return {}
  }
}
