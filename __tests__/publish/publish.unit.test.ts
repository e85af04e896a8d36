import { describe, expect, it } from '@jest/globals'
import type { GroupRecord } from '../../src/domain.js'
import { Git } from '../../src/publish/git.js'
import { publishedLocally, publishFix, pullRequestTitle, type PublishRequest } from '../../src/publish/publish.js'

const group = (tests: string[], errorType: string): GroupRecord => ({
  fingerprint: 'abc',
  tests,
  status: 'fixed',
  errorType,
  message: '',
  attempts: []
})
const file = { path: 'pkg/mod.py', before: 'a\n', after: 'b\n', bytes: Buffer.from('b\n'), beforeBytes: Buffer.from('a\n') }

function request(overrides: Partial<PublishRequest>): PublishRequest {
  return {
    mode: 'pull-request',
    // a directory that is no repository: any git call would fail the test
    git: new Git('/nonexistent-pytest-fixer-dir'),
    files: [file],
    fixedTests: ['tests/test_mod.py::test_b'],
    baseBranch: 'main',
    fixBranch: 'pytest-fixer/main/abc',
    fingerprint: 'abc',
    pullRequest: null,
    commitMessage: 'Fix',
    title: 'Fix',
    body: 'Body',
    labels: [],
    draft: false,
    repository: { owner: 'octo', repo: 'project' },
    serverUrl: 'http://github.local',
    pushBlocked: null,
    octokit: () => {
      throw new Error('no GitHub call expected')
    },
    log: { info: () => undefined, warning: () => undefined, debug: () => undefined },
    ...overrides
  }
}

describe('nothing unverified is published, whatever the caller passes', () => {
  it.each(['pull-request', 'push', 'apply', 'dry-run'] as const)(
    'mode %s: no fixed test, or no file, publishes nothing and keeps nothing',
    async mode => {
      for (const overrides of [{ fixedTests: [] }, { files: [] }]) {
        const result = await publishFix(request({ mode, ...overrides }))
        expect(result).toMatchObject({ branch: null, keepTree: false, failed: false, pullRequest: { operation: 'none' } })
        expect(result.messages[0]).toMatch(/^Nothing published: /)
      }
    }
  )
})

describe('modes apply and dry-run need neither git nor GitHub', () => {
  it('apply keeps the tree, dry-run keeps nothing; push and pull-request are to be committed', async () => {
    expect(publishedLocally(request({ mode: 'apply' }))).toMatchObject({ keepTree: true, branch: null, failed: false })
    expect(publishedLocally(request({ mode: 'dry-run' }))).toMatchObject({ keepTree: false, branch: null, failed: false })
    expect(publishedLocally(request({ mode: 'push' }))).toBeUndefined()
    expect(publishedLocally(request({ mode: 'pull-request' }))).toBeUndefined()
    // the git of the request is no repository: publishing in these modes touched none
    expect((await publishFix(request({ mode: 'apply' }))).keepTree).toBe(true)
  })
})

describe('the pull request title names what the fix makes pass', () => {
  it('one test by its node id; several by count and error types; never "Fix 0 failing tests ()"', () => {
    expect(pullRequestTitle([group(['tests/test_a.py::test_x'], 'AssertionError')])).toBe('Fix failing test tests/test_a.py::test_x')
    expect(pullRequestTitle([group(['t.py::a', 't.py::b'], 'AssertionError'), group(['u.py'], 'ImportError')])).toBe(
      'Fix 3 failing tests (AssertionError, ImportError)'
    )
    expect(pullRequestTitle([group(['t.py::a', 't.py::b'], '')])).toBe('Fix 2 failing tests')
    expect(() => pullRequestTitle([])).toThrow(/at least one fixed test/)
  })
})
