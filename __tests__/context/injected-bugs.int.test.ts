// The localization promise, measured the way the bench measures it: inject one bug, run real pytest, build
// the first prompt for the failures, and look for the buggy line in it.
import { describe, expect, it } from '@jest/globals'
import { buildPrompt } from '../../src/context/prompt.js'
import { replaceInFile, runPytest } from './pytest-failures.js'

interface InjectedBug {
  kind: string
  file: string
  find: string
  replace: string
  /** a whole line the prompt must show: the changed line, or for a deletion the line just above it */
  mustShow: string
}

const pricing = 'src/inventory/pricing.py'
const stock = 'src/inventory/stock.py'
const parsing = 'src/inventory/parsing.py'
const reports = 'src/inventory/reports.py'
const text = 'src/inventory/util/text.py'

const bugs: InjectedBug[] = [
  {
    kind: 'wrong return value',
    file: pricing,
    find: 'round(value, 2)',
    replace: 'round(value, 1)',
    mustShow: '    return round(value, 1)'
  },
  {
    kind: 'wrong operator',
    file: pricing,
    find: 'amount * (1 + rate)',
    replace: 'amount * (1 - rate)',
    mustShow: '    return round_money(amount * (1 - rate))'
  },
  {
    kind: 'changed default argument',
    file: pricing,
    find: 'rate=TAX_RATE',
    replace: 'rate=0.25',
    mustShow: 'def price_with_tax(amount, rate=0.25):'
  },
  {
    kind: 'changed module constant used as default',
    file: pricing,
    find: 'TAX_RATE = 0.2',
    replace: 'TAX_RATE = 0.21',
    mustShow: 'TAX_RATE = 0.21'
  },
  {
    kind: 'off-by-one comparison',
    file: pricing,
    find: 'quantity >= threshold',
    replace: 'quantity > threshold',
    mustShow: '    if quantity > threshold:'
  },
  {
    kind: 'wrong expression',
    file: pricing,
    find: 'total -= total * percent / 100',
    replace: 'total -= percent / 100',
    mustShow: '        total -= percent / 100'
  },
  {
    kind: 'changed exception type',
    file: pricing,
    find: 'raise ValueError("parts',
    replace: 'raise TypeError("parts',
    mustShow: '        raise TypeError("parts must be positive")'
  },
  {
    kind: 'deleted guard',
    file: stock,
    find: '        if quantity <= 0:\n            raise StockError(f"cannot add {quantity} of {name}")\n',
    replace: '',
    mustShow: '    def add(self, name, quantity, unit_price):'
  },
  {
    kind: 'deleted statement',
    file: stock,
    find: '        self._prices[name] = unit_price\n',
    replace: '',
    mustShow: '        self._items[name] = self._items.get(name, 0) + quantity'
  },
  {
    kind: 'off-by-one guard',
    file: stock,
    find: 'if quantity > have:',
    replace: 'if quantity >= have:',
    mustShow: '        if quantity >= have:'
  },
  {
    kind: 'changed exception type in a method',
    file: stock,
    find: 'raise StockError(f"only',
    replace: 'raise KeyError(f"only',
    mustShow: '            raise KeyError(f"only {have} of {name} left")'
  },
  {
    kind: 'wrong return value in a method',
    file: stock,
    find: 'self._items.get(name, 0)\n',
    replace: 'self._items.get(name)\n',
    mustShow: '        return self._items.get(name)'
  },
  {
    kind: 'changed default in a constructor',
    file: stock,
    find: 'low_level=3',
    replace: 'low_level=2',
    mustShow: '    def __init__(self, low_level=2):'
  },
  {
    kind: 'swapped arguments',
    file: stock,
    find: 'price_with_tax(net, rate)',
    replace: 'price_with_tax(rate, net)',
    mustShow: '            total += net if rate is None else price_with_tax(rate, net)'
  },
  {
    kind: 'swapped unpacking',
    file: parsing,
    find: 'name, quantity, price = parts',
    replace: 'name, price, quantity = parts',
    mustShow: '    name, price, quantity = parts'
  },
  {
    kind: 'off-by-one slice',
    file: parsing,
    find: 'lines[1:]',
    replace: 'lines[2:]',
    mustShow: '    for line in lines[2:] if header else lines:'
  },
  { kind: 'wrong constant', file: parsing, find: 'len(parts) != 3', replace: 'len(parts) != 4', mustShow: '    if len(parts) != 4:' },
  {
    kind: 'renamed function (ImportError at collection)',
    file: pricing,
    find: 'def round_money(value):',
    replace: 'def round_cents(value):',
    mustShow: 'def round_cents(value):'
  },
  { kind: 'syntax error', file: parsing, find: 'def parse_line(line):', replace: 'def parse_line(line)', mustShow: 'def parse_line(line)' },
  {
    kind: 'off-by-one deep in a large module',
    file: reports,
    find: 'len(_cell(row[column]))',
    replace: 'len(_cell(row[column])) - 1',
    mustShow: '        widths.append(max(len(_cell(row[column])) - 1 for row in rows))'
  },
  {
    kind: 'wrong call in a large module',
    file: reports,
    find: '_cell(value).ljust(width)',
    replace: '_cell(value).rjust(width)',
    mustShow: '    cells = [_cell(value).rjust(width) for value, width in zip(row, widths)]'
  },
  {
    kind: 'wrong operator in a large module',
    file: reports,
    find: '        units += quantity',
    replace: '        units -= quantity',
    mustShow: '        units -= quantity'
  },
  {
    kind: 'wrong format through a relative import',
    file: text,
    find: ':.2f}',
    replace: ':.1f}',
    mustShow: '    return f"{round_money(value):.1f}"'
  }
]

describe('the first prompt shows the buggy line for injected bugs', () => {
  it.each(bugs)('$kind in $file', async bug => {
    const run = await runPytest('inventory', { mutate: root => replaceInFile(root, bug.file, bug.find, bug.replace) })
    try {
      expect(run.group.failures.length).toBeGreaterThan(0)
      const prompt = await buildPrompt({
        group: run.group,
        layout: run.layout,
        allowTestChanges: false,
        extraInstructions: '',
        previousAttempts: []
      })
      const user = prompt.messages[1].content
      expect(user.split('\n')).toContain(bug.mustShow)
      expect(prompt.files).toContain(bug.file)
    } finally {
      run.cleanup()
    }
  })

  it('covers at least 20 injected bugs of the kinds the bench uses', () => {
    expect(bugs.length).toBeGreaterThanOrEqual(20)
  })
})
