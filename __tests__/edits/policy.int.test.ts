import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FileChange } from '../../src/domain.js'
import { checkEditPolicy } from '../../src/edits/policy.js'

// A real repository directory with real symbolic links, some pointing out of it.
let scratch = ''
let repo = ''
let outside = ''

beforeAll(() => {
  scratch = realpathSync(mkdtempSync(join(tmpdir(), 'edits-policy-')))
  repo = join(scratch, 'repo')
  outside = join(scratch, 'outside')
  mkdirSync(join(repo, 'src'), { recursive: true })
  mkdirSync(join(repo, 'tests'), { recursive: true })
  mkdirSync(join(repo, '.git'), { recursive: true })
  mkdirSync(outside, { recursive: true })
  writeFileSync(join(repo, 'src', 'core.py'), 'x = 1\n')
  writeFileSync(join(repo, 'tests', 'test_core.py'), 'def test_x(): pass\n')
  writeFileSync(join(repo, '.git', 'config'), '[core]\n')
  writeFileSync(join(outside, 'secret.py'), 'TOKEN = 1\n')

  symlinkSync(outside, join(repo, 'linked-dir')) // absolute link to a directory outside
  symlinkSync(join(outside, 'secret.py'), join(repo, 'src', 'settings.py')) // file link outside
  symlinkSync(join(outside, 'not-yet.py'), join(repo, 'src', 'dangling.py')) // a write would create it outside
  symlinkSync('..', join(repo, 'up')) // relative link climbing out
  symlinkSync('.git', join(repo, 'gitdir')) // inside, but into .git
  symlinkSync('src', join(repo, 'alias')) // inside, harmless
  symlinkSync('../tests/test_core.py', join(repo, 'src', 'checks.py')) // inside, but a test file
  symlinkSync('loop-b', join(repo, 'loop-a'))
  symlinkSync('loop-a', join(repo, 'loop-b'))
  symlinkSync(repo, join(scratch, 'repo-link')) // the repository reached through a link
})

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true })
})

const change = (path: string): FileChange => ({ path, before: 'x = 1\n', after: 'x = 2\n' })
const check = (path: string, repoRoot = repo) => checkEditPolicy([change(path)], { repoRoot, allowTestChanges: false })

describe('checkEditPolicy: symbolic links cannot lead an edit out of the repository', () => {
  it.each([
    ['a directory link to outside', 'linked-dir/evil.py'],
    ['a file link to outside', 'src/settings.py'],
    ['a dangling link whose target is outside', 'src/dangling.py'],
    ['a relative link climbing out', 'up/outside/secret.py']
  ])('refuses %s', (_case, path) => {
    const violations = check(path)
    expect(violations).toHaveLength(1)
    expect(violations[0]).toMatchObject({ path, rule: 'outside-repository' })
    expect(violations[0].message).toMatch(/leads outside the repository through a symbolic link\./)
  })

  it('refuses a link loop', () => {
    expect(check('loop-a/x.py')[0]).toMatchObject({ rule: 'outside-repository', message: expect.stringMatching(/loop of symbolic links/) })
  })

  it('refuses a link inside the repository that points into .git', () => {
    expect(check('gitdir/config').map(violation => violation.rule)).toEqual(['git-directory'])
  })

  it('judges a link by the file it reaches: a link to a test file is a test edit', () => {
    expect(check('src/checks.py').map(violation => violation.rule)).toEqual(['test-file'])
  })

  it('allows links that stay inside, new directories, and a repository reached through a link', () => {
    expect(check('alias/core.py')).toEqual([])
    expect(check('src/brand/new/module.py')).toEqual([])
    expect(check('..hidden.py')).toEqual([])
    expect(check('src/core.py', join(scratch, 'repo-link'))).toEqual([])
  })
})
