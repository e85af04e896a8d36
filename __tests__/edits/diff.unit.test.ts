import { describe, expect, it } from '@jest/globals'
import { unifiedDiff } from '../../src/edits/diff.js'

describe('unifiedDiff: the patch a reviewer reads', () => {
  it('writes git headers with a/ and b/ paths and three lines of context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\n'
    const after = 'a\nb\nc\nD\ne\nf\ng\n'
    expect(unifiedDiff([{ path: 'src/x.py', before, after }])).toBe(
      [
        'diff --git a/src/x.py b/src/x.py',
        '--- a/src/x.py',
        '+++ b/src/x.py',
        '@@ -1,7 +1,7 @@',
        ' a',
        ' b',
        ' c',
        '-d',
        '+D',
        ' e',
        ' f',
        ' g',
        ''
      ].join('\n')
    )
  })

  it('writes a new file against /dev/null with a new file mode', () => {
    expect(unifiedDiff([{ path: 'pkg/new.py', before: null, after: 'VALUE = 1\n' }])).toBe(
      [
        'diff --git a/pkg/new.py b/pkg/new.py',
        'new file mode 100644',
        '--- /dev/null',
        '+++ b/pkg/new.py',
        '@@ -0,0 +1,1 @@',
        '+VALUE = 1',
        ''
      ].join('\n')
    )
  })

  it('marks a missing final newline', () => {
    expect(unifiedDiff([{ path: 'v.py', before: 'V = 1', after: 'V = 2' }])).toContain(
      '-V = 1\n\\ No newline at end of file\n+V = 2\n\\ No newline at end of file\n'
    )
  })

  it('joins several files and leaves out unchanged ones', () => {
    const diff = unifiedDiff([
      { path: 'a.py', before: 'A = 1\n', after: 'A = 2\n' },
      { path: 'same.py', before: 'S = 1\n', after: 'S = 1\n' },
      { path: 'b.py', before: 'B = 1\n', after: 'B = 2\n' }
    ])
    expect(diff.match(/^diff --git .*$/gm)).toEqual(['diff --git a/a.py b/a.py', 'diff --git a/b.py b/b.py'])
    expect(diff).toContain('+A = 2\ndiff --git a/b.py b/b.py\n')
  })

  it('gives an empty string for no changes', () => {
    expect(unifiedDiff([])).toBe('')
  })
})
