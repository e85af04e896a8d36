import { describe, expect, it } from '@jest/globals'
import type { Edit } from '../../src/domain.js'
import { planEdits, type EditPlan } from '../../src/edits/apply.js'
import { parseEditBlocks } from '../../src/edits/parse.js'

const filesOf =
  (files: Record<string, string>) =>
  (path: string): string | null =>
    files[path] ?? null

function afterOf(plan: EditPlan, path: string): string | undefined {
  if (!plan.ok) throw new Error(`plan failed:\n${plan.error}`)
  return plan.changes.find(change => change.path === path)?.after
}

function errorOf(plan: EditPlan): string {
  if (plan.ok) throw new Error('expected the plan to fail')
  return plan.error
}

const calc = 'def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n'

describe('planEdits: applies exact SEARCH/REPLACE blocks', () => {
  it('replaces the matching lines and keeps the rest of the file', () => {
    const plan = planEdits(
      [{ path: 'calc.py', search: 'def add(a, b):\n    return a - b\n', replace: 'def add(a, b):\n    return a + b\n' }],
      filesOf({ 'calc.py': calc })
    )
    expect(plan).toEqual({
      ok: true,
      changes: [{ path: 'calc.py', before: calc, after: calc.replace('return a - b', 'return a + b') }],
      notes: []
    })
  })

  it('applies several blocks to one file in order, each on the content the one before produced', () => {
    const edits: Edit[] = [
      { path: 'calc.py', search: 'def add(a, b):\n    return a - b\n', replace: 'def add(a, b):\n    return a + b\n' },
      { path: 'calc.py', search: '    return a + b\n', replace: '    return int(a) + int(b)\n' }
    ]
    expect(afterOf(planEdits(edits, filesOf({ 'calc.py': calc })), 'calc.py')).toBe(
      'def add(a, b):\n    return int(a) + int(b)\n\n\ndef sub(a, b):\n    return a - b\n'
    )
  })

  it('changes several files, in the order the blocks name them', () => {
    const plan = planEdits(
      [
        { path: 'b.py', search: 'B = 1\n', replace: 'B = 2\n' },
        { path: 'a.py', search: 'A = 1\n', replace: 'A = 2\n' }
      ],
      filesOf({ 'a.py': 'A = 1\n', 'b.py': 'B = 1\n' })
    )
    expect(plan.ok && plan.changes.map(change => [change.path, change.after])).toEqual([
      ['b.py', 'B = 2\n'],
      ['a.py', 'A = 2\n']
    ])
  })

  it('keeps unicode text intact', () => {
    const file = 'MESSAGE = "Grüße, 世界"\nEMOJI = "🐍"\n'
    const plan = planEdits(
      [{ path: 'i18n.py', search: 'MESSAGE = "Grüße, 世界"\n', replace: 'MESSAGE = "Grüße, 世界!"\n' }],
      filesOf({ 'i18n.py': file })
    )
    expect(afterOf(plan, 'i18n.py')).toBe('MESSAGE = "Grüße, 世界!"\nEMOJI = "🐍"\n')
  })
})

describe('planEdits: creates files only from an empty SEARCH', () => {
  it('creates a missing file', () => {
    const plan = planEdits([{ path: 'pkg/new.py', search: '', replace: 'VALUE = 1\n' }], filesOf({}))
    expect(plan).toEqual({ ok: true, changes: [{ path: 'pkg/new.py', before: null, after: 'VALUE = 1\n' }], notes: [] })
  })

  it('fills an existing empty file', () => {
    const plan = planEdits(
      [{ path: 'pkg/__init__.py', search: '', replace: 'from .core import run\n' }],
      filesOf({ 'pkg/__init__.py': '' })
    )
    expect(plan).toEqual({ ok: true, changes: [{ path: 'pkg/__init__.py', before: '', after: 'from .core import run\n' }], notes: [] })
  })

  it('refuses an empty SEARCH on a file that has content', () => {
    const error = errorOf(planEdits([{ path: 'calc.py', search: '', replace: 'x = 1\n' }], filesOf({ 'calc.py': calc })))
    expect(error).toMatch(/^Block 1 \(calc\.py\): the SEARCH part is empty, which creates a new file, but calc\.py already exists\./)
  })

  it('refuses a SEARCH in a file that does not exist', () => {
    const error = errorOf(planEdits([{ path: 'calcs.py', search: 'x\n', replace: 'y\n' }], filesOf({ 'calc.py': calc })))
    expect(error).toMatch(/^Block 1 \(calcs\.py\): calcs\.py does not exist\. Use a path shown in the prompt/)
  })
})

