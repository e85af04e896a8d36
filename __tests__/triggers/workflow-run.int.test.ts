// Recipe 1: its own workflow on `workflow_run`, fixing another run: that run's JUnit report and job log come
// from the API, its commit must be the checked-out one, its branch is the PR's base; forks, fix branches and
// failures that already have an up-to-date fix PR are refused with a notice.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import { bug, correctAnswer, notices, setUpTriggers, workflowRunEvent, type TriggerScenario } from './trigger-scenario.js'

let scenario: TriggerScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const item = bug('flat-remove-refuses-last-units')
const runUrl = 'http://github.local/octo/project/actions/runs/555'

async function withFailedRun(options: { artifact?: boolean; script?: Array<{ content: string }> } = {}) {
  scenario = await setUpTriggers(item, options.script ?? [{ content: correctAnswer(item) }])
  const failing = scenario.failingRun()
  scenario.github.addRun({
    id: 555,
    headSha: scenario.headSha,
    headBranch: 'main',
    artifacts:
      options.artifact === false
        ? [{ name: 'coverage', files: { 'coverage.xml': '<coverage/>' } }]
        : [{ name: 'pytest-results', files: { 'pytest-results.xml': failing.junit } }],
    jobs: [
      { id: 9001, name: 'test (3.12)', conclusion: 'failure', log: failing.log },
      { id: 9002, name: 'lint', conclusion: 'success', log: '2026-12-02T10:00:00.0000000Z lint is clean' }
    ]
  })
  return { scenario, failing }
}

