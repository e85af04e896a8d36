import { describe, expect, it } from '@jest/globals'
import { parseEditBlocks } from '../../src/edits/parse.js'

const fence = '```'

describe('parseEditBlocks: reads the blocks the contract asks for', () => {
  it('reads a bare block with the path on the line before', () => {
    const answer = ['src/calc.py', '<<<<<<< SEARCH', '    return a - b', '=======', '    return a + b', '>>>>>>> REPLACE'].join('\n')
    expect(parseEditBlocks(answer)).toEqual({
      edits: [{ path: 'src/calc.py', search: '    return a - b\n', replace: '    return a + b\n' }],
      problems: []
    })
  })

  it('reads blocks inside ``` fences with prose around them', () => {
    const answer = [
      'The test fails because `add` subtracts. Here is the fix:',
      '',
      'src/calc.py',
      `${fence}python`,
      '<<<<<<< SEARCH',
      'def add(a, b):',
      '    return a - b',
      '=======',
      'def add(a, b):',
      '    return a + b',
      '>>>>>>> REPLACE',
      fence,
      '',
      'This makes `test_add` pass.'
    ].join('\n')
    const { edits, problems } = parseEditBlocks(answer)
    expect(problems).toEqual([])
    expect(edits).toEqual([
      { path: 'src/calc.py', search: 'def add(a, b):\n    return a - b\n', replace: 'def add(a, b):\n    return a + b\n' }
    ])
  })

  it('reads the Aider shape: the path inside the fence, right before the marker', () => {
    const answer = [`${fence}python`, 'pkg/mod.py', '<<<<<<< SEARCH', 'x = 1', '=======', 'x = 2', '>>>>>>> REPLACE', fence].join('\n')
    expect(parseEditBlocks(answer).edits).toEqual([{ path: 'pkg/mod.py', search: 'x = 1\n', replace: 'x = 2\n' }])
  })

  it('reads a CRLF answer and markers with trailing whitespace', () => {
    const answer = ['app.py', '<<<<<<< SEARCH  ', 'a = 1', '=======\t', 'a = 2', '>>>>>>> REPLACE ', ''].join('\r\n')
    expect(parseEditBlocks(answer)).toEqual({ edits: [{ path: 'app.py', search: 'a = 1\n', replace: 'a = 2\n' }], problems: [] })
  })

  it('accepts markers of 5 to 9 characters', () => {
    const answer = [
      'a.py',
      '<<<<< SEARCH',
      'x',
      '=====',
      'y',
      '>>>>> REPLACE',
      'b.py',
      '<<<<<<<<< SEARCH',
      'p',
      '=========',
      'q',
      '>>>>>>>>> REPLACE'
    ].join('\n')
    expect(parseEditBlocks(answer).edits).toEqual([
      { path: 'a.py', search: 'x\n', replace: 'y\n' },
      { path: 'b.py', search: 'p\n', replace: 'q\n' }
    ])
  })

  it('keeps the content exactly: indentation, trailing whitespace, blank lines, unicode', () => {
    const answer = [
      'i18n.py',
      '<<<<<<< SEARCH',
      '    GREETING = "héllo"  ',
      '',
      '\tTAB = 1',
      '=======',
      '    GREETING = "héllo wörld ✓"',
      '',
      '\tTAB = 1',
      '>>>>>>> REPLACE'
    ].join('\n')
    expect(parseEditBlocks(answer).edits[0]).toEqual({
      path: 'i18n.py',
      search: '    GREETING = "héllo"  \n\n\tTAB = 1\n',
      replace: '    GREETING = "héllo wörld ✓"\n\n\tTAB = 1\n'
    })
  })

  it('ignores draft blocks inside a <think> section of a reasoning model', () => {
    const answer = [
      '<think>',
      'Maybe:',
      'calc.py',
      '<<<<<<< SEARCH',
      'draft',
      '=======',
      'wrong',
      '>>>>>>> REPLACE',
      '</think>',
      'calc.py',
      '<<<<<<< SEARCH',
      'a',
      '=======',
      'b',
      '>>>>>>> REPLACE',
      '>>>>>>> REPLACE'
    ].join('\n')
    const { edits, problems } = parseEditBlocks(answer)
    expect(edits).toEqual([{ path: 'calc.py', search: 'a\n', replace: 'b\n' }])
    expect(problems).toEqual([expect.stringMatching(/^Line 16 of the answer/)])
  })

  it('reads a new-file block (empty SEARCH) and a deleting block (empty REPLACE)', () => {
    const answer = [
      'pkg/__init__.py',
      '<<<<<<< SEARCH',
      '=======',
      'from .core import run',
      '>>>>>>> REPLACE',
      'pkg/core.py',
      '<<<<<<< SEARCH',
      'import os',
      '=======',
      '>>>>>>> REPLACE'
    ].join('\n')
    expect(parseEditBlocks(answer).edits).toEqual([
      { path: 'pkg/__init__.py', search: '', replace: 'from .core import run\n' },
      { path: 'pkg/core.py', search: 'import os\n', replace: '' }
    ])
  })
})