describe("planEdits: keeps the file's line endings and final newline", () => {
  it('keeps a CRLF file CRLF', () => {
    const file = 'def add(a, b):\r\n    return a - b\r\n'
    const plan = planEdits(
      [{ path: 'calc.py', search: '    return a - b\n', replace: '    total = a + b\n    return total\n' }],
      filesOf({ 'calc.py': file })
    )
    expect(afterOf(plan, 'calc.py')).toBe('def add(a, b):\r\n    total = a + b\r\n    return total\r\n')
  })

  it('keeps a file without a final newline without one', () => {
    const plan = planEdits(
      [{ path: 'v.py', search: 'VERSION = "1"\n', replace: 'VERSION = "2"\n' }],
      filesOf({ 'v.py': 'X = 0\nVERSION = "1"' })
    )
    expect(afterOf(plan, 'v.py')).toBe('X = 0\nVERSION = "2"')
  })

  it('keeps a byte order mark', () => {
    const plan = planEdits([{ path: 'bom.py', search: 'A = 1\n', replace: 'A = 2\n' }], filesOf({ 'bom.py': '\uFEFFA = 1\n' }))
    expect(afterOf(plan, 'bom.py')).toBe('\uFEFFA = 2\n')
  })
})

describe('planEdits: tolerates the whitespace slips models make, and only those', () => {
  it('ignores trailing whitespace differences', () => {
    const plan = planEdits(
      [{ path: 'calc.py', search: 'def add(a, b):   \n    return a - b\n', replace: 'def add(a, b):\n    return a + b\n' }],
      filesOf({ 'calc.py': 'def add(a, b):\n    return a - b  \n' })
    )
    expect(afterOf(plan, 'calc.py')).toBe('def add(a, b):\n    return a + b\n')
  })

  it('matches a SEARCH that lost its indentation and re-indents the replacement', () => {
    const file = 'class Calc:\n    def add(self, a, b):\n        if a is None:\n            return b\n        return a - b\n'
    const edit = {
      path: 'calc.py',
      search: 'if a is None:\n    return b\nreturn a - b\n',
      replace: 'if a is None:\n    return b\nreturn a + b\n'
    }
    expect(afterOf(planEdits([edit], filesOf({ 'calc.py': file })), 'calc.py')).toBe(
      'class Calc:\n    def add(self, a, b):\n        if a is None:\n            return b\n        return a + b\n'
    )
  })

  it('matches a SEARCH indented too deep and re-indents the replacement to the file', () => {
    const file = 'def f(x):\n    return x\n'
    const edit = {
      path: 'f.py',
      search: '        def f(x):\n            return x\n',
      replace: '        def f(x):\n            return x * 2\n'
    }
    expect(afterOf(planEdits([edit], filesOf({ 'f.py': file })), 'f.py')).toBe('def f(x):\n    return x * 2\n')
  })

  it('matches tab-indented code', () => {
    const file = 'def f(x):\n\tif x:\n\t\treturn 1\n\treturn 0\n'
    const edit = { path: 'f.py', search: 'if x:\n\treturn 1\n', replace: 'if x > 0:\n\treturn 1\n' }
    expect(afterOf(planEdits([edit], filesOf({ 'f.py': file })), 'f.py')).toBe('def f(x):\n\tif x > 0:\n\t\treturn 1\n\treturn 0\n')
  })

  it('ignores a stray blank line at the start and end of SEARCH', () => {
    const edit = {
      path: 'calc.py',
      search: '\ndef sub(a, b):\n    return a - b\n\n',
      replace: '\ndef sub(a, b):\n    return a - b - 0\n\n'
    }
    expect(afterOf(planEdits([edit], filesOf({ 'calc.py': calc })), 'calc.py')).toBe(
      'def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b - 0\n'
    )
  })

  it('does not match lines whose indentation differs unevenly', () => {
    const file = 'def f():\n    a = 1\n      b = 2\n'
    const error = errorOf(planEdits([{ path: 'f.py', search: 'a = 1\nb = 2\n', replace: 'a = 1\nb = 3\n' }], filesOf({ 'f.py': file })))
    expect(error).toMatch(/^Block 1 \(f\.py\): the SEARCH part matches no lines of f\.py\./)
  })
})

