import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { FileChange } from '../../src/domain.js'
import { unifiedDiff } from '../../src/edits/diff.js'

let repo = ''
const git = (...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'core.autocrlf=false', ...args], {
    cwd: repo,
    encoding: 'utf8'
  })

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'edits-diff-'))
  git('init', '-q')
})

afterAll(() => {
  if (repo !== '') rmSync(repo, { recursive: true, force: true })
})

describe('unifiedDiff: git apply takes the patch and produces the planned files', () => {
  it('applies modified, created, CRLF, unicode, spaced and newline-less files', () => {
    const long = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n'
    const changes: FileChange[] = [
      { path: 'src/calc.py', before: 'def add(a, b):\n    return a - b\n', after: 'def add(a, b):\n    return a + b\n' },
      { path: 'src/long.py', before: long, after: long.replace('line 3\n', 'line three\n').replace('line 27\n', 'line 27\nline 27b\n') },
      { path: 'win.py', before: 'A = 1\r\nB = 2\r\n', after: 'A = 1\r\nB = 3\r\n' },
      { path: 'i18n.py', before: 'MSG = "Grüße"\n', after: 'MSG = "Grüße, 世界 🐍"\n' },
      { path: 'docs/read me.txt', before: 'old\n', after: 'new\n' },
      { path: 'version.py', before: 'V = "1"', after: 'V = "2"\n' },
      { path: 'pkg/sub/new_module.py', before: null, after: 'VALUE = 1\n' },
      { path: 'pkg/empty.py', before: null, after: '' }
    ]
    for (const change of changes) {
      if (change.before === null) continue
      mkdirSync(dirname(join(repo, change.path)), { recursive: true })
      writeFileSync(join(repo, change.path), change.before)
    }
    git('add', '-A')
    git('commit', '-q', '-m', 'before')
    const patchFile = join(repo, '..', `${repo.split(/[\\/]/).pop()}.patch`)
    writeFileSync(patchFile, unifiedDiff(changes))
    try {
      git('apply', '--check', patchFile)
      git('apply', patchFile)
    } finally {
      rmSync(patchFile, { force: true })
    }
    for (const change of changes) {
      expect([change.path, readFileSync(join(repo, change.path), 'utf8')]).toEqual([change.path, change.after])
    }
  })
})
