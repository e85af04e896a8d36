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
      { path: 'pkg/mod.py', before: 'def f():\r\n    return 1\r\n', after: 'def f():\n    return 2\n' },
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
    workspace.recordAccepted(accepted)
    const rejected = [{ path: 'pkg/mod.py', before: accepted[0].after, after: 'broken' }]
    workspace.apply(rejected)
    workspace.revert(rejected)
    expect(workspace.read('pkg/mod.py')).toBe('def f():\r\n    return 2\r\n')
    expect(workspace.verifiedFix()).toEqual([
      {
        path: 'pkg/mod.py',
        before: 'def f():\r\n    return 1\r\n',
        after: 'def f():\r\n    return 2\r\n',
        bytes: Buffer.from('def f():\r\n    return 2\r\n'),
        beforeBytes: Buffer.from('def f():\r\n    return 1\r\n')
      }
    ])
  })

  it('reads a missing file as null', () => {
    expect(new Workspace(root).read('nope.py')).toBeNull()
  })
})

const latin1Source = Buffer.from(
  '# -*- coding: latin-1 -*-\nNAME = "Café Noël"\n\ndef greet(who):\n    return "Bonjour %s, bienvenue au %s" % (NAME, who)\n',
  'latin1'
)
const write = (relativePath: string, bytes: Buffer): void => fs.writeFileSync(path.join(root, relativePath), bytes)
const bytesOf = (relativePath: string): Buffer => fs.readFileSync(path.join(root, relativePath))