describe('planEdits: never guesses between two places', () => {
  it('refuses a SEARCH found more than once, naming the lines', () => {
    const error = errorOf(
      planEdits([{ path: 'calc.py', search: '    return a - b\n', replace: '    return a + b\n' }], filesOf({ 'calc.py': calc }))
    )
    expect(error).toMatch(/^Block 1 \(calc\.py\): the SEARCH part matches 2 places in calc\.py \(lines 2, 6\)\. Add neighbouring lines/)
  })

  it('refuses a whitespace-tolerant match found more than once', () => {
    const file = 'def a():\n    x = 1\n\ndef b():\n    x = 1\n'
    const error = errorOf(planEdits([{ path: 'f.py', search: 'x = 1\n', replace: 'x = 2\n' }], filesOf({ 'f.py': file })))
    expect(error).toMatch(/matches 2 places in f\.py \(lines 2, 5\)/)
  })

  it('takes the one exact match even when a tolerant match exists elsewhere', () => {
    const file = 'x = 1\ndef b():\n    x = 1\n'
    expect(afterOf(planEdits([{ path: 'f.py', search: 'x = 1\n', replace: 'x = 2\n' }], filesOf({ 'f.py': file })), 'f.py')).toBe(
      'x = 2\ndef b():\n    x = 1\n'
    )
  })
})

describe('planEdits: a failing block fails the whole plan, with feedback the model can act on', () => {
  const file =
    'import math\n\n\ndef area(r):\n    """Area of a circle."""\n    return math.pi * r ** 3\n\n\ndef perimeter(r):\n    return 2 * math.pi * r\n'

  it('names the file, the block and the closest existing lines with their line numbers', () => {
    const edits: Edit[] = [
      { path: 'geo.py', search: 'import math\n', replace: 'import math\nimport sys\n' },
      {
        path: 'geo.py',
        search: 'def area(radius):\n    return math.pi * radius ** 3\n',
        replace: 'def area(radius):\n    return math.pi * radius ** 2\n'
      }
    ]
    const error = errorOf(planEdits(edits, filesOf({ 'geo.py': file })))
    expect(error).toContain(
      'Block 2 (geo.py): the SEARCH part matches no lines of geo.py. SEARCH was:\n```\ndef area(radius):\n    return math.pi * radius ** 3\n```'
    )
    // block 1 added a line above, and the numbers say so
    expect(error).toContain(
      'The most similar lines in geo.py are lines 5-7, counting the changes of the blocks before (numbered here; the numbers are not part of the file):\n' +
        '```\n5 | def area(r):\n6 |     """Area of a circle."""\n7 |     return math.pi * r ** 3\n```'
    )
    // what differs, so the next answer can copy it: a changed line, a line SEARCH left out
    expect(error).toContain('- line 5 differs: the file has `def area(r):`, SEARCH has `def area(radius):`')
    expect(error).toContain('- line 6 (`"""Area of a circle."""`) is missing from SEARCH')
    expect(error).toContain('- line 7 differs: the file has `return math.pi * r ** 3`, SEARCH has `return math.pi * radius ** 3`')
    expect(error).toContain('Copy the lines into SEARCH exactly as they are in the file')
    expect(error).toMatch(/None of the blocks were applied\. Answer again with all blocks, corrected\.$/)
    expect(error).not.toContain('Block 1')
  })

  it('reports every failing block, not only the first', () => {
    const edits: Edit[] = [
      { path: 'geo.py', search: 'import maths\n', replace: 'import math\n' },
      { path: 'geo.py', search: 'def volume(r):\n', replace: 'def volume(r, h):\n' }
    ]
    const error = errorOf(planEdits(edits, filesOf({ 'geo.py': file })))
    expect(error).toContain(
      'The most similar lines in geo.py are line 1 (numbered here; the numbers are not part of the file):\n```\n1 | import math\n```'
    )
    expect(error).toContain('Block 1 (geo.py)')
    expect(error).toContain('Block 2 (geo.py)')
  })

  it('says when the REPLACE lines are already in the file', () => {
    const edit = { path: 'geo.py', search: '    return 2 * math.pi * r * 1\n', replace: '    return 2 * math.pi * r\n' }
    expect(errorOf(planEdits([edit], filesOf({ 'geo.py': file })))).toContain('The REPLACE lines are already in geo.py')
  })

  it('says when nothing in the file resembles the SEARCH part', () => {
    const edit = { path: 'geo.py', search: 'zzzz qqqq\n', replace: 'y\n' }
    expect(errorOf(planEdits([edit], filesOf({ 'geo.py': file })))).toContain(
      'Nothing in geo.py resembles it: check that the block targets the right file.'
    )
  })
})

