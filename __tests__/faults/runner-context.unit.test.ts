// Which branch failed and whose code it is, as the runner tells it: a push, a pull request from this repository
// or from a fork, and a workflow_run workflow that fixes another run. Pushing fork code with this repository's
// token, or fixing the wrong branch, would be the wrong thing to do.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { readRunnerContext } from '../../src/runner-context.js'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-context-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

function contextFor(eventName: string, event: unknown, env: Record<string, string> = {}) {
  const eventPath = path.join(dir, 'event.json')
  fs.writeFileSync(eventPath, JSON.stringify(event))
  return readRunnerContext({
    GITHUB_REPOSITORY: 'octo/project',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '42',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: 'refs/heads/main',
    ...env
  })
}

describe('the branch that failed', () => {
  it("a push: the pushed branch, this run's page", () => {
    const context = contextFor('push', {}, { GITHUB_REF: 'refs/heads/release/2.x' })
    expect(context.refBranch).toBe('release/2.x')
    expect(context.forkRepository).toBeNull()
    expect(context.runUrl).toBe('https://github.com/octo/project/actions/runs/42/attempts/2')
  })

  it('a tag or a detached checkout: unknown', () => {
    expect(contextFor('push', {}, { GITHUB_REF: 'refs/tags/v1.0' }).refBranch).toBeNull()
  })

  it('a pull request: its head branch, not the merge ref', () => {
    const event = { pull_request: { head: { ref: 'feature', repo: { full_name: 'octo/project' } } } }
    const context = contextFor('pull_request', event, { GITHUB_REF: 'refs/pull/5/merge', GITHUB_HEAD_REF: 'feature' })
    expect(context.refBranch).toBe('feature')
    expect(context.forkRepository).toBeNull()
  })

  it("a workflow_run workflow: the failed run's branch and page, not the default branch it runs on", () => {
    const event = {
      workflow_run: {
        head_branch: 'feature',
        head_repository: { full_name: 'Octo/Project' },
        html_url: 'https://github.com/octo/project/actions/runs/41'
      }
    }
    const context = contextFor('workflow_run', event)
    expect(context.refBranch).toBe('feature')
    expect(context.forkRepository).toBeNull()
    expect(context.runUrl).toBe('https://github.com/octo/project/actions/runs/41')
  })
})

describe("code from a fork is recognised, so it is never pushed with this repository's token", () => {
  it.each([
    ['pull_request', { pull_request: { head: { ref: 'patch-1', repo: { full_name: 'someone/project' } } } }],
    ['pull_request_target', { pull_request: { head: { ref: 'patch-1', repo: { full_name: 'someone/project' } } } }],
    ['workflow_run', { workflow_run: { head_branch: 'patch-1', head_repository: { full_name: 'someone/project' } } }]
  ])('%s', (eventName, event) => {
    expect(contextFor(eventName, event, { GITHUB_HEAD_REF: 'patch-1' }).forkRepository).toBe('someone/project')
  })

  it('an event file that is missing or not JSON reads as no event', () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), 'not json')
    const context = readRunnerContext({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: path.join(dir, 'bad.json'),
      GITHUB_REPOSITORY: 'octo/project'
    })
    expect(context.forkRepository).toBeNull()
  })
})
