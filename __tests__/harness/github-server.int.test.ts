// The GitHub stand-in must answer the real octokit client the way GitHub does, or the publish tests prove
// nothing. Every call here goes through @actions/github's octokit over loopback HTTP.
import { describe, it, expect, afterEach } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { startGitHubServer } from './github-server.mjs'
import { createProjectRepo } from './git-repo.mjs'

type Server = Awaited<ReturnType<typeof startGitHubServer>>
const owner = 'octo'
const repo = 'project'
let servers: Server[] = []
const cleanups: (() => void)[] = []

async function start(options: Parameters<typeof startGitHubServer>[0] = {}): Promise<Server> {
  const server = await startGitHubServer(options)
  servers.push(server)
  return server
}

const client = (server: Server, token = 'ghs_test') => getOctokit(token, { baseUrl: server.apiUrl })

interface GitHubError {
  message: string
  errors: { resource?: string; field?: string; code?: string; message?: string }[]
}

/** The status and GitHub message of a rejected octokit call. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; data: GitHubError }> {
  try {
    await call
  } catch (error) {
    const failed = error as { status: number; response: { data: GitHubError } }
    return { status: failed.status, data: failed.response.data }
  }
  throw new Error('the call succeeded')
}

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
  for (const cleanup of cleanups.splice(0)) cleanup()
})

describe('creating and updating a pull request the way octokit calls it', () => {
  it('reports the repository, creates the pull request and finds it by owner:branch', async () => {
    const server = await start({ defaultBranch: 'trunk' })
    const octokit = client(server)

    const { data: repository } = await octokit.rest.repos.get({ owner, repo })
    expect(repository.default_branch).toBe('trunk')
    expect(repository.permissions?.push).toBe(true)

    const created = await octokit.rest.pulls.create({ owner, repo, head: 'pytest-fixer/trunk/abc', base: 'trunk', title: 'Fix', body: 'why', draft: true })
    expect(created.status).toBe(201)
    expect(created.data).toMatchObject({
      number: 1,
      state: 'open',
      draft: true,
      html_url: 'http://github.local/octo/project/pull/1',
      head: { ref: 'pytest-fixer/trunk/abc', label: 'octo:pytest-fixer/trunk/abc' },
      base: { ref: 'trunk' }
    })

    const found = await octokit.rest.pulls.list({ owner, repo, state: 'open', head: 'octo:pytest-fixer/trunk/abc', base: 'trunk' })
    expect(found.data.map((p) => p.number)).toEqual([1])
    const other = await octokit.rest.pulls.list({ owner, repo, head: 'octo:another-branch' })
    expect(other.data).toEqual([])
  })

  it('ignores a head filter without the owner, as GitHub does', async () => {
    const server = await start({ pulls: [{ head: 'a' }, { head: 'b' }] })
    const { data } = await client(server).rest.pulls.list({ owner, repo, head: 'a' })
    expect(data.map((p) => p.head.ref).sort()).toEqual(['a', 'b'])
  })

  it('updates title, body and state, adds labels, reviewers and comments', async () => {
    const server = await start({ pulls: [{ head: 'fix', title: 'old', labels: ['bug'] }] })
    const octokit = client(server)

    const updated = await octokit.rest.pulls.update({ owner, repo, pull_number: 1, title: 'new', body: 'details' })
    expect(updated.data).toMatchObject({ title: 'new', body: 'details' })
    const labels = await octokit.rest.issues.addLabels({ owner, repo, issue_number: 1, labels: ['pytest-fixer', 'bug'] })
    expect(labels.data.map((l) => l.name)).toEqual(['bug', 'pytest-fixer'])
    await octokit.rest.pulls.requestReviewers({ owner, repo, pull_number: 1, reviewers: ['ada'] })
    const comment = await octokit.rest.issues.createComment({ owner, repo, issue_number: 1, body: 'Updated the fix.' })
    expect(comment.status).toBe(201)
    const comments = await octokit.rest.issues.listComments({ owner, repo, issue_number: 1 })
    expect(comments.data.map((c) => c.body)).toEqual(['Updated the fix.'])
    await octokit.rest.issues.update({ owner, repo, issue_number: 1, labels: ['only-this'] })
    await octokit.rest.pulls.update({ owner, repo, pull_number: 1, state: 'closed' })

    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: 1 })
    expect(pull).toMatchObject({ state: 'closed', title: 'new', labels: [{ name: 'only-this' }] })
    expect(pull.requested_reviewers?.map((u) => u.login)).toEqual(['ada'])
    expect(server.state.pulls).toHaveLength(1)
  })

  it('pages the pull request list with a Link header that octokit follows', async () => {
    const pulls = Array.from({ length: 5 }, (_, i) => ({ head: `branch-${i}` }))
    const server = await start({ pulls })
    const all = await client(server).paginate(client(server).rest.pulls.list, { owner, repo, per_page: 2 })
    expect(all.map((p) => p.number).sort()).toEqual([1, 2, 3, 4, 5])
    expect(server.requests.filter((r) => r.path.endsWith('/pulls'))).toHaveLength(3)
  })
})

describe('the refusals GitHub gives', () => {
  it('answers 422 "A pull request already exists" for a second open pull request of the same head', async () => {
    const server = await start({ pulls: [{ head: 'pytest-fixer/main/abc', base: 'main' }] })
    const { status, data } = await refusal(client(server).rest.pulls.create({ owner, repo, head: 'pytest-fixer/main/abc', base: 'main', title: 'again' }))
    expect(status).toBe(422)
    expect(data.message).toBe('Validation Failed')
    expect(data.errors[0].message).toBe('A pull request already exists for octo:pytest-fixer/main/abc.')
  })

  it('answers 403 when Actions may not create pull requests', async () => {
    const server = await start({ forbidPullRequestCreation: true })
    const { status, data } = await refusal(client(server).rest.pulls.create({ owner, repo, head: 'x', base: 'main', title: 't' }))
    expect(status).toBe(403)
    expect(data.message).toBe('GitHub Actions is not permitted to create or approve pull requests.')
    expect(server.state.pulls).toEqual([])
  })

  it('answers 401 to a write without Authorization and to a wrong token', async () => {
    const server = await start({ token: 'ghs_right' })
    const anonymous = await fetch(`${server.apiUrl}/repos/${owner}/${repo}/pulls`, {
      method: 'POST',
      body: JSON.stringify({ head: 'x', base: 'main', title: 't' })
    })
    expect(anonymous.status).toBe(401)
    const wrong = await refusal(client(server, 'ghs_wrong').rest.pulls.create({ owner, repo, head: 'x', base: 'main', title: 't' }))
    expect(wrong).toMatchObject({ status: 401, data: { message: 'Bad credentials' } })
    const right = await client(server, 'ghs_right').rest.pulls.create({ owner, repo, head: 'x', base: 'main', title: 't' })
    expect(right.status).toBe(201)
  })

  it('answers 404 JSON to a route it does not know, and records it', async () => {
    const server = await start()
    const { status, data } = await refusal(client(server).request('GET /repos/{owner}/{repo}/actions/runs', { owner, repo }))
    expect(status).toBe(404)
    expect(data.message).toBe('Not Found')
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/repos/octo/project/actions/runs', status: 404 })
  })

  it('checks head and base against a real origin repository', async () => {
    const project = await createProjectRepo('inpackage')
    cleanups.push(project.cleanup)
    project.git(['push', '-q', 'origin', 'main:pytest-fixer/main/same'])
    const server = await start({ originDir: project.originDir })
    const octokit = client(server)

    const missing = await refusal(octokit.rest.pulls.create({ owner, repo, head: 'no-such-branch', base: 'main', title: 't' }))
    expect(missing.status).toBe(422)
    expect(missing.data.errors).toEqual([{ resource: 'PullRequest', field: 'head', code: 'invalid' }])
    const empty = await refusal(octokit.rest.pulls.create({ owner, repo, head: 'pytest-fixer/main/same', base: 'main', title: 't' }))
    expect(empty.data.errors[0].message).toBe('No commits between main and pytest-fixer/main/same')

    project.git(['commit', '-q', '--allow-empty', '-m', 'fix'])
    project.git(['push', '-q', 'origin', 'HEAD:pytest-fixer/main/new'])
    const created = await octokit.rest.pulls.create({ owner, repo, head: 'pytest-fixer/main/new', base: 'main', title: 't' })
    expect(created.data.head.sha).toBe(project.git(['rev-parse', 'HEAD']).trim())
  })
})

describe('injected faults and the request log', () => {
  it('fails matching requests the given number of times, then answers normally', async () => {
    const server = await start()
    const fault = server.inject({ method: 'POST', path: /\/pulls$/, status: 502, body: { message: 'Bad gateway' }, times: 1 })
    const first = await refusal(client(server).rest.pulls.create({ owner, repo, head: 'x', base: 'main', title: 't' }))
    expect(first).toMatchObject({ status: 502, data: { message: 'Bad gateway' } })
    const second = await client(server).rest.pulls.create({ owner, repo, head: 'x', base: 'main', title: 't' })
    expect(second.status).toBe(201)
    expect(fault.hits).toBe(1)
    await client(server).rest.repos.get({ owner, repo })
    expect(fault.hits).toBe(1)
  })

  it('records method, path, query, headers and body of every request', async () => {
    const server = await start()
    await client(server, 'ghs_secret').rest.pulls.list({ owner, repo, head: 'octo:b', state: 'all' })
    await client(server, 'ghs_secret').rest.pulls.create({ owner, repo, head: 'b', base: 'main', title: 'Fix it' })
    expect(server.requests).toHaveLength(2)
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/repos/octo/project/pulls', query: { head: 'octo:b', state: 'all' } })
    expect(server.requests[1]).toMatchObject({ method: 'POST', body: { head: 'b', base: 'main', title: 'Fix it' }, status: 201 })
    expect(server.requests[1].headers.authorization).toBe('token ghs_secret')
  })
})
