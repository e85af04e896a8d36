import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Workspace } from '../src/workspace.js'

let root: string
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-'))
  fs.mkdirSync(path.join(root, 'pkg'))
  fs.writeFileSync(path.join(root, 'pkg', 'mod.py'), 'def f():\r\n    return 1\r\n')
})
afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

describe('the working tree can always be put back exactly', () => {
  it('restores edited files byte for byte (CRLF kept) and removes created ones with their new folders', () => {
    const workspace = new Workspace(root)
    workspace.apply([
      { path: 'pkg/mod.py', before: 'x', after: 'def f():\n    return 2\n' },
      { path: 'pkg/new/helper.py', before: null, after: 'X = 1\n' }
    ])
    expect(fs.readFileSync(path.join(root, 'pkg/mod.py'), 'utf8')).toBe('def f():\n    return 2\n')
    expect(workspace.changedPaths().sort()).toEqual(['pkg/mod.py', 'pkg/new/helper.py'])
    workspace.restoreAll()
    expect(fs.readFileSync(path.join(root, 'pkg/mod.py'), 'utf8')).toBe('def f():\r\n    return 1\r\n')
    expect(fs.existsSync(path.join(root, 'pkg/new'))).toBe(false)
    expect(workspace.changedPaths()).toEqual([])
  })

  it('reverts one attempt while keeping an earlier accepted fix', () => {
    const workspace = new Workspace(root)
    const accepted = [{ path: 'pkg/mod.py', before: 'def f():\r\n    return 1\r\n', after: 'def f():\r\n    return 2\r\n' }]
    workspace.apply(accepted)
    const rejected = [{ path: 'pkg/mod.py', before: accepted[0].after, after: 'broken' }]
    workspace.apply(rejected)
    workspace.revert(rejected)
    expect(workspace.read('pkg/mod.py')).toBe('def f():\r\n    return 2\r\n')
    expect(workspace.finalChanges()).toEqual([{ path: 'pkg/mod.py', before: 'def f():\r\n    return 1\r\n', after: 'def f():\r\n    return 2\r\n' }])
  })

  it('reads a missing file as null', () => {
    expect(new Workspace(root).read('nope.py')).toBeNull()
  })
})
