// The Workspace never reads or writes outside the repository, whatever path an answer names: what lies outside
// would otherwise be quoted back to the model, or overwritten.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Workspace } from '../../src/workspace.js'

let base: string
let root: string
let outsideFile: string
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-boundary-'))
  root = path.join(base, 'repo')
  fs.mkdirSync(path.join(root, 'pkg'), { recursive: true })
  fs.writeFileSync(path.join(root, 'pkg', 'mod.py'), 'X = 1\n')
  outsideFile = path.join(base, 'outside.py')
  fs.writeFileSync(outsideFile, 'SECRET = "outside"\n')
})
afterEach(() => fs.rmSync(base, { recursive: true, force: true }))

describe('what lies outside the repository is never read', () => {
  it.each([
    ['a path with ..', '../outside.py'],
    ['a path that climbs out through a folder', 'pkg/../../outside.py'],
    ['an absolute path', '/etc/hostname']
  ])('%s reads as null', (_what, file) => {
    expect(new Workspace(root).read(file)).toBeNull()
    expect(new Workspace(root).isInside(file)).toBe(false)
  })

  it('a symbolic link to a file outside reads as null; one to a file inside reads through', () => {
    fs.symlinkSync(outsideFile, path.join(root, 'pkg', 'out.py'))
    fs.symlinkSync('mod.py', path.join(root, 'pkg', 'alias.py'))
    fs.symlinkSync(base, path.join(root, 'up'))
    const workspace = new Workspace(root)
    expect(workspace.read('pkg/out.py')).toBeNull()
    expect(workspace.read('up/outside.py')).toBeNull()
    expect(workspace.read('pkg/alias.py')).toBe('X = 1\n')
  })

  it('a dangling link counts where its target would be created; a link loop is outside', () => {
    fs.symlinkSync('new_inside.py', path.join(root, 'pkg', 'dangling_in.py'))
    fs.symlinkSync(path.join(base, 'new_outside.py'), path.join(root, 'pkg', 'dangling_out.py'))
    fs.symlinkSync('loop_b', path.join(root, 'loop_a'))
    fs.symlinkSync('loop_a', path.join(root, 'loop_b'))
    const workspace = new Workspace(root)
    expect(workspace.isInside('pkg/dangling_in.py')).toBe(true)
    expect(workspace.isInside('pkg/dangling_out.py')).toBe(false)
    expect(workspace.isInside('loop_a')).toBe(false)
    expect(workspace.isInside('pkg/new/file.py')).toBe(true)
  })
})

describe('what lies outside the repository is never written', () => {
  it('apply refuses the whole set of changes when one path leads out, and writes none of them', () => {
    fs.symlinkSync(outsideFile, path.join(root, 'pkg', 'out.py'))
    const workspace = new Workspace(root)
    expect(() =>
      workspace.apply([
        { path: 'pkg/mod.py', before: 'X = 1\n', after: 'X = 2\n' },
        { path: 'pkg/out.py', before: 'SECRET = "outside"\n', after: 'SECRET = "changed"\n' }
      ])
    ).toThrow(/pkg\/out\.py: it is not inside the repository/)
    expect(fs.readFileSync(outsideFile, 'utf8')).toBe('SECRET = "outside"\n')
    expect(fs.readFileSync(path.join(root, 'pkg', 'mod.py'), 'utf8')).toBe('X = 1\n')
    expect(workspace.changedPaths()).toEqual([])
  })
})