describe('planEdits: reports edits that change nothing', () => {
  it('fails a plan whose only block has identical SEARCH and REPLACE', () => {
    const error = errorOf(
      planEdits([{ path: 'calc.py', search: 'def add(a, b):\n', replace: 'def add(a, b):\n' }], filesOf({ 'calc.py': calc }))
    )
    expect(error).toMatch(/^The edit blocks change no file\.\nBlock 1 \(calc\.py\): SEARCH and REPLACE are identical/)
  })

  it('notes a no-op block next to blocks that do change something', () => {
    const plan = planEdits(
      [
        { path: 'calc.py', search: 'def add(a, b):\n', replace: 'def add(a, b):\n' },
        { path: 'calc.py', search: 'def add(a, b):\n    return a - b\n', replace: 'def add(a, b):\n    return a + b\n' }
      ],
      filesOf({ 'calc.py': calc })
    )
    expect(plan.ok && plan.notes).toEqual(['Block 1 (calc.py): SEARCH and REPLACE are identical, so the block changes nothing.'])
  })

  it('leaves out a file whose blocks cancel each other', () => {
    const plan = planEdits(
      [
        { path: 'a.py', search: 'A = 1\n', replace: 'A = 2\n' },
        { path: 'a.py', search: 'A = 2\n', replace: 'A = 1\n' },
        { path: 'b.py', search: 'B = 1\n', replace: 'B = 2\n' }
      ],
      filesOf({ 'a.py': 'A = 1\n', 'b.py': 'B = 1\n' })
    )
    expect(plan.ok && plan.changes.map(change => change.path)).toEqual(['b.py'])
  })
})

describe('planEdits: takes parsed model answers as they come', () => {
  it('applies a CRLF, fenced, multi-file answer to the files', () => {
    const answer = [
      'The bug is in `calc.py`:',
      '',
      'calc.py',
      '```python',
      '<<<<<<< SEARCH',
      'def add(a, b):',
      '    return a - b',
      '=======',
      'def add(a, b):',
      '    return a + b',
      '>>>>>>> REPLACE',
      '```',
      '',
      'And add a helper:',
      '',
      '```python',
      'helpers.py',
      '<<<<<<< SEARCH',
      '=======',
      'def double(x):',
      '    return add(x, x)',
      '>>>>>>> REPLACE',
      '```'
    ].join('\r\n')
    const { edits, problems } = parseEditBlocks(answer)
    expect(problems).toEqual([])
    const plan = planEdits(edits, filesOf({ 'calc.py': calc }))
    expect(afterOf(plan, 'calc.py')).toBe(calc.replace('def add(a, b):\n    return a - b', 'def add(a, b):\n    return a + b'))
    expect(afterOf(plan, 'helpers.py')).toBe('def double(x):\n    return add(x, x)\n')
  })
})

describe('planEdits: stays quick on large files', () => {
  it('explains a miss in a 20,000-line file within seconds', () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `    value_${i} = compute(${i}, "text number ${i % 97}")`)
    const search = Array.from({ length: 60 }, (_, i) => `    valu_${i * 7} = compute(${i}, "txt ${i}")`).join('\n') + '\n'
    const started = Date.now()
    const error = errorOf(planEdits([{ path: 'big.py', search, replace: 'x = 1\n' }], () => lines.join('\n') + '\n'))
    expect(Date.now() - started).toBeLessThan(5000)
    expect(error).toMatch(/The most similar lines in big\.py are lines 1-60 \(/)
  })
})

