// The fallback issue against the GitHub stand-in, for the cases the end-to-end run does not reach quickly:
// a partially fixed run, a set of unfixed groups that changes, and closing only what a run really fixed.
import { afterEach, describe, expect, it } from '@jest/globals'
import type { GroupRecord, Report } from '../../src/domain.js'
import { createOctokit } from '../../src/publish/github.js'
import { FallbackLabel, syncFallbackIssue } from '../../src/triggers/fallback-issue.js'
import { startGitHubServer } from '../harness/github-server.mjs'

type Server = Awaited<ReturnType<typeof startGitHubServer>>
let server: Server | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const log = { info: () => undefined, warning: () => undefined, debug: () => undefined }
const repository = { owner: 'octo', repo: 'project' }

function group(fingerprint: string, status: GroupRecord['status'], errorType = 'KeyError'): GroupRecord {
  const attempts =
    status === 'fixed' || status === 'unfixed'
      ? [
          {
            number: 1,
            temperature: 0.4,
            outcome: status === 'fixed' ? ('accepted' as const) : ('rejected' as const),
            reason: status === 'fixed' ? 'verified' : 'tests/test_a.py::test_a still fails',
            filesChanged: ['a.py'],
            tokens: { prompt: 1, completion: 1 },
            cached: false,
            diff: ''
          }
        ]
      : []
  return {
    fingerprint,
    tests: [`tests/test_${fingerprint}.py::test_${fingerprint}`],
    status,
    errorType,
    message: `${errorType}: boom`,
    attempts
  }
}

function report(groups: GroupRecord[], pullRequest: Report['pullRequest'] = { number: null, url: null, operation: 'none' }): Report {
  const fixed = groups.filter(item => item.status === 'fixed').length
  const result: Report['result'] = fixed === 0 ? 'not-fixed' : fixed === groups.length ? 'fixed' : 'partially-fixed'
  return {
    version: 1,
    result,
    mode: 'pull-request',
    failures: [],
    groups,
    fixedTests: [],
    unfixedTests: [],
    flakyTests: [],
    driftedTests: [],
    llm: { calls: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0 },
    pullRequest,
    branch: pullRequest.url === null ? null : 'pytest-fixer/main/x',
    commitSha: null,
    model: 'stand-in-model',
    patch: '',
    messages: [],
    durationsMs: { total: 0, tests: 0, llm: 0 }
  }
}

async function sync(r: Report): Promise<string[]> {
  const octokit = createOctokit('ghs_token', server!.apiUrl, log)
  return syncFallbackIssue({
    octokit,
    repository,
    report: r,
    runUrl: 'http://github.local/octo/project/actions/runs/1',
    labels: ['exception'],
    log
  })
}

describe('the fallback issue', () => {
  it('partially fixed: the issue holds only the unfixed group and says the others were fixed', async () => {
    server = await startGitHubServer()
    const messages = await sync(
      report([group('aaa', 'fixed'), group('bbb', 'unfixed')], {
        number: 7,
        url: 'http://github.local/octo/project/pull/7',
        operation: 'created'
      })
    )
    expect(messages).toEqual([expect.stringMatching(/^Fallback issue #1 opened: /)])
    const [issue] = server.state.issues
    expect(issue.body).toContain('`tests/test_bbb.py::test_bbb`')
    expect(issue.body).not.toContain('test_aaa')
    expect(issue.body).toContain('Other failures of the run were fixed in http://github.local/octo/project/pull/7')
    expect(issue.labels.map((label: { name: string }) => label.name)).toEqual([FallbackLabel, 'exception'])
  })

  it('another set of unfixed groups is another issue; a fix of one group closes only the issue all of whose groups are fixed', async () => {
    server = await startGitHubServer()
    await sync(report([group('aaa', 'unfixed')]))
    await sync(report([group('aaa', 'unfixed'), group('ccc', 'unfixed')]))
    expect(server.state.issues).toHaveLength(2)
    const pr = { number: 9, url: 'http://github.local/octo/project/pull/9', operation: 'created' as const }
    const messages = await sync(report([group('aaa', 'fixed')], pr))
    expect(messages).toEqual(['Fallback issue #1 closed: its failures are fixed.'])
    expect(server.state.issues.map((issue: { state: string }) => issue.state)).toEqual(['closed', 'open'])
  })

  it('a verified fix that was not published (dry-run) closes nothing', async () => {
    server = await startGitHubServer()
    await sync(report([group('aaa', 'unfixed')]))
    expect(await sync(report([group('aaa', 'fixed')]))).toEqual([])
    expect(server.state.issues[0].state).toBe('open')
  })

  it('an issue someone opened with the label but no marker is left alone', async () => {
    server = await startGitHubServer()
    server.addIssue({ title: 'by hand', body: 'no marker', labels: [FallbackLabel] })
    await sync(report([group('aaa', 'unfixed')]))
    expect(server.state.issues).toHaveLength(2)
    expect(server.state.issues[0].body).toBe('no marker')
  })
})
