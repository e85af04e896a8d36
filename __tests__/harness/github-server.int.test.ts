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
  await Promise.all(servers.map(s => s.close()))
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

    const created = await octokit.rest.pulls.create({
      owner,
      repo,
      head: 'pytest-fixer/trunk/abc',
      base: 'trunk',
      title: 'Fix',
      body: 'why',
      draft: true
    })
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
    expect(found.data.map(p => p.number)).toEqual([1])
    const other = await octokit.rest.pulls.list({ owner, repo, head: 'octo:another-branch' })
    expect(other.data).toEqual([])
  })

  it('ignores a head filter without the owner, as GitHub does', async () => {
    const server = await start({ pulls: [{ head: 'a' }, { head: 'b' }] })
    const { data } = await client(server).rest.pulls.list({ owner, repo, head: 'a' })
    expect(data.map(p => p.head.ref).sort()).toEqual(['a', 'b'])
  })

  it('updates title, body and state, adds labels, reviewers and comments', async () => {
    const server = await start({ pulls: [{ head: 'fix', title: 'old', labels: ['bug'] }] })
    const octokit = client(server)

    const updated = await octokit.rest.pulls.update({ owner, repo, pull_number: 1, title: 'new', body: 'details' })
    expect(updated.data).toMatchObject({ title: 'new', body: 'details' })
    const labels = await octokit.rest.issues.addLabels({ owner, repo, issue_number: 1, labels: ['pytest-fixer', 'bug'] })
    expect(labels.data.map(l => l.name)).toEqual(['bug', 'pytest-fixer'])
    await octokit.rest.pulls.requestReviewers({ owner, repo, pull_number: 1, reviewers: ['ada'] })
    const comment = await octokit.rest.issues.createComment({ owner, repo, issue_number: 1, body: 'Updated the fix.' })
    expect(comment.status).toBe(201)
    const comments = await octokit.rest.issues.listComments({ owner, repo, issue_number: 1 })
    expect(comments.data.map(c => c.body)).toEqual(['Updated the fix.'])
    await octokit.rest.issues.update({ owner, repo, issue_number: 1, labels: ['only-this'] })
    await octokit.rest.pulls.update({ owner, repo, pull_number: 1, state: 'closed' })

    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: 1 })
    expect(pull).toMatchObject({ state: 'closed', title: 'new', labels: [{ name: 'only-this' }] })
    expect(pull.requested_reviewers?.map(u => u.login)).toEqual(['ada'])
    expect(server.state.pulls).toHaveLength(1)
  })

  it('pages the pull request list with a Link header that octokit follows', async () => {
    const pulls = Array.from({ length: 5 }, (_, i) => ({ head: `branch-${i}` }))
    const server = await start({ pulls })
    const all = await client(server).paginate(client(server).rest.pulls.list, { owner, repo, per_page: 2 })
    expect(all.map(p => p.number).sort()).toEqual([1, 2, 3, 4, 5])
    expect(server.requests.filter(r => r.path.endsWith('/pulls'))).toHaveLength(3)
  })
})