describe('planEdits: a path that names no file is read as the one shown file it matches', () => {
  const files = { 'toolz/functoolz.py': 'def curry(f):\n    return f\n', 'toolz/itertoolz.py': 'def first(s):\n    return s[0]\n' }
  const shownFiles = Object.keys(files)

  it('by its name or a suffix of its path, with a note', () => {
    for (const path of ['functoolz.py', 'toolz/functoolz.py', 'repo/toolz/functoolz.py']) {
      const plan = planEdits([{ path, search: '    return f\n', replace: '    return f()\n' }], filesOf(files), { shownFiles })
      if (!plan.ok) throw new Error(plan.error)
      expect(plan.changes.map(change => change.path)).toEqual(['toolz/functoolz.py'])
      if (path !== 'toolz/functoolz.py') {
        expect(plan.notes).toEqual([
          `Block 1 (${path}): ${path} names no file; it was taken as toolz/functoolz.py, the one file of the prompt it matches.`
        ])
      }
    }
  })

  it('lists the candidates when several shown files match, and changes nothing', () => {
    const both = { 'a/utils.py': 'X = 1\n', 'b/utils.py': 'X = 1\n' }
    const error = errorOf(
      planEdits([{ path: 'utils.py', search: 'X = 1\n', replace: 'X = 2\n' }], filesOf(both), { shownFiles: Object.keys(both) })
    )
    expect(error).toMatch(
      /^Block 1 \(utils\.py\): utils\.py names no file, and it matches several files the prompt showed: a\/utils\.py, b\/utils\.py\. Write the full path/
    )
  })

  it('keeps a path no shown file matches, and a new file is created where the block says', () => {
    expect(errorOf(planEdits([{ path: 'other.py', search: 'x\n', replace: 'y\n' }], filesOf(files), { shownFiles }))).toMatch(
      /other\.py does not exist/
    )
    const created = planEdits([{ path: 'functoolz.py', search: '', replace: 'NEW = 1\n' }], filesOf(files), { shownFiles })
    expect(created.ok && created.changes.map(change => change.path)).toEqual(['functoolz.py'])
  })
})

describe('planEdits: `...` in both parts leaves out the same unchanged lines', () => {
  const file = 'def total(items):\n    count = 0\n    for item in items:\n        count += item.price\n    tax = 0.2\n    return count\n'

  it('applies when the pieces are found in order, once', () => {
    const edit = {
      path: 'shop.py',
      search: 'def total(items):\n    ...\n    return count\n',
      replace: 'def total(items):\n    ...\n    return count * (1 + tax)\n'
    }
    expect(afterOf(planEdits([edit], filesOf({ 'shop.py': file })), 'shop.py')).toBe(
      file.replace('    return count\n', '    return count * (1 + tax)\n')
    )
  })

  it('changes lines on both sides of the elided stretch, which stays as it is', () => {
    const edit = {
      path: 'shop.py',
      search: 'def total(items):\n    count = 0\n    # ... unchanged ...\n    tax = 0.2\n',
      replace: 'def total(items):\n    count = 0.0\n    # ... unchanged ...\n    tax = 0.25\n'
    }
    expect(afterOf(planEdits([edit], filesOf({ 'shop.py': file })), 'shop.py')).toBe(
      file.replace('count = 0\n', 'count = 0.0\n').replace('0.2\n', '0.25\n')
    )
  })

  it('refuses pieces that can be placed in more than one way', () => {
    const twice = 'def a():\n    x = 1\n    y = 2\n    return x\n\n\ndef b():\n    x = 1\n    return x\n'
    const edit = { path: 'f.py', search: 'x = 1\n...\nreturn x\n', replace: 'x = 1\n...\nreturn x + 1\n' }
    expect(errorOf(planEdits([edit], filesOf({ 'f.py': twice })))).toMatch(/matches \d+ places in f\.py/)
  })

  it('refuses unpaired `...` and REPLACE lines with nothing to anchor them', () => {
    const unpaired = {
      path: 'shop.py',
      search: 'def total(items):\n...\n    return count\n',
      replace: 'def total(items):\n    return count + 1\n'
    }
    expect(errorOf(planEdits([unpaired], filesOf({ 'shop.py': file })))).toMatch(/SEARCH has 1 `\.\.\.` line\(s\) and REPLACE has 0/)
    const unanchored = { path: 'shop.py', search: '...\n    return count\n', replace: 'import math\n...\n    return count\n' }
    expect(errorOf(planEdits([unanchored], filesOf({ 'shop.py': file })))).toMatch(
      /REPLACE adds lines next to a `\.\.\.` line that SEARCH gives nothing to anchor/
    )
  })

  it('takes a real `...` line (an Ellipsis body) as code when it matches', () => {
    const stub = 'class P(Protocol):\n    def run(self) -> int:\n        ...\n'
    const edit = { path: 'p.py', search: '    def run(self) -> int:\n        ...\n', replace: '    def run(self) -> str:\n        ...\n' }
    expect(afterOf(planEdits([edit], filesOf({ 'p.py': stub })), 'p.py')).toBe(stub.replace('-> int', '-> str'))
  })
})