describe('workflow_run: fixing the failed run of another workflow', () => {
  it("reads the run's JUnit artifact and failed job log, opens the PR on the run's branch and links the run", async () => {
    const { scenario } = await withFailedRun()
    const result = await scenario.run('workflow_run', workflowRunEvent({ id: 555, headSha: scenario.headSha }))
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual(item.expectFailing)

    // the failures came from the artifact, not from a test run of its own
    expect(result.stdout).toContain("Read artifact 'pytest-results' of run 555: pytest-results.xml")
    expect(result.stdout).not.toContain('Running the test suite to find the failures')
    const paths = scenario.github.requests.map(request => `${request.method} ${request.path}`)
    expect(paths).toContain('GET /repos/octo/project/actions/runs/555/artifacts')
    expect(paths).toContain('GET /repos/octo/project/actions/jobs/9001/logs')
    expect(paths).not.toContain('GET /repos/octo/project/actions/jobs/9002/logs')

    // the failed job's console log is in the prompt, without GitHub's timestamps
    const prompt = JSON.stringify(scenario.model.requests[0].body.messages)
    expect(prompt).toContain('test_remove_everything_is_allowed')
    expect(prompt).toContain('Process completed with exit code 1.')
    expect(prompt).not.toContain('2026-12-02T10:00:00.0000000Z')

    const [pull] = scenario.github.state.pulls
    expect(pull.base.ref).toBe('main')
    expect(pull.head.ref).toBe(result.outputs.branch)
    expect(pull.body).toContain(`Failing run: ${runUrl}`)
    expect(result.summary).toContain(runUrl)
    expect(result.summary).toContain("of workflow 'tests' on 'main'")
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('with no artifact of that name: runs test-command itself, says so, and still fixes', async () => {
    const { scenario } = await withFailedRun({ artifact: false })
    const result = await scenario.run('workflow_run', workflowRunEvent({ id: 555, headSha: scenario.headSha }))
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    expect(result.stdout).toContain('Running the test suite to find the failures')
    expect(result.summary).toContain(
      "No JUnit report from run 555: run 555 has no artifact named 'pytest-results' (input 'artifact-name'). Running 'test-command' to find the failures."
    )
    expect(scenario.github.state.pulls).toHaveLength(1)
  })

  it('without actions: read: says which permission is missing and falls back to its own test run', async () => {
    const { scenario } = await withFailedRun()
    scenario.github.inject({ path: /\/actions\//, status: 403, body: { message: 'Resource not accessible by integration' } })
    const result = await scenario.run('workflow_run', workflowRunEvent({ id: 555, headSha: scenario.headSha }))
    expect(result.outputs.result).toBe('fixed')
    expect(result.summary).toContain('give the workflow `permissions: actions: read`')
    expect(result.commands.some(command => command.command === 'warning' && /actions: read/.test(command.message))).toBe(true)
  })

  it("refuses when the checkout is not the run's head_sha, naming checkout's ref:", async () => {
    const { scenario } = await withFailedRun()
    const other = 'f'.repeat(40)
    const result = await scenario.run('workflow_run', workflowRunEvent({ id: 555, headSha: other }))
    expect(result.exitCode).toBe(1)
    const error = result.commands.find(command => command.command === 'error')?.message ?? ''
    expect(error).toContain(`is not the failed run's commit ${other.slice(0, 12)}`)
    expect(error).toContain('ref: ${{ github.event.workflow_run.head_sha }}')
    expect(scenario.model.requests).toHaveLength(0)
    expect(scenario.github.state.pulls).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it("a fork's run without allow-forks: does nothing, and the notice says why and what allow-forks means", async () => {
    const { scenario } = await withFailedRun()
    const result = await scenario.run(
      'workflow_run',
      workflowRunEvent({ id: 555, headSha: scenario.headSha, headRepository: 'mallory/project' })
    )
    expect(result.exitCode).toBe(0)
    expect(notices(result)).toEqual([
      "Not fixing run 555: its code comes from the fork mallory/project, and fixing it would run that code with this workflow's token. Set 'allow-forks: true' only if you trust every fork's code with that token."
    ])
    expect(result.summary).toContain('allow-forks')
    expect(scenario.model.requests).toHaveLength(0)
    expect(scenario.github.requests).toHaveLength(0)
    expect(scenario.remoteBranches()).toEqual(['main'])
    expect(result.outputs.result).toBeUndefined()
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it("a fork's run with allow-forks: fixed and verified, but never pushed into this repository", async () => {
    const { scenario } = await withFailedRun()
    const result = await scenario.run(
      'workflow_run',
      workflowRunEvent({ id: 555, headSha: scenario.headSha, headRepository: 'friend/project' }),
      { 'allow-forks': 'true' }
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    expect(result.summary).toContain('Not pushing: the failing run is a pull request from the fork friend/project')
    expect(scenario.remoteBranches()).toEqual(['main'])
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('a run of a pytest-fixer branch: never stacks a fix on a fix', async () => {
    const { scenario } = await withFailedRun()
    const result = await scenario.run(
      'workflow_run',
      workflowRunEvent({ id: 555, headSha: scenario.headSha, headBranch: 'pytest-fixer/main/0123456789ab' })
    )
    expect(result.exitCode).toBe(0)
    expect(notices(result)[0]).toContain("its branch 'pytest-fixer/main/0123456789ab' is itself a pytest-fixer fix branch")
    expect(scenario.model.requests).toHaveLength(0)
    expect(scenario.remoteBranches()).toEqual(['main'])
  })

  it('the same failure again, with its fix PR open and built on this commit: skipped with one notice, no model call', async () => {
    const { scenario } = await withFailedRun()
    const first = await scenario.run('workflow_run', workflowRunEvent({ id: 555, headSha: scenario.headSha }))
    expect(first.outputs['pull-request-operation']).toBe('created')
    const branchSha = scenario.remoteSha(first.outputs.branch)
    const second = await scenario.run('workflow_run', workflowRunEvent({ id: 555, headSha: scenario.headSha }))
    expect(second.exitCode).toBe(0)
    expect(notices(second)).toEqual([
      `Skipped: the open fix pull request #1 (${first.outputs['pull-request-url']}) already fixes these failures on this commit (${scenario.headSha.slice(0, 7)}).`
    ])
    expect(second.outputs['pull-request-url']).toBe(first.outputs['pull-request-url'])
    expect(second.outputs['pull-request-operation']).toBe('none')
    expect(scenario.model.requests).toHaveLength(1)
    expect(scenario.remoteSha(first.outputs.branch)).toBe(branchSha)
    expect(scenario.github.state.pulls).toHaveLength(1)
    expect(fs.existsSync(scenario.project.dir)).toBe(true)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