describe('parseEditBlocks: finds the path in the shapes models write', () => {
  const block = ['<<<<<<< SEARCH', 'old', '=======', 'new', '>>>>>>> REPLACE']
  const pathOf = (...before: string[]): string | undefined => parseEditBlocks([...before, ...block].join('\n')).edits[0]?.path

  it.each([
    ['plain', ['src/app.py']],
    ['in backticks', ['`src/app.py`']],
    ['in bold', ['**src/app.py**']],
    ['bold code', ['**`src/app.py`**']],
    ['as a heading', ['### src/app.py']],
    ['as a python comment', ['# src/app.py']],
    ['with a trailing colon', ['src/app.py:']],
    ['labelled', ['File: src/app.py']],
    ['in a numbered list', ['1. `src/app.py`']],
    ['before a ```python fence', ['src/app.py', `${fence}python`]],
    ['before a fence, after a blank line', ['src/app.py', '', `${fence}python`]],
    ['as the fence info string', [`${fence}src/app.py`]],
    ['after the language in the fence info', [`${fence}python src/app.py`]],
    ['joined to the language by a colon', [`${fence}python:src/app.py`]],
    ['as a fence title', [`${fence}python title="src/app.py"`]],
    ['named once in a prose line', ['Then change `src/app.py` like this:']],
    ['named without quotes in a prose line', ['Update src/app.py as follows:']],
    ['in its own fence before the block (DeepSeek)', [`${fence}python`, 'src/app.py', fence, `${fence}python`]]
  ])('%s', (_shape, before) => {
    expect(pathOf(...before)).toBe('src/app.py')
  })

  it('normalizes ./ prefixes, backslashes and markdown-escaped underscores', () => {
    expect(pathOf('./src/app.py')).toBe('src/app.py')
    expect(pathOf('src\\pkg\\app.py')).toBe('src/pkg/app.py')
    expect(pathOf('src/my\\_pkg/\\_\\_init\\_\\_.py')).toBe('src/my_pkg/__init__.py')
  })

  it('keeps .. and absolute paths as written, for the policy to judge', () => {
    expect(pathOf('sub/../../etc/passwd')).toBe('sub/../../etc/passwd')
    expect(pathOf('/etc/hosts.txt')).toBe('/etc/hosts.txt')
  })

  it('gives later blocks without a path the path of the block before', () => {
    const answer = [
      'src/app.py',
      ...block,
      '',
      'And the second place in the same file:',
      ...block,
      `${fence}python`,
      ...block,
      fence,
      'tests/helpers.py',
      ...block
    ].join('\n')
    expect(parseEditBlocks(answer).edits.map(edit => edit.path)).toEqual(['src/app.py', 'src/app.py', 'src/app.py', 'tests/helpers.py'])
  })

  it('does not take a prose line naming two files as a path', () => {
    const { edits, problems } = parseEditBlocks(['Compare `a.py` and `b.py`:', ...block].join('\n'))
    expect(edits).toEqual([])
    expect(problems[0]).toMatch(/^Block 1 has no file path/)
  })
})