describe('the refusals GitHub gives', () => {
  it('answers 422 "A pull request already exists" for a second open pull request of the same head', async () => {
    const server = await start({ pulls: [{ head: 'pytest-fixer/main/abc', base: 'main' }] })
    const { status, data } = await refusal(
      client(server).rest.pulls.create({ owner, repo, head: 'pytest-fixer/main/abc', base: 'main', title: 'again' })
    )
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

describe("another run's artifacts and job logs, the way octokit downloads them", () => {
  const run: NonNullable<Parameters<typeof startGitHubServer>[0]>['runs'] extends (infer R)[] | undefined ? R : never = {
    id: 77,
    headSha: 'a'.repeat(40),
    headBranch: 'main',
    artifacts: [
      { name: 'coverage', files: { 'c.txt': 'x' } },
      { name: 'pytest-results', files: { 'reports/junit.xml': '<testsuites/>' } },
      { name: 'old', files: { 'a.xml': '' }, expired: true }
    ],
    jobs: [
      { id: 901, name: 'test (3.12)', conclusion: 'failure', log: '2026-01-01T00:00:00.0000000Z FAILED tests/test_a.py::test_x\n' },
      { id: 902, name: 'lint', conclusion: 'success', log: 'ok\n' }
    ]
  }

  it('lists the run, its artifacts by name and its jobs', async () => {
    const server = await start({ runs: [run] })
    const octokit = client(server)
    const { data: found } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: 77 })
    expect(found).toMatchObject({ id: 77, head_sha: 'a'.repeat(40), head_branch: 'main', head_repository: { full_name: 'octo/project' } })
    const { data: artifacts } = await octokit.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: 77, name: 'pytest-results' })
    expect(artifacts.artifacts.map(a => a.name)).toEqual(['pytest-results'])
    const { data: jobs } = await octokit.rest.actions.listJobsForWorkflowRun({ owner, repo, run_id: 77 })
    expect(jobs.jobs.map(j => [j.id, j.conclusion])).toEqual([
      [901, 'failure'],
      [902, 'success']
    ])
  })

  it('redirects the zip and the log downloads to a blob, which octokit follows', async () => {
    const server = await start({ runs: [run] })
    const octokit = client(server)
    const { data: artifacts } = await octokit.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: 77 })
    const id = artifacts.artifacts.find(a => a.name === 'pytest-results')!.id
    const zip = await octokit.rest.actions.downloadArtifact({ owner, repo, artifact_id: id, archive_format: 'zip' })
    const { unzipSync, strFromU8 } = await import('fflate')
    const files = unzipSync(new Uint8Array(zip.data as ArrayBuffer))
    expect(strFromU8(files['reports/junit.xml'])).toBe('<testsuites/>')
    const log = await octokit.rest.actions.downloadJobLogsForWorkflowRun({ owner, repo, job_id: 901 })
    expect(log.data).toContain('FAILED tests/test_a.py::test_x')
    expect(server.requests.filter(r => r.status === 302)).toHaveLength(2)
  })

  it('answers 410 for an expired artifact and 403 without actions: read', async () => {
    const server = await start({ runs: [run] })
    expect(
      (await refusal(client(server).rest.actions.downloadArtifact({ owner, repo, artifact_id: 7703, archive_format: 'zip' }))).status
    ).toBe(410)
    const closed = await start({ runs: [run], actionsReadable: false })
    const denied = await refusal(client(closed).rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: 77 }))
    expect(denied).toMatchObject({ status: 403, data: { message: 'Resource not accessible by integration' } })
  })
})

describe('issues, comments, reactions and collaborator permission', () => {
  it('creates, lists by label, comments on and closes an issue; the list holds pull requests too', async () => {
    const server = await start({ pulls: [{ head: 'pytest-fixer/main/abc' }] })
    const octokit = client(server)
    const { data: issue } = await octokit.rest.issues.create({ owner, repo, title: 'Unfixed', body: 'b', labels: ['pytest-fixer'] })
    expect(issue).toMatchObject({ number: 2, state: 'open', html_url: 'http://github.local/octo/project/issues/2' })
    const { data: labelled } = await octokit.rest.issues.listForRepo({ owner, repo, labels: 'pytest-fixer', state: 'open' })
    expect(labelled.map(i => i.number)).toEqual([2])
    const { data: all } = await octokit.rest.issues.listForRepo({ owner, repo })
    expect(all.map(i => [i.number, i.pull_request === undefined])).toEqual([
      [2, true],
      [1, false]
    ])
    await octokit.rest.issues.createComment({ owner, repo, issue_number: 2, body: 'fixed by #1' })
    await octokit.rest.issues.update({ owner, repo, issue_number: 2, state: 'closed' })
    expect(server.state.issues[0].state).toBe('closed')
    const { data: comments } = await octokit.rest.issues.listComments({ owner, repo, issue_number: 2 })
    expect(comments.map(c => c.body)).toEqual(['fixed by #1'])
  })

  it('adds a reaction to a comment once and folds roles into permissions the way GitHub does', async () => {
    const server = await start({ pulls: [{ head: 'x' }], collaborators: { alice: 'admin', bob: 'maintain', carol: 'triage' } })
    const octokit = client(server)
    const comment = server.addComment(1, '/pytest-fixer help', 'alice')
    expect((await octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content: 'eyes' })).status).toBe(201)
    expect((await octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content: 'eyes' })).status).toBe(200)
    expect(server.state.reactions).toHaveLength(1)
    const permission = async (username: string) => (await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username })).data
    expect(await permission('alice')).toMatchObject({ permission: 'admin', role_name: 'admin' })
    expect(await permission('bob')).toMatchObject({ permission: 'write', role_name: 'maintain' })
    expect(await permission('carol')).toMatchObject({ permission: 'read', role_name: 'triage' })
    expect(await permission('mallory')).toMatchObject({ permission: 'read' })
  })

  it('refuses to write issues and comments without issues: write', async () => {
    const server = await start({ issuesWritable: false })
    expect((await refusal(client(server).rest.issues.create({ owner, repo, title: 't' }))).status).toBe(403)
  })
})
