import { describe, expect, it } from '@jest/globals'
import {
  blockAtPath,
  innermostBlock,
  moduleAssignment,
  namesUsed,
  parameterNames,
  parsePython,
  qualifiedName
} from '../../src/context/python-source.js'

const source = [
  'import pytest', //                                  1
  '', //                                               2
  'RATE: float = 0.2', //                              3
  '', //                                               4
  '', //                                               5
  '@pytest.fixture(name="cart")', //                   6
  'def make_cart(', //                                 7
  '    tmp_path,', //                                  8
  '    monkeypatch: "pytest.MonkeyPatch" = None,', //   9
  '):', //                                            10
  '    """Docstring whose text', //                   11
  'starts at column 0 and says def fake(): nothing', //12
  '    """', //                                       13
  '    return {"items": []}  # def not_a_def():', //  14
  '', //                                              15
  '', //                                              16
  'class TestOuter:', //                              17
  '    class TestInner:', //                          18
  '        @pytest.mark.parametrize("n", [1, 2])', // 19
  '        @pytest.mark.slow', //                     20
  '        async def test_deep(self, cart, n, *args, **kwargs):', // 21
  '            total = (1 +', //                      22
  '# a comment at column 0 inside the body', //       23
  '                     2)', //                       24
  '            assert total == n', //                 25
  '', //                                              26
  '    def test_sibling(self):', //                   27
  '        pass', //                                  28
  '', //                                              29
  'def one_liner(): return 1', //                     30
  'def after():', //                                  31
  '    return one_liner()', //                        32
  ''
].join('\n')

describe('reading def and class blocks without running Python', () => {
  const module = parsePython(source)

  it('finds each def and class with its decorators, however the signature is spread', () => {
    const names = module.blocks.map(block => `${block.name}:${block.start}-${block.end}`)
    expect(names).toEqual([
      'make_cart:6-14',
      'TestOuter:17-28',
      'TestInner:18-25',
      'test_deep:19-25',
      'test_sibling:27-28',
      'one_liner:30-30',
      'after:31-32'
    ])
  })

  it('ignores defs inside strings and comments', () => {
    expect(module.blocks.some(block => block.name === 'fake' || block.name === 'not_a_def')).toBe(false)
  })

  it('gives the innermost block of a line and its qualified name', () => {
    const block = innermostBlock(module, 24)
    expect(block?.name).toBe('test_deep')
    expect(qualifiedName(module, block!)).toBe('TestOuter.TestInner.test_deep')
    expect(innermostBlock(module, 3)).toBeUndefined()
    expect(blockAtPath(module, ['TestOuter', 'TestInner', 'test_deep'])?.header).toBe(21)
  })

  it('reads parameter names, leaving out self, annotations, defaults and stars', () => {
    expect(parameterNames(blockAtPath(module, ['make_cart'])!)).toEqual(['tmp_path', 'monkeypatch'])
    expect(parameterNames(blockAtPath(module, ['TestOuter', 'TestInner', 'test_deep'])!)).toEqual(['cart', 'n', 'args', 'kwargs'])
  })

  it('keeps decorators as written, strings intact', () => {
    expect(blockAtPath(module, ['make_cart'])?.decorators).toEqual(['@pytest.fixture(name="cart")'])
  })

  it('finds annotated module-level assignments', () => {
    expect(moduleAssignment(module, 'RATE')?.start).toBe(3)
  })
})

describe('reading broken code (the syntax error the fix is for)', () => {
  it('recovers at the next def after an unclosed bracket', () => {
    const broken = parsePython(['def first(a, b:', '    return a', '', 'def second():', '    return 2', ''].join('\n'))
    expect(broken.blocks.map(block => block.name)).toContain('second')
    expect(blockAtPath(broken, ['second'])?.start).toBe(4)
  })

  it('handles tabs, CRLF line ends and a missing final newline', () => {
    const module = parsePython('class A:\r\n\tdef f(self):\r\n\t\treturn 1\r\nx = 1')
    expect(module.blocks.map(block => `${block.name}:${block.start}-${block.end}`)).toEqual(['A:1-3', 'f:2-3'])
  })
})

describe('names a piece of code uses', () => {
  it('gives dotted chains and attribute names, not words in strings', () => {
    const module = parsePython('def t(cart):\n    x = shop.pricing.discount(cart.total(), "Cart.fake")\n    return Cart().add(x)\n')
    const used = namesUsed(module.statements.map(statement => statement.code).join('\n'))
    const chains = used.chains.map(chain => chain.join('.'))
    expect(chains).toEqual(expect.arrayContaining(['shop.pricing.discount', 'cart.total', 'Cart']))
    expect(chains).not.toContain('Cart.fake')
    expect([...used.attributes]).toEqual(expect.arrayContaining(['add', 'total', 'discount']))
  })
})