describe('parseEditBlocks: explains malformed answers as feedback for the next attempt', () => {
  it('says when there is no block at all', () => {
    const { edits, problems } = parseEditBlocks('Change line 3 of calc.py to `return a + b`.')
    expect(edits).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^The answer contains no SEARCH\/REPLACE edit block\. Write each edit as the file path/)
  })

  it('says when the answer looks like a diff but has no hunk it can read', () => {
    const diff = ['--- a/calc.py', '+++ b/calc.py', 'def add(a, b):', '-    return a - b', '+    return a + b'].join('\n')
    expect(parseEditBlocks(diff).problems[0]).toMatch(/^The answer looks like a unified diff, but it has no `@@` hunk that could be read\./)
  })

  it('says when the answer is empty', () => {
    expect(parseEditBlocks('  \n').problems[0]).toMatch(/^The answer was empty\./)
  })

  it('names a block without a path and keeps the good ones', () => {
    const answer = [
      'Here is the change:',
      '<<<<<<< SEARCH',
      'a',
      '=======',
      'b',
      '>>>>>>> REPLACE',
      'ok.py',
      '<<<<<<< SEARCH',
      'c',
      '=======',
      'd',
      '>>>>>>> REPLACE'
    ].join('\n')
    const { edits, problems } = parseEditBlocks(answer)
    expect(edits).toEqual([{ path: 'ok.py', search: 'c\n', replace: 'd\n' }])
    expect(problems).toEqual([expect.stringMatching(/^Block 1 has no file path, so it was ignored\. Put the path of the file/)])
  })

  it('names a block cut off before its end (a truncated answer)', () => {
    const answer = ['a.py', '<<<<<<< SEARCH', 'x', '=======', 'y', '>>>>>>> REPLACE', 'b.py', '<<<<<<< SEARCH', 'p', '=======', 'q'].join(
      '\n'
    )
    const { edits, problems } = parseEditBlocks(answer)
    expect(edits).toEqual([{ path: 'a.py', search: 'x\n', replace: 'y\n' }])
    expect(problems).toEqual([
      expect.stringMatching(/^Block 2 \(b\.py\) is not closed by a `>>>>>>> REPLACE` line \(was the answer cut off\?\)/)
    ])
  })

  it('names a block without its ======= line, and still reads the next block', () => {
    const answer = [
      'a.py',
      '<<<<<<< SEARCH',
      'x',
      'y',
      '>>>>>>> REPLACE',
      'b.py',
      '<<<<<<< SEARCH',
      'p',
      '=======',
      'q',
      '>>>>>>> REPLACE'
    ].join('\n')
    const { edits, problems } = parseEditBlocks(answer)
    expect(edits).toEqual([{ path: 'b.py', search: 'p\n', replace: 'q\n' }])
    expect(problems).toEqual([expect.stringMatching(/^Block 1 \(a\.py\) has no `=======` line after `<<<<<<< SEARCH`/)])
  })

  it('names a REPLACE marker without a SEARCH marker before it', () => {
    const answer = ['a.py', '=======', 'y', '>>>>>>> REPLACE'].join('\n')
    const { problems } = parseEditBlocks(answer)
    expect(problems[0]).toMatch(/^Line 4 of the answer has `>>>>>>> REPLACE` without a `<<<<<<< SEARCH` before it\./)
  })
})

