import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { authEnvironment, Git } from '../../src/publish/git.js'

const author = { name: 'github-actions[bot]', email: 'bot@example.com' }
let dir: string
let origin: string
const sh = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'git-work-'))
  origin = fs.mkdtempSync(path.join(os.tmpdir(), 'git-origin-'))
  sh(origin, 'init', '-q', '--bare', '-b', 'main')
  sh(dir, 'init', '-q', '-b', 'main')
  sh(dir, 'config', 'user.name', 'dev')
  sh(dir, 'config', 'user.email', 'dev@example.com')
  fs.mkdirSync(path.join(dir, 'pkg'))
  fs.writeFileSync(path.join(dir, 'pkg', 'calc.py'), 'def add(a, b):\n    return a - b\n')
  fs.writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 })
  sh(dir, 'add', '-A')
  sh(dir, 'commit', '-q', '-m', 'initial')
  sh(dir, 'remote', 'add', 'origin', origin)
  sh(dir, 'push', '-q', 'origin', 'main')
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
  fs.rmSync(origin, { recursive: true, force: true })
})

describe("the fix commit is built without touching the user's index or working tree", () => {
  it('commits only the given files on top of HEAD, keeps file modes, and leaves the tree as it was', async () => {
    fs.writeFileSync(path.join(dir, 'pkg', 'calc.py'), 'def add(a, b):\n    return a + b\n')
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'user scratch file\n') // untracked: must stay out
    const statusBefore = sh(dir, 'status', '--porcelain')
    const git = new Git(dir)
    const head = await git.headSha()
    const commit = await git.commitFiles(
      head,
      [{ path: 'pkg/calc.py', content: 'def add(a, b):\n    return a + b\n' }],
      'Fix add\n\nbody',
      author
    )
    expect(sh(dir, 'rev-parse', 'HEAD')).toBe(head)
    expect(sh(dir, 'status', '--porcelain')).toBe(statusBefore)
    expect(sh(dir, 'show', '--name-only', '--format=%an|%s', commit)).toBe('github-actions[bot]|Fix add\n\npkg/calc.py')
    expect(sh(dir, 'ls-tree', commit, 'run.sh').split(/\s/)[0]).toBe('100755')
  })

  it('commits exact bytes: a Latin-1 file stays Latin-1', async () => {
    const git = new Git(dir)
    const bytes = Buffer.from('# -*- coding: latin-1 -*-\nNAME = "Café"\n', 'latin1')
    const commit = await git.commitFiles(await git.headSha(), [{ path: 'pkg/calc.py', content: bytes }], 'Latin-1', author)
    expect(execFileSync('git', ['show', `${commit}:pkg/calc.py`], { cwd: dir })).toEqual(bytes)
  })

  it('pushes the commit to a new branch of origin and force-updates it on a re-run', async () => {
    const git = new Git(dir)
    const head = await git.headSha()
    const first = await git.commitFiles(head, [{ path: 'pkg/calc.py', content: 'v1\n' }], 'one', author)
    expect((await git.push(first, 'pytest-fixer/main/abc', { force: true })).code).toBe(0)
    const second = await git.commitFiles(head, [{ path: 'pkg/calc.py', content: 'v2\n' }], 'two', author)
    expect((await git.push(second, 'pytest-fixer/main/abc', { force: true })).code).toBe(0)
    expect(sh(origin, 'rev-parse', 'refs/heads/pytest-fixer/main/abc')).toBe(second)
    expect(sh(origin, 'show', 'pytest-fixer/main/abc:pkg/calc.py')).toBe('v2')
  })

  it('advances the current branch in push mode with the index in step', async () => {
    fs.writeFileSync(path.join(dir, 'pkg', 'calc.py'), 'fixed\n')
    const git = new Git(dir)
    const head = await git.headSha()
    const commit = await git.commitFiles(head, [{ path: 'pkg/calc.py', content: 'fixed\n' }], 'fix', author)
    expect((await git.push(commit, 'main', { force: false })).code).toBe(0)
    await git.advanceCurrentBranch(commit, head, ['pkg/calc.py'])
    expect(sh(dir, 'rev-parse', 'HEAD')).toBe(commit)
    expect(sh(dir, 'status', '--porcelain')).toBe('')
    expect(sh(origin, 'rev-parse', 'main')).toBe(commit)
  })

  it('reports a refused non-fast-forward push instead of throwing', async () => {
    const git = new Git(dir)
    const head = await git.headSha()
    const orphanTree = sh(dir, 'mktree', '--missing')
    const unrelated = sh(dir, 'commit-tree', orphanTree, '-m', 'unrelated')
    const result = await git.push(unrelated, 'main', { force: false })
    expect(result.code).not.toBe(0)
    expect(result.stderr + result.stdout).toMatch(/rejected|non-fast-forward/)
    expect(sh(origin, 'rev-parse', 'main')).toBe(head)
  })
})

describe('the token is never on a command line', () => {
  it('replaces the persisted checkout extraheader through GIT_CONFIG_* for one command', async () => {
    sh(dir, 'config', 'http.https://github.com/.extraheader', 'AUTHORIZATION: basic b2xk')
    const env = authEnvironment({ serverUrl: 'https://github.com/', token: 'ghs_newtoken' })
    const git = new Git(dir)
    const seen = await git.exec(['config', '--get-all', 'http.https://github.com/.extraheader'], { env })
    const values = seen.stdout.trim().split('\n')
    expect(values[values.length - 1]).toBe(`AUTHORIZATION: basic ${Buffer.from('x-access-token:ghs_newtoken').toString('base64')}`)
    expect(values[0]).toBe('AUTHORIZATION: basic b2xk') // the file is unchanged: the reset happens in the env config
    expect(sh(dir, 'config', '--get-all', 'http.https://github.com/.extraheader')).toBe('AUTHORIZATION: basic b2xk')
  })
})
