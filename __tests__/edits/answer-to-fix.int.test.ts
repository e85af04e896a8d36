import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { FileChange } from '../../src/domain.js'
import { planEdits } from '../../src/edits/apply.js'
import { parseEditBlocks } from '../../src/edits/parse.js'
import { checkEditPolicy } from '../../src/edits/policy.js'

// A small real project with a failing test; model answers go through parse, plan and policy, and real pytest judges.
let project = ''
const sources: Record<string, string> = {
  'src/shop/__init__.py': '',
  'src/shop/cart.py': [
    'class Cart:',
    '    def __init__(self):',
    '        self.items = []',
    '',
    '    def add(self, price, quantity=1):',
    '        self.items.append((price, quantity))',
    '',
    '    def total(self):',
    '        return sum(price for price, quantity in self.items)',
    ''
  ].join('\n'),
  'tests/test_cart.py': [
    'from shop.cart import Cart',
    '',
    '',
    'def test_total_counts_quantity():',
    '    cart = Cart()',
    '    cart.add(2.5, quantity=2)',
    '    cart.add(1.0)',
    '    assert cart.total() == 6.0',
    ''
  ].join('\n'),
  'pyproject.toml': '[project]\nname = "shop"\nversion = "0.1.0"\n\n[tool.pytest.ini_options]\npythonpath = ["src"]\n'
}

const pytest = (): number => {
  const run = spawnSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: project, encoding: 'utf8' })
  return run.status ?? -1
}
const readFile = (path: string): string | null => (existsSync(join(project, path)) ? readFileSync(join(project, path), 'utf8') : null)
const write = (changes: FileChange[]): void => {
  for (const change of changes) {
    mkdirSync(dirname(join(project, change.path)), { recursive: true })
    writeFileSync(join(project, change.path), change.after)
  }
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'edits-answer-'))
})

afterAll(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true })
})

function reset(): void {
  rmSync(project, { recursive: true, force: true })
  for (const [path, text] of Object.entries(sources)) {
    mkdirSync(dirname(join(project, path)), { recursive: true })
    writeFileSync(join(project, path), text)
  }
}

describe('a model answer becomes a fix that real pytest accepts', () => {
  it('fixes the failing test from a fenced answer whose SEARCH lost its indentation', () => {
    reset()
    expect(pytest()).toBe(1)
    const answer = [
      'The total ignores the quantity. Multiply each price by its quantity:',
      '',
      '```python',
      'src/shop/cart.py',
      '<<<<<<< SEARCH',
      'def total(self):',
      '    return sum(price for price, quantity in self.items)',
      '=======',
      'def total(self):',
      '    return sum(price * quantity for price, quantity in self.items)',
      '>>>>>>> REPLACE',
      '```'
    ].join('\r\n')
    const { edits, problems } = parseEditBlocks(answer)
    expect(problems).toEqual([])
    const plan = planEdits(edits, readFile)
    if (!plan.ok) throw new Error(plan.error)
    expect(checkEditPolicy(plan.changes, { repoRoot: project, allowTestChanges: false })).toEqual([])
    write(plan.changes)
    expect(pytest()).toBe(0)
  })

  it('refuses an answer that makes pytest pass by skipping the test', () => {
    reset()
    const answer = [
      'tests/test_cart.py',
      '<<<<<<< SEARCH',
      'def test_total_counts_quantity():',
      '=======',
      'import pytest',
      '',
      '',
      '@pytest.mark.skip(reason="total is approximate")',
      'def test_total_counts_quantity():',
      '>>>>>>> REPLACE'
    ].join('\n')
    const plan = planEdits(parseEditBlocks(answer).edits, readFile)
    if (!plan.ok) throw new Error(plan.error)
    const rules = checkEditPolicy(plan.changes, { repoRoot: project, allowTestChanges: false }).map(violation => violation.rule)
    expect(rules).toEqual(['test-file', 'test-weakened'])
    // the guard matters: applied anyway, this answer would turn the run green
    write(plan.changes)
    expect(pytest()).toBe(0)
  })
})