describe('planEdits: tabs and spaces, BOM and CRLF, and the bytes of unchanged lines', () => {
  it('matches a SEARCH in spaces against a tab-indented file, and writes tabs', () => {
    const file = 'class A:\n\tdef f(self, x):\n\t\tif x:\n\t\t\treturn 1\n\t\treturn 0\n'
    const edit = {
      path: 't.py',
      search: '    def f(self, x):\n        if x:\n            return 1\n',
      replace: '    def f(self, x):\n        if x > 0:\n            return 1\n'
    }
    expect(afterOf(planEdits([edit], filesOf({ 't.py': file })), 't.py')).toBe(file.replace('if x:', 'if x > 0:'))
  })

  it('matches a SEARCH in tabs against a file indented with two spaces, and writes two spaces', () => {
    const file = 'def f(x):\n  if x:\n    return 1\n  return 0\n'
    const edit = { path: 't.py', search: '\tif x:\n\t\treturn 1\n', replace: '\tif x:\n\t\treturn 2\n' }
    expect(afterOf(planEdits([edit], filesOf({ 't.py': file })), 't.py')).toBe('def f(x):\n  if x:\n    return 2\n  return 0\n')
  })

  it('keeps the trailing spaces and CRLF of lines the fix does not change; only the changed line differs', () => {
    const file = 'def f(x):   \r\n    y = x  \r\n    return y - 1\r\n'
    const edit = { path: 'f.py', search: 'def f(x):\n    y = x\n    return y - 1\n', replace: 'def f(x):\n    y = x\n    return y + 1\n' }
    expect(afterOf(planEdits([edit], filesOf({ 'f.py': file })), 'f.py')).toBe('def f(x):   \r\n    y = x  \r\n    return y + 1\r\n')
  })

  it("matches a SEARCH that copied the byte order mark, and keeps the file's own", () => {
    const file = '\uFEFFLIMIT_DEFAULT = 11\nOTHER = 2\n'
    const edit = { path: 'c.py', search: '\uFEFFLIMIT_DEFAULT = 11\n', replace: '\uFEFFLIMIT_DEFAULT = 10\n' }
    expect(afterOf(planEdits([edit], filesOf({ 'c.py': file })), 'c.py')).toBe('\uFEFFLIMIT_DEFAULT = 10\nOTHER = 2\n')
    // and a file without one does not get one
    expect(afterOf(planEdits([edit], filesOf({ 'c.py': 'LIMIT_DEFAULT = 11\n' })), 'c.py')).toBe('LIMIT_DEFAULT = 10\n')
  })

  it('keeps a missing final newline when the last line changes', () => {
    const edit = { path: 'v.py', search: 'A = 1\nB = 2\n', replace: 'A = 1\nB = 3\nC = 4\n' }
    expect(afterOf(planEdits([edit], filesOf({ 'v.py': 'A = 1\nB = 2' })), 'v.py')).toBe('A = 1\nB = 3\nC = 4')
  })
})

describe('planEdits: one misremembered context line, only where the rest pins the place', () => {
  const file = 'def price(item):\n    """Price after tax."""\n    base = item.cost\n    return base * 1.2\n'

  it("applies, keeps the file's line, and says so", () => {
    const edit = {
      path: 'p.py',
      search: 'def price(item):\n    """Price with tax."""\n    base = item.cost\n    return base * 1.2\n',
      replace: 'def price(item):\n    """Price with tax."""\n    base = item.cost\n    return base * 1.25\n'
    }
    const plan = planEdits([edit], filesOf({ 'p.py': file }))
    expect(afterOf(plan, 'p.py')).toBe(file.replace('1.2\n', '1.25\n'))
    expect(plan.ok && plan.notes).toEqual([
      'Block 1 (p.py): line 2 of p.py was taken as the SEARCH line it resembles and kept as it is in the file.'
    ])
  })

  it('refuses a changed line that does not match, and two misremembered lines', () => {
    const changedLineWrong = {
      path: 'p.py',
      search: 'def price(item):\n    """Price after tax."""\n    base = item.cost\n    return base * 1.3\n',
      replace: 'def price(item):\n    """Price after tax."""\n    base = item.cost\n    return base * 1.25\n'
    }
    expect(errorOf(planEdits([changedLineWrong], filesOf({ 'p.py': file })))).toMatch(/matches no lines of p\.py/)
    const two = {
      path: 'p.py',
      search: 'def price(it):\n    """Price with tax."""\n    base = item.cost\n    return base * 1.2\n',
      replace: 'def price(it):\n    """Price with tax."""\n    base = item.cost\n    return base * 1.25\n'
    }
    expect(errorOf(planEdits([two], filesOf({ 'p.py': file })))).toMatch(/matches no lines of p\.py/)
  })
})