describe('a file is edited as text only when its bytes come back exactly', () => {
  it('a Latin-1 file with a coding line: read as its text, written in Latin-1, reverted to its original bytes', () => {
    write('pkg/legacy.py', latin1Source)
    const workspace = new Workspace(root)
    const text = workspace.read('pkg/legacy.py') as string
    expect(text).toContain('"Café Noël"')
    expect(workspace.editRefusal('pkg/legacy.py')).toBeUndefined()
    const change = { path: 'pkg/legacy.py', before: text, after: text.replace('(NAME, who)', '(who, NAME)') }
    expect(workspace.writeRefusals([change])).toEqual([])
    workspace.apply([change])
    expect(bytesOf('pkg/legacy.py')).toEqual(Buffer.from(change.after, 'latin1'))
    expect(bytesOf('pkg/legacy.py').includes(Buffer.from([0xef, 0xbf, 0xbd]))).toBe(false) // no U+FFFD
    workspace.revert([change])
    expect(bytesOf('pkg/legacy.py')).toEqual(latin1Source)
  })

  it('an edit that writes a character Latin-1 lacks is refused with the reason, and nothing is written', () => {
    write('pkg/legacy.py', latin1Source)
    const workspace = new Workspace(root)
    const text = workspace.read('pkg/legacy.py') as string
    const change = { path: 'pkg/legacy.py', before: text, after: text.replace('Noël', 'Noël €') }
    expect(workspace.writeRefusals([change])).toEqual([
      expect.stringMatching(/^pkg\/legacy\.py: the file is latin-1 and the edit writes '€' \(U\+20AC\), which latin-1 cannot hold/)
    ])
    expect(() => workspace.apply([change])).toThrow(/Refusing to write pkg\/legacy\.py/)
    expect(bytesOf('pkg/legacy.py')).toEqual(latin1Source)
    expect(workspace.restoreAll()).toEqual([])
  })

  it('an edit of the coding line itself is refused: the file would declare one encoding and hold another', () => {
    write('pkg/legacy.py', latin1Source)
    const workspace = new Workspace(root)
    const text = workspace.read('pkg/legacy.py') as string
    const change = { path: 'pkg/legacy.py', before: text, after: text.replace('latin-1', 'utf-8') }
    expect(workspace.writeRefusals([change])).toEqual([expect.stringContaining("changes the file's declared encoding (latin-1 → utf-8)")])
  })

  it('a file that is not valid UTF-8 and declares no encoding is refused for editing, never rewritten', () => {
    const bytes = Buffer.from('NAME = "Café"\n', 'latin1')
    write('pkg/names.py', bytes)
    const workspace = new Workspace(root)
    expect(workspace.read('pkg/names.py')).toBeNull()
    expect(workspace.editRefusal('pkg/names.py')).toMatch(
      /^pkg\/names\.py cannot be edited: it is not valid UTF-8 and declares no other encoding .*coding: latin-1.*Fix the failure without changing this file\.$/
    )
    expect(() => workspace.apply([{ path: 'pkg/names.py', before: 'NAME = "Caf\uFFFD"\n', after: 'NAME = "Cafe"\n' }])).toThrow(
      /no longer holds the content/
    )
    expect(() => workspace.apply([{ path: 'pkg/names.py', before: null, after: 'NAME = "Cafe"\n' }])).toThrow(/no longer holds the content/)
    expect(bytesOf('pkg/names.py')).toEqual(bytes)
  })

  it('a binary file is refused for editing', () => {
    write('pkg/data.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))
    expect(new Workspace(root).editRefusal('pkg/data.bin')).toMatch(/binary file/)
  })

  it('UTF-8 with a BOM and CRLF line ends: the BOM and the line ends stay as they are', () => {
    const bytes = Buffer.from('\uFEFFdef f():\r\n    return "é"\r\n', 'utf8')
    write('pkg/bom.py', bytes)
    const workspace = new Workspace(root)
    const text = workspace.read('pkg/bom.py') as string
    expect(text.startsWith('\uFEFF')).toBe(true)
    const change = { path: 'pkg/bom.py', before: text, after: text.replace('"é"', '"è"') }
    workspace.apply([change])
    expect(bytesOf('pkg/bom.py')).toEqual(Buffer.from('\uFEFFdef f():\r\n    return "è"\r\n', 'utf8'))
    workspace.restoreAll()
    expect(bytesOf('pkg/bom.py')).toEqual(bytes)
  })
})

describe('the fix is the accepted changes on the original bytes, never what differs in the tree', () => {
  it('no accepted attempt: the fix is empty, whatever the tree holds', () => {
    const workspace = new Workspace(root)
    const original = workspace.read('pkg/mod.py') as string
    workspace.apply([{ path: 'pkg/mod.py', before: original, after: 'damaged\n' }]) // applied, never accepted nor reverted
    expect(workspace.changedPaths()).toEqual(['pkg/mod.py'])
    expect(workspace.verifiedFix()).toEqual([])
  })

  it('accepted changes of two groups compose on the original; rejected ones and other writes are left out', () => {
    write('pkg/legacy.py', latin1Source)
    const workspace = new Workspace(root)
    const legacy = workspace.read('pkg/legacy.py') as string
    const first = [{ path: 'pkg/legacy.py', before: legacy, after: legacy.replace('(NAME, who)', '(who, NAME)') }]
    workspace.apply(first)
    workspace.recordAccepted(first)
    const rejected = [{ path: 'pkg/mod.py', before: 'def f():\r\n    return 1\r\n', after: 'def f():\r\n    return 3\r\n' }]
    workspace.apply(rejected)
    workspace.revert(rejected)
    const second = [{ path: 'pkg/legacy.py', before: first[0].after, after: first[0].after.replace('Bonjour', 'Bonsoir') }]
    workspace.apply(second)
    workspace.recordAccepted(second)
    fs.writeFileSync(path.join(root, 'pkg', 'mod.py'), 'written by a test\n') // not by an edit: never part of the fix

    const fix = workspace.verifiedFix()
    expect(fix.map(file => file.path)).toEqual(['pkg/legacy.py'])
    expect(fix[0].before).toBe(legacy)
    expect(fix[0].bytes).toEqual(Buffer.from(legacy.replace('(NAME, who)', '(who, NAME)').replace('Bonjour', 'Bonsoir'), 'latin1'))

    workspace.keepOnly(fix)
    expect(bytesOf('pkg/legacy.py')).toEqual(fix[0].bytes)
    expect(fs.readFileSync(path.join(root, 'pkg', 'mod.py'), 'utf8')).toBe('def f():\r\n    return 1\r\n')
  })

  it('a file that something else rewrote while its accepted change was verified: nothing to publish, said why', () => {
    const workspace = new Workspace(root)
    const accepted = [{ path: 'pkg/mod.py', before: 'def f():\r\n    return 1\r\n', after: 'def f():\r\n    return 2\r\n' }]
    workspace.apply(accepted)
    fs.writeFileSync(path.join(root, 'pkg', 'mod.py'), 'rewritten by a test\n')
    workspace.recordAccepted(accepted)
    expect(() => workspace.verifiedFix()).toThrow(/Not publishing: pkg\/mod\.py changed while the tests ran/)
  })
})
