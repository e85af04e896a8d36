// Publishing when GitHub says no, and the GitHub situations where pushing would be wrong, through the bundled
// action: a refused push, a read-only token, PR creation not permitted, a PR that already exists, a pull request
// from a fork, a fix branch that fails itself, and a re-run of the same failure.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import {
  bug,
  correctAnswer,
  errorsOf,
  expectNoSecrets,
  expectOneClearError,
  reportOf,
  secrets,
  setUpFault,
  type ActionRun,
  type FaultScenario
} from './fault-scenario.js'

let scenario: FaultScenario | undefined
let server: Server | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
  server?.closeAllConnections()
  await new Promise(resolve => (server ? server.close(resolve) : resolve(undefined)))
  server = undefined
})

const item = bug('flat-remove-refuses-last-units')
const fixLine = `+${item.search.replace(/\n$/, '')}`

/** The verified patch is where a user finds it when nothing was published: the summary and the report. */
function expectPatchReported(result: ActionRun): void {
  expect(result.summary).toContain('The verified patch')
  expect(result.summary).toContain(fixLine)
  expect(reportOf(result).patch).toContain(fixLine)
}

describe('a push that origin refuses falls back to dry-run', () => {
  it("a pre-receive hook declines: the step fails with the hook's words, the patch is reported, the tree is clean", async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const hook = path.join(scenario.project.originDir, 'hooks', 'pre-receive')
    fs.writeFileSync(
      hook,
      '#!/bin/sh\necho "error: GH013: Repository rule violations found for refs/heads/pytest-fixer." >&2\necho "- Cannot create ref due to creations being restricted." >&2\nexit 1\n',
      { mode: 0o755 }
    )
    const result = await scenario.run()
    const message = expectOneClearError(
      result,
      /^Push to 'pytest-fixer\/main\/[0-9a-f]{12}' was refused/,
      /GH013: Repository rule violations/,
      /Falling back to dry-run/
    )
    expect(message).toMatch(/a repository ruleset refuses this push \(Settings → Rules → Rulesets\)/)
    expect(message).toContain('[remote rejected] (pre-receive hook declined)')
    expect(result.outputs.result).toBe('fixed')
    expect(result.outputs.branch).toBe('')
    expect(result.outputs['pull-request-operation']).toBe('none')
    expect(scenario.pushedBranches()).toEqual([])
    expect(scenario.github.state.pulls).toHaveLength(0)
    expectPatchReported(result)
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })

  it('a read-only token (the server answers 403): the push carried the token in a header, the step says contents: write', async () => {
    const pushes: Array<{ url: string; headers: IncomingHttpHeaders }> = []
    server = createServer((request, response) => {
      pushes.push({ url: request.url ?? '', headers: request.headers })
      response.writeHead(403, { 'content-type': 'text/plain' })
      response.end('Permission to octo/project.git denied to github-actions[bot].\n')
    })
    await new Promise<void>(resolve => server?.listen(0, '127.0.0.1', resolve))
    const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    scenario.project.git(['remote', 'set-url', 'origin', `${serverUrl}/octo/project.git`])
    const result = await scenario.run({}, { GITHUB_SERVER_URL: serverUrl })
    expectOneClearError(
      result,
      /^Push to 'pytest-fixer\/main\/[0-9a-f]{12}' was refused/,
      /403/,
      /permissions: contents: write/,
      /'github-token'/
    )
    // first the look at the fix branch (ls-remote: is anyone else's commit on it?), then the push; both with the token
    const push = pushes.find(request => request.url === '/octo/project.git/info/refs?service=git-receive-pack')
    expect(push?.headers.authorization).toBe(`basic ${Buffer.from(`x-access-token:${secrets.githubToken}`).toString('base64')}`)
    for (const request of pushes) expect(request.headers.authorization).toBe(push?.headers.authorization)
    expect(scenario.github.state.pulls).toHaveLength(0)
    expectPatchReported(result)
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario, [Buffer.from(`x-access-token:${secrets.githubToken}`).toString('base64')])
  })
})

describe('a pull request GitHub will not open or already has', () => {
  it('403 "not permitted to create": the branch stays pushed, the message names the setting and the compare URL', async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }], github: { forbidPullRequestCreation: true } })
    const result = await scenario.run()
    const message = expectOneClearError(result, /Allow GitHub Actions to create and approve pull requests/, /Settings → Actions → General/)
    const [branch] = scenario.pushedBranches()
    expect(branch).toMatch(/^pytest-fixer\/main\/[0-9a-f]{12}$/)
    expect(result.outputs.branch).toBe(branch)
    expect(message).toContain(`http://github.local/octo/project/compare/main...${branch}?expand=1`)
    expect(result.outputs['pull-request-operation']).toBe('none')
    expect(scenario.github.state.pulls).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })

  it('re-runs of the same failure: same branch, the one PR updated; also when the lookup misses it and create says 422', async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const first = await scenario.run()
    const second = await scenario.run()
    // the lookup misses the open PR (e.g. opened by a concurrent run a moment ago): create answers 422
    const hidden = scenario.github.inject({ method: 'GET', path: /\/pulls$/, status: 200, body: [], times: 1 })
    const third = await scenario.run()
    expect(hidden.hits).toBe(1)
    expect(
      scenario.github.requests.filter(request => request.method === 'POST' && /\/pulls$/.test(request.path)).map(request => request.status)
    ).toEqual([201, 422])

    expect([first, second, third].map(run => run.outputs['pull-request-operation'])).toEqual(['created', 'updated', 'updated'])
    for (const run of [second, third]) {
      expect(run.exitCode).toBe(0)
      expect(errorsOf(run)).toEqual([])
      expect(run.outputs.branch).toBe(first.outputs.branch)
      expect(run.outputs['pull-request-number']).toBe(first.outputs['pull-request-number'])
    }
    expect(scenario.pushedBranches()).toEqual([first.outputs.branch])
    expect(scenario.github.state.pulls).toHaveLength(1)
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })
})

describe('where pushing would be wrong, the patch is reported instead', () => {
  it('a pull_request from a fork: no push attempted, the patch in the summary and the report', async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const event = {
      number: 5,
      pull_request: {
        number: 5,
        head: { ref: 'feature', repo: { full_name: 'someone/project' } },
        base: { ref: 'main', repo: { full_name: 'octo/project' } }
      }
    }
    const result = await scenario.run({}, {}, { eventName: 'pull_request', event })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    expect(result.outputs['pull-request-operation']).toBe('none')
    expect(reportOf(result).messages.join('\n')).toMatch(/Not pushing: .*fork someone\/project/)
    expect(scenario.pushedBranches()).toEqual([])
    expect(scenario.github.requests).toEqual([])
    expectPatchReported(result)
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })

  it('the failing branch is itself a fix branch: no stacked branch or PR', async () => {
    const branch = 'pytest-fixer/main/0123456789ab'
    scenario = await setUpFault(item, { branch, script: [{ content: correctAnswer(item) }] })
    const result = await scenario.run()
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    expect(reportOf(result).messages.join('\n')).toMatch(/is itself a pytest-fixer fix branch/)
    expect(scenario.pushedBranches()).toEqual([])
    expect(scenario.github.requests).toEqual([])
    expectPatchReported(result)
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })
})
