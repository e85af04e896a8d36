// The repositories the end-to-end tests start from must look like a real checkout of a failing commit,
// and the inspection helpers must see exactly what git sees.
import { describe, it, expect, afterEach } from '@jest/globals'
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  cloneBranch,
  createProjectRepo,
  injectBug,
  listRemoteBranches,
  projectsDir,
  readBugCatalog,
  readRemoteFile,
  snapshotTracked,
  trackedStatus
} from './git-repo.mjs'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

async function project(name: string, options?: Parameters<typeof createProjectRepo>[1]) {
  const repo = await createProjectRepo(name, options)
  cleanups.push(repo.cleanup)
  return repo
}

const bug = (id: string) => {
  const found = readBugCatalog().find(b => b.id === id)
  if (!found) throw new Error(`no bug ${id}`)
  return found
}

describe('a fixture project becomes a clean checkout with an origin', () => {
  it('commits every file, pushes to a bare origin and tracks it', async () => {
    const repo = await project('srclayout')
    expect(await trackedStatus(repo.dir)).toBe('')
    expect(existsSync(join(repo.dir, 'src/textkit/wrap.py'))).toBe(true)
    expect(repo.git(['rev-parse', '--abbrev-ref', 'HEAD']).trim()).toBe('main')
    expect(repo.git(['rev-parse', '--abbrev-ref', '@{upstream}']).trim()).toBe('origin/main')
    expect(await listRemoteBranches(repo.originDir)).toEqual(['main'])
    expect(await readRemoteFile(repo.originDir, 'main', 'pyproject.toml')).toContain('pythonpath = ["src"]')
  })

  it('uses the branch it is asked for', async () => {
    const repo = await project('flat', { branch: 'develop' })
    expect(await listRemoteBranches(repo.originDir)).toEqual(['develop'])
    expect(repo.git(['status', '-sb']).split('\n')[0]).toBe('## develop...origin/develop')
  })

  it('commits and pushes the mutation as "inject bug", like the commit that broke CI', async () => {
    const offByOne = bug('flat-page-skips-first-page')
    const repo = await project('flat', { mutate: dir => injectBug(dir, offByOne) })
    expect(await trackedStatus(repo.dir)).toBe('')
    expect(repo.git(['log', '--format=%s']).trim().split('\n')).toEqual(['inject bug', 'Add flat project'])
    const pushed = await readRemoteFile(repo.originDir, 'main', offByOne.file)
    expect(pushed).toContain(offByOne.replace)
    expect(pushed).not.toContain(offByOne.search)
    expect(repo.git(['rev-parse', 'HEAD']).trim()).toBe(repo.git(['rev-parse', 'origin/main']).trim())
  })

  it('removes both directories on cleanup', async () => {
    const repo = await createProjectRepo('unittest_suite')
    repo.cleanup()
    expect(existsSync(repo.dir)).toBe(false)
    expect(existsSync(repo.originDir)).toBe(false)
  })

  it('accepts a project folder given by absolute path, and names git failures', async () => {
    const repo = await project(join(projectsDir, 'inpackage'))
    expect(repo.git(['log', '--format=%s']).trim()).toBe('Add inpackage project')
    expect(() => repo.git(['checkout', '-q', 'no-such-branch'])).toThrow(/git checkout -q no-such-branch failed in .*: error: pathspec/)
  })

  it('refuses an unknown fixture', async () => {
    await expect(createProjectRepo('no-such-project')).rejects.toThrow("No fixture project 'no-such-project'")
  })
})

describe('injecting a catalog bug', () => {
  it('replaces the search text once', async () => {
    const repo = await project('inpackage')
    const swapped = bug('geo-center-swapped')
    injectBug(repo.dir, swapped)
    expect(readFileSync(join(repo.dir, swapped.file), 'utf8')).toContain(swapped.replace)
    expect(await trackedStatus(repo.dir)).toBe(` M ${swapped.file}\n`)
  })

  it('throws when the search text is missing or not unique', async () => {
    const repo = await project('inpackage')
    expect(() => injectBug(repo.dir, { id: 'gone', file: 'geometry/grid.py', search: 'not in the file', replace: 'x' })).toThrow(
      "Bug 'gone': search text found 0 times in geometry/grid.py, expected exactly once"
    )
    expect(() => injectBug(repo.dir, { id: 'twice', file: 'geometry/grid.py', search: 'def ', replace: 'x' })).toThrow('found 4 times')
  })
})

describe('inspecting what a run left behind', () => {
  it('lists pushed branches and clones one of them', async () => {
    const repo = await project('flat')
    writeFileSync(join(repo.dir, 'inventory/extra.py'), 'VALUE = 1\n')
    repo.git(['checkout', '-q', '-b', 'pytest-fixer/main/abc'])
    repo.git(['add', '-A'])
    repo.git(['commit', '-q', '-m', 'fix'])
    repo.git(['push', '-q', 'origin', 'pytest-fixer/main/abc'])

    expect(await listRemoteBranches(repo.originDir)).toEqual(['main', 'pytest-fixer/main/abc'])
    const clone = await cloneBranch(repo.originDir, 'pytest-fixer/main/abc')
    cleanups.push(() => rmSync(clone, { recursive: true, force: true }))
    expect(readFileSync(join(clone, 'inventory/extra.py'), 'utf8')).toBe('VALUE = 1\n')
    await expect(readRemoteFile(repo.originDir, 'main', 'inventory/extra.py')).rejects.toThrow()
  })

  it('reports modified, deleted and untracked files in the status', async () => {
    const repo = await project('unittest_suite')
    writeFileSync(join(repo.dir, 'bank/account.py'), '# changed\n')
    unlinkSync(join(repo.dir, 'bank/ledger.py'))
    writeFileSync(join(repo.dir, 'notes.txt'), 'left behind\n')
    expect((await trackedStatus(repo.dir)).split('\n').filter(Boolean).sort()).toEqual([
      ' D bank/ledger.py',
      ' M bank/account.py',
      '?? notes.txt'
    ])
  })

  it('snapshots tracked content so a restored tree compares equal and a changed one does not', async () => {
    const repo = await project('unittest_suite')
    const before = await snapshotTracked(repo.dir)
    expect(before['bank/account.py']).toBe(repo.git(['hash-object', 'bank/account.py']).trim())

    const path = join(repo.dir, 'bank/account.py')
    const original = readFileSync(path, 'utf8')
    writeFileSync(path, original.replace('return self.balance', 'return 0'))
    expect(await snapshotTracked(repo.dir)).not.toEqual(before)
    writeFileSync(path, original)
    writeFileSync(join(repo.dir, 'untracked.txt'), 'not part of the snapshot\n')
    expect(await snapshotTracked(repo.dir)).toEqual(before)

    unlinkSync(path)
    expect((await snapshotTracked(repo.dir))['bank/account.py']).toBeNull()
  })
})
