// The pull request: found by its head branch and updated, or created. The known refusals of the API are matched
// and turned into the right next step.
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Logger } from '../domain.js'

export type Octokit = ReturnType<typeof getOctokit>

/** Per GitHub request: a GitHub that stops answering must not hold the job until its own timeout. */
const REQUEST_TIMEOUT_MS = 60_000

export function createOctokit(token: string, apiUrl: string, log: Logger, timeoutMs = REQUEST_TIMEOUT_MS): Octokit {
  const octokit = getOctokit(
    token,
    {
      baseUrl: apiUrl,
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle: {
        onRateLimit: (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          log.warning(`GitHub rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`)
          return retryCount < 2
        },
        onSecondaryRateLimit: (_retryAfter: number, options: { method: string; url: string }) => {
          log.warning(`GitHub secondary rate limit on ${options.method} ${options.url}; not retrying`)
          return false
        }
      }
    },
    retry,
    throttling
  )
  octokit.hook.before('request', options => {
    options.request = { ...options.request, signal: AbortSignal.timeout(timeoutMs) }
  })
  return octokit
}

export interface PullRequestRequest {
  owner: string
  repo: string
  head: string
  base: string
  title: string
  body: string
  labels: string[]
  draft: boolean
}

export interface PullRequestResult {
  number: number
  url: string
  operation: 'created' | 'updated'
}

/** PR creation refused by the repository's settings: the branch is pushed, the PR is not. */
export class PullRequestNotPermittedError extends Error {}

const ALREADY_EXISTS = /A pull request already exists for/i
const NOT_PERMITTED = /not permitted to create or approve pull requests/i
const DRAFT_UNSUPPORTED = /draft pull requests are not supported/i
const BODY_LIMIT = 65_000 // GitHub refuses bodies over 65,536 characters

export async function createOrUpdatePullRequest(octokit: Octokit, request: PullRequestRequest, log: Logger): Promise<PullRequestResult> {
  const body = request.body.length > BODY_LIMIT ? `${request.body.slice(0, BODY_LIMIT)}\n\n… (truncated)` : request.body
  const existing = await findOpenPullRequest(octokit, request)
  let result: PullRequestResult
  if (existing !== undefined) {
    result = await updatePullRequest(octokit, request, existing, body)
  } else {
    try {
      result = await createPullRequest(octokit, request, body, log)
    } catch (error) {
      const message = apiErrorMessage(error)
      if (ALREADY_EXISTS.test(message)) {
        // Opened by a concurrent run between our lookup and our create: update it instead.
        const raced = await findOpenPullRequest(octokit, request)
        if (raced === undefined) throw error
        result = await updatePullRequest(octokit, request, raced, body)
      } else if (NOT_PERMITTED.test(message)) {
        throw new PullRequestNotPermittedError(message)
      } else {
        throw error
      }
    }
  }
  if (request.labels.length > 0) {
    try {
      await octokit.rest.issues.addLabels({ owner: request.owner, repo: request.repo, issue_number: result.number, labels: request.labels })
    } catch (error) {
      log.warning(`Could not add labels ${request.labels.join(', ')} to #${result.number}: ${apiErrorMessage(error)}`)
    }
  }
  return result
}

/**
 * Comments on the open pull request of `head`, unless a comment of it already holds `marker` (a re-run says a thing
 * once). null when there is no open pull request of that branch.
 */
export async function commentOnOpenPullRequest(
  octokit: Octokit,
  request: Pick<PullRequestRequest, 'owner' | 'repo' | 'head' | 'base'>,
  body: string,
  marker: string
): Promise<{ number: number; url: string } | null> {
  const number = await findOpenPullRequest(octokit, request)
  if (number === undefined) return null
  const { owner, repo } = request
  const url = `${(await octokit.rest.pulls.get({ owner, repo, pull_number: number })).data.html_url}`
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 })
  if (!comments.some(comment => comment.body?.includes(marker))) {
    const text = body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT)}\n\n… (truncated)` : body
    await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: text })
  }
  return { number, url }
}

async function createPullRequest(octokit: Octokit, request: PullRequestRequest, body: string, log: Logger): Promise<PullRequestResult> {
  const create = async (draft: boolean): Promise<PullRequestResult> => {
    const { data } = await octokit.rest.pulls.create({
      owner: request.owner,
      repo: request.repo,
      head: request.head,
      base: request.base,
      title: request.title,
      body,
      draft,
      maintainer_can_modify: true
    })
    return { number: data.number, url: data.html_url, operation: 'created' }
  }
  try {
    return await create(request.draft)
  } catch (error) {
    // Private repositories on some plans have no draft pull requests: a ready one is better than none.
    if (!request.draft || !DRAFT_UNSUPPORTED.test(apiErrorMessage(error))) throw error
    log.warning(`This repository does not support draft pull requests; opening a ready one instead (input 'draft').`)
    return create(false)
  }
}

async function findOpenPullRequest(
  octokit: Octokit,
  request: Pick<PullRequestRequest, 'owner' | 'repo' | 'head' | 'base'>
): Promise<number | undefined> {
  const { data } = await octokit.rest.pulls.list({
    owner: request.owner,
    repo: request.repo,
    head: `${request.owner}:${request.head}`,
    base: request.base,
    state: 'open'
  })
  return data[0]?.number
}

async function updatePullRequest(octokit: Octokit, request: PullRequestRequest, number: number, body: string): Promise<PullRequestResult> {
  const { data } = await octokit.rest.pulls.update({
    owner: request.owner,
    repo: request.repo,
    pull_number: number,
    title: request.title,
    body
  })
  return { number: data.number, url: data.html_url, operation: 'updated' }
}

/** The message GitHub gave, including the details of a 422: `errors[].message`, else which field was wrong. */
export function apiErrorMessage(error: unknown): string {
  type Detail = { message?: string; field?: string; code?: string }
  const response = (error as { response?: { data?: { message?: string; errors?: Detail[] } } }).response
  const details =
    response?.data?.errors
      ?.map(item => item.message ?? (item.field ? `${item.field} ${item.code ?? 'invalid'}` : undefined))
      .filter(Boolean) ?? []
  const main = response?.data?.message ?? (error instanceof Error ? error.message : String(error))
  return [main, ...details].join(' ')
}
