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
    const plan = planEdits([{ path: 'i18n.py', search: 'MESSAGE = "Grüße, 世界"\n', replace: 'MESSAGE = "Grüße, 世界!"\n' }], filesOf({ 'i18n.py': file }))
    expect(afterOf(plan, 'i18n.py')).toBe('MESSAGE = "Grüße, 世界!"\nEMOJI = "🐍"\n')
  })
})

describe('planEdits: creates files only from an empty SEARCH', () => {
  it('creates a missing file', () => {
    const plan = planEdits([{ path: 'pkg/new.py', search: '', replace: 'VALUE = 1\n' }], filesOf({}))
    expect(plan).toEqual({ ok: true, changes: [{ path: 'pkg/new.py', before: null, after: 'VALUE = 1\n' }], notes: [] })
  })

  it('fills an existing empty file', () => {
    const plan = planEdits([{ path: 'pkg/__init__.py', search: '', replace: 'from .core import run\n' }], filesOf({ 'pkg/__init__.py': '' }))
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

describe('planEdits: keeps the file\'s line endings and final newline', () => {
  it('keeps a CRLF file CRLF', () => {
    const file = 'def add(a, b):\r\n    return a - b\r\n'
    const plan = planEdits([{ path: 'calc.py', search: '    return a - b\n', replace: '    total = a + b\n    return total\n' }], filesOf({ 'calc.py': file }))
    expect(afterOf(plan, 'calc.py')).toBe('def add(a, b):\r\n    total = a + b\r\n    return total\r\n')
  })

  it('keeps a file without a final newline without one', () => {
    const plan = planEdits([{ path: 'v.py', search: 'VERSION = "1"\n', replace: 'VERSION = "2"\n' }], filesOf({ 'v.py': 'X = 0\nVERSION = "1"' }))
    expect(afterOf(plan, 'v.py')).toBe('X = 0\nVERSION = "2"')
  })

  it('keeps a byte order mark', () => {
    const plan = planEdits([{ path: 'bom.py', search: 'A = 1\n', replace: 'A = 2\n' }], filesOf({ 'bom.py': '\uFEFFA = 1\n' }))
    expect(afterOf(plan, 'bom.py')).toBe('\uFEFFA = 2\n')
  })
})

describe('planEdits: tolerates the whitespace slips models make, and only those', () => {
  it('ignores trailing whitespace differences', () => {
    const plan = planEdits([{ path: 'calc.py', search: 'def add(a, b):   \n    return a - b\n', replace: 'def add(a, b):\n    return a + b\n' }], filesOf({ 'calc.py': 'def add(a, b):\n    return a - b  \n' }))
    expect(afterOf(plan, 'calc.py')).toBe('def add(a, b):\n    return a + b\n')
  })

  it('matches a SEARCH that lost its indentation and re-indents the replacement', () => {
    const file = 'class Calc:\n    def add(self, a, b):\n        if a is None:\n            return b\n        return a - b\n'
    const edit = { path: 'calc.py', search: 'if a is None:\n    return b\nreturn a - b\n', replace: 'if a is None:\n    return b\nreturn a + b\n' }
    expect(afterOf(planEdits([edit], filesOf({ 'calc.py': file })), 'calc.py')).toBe(
      'class Calc:\n    def add(self, a, b):\n        if a is None:\n            return b\n        return a + b\n'
    )
  })

  it('matches a SEARCH indented too deep and re-indents the replacement to the file', () => {
    const file = 'def f(x):\n    return x\n'
    const edit = { path: 'f.py', search: '        def f(x):\n            return x\n', replace: '        def f(x):\n            return x * 2\n' }
    expect(afterOf(planEdits([edit], filesOf({ 'f.py': file })), 'f.py')).toBe('def f(x):\n    return x * 2\n')
  })

  it('matches tab-indented code', () => {
    const file = 'def f(x):\n\tif x:\n\t\treturn 1\n\treturn 0\n'
    const edit = { path: 'f.py', search: 'if x:\n\treturn 1\n', replace: 'if x > 0:\n\treturn 1\n' }
    expect(afterOf(planEdits([edit], filesOf({ 'f.py': file })), 'f.py')).toBe('def f(x):\n\tif x > 0:\n\t\treturn 1\n\treturn 0\n')
  })

  it('ignores a stray blank line at the start and end of SEARCH', () => {
    const edit = { path: 'calc.py', search: '\ndef sub(a, b):\n    return a - b\n\n', replace: '\ndef sub(a, b):\n    return a - b - 0\n\n' }
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
    const error = errorOf(planEdits([{ path: 'calc.py', search: '    return a - b\n', replace: '    return a + b\n' }], filesOf({ 'calc.py': calc })))
    expect(error).toMatch(/^Block 1 \(calc\.py\): the SEARCH part matches 2 places in calc\.py \(lines 2, 6\)\. Add neighbouring lines/)
  })

  it('refuses a whitespace-tolerant match found more than once', () => {
    const file = 'def a():\n    x = 1\n\ndef b():\n    x = 1\n'
    const error = errorOf(planEdits([{ path: 'f.py', search: 'x = 1\n', replace: 'x = 2\n' }], filesOf({ 'f.py': file })))
    expect(error).toMatch(/matches 2 places in f\.py \(lines 2, 5\)/)
  })

  it('takes the one exact match even when a tolerant match exists elsewhere', () => {
    const file = 'x = 1\ndef b():\n    x = 1\n'
    expect(afterOf(planEdits([{ path: 'f.py', search: 'x = 1\n', replace: 'x = 2\n' }], filesOf({ 'f.py': file })), 'f.py')).toBe('x = 2\ndef b():\n    x = 1\n')
  })
})

describe('planEdits: a failing block fails the whole plan, with feedback the model can act on', () => {
  const file = 'import math\n\n\ndef area(r):\n    """Area of a circle."""\n    return math.pi * r ** 3\n\n\ndef perimeter(r):\n    return 2 * math.pi * r\n'

  it('names the file, the block and the closest existing lines with their line numbers', () => {
    const edits: Edit[] = [
      { path: 'geo.py', search: 'import math\n', replace: 'import math\nimport sys\n' },
      { path: 'geo.py', search: 'def area(radius):\n    return math.pi * radius ** 3\n', replace: 'def area(radius):\n    return math.pi * radius ** 2\n' }
    ]
    const error = errorOf(planEdits(edits, filesOf({ 'geo.py': file })))
    expect(error).toContain('Block 2 (geo.py): the SEARCH part matches no lines of geo.py. SEARCH was:\n```\ndef area(radius):\n    return math.pi * radius ** 3\n```')
    // block 1 added a line above, and the numbers say so
    expect(error).toContain(
      'The most similar lines in geo.py are lines 5-7, counting the changes of the blocks before:\n```\ndef area(r):\n    """Area of a circle."""\n    return math.pi * r ** 3\n```'
    )
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
    expect(error).toContain('The most similar lines in geo.py are line 1:\n```\nimport math\n```')
    expect(error).toContain('Block 1 (geo.py)')
    expect(error).toContain('Block 2 (geo.py)')
  })

  it('says when the REPLACE lines are already in the file', () => {
    const edit = { path: 'geo.py', search: '    return 2 * math.pi * r * 1\n', replace: '    return 2 * math.pi * r\n' }
    expect(errorOf(planEdits([edit], filesOf({ 'geo.py': file })))).toContain('The REPLACE lines are already in geo.py')
  })

  it('says when nothing in the file resembles the SEARCH part', () => {
    const edit = { path: 'geo.py', search: 'zzzz qqqq\n', replace: 'y\n' }
    expect(errorOf(planEdits([edit], filesOf({ 'geo.py': file })))).toContain('Nothing in geo.py resembles it: check that the block targets the right file.')
  })
})

describe('planEdits: reports edits that change nothing', () => {
  it('fails a plan whose only block has identical SEARCH and REPLACE', () => {
    const error = errorOf(planEdits([{ path: 'calc.py', search: 'def add(a, b):\n', replace: 'def add(a, b):\n' }], filesOf({ 'calc.py': calc })))
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
    expect(error).toMatch(/The most similar lines in big\.py are lines 1-60:/)
  })
})