describe('planEdits: a whole-file rewrite is applied as its diff against the file', () => {
  const file = 'import os   \n\n\ndef a():\n    return 1\n\n\ndef b():\n    return 2\n'

  it('changes only the lines that differ; the others keep their bytes', () => {
    const rewrite = {
      path: 'm.py',
      search: '',
      replace: 'import os\n\n\ndef a():\n\treturn 1\n\n\ndef b():\n\treturn 3\n',
      format: 'whole-file' as const
    }
    const plan = planEdits([rewrite], filesOf({ 'm.py': file }), { wholeFiles: ['m.py'] })
    expect(afterOf(plan, 'm.py')).toBe(file.replace('return 2', 'return 3'))
  })

  it('is refused for a file the prompt showed only in part, and for an excerpt', () => {
    const rewrite = { path: 'm.py', search: '', replace: 'def b():\n    return 3\n', format: 'whole-file' as const }
    expect(errorOf(planEdits([rewrite], filesOf({ 'm.py': file }), { wholeFiles: [] }))).toMatch(/the prompt did not show the whole file/)
    expect(errorOf(planEdits([rewrite], filesOf({ 'm.py': file }), { wholeFiles: ['m.py'] }))).toMatch(
      /looks like an excerpt, not the whole file/
    )
  })

  it('is refused when it keeps most of the file but drops a stretch of code with nothing in its place', () => {
    const helpers = Array.from({ length: 10 }, (_, i) => `def helper_${i}():\n    return ${i}\n\n`).join('')
    const long = `${helpers}def main():\n    return helper_0() - 1\n`
    const dropped = `${helpers.split('def helper_6')[0]}def main():\n    return helper_0() + 1\n`
    const rewrite = { path: 'h.py', search: '', replace: dropped, format: 'whole-file' as const }
    expect(errorOf(planEdits([rewrite], filesOf({ 'h.py': long }), { wholeFiles: ['h.py'] }))).toMatch(/looks like an excerpt/)
  })
})

describe('planEdits: a diff hunk is found by its context, its line numbers aside', () => {
  it('applies a parsed diff whose numbers are wrong, and refuses one whose context is found twice', () => {
    const diff = ['--- a/calc.py', '+++ b/calc.py', '@@ -40,2 +40,2 @@', ' def add(a, b):', '-    return a - b', '+    return a + b'].join(
      '\n'
    )
    expect(afterOf(planEdits(parseEditBlocks(diff).edits, filesOf({ 'calc.py': calc })), 'calc.py')).toBe(
      calc.replace('return a - b', 'return a + b')
    )
    const twice = ['--- a/calc.py', '+++ b/calc.py', '@@ -1,1 +1,1 @@', '-    return a - b', '+    return a + b'].join('\n')
    expect(errorOf(planEdits(parseEditBlocks(twice).edits, filesOf({ 'calc.py': calc })))).toMatch(
      /matches 2 places in calc\.py \(lines 2, 6\)/
    )
  })
})

describe('planEdits: feedback says how SEARCH differs from the closest lines', () => {
  it('names an indentation difference, with line numbers', () => {
    const file = 'def f(x):\n    if x:\n        return 1\n    return 0\n'
    const edit = { path: 'f.py', search: 'def f(x):\n  if x:\n        return 2\n', replace: 'def f(x):\n  if x:\n        return 3\n' }
    const error = errorOf(planEdits([edit], filesOf({ 'f.py': file })))
    expect(error).toContain('1 | def f(x):\n2 |     if x:\n3 |         return 1')
    expect(error).toContain('- line 2: indentation differs: the file has 4 spaces, SEARCH has 2 spaces')
    expect(error).toContain('- line 3 differs: the file has `return 1`, SEARCH has `return 2`')
  })
})