describe('parseEditBlocks: reads a unified diff, hunk by hunk, as edits found by context', () => {
  it("reads git's diff: a/ b/ prefixes, several hunks, context and changed lines", () => {
    const answer = [
      'diff --git a/src/calc.py b/src/calc.py',
      'index 1111111..2222222 100644',
      '--- a/src/calc.py',
      '+++ b/src/calc.py',
      '@@ -1,3 +1,3 @@',
      ' def add(a, b):',
      '-    return a - b',
      '+    return a + b',
      ' ',
      '@@ -10,2 +10,3 @@ def sub(a, b):',
      ' def sub(a, b):',
      '+    """a minus b"""',
      '     return a - b'
    ].join('\n')
    expect(parseEditBlocks(answer)).toEqual({
      edits: [
        {
          path: 'src/calc.py',
          search: 'def add(a, b):\n    return a - b\n\n',
          replace: 'def add(a, b):\n    return a + b\n\n',
          format: 'diff'
        },
        {
          path: 'src/calc.py',
          search: 'def sub(a, b):\n    return a - b\n',
          replace: 'def sub(a, b):\n    """a minus b"""\n    return a - b\n',
          format: 'diff'
        }
      ],
      problems: []
    })
  })

  it('reads a fenced diff with a bare @@, blank context lines without their space, and prose after it', () => {
    const answer = [
      'Fix:',
      `${fence}diff`,
      '--- calc.py\t2024-01-01 00:00:00',
      '+++ calc.py\t2024-01-01 00:00:01',
      '@@',
      ' x = 1',
      '',
      '-y = 2',
      '+y = 3',
      fence,
      '',
      'This fixes it.'
    ].join('\n')
    expect(parseEditBlocks(answer).edits).toEqual([
      { path: 'calc.py', search: 'x = 1\n\ny = 2\n', replace: 'x = 1\n\ny = 3\n', format: 'diff' }
    ])
  })

  it('reads a new file from /dev/null, and names a hunk without a file', () => {
    const created = ['--- /dev/null', '+++ b/pkg/new.py', '@@ -0,0 +1,2 @@', '+A = 1', '+B = 2'].join('\n')
    expect(parseEditBlocks(created).edits).toEqual([{ path: 'pkg/new.py', search: '', replace: 'A = 1\nB = 2\n', format: 'diff' }])
    const orphan = ['@@ -1 +1 @@', '-a = 1', '+a = 2'].join('\n')
    expect(parseEditBlocks(orphan).problems[0]).toMatch(
      /^Diff hunk 1 \(line 1 of the answer\) has no `--- a\/path` and `\+\+\+ b\/path` lines/
    )
  })

  it('refuses a diff that deletes a file', () => {
    const answer = ['--- a/calc.py', '+++ /dev/null', '@@ -1 +0,0 @@', '-x = 1'].join('\n')
    expect(parseEditBlocks(answer).problems).toEqual([expect.stringMatching(/^The diff deletes calc\.py, which a fix may not do\./)])
  })
})

describe('parseEditBlocks: reads a whole file in a fence that names it', () => {
  it('takes the path from the fence info or from the line above, the content as the whole file', () => {
    const inInfo = ['Here is the file:', `${fence}python src/calc.py`, 'def add(a, b):', '    return a + b', fence].join('\n')
    expect(parseEditBlocks(inInfo)).toEqual({
      edits: [{ path: 'src/calc.py', search: '', replace: 'def add(a, b):\n    return a + b\n', format: 'whole-file' }],
      problems: []
    })
    const above = ['`src/calc.py`:', '', `${fence}python`, 'X = 1', fence].join('\n')
    expect(parseEditBlocks(above).edits).toEqual([{ path: 'src/calc.py', search: '', replace: 'X = 1\n', format: 'whole-file' }])
  })

  it('leaves fences that name no file alone, and prefers SEARCH/REPLACE blocks when there are any', () => {
    expect(parseEditBlocks(['Like this:', `${fence}python`, 'x = 1', fence].join('\n')).problems[0]).toMatch(
      /no SEARCH\/REPLACE edit block/
    )
    const mixed = [`${fence}python a.py`, 'x = 1', fence, 'a.py', '<<<<<<< SEARCH', 'x = 1', '=======', 'x = 2', '>>>>>>> REPLACE'].join(
      '\n'
    )
    expect(parseEditBlocks(mixed).edits).toEqual([{ path: 'a.py', search: 'x = 1\n', replace: 'x = 2\n' }])
  })
})
