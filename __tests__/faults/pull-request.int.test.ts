// The pull request client against the GitHub stand-in, for the refusals GitHub really gives: a PR that exists
// already, PR creation not permitted, draft PRs not supported, labels refused, a base branch that is not there.
import { afterEach, describe, expect, it } from '@jest/globals'
import type { Logger } from '../../src/domain.js'
import { apiErrorMessage, createOctokit, createOrUpdatePullRequest, PullRequestNotPermittedError } from '../../src/publish/github.js'
import { startGitHubServer } from '../harness/github-server.mjs'

type GitHub = Awaited<ReturnType<typeof startGitHubServer>>
let github: GitHub | undefined
afterEach(async () => {
  await github?.close()
  github = undefined
})

const warnings: string[] = []
const log: Logger = { info: () => undefined, debug: () => undefined, warning: message => warnings.push(message) }
const request = {
  owner: 'octo',
  repo: 'project',
  head: 'pytest-fixer/main/abc',
  base: 'main',
  title: 'Fix it',
  body: 'Body',
  labels: ['pytest-fixer'],
  draft: false
}

async function client(options: Parameters<typeof startGitHubServer>[0] = {}) {
  warnings.length = 0
  github = await startGitHubServer(options)
  return createOctokit('ghs_token0123456789', github.apiUrl, log)
}

describe('a pull request that already exists is updated, not duplicated', () => {
  it('found by its head branch: updated with the new title and body', async () => {
    const octokit = await client({ pulls: [{ head: 'octo:pytest-fixer/main/abc', base: 'main', title: 'old', body: 'old' }] })
    const result = await createOrUpdatePullRequest(octokit, request, log)
    expect(result.operation).toBe('updated')
    expect(github?.state.pulls.map(pull => [pull.number, pull.title, pull.body])).toEqual([[1, 'Fix it', 'Body']])
  })

  it('missed by the lookup, then 422 "already exists" on create: found again and updated', async () => {
    const octokit = await client({ pulls: [{ head: 'octo:pytest-fixer/main/abc', base: 'main', title: 'old' }] })
    github?.inject({ method: 'GET', path: /\/pulls$/, status: 200, body: [], times: 1 })
    const result = await createOrUpdatePullRequest(octokit, request, log)
    expect(result).toMatchObject({ number: 1, operation: 'updated' })
    expect(github?.state.pulls).toHaveLength(1)
  })
})

describe('a pull request GitHub refuses', () => {
  it('403 "not permitted to create": a PullRequestNotPermittedError with GitHub\'s words', async () => {
    const octokit = await client({ forbidPullRequestCreation: true })
    const error = await createOrUpdatePullRequest(octokit, request, log).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(PullRequestNotPermittedError)
    expect((error as Error).message).toBe('GitHub Actions is not permitted to create or approve pull requests.')
  })

  it('draft requested where drafts are not supported: opened ready, with a warning naming the input', async () => {
    const octokit = await client()
    const unsupported = {
      message: 'Validation Failed',
      errors: [{ resource: 'PullRequest', code: 'custom', message: 'Draft pull requests are not supported in this repository.' }]
    }
    github?.inject({ method: 'POST', path: /\/pulls$/, status: 422, body: unsupported, times: 1 })
    const result = await createOrUpdatePullRequest(octokit, { ...request, draft: true }, log)
    expect(result.operation).toBe('created')
    expect(github?.state.pulls[0].draft).toBe(false)
    expect(warnings).toEqual([expect.stringContaining("opening a ready one instead (input 'draft')")])
  })

  it('a base branch GitHub does not have: the error says which field was wrong', async () => {
    const octokit = await client()
    github?.inject({
      method: 'POST',
      path: /\/pulls$/,
      status: 422,
      body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', field: 'base', code: 'invalid' }] }
    })
    const error = await createOrUpdatePullRequest(octokit, request, log).catch((caught: unknown) => caught)
    expect(apiErrorMessage(error)).toBe('Validation Failed base invalid')
  })

  it('labels refused: the PR stands, a warning says which labels', async () => {
    const octokit = await client()
    github?.inject({ method: 'POST', path: /\/labels$/, status: 403, body: { message: 'Resource not accessible by integration' } })
    const result = await createOrUpdatePullRequest(octokit, request, log)
    expect(result.operation).toBe('created')
    expect(warnings).toEqual([`Could not add labels pytest-fixer to #${result.number}: Resource not accessible by integration`])
  })
})

describe('a GitHub that stops answering', () => {
  // Each try is cut at the timeout; the retry plugin's backoff (1 + 4 + 9 s) bounds the whole at about 15 s here.
  it('gives up on a request after the timeout instead of waiting for the job to end', async () => {
    const { startGitHubServer } = await import('../harness/github-server.mjs')
    const server = await startGitHubServer()
    server.inject({ method: 'GET', path: /\/pulls$/, status: 200, body: [], delayMs: 5000 })
    const octokit = createOctokit('ghs_token0123456789', server.apiUrl, { info() {}, warning() {}, debug() {} }, 300)
    const started = Date.now()
    await expect(octokit.rest.pulls.list({ owner: 'octo', repo: 'project', state: 'open' })).rejects.toThrow() // (the message is realm-dependent under jest)
    expect(Date.now() - started).toBeLessThan(25_000)
    await server.close()
  }, 40_000)
})
