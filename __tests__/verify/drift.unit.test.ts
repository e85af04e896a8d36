import { describe, expect, it } from '@jest/globals'
import type { TestOutcome } from '../../src/domain.js'
import { driftedOutcome, splitMissing, stableKey } from '../../src/verify/drift.js'

const outcomes = (entries: Array<[string, TestOutcome]>): Map<string, TestOutcome> => new Map(entries)

describe('the stable key of a node id', () => {
  it.each([
    ['tests/t.py::test_f[07:44:56 2026-12-02]', 'tests/t.py::test_f'],
    ['tests/t.py::TestA::test_f[x-1]', 'tests/t.py::TestA::test_f'],
    ['tests/t.py::test_f[a::b]', 'tests/t.py::test_f'],
    ['tests/t.py::test_f[x[0]]', 'tests/t.py::test_f'],
    ['tests/t.py::test_f[<Obj object at 0x7f3a>]', 'tests/t.py::test_f'],
    ['tests/t.py::test_f', 'tests/t.py::test_f'],
    ['src/pkg/mod.py::pkg.mod.func', 'src/pkg/mod.py::pkg.mod.func'],
    ['tests/t.py', 'tests/t.py']
  ])('%s → %s', (nodeId, key) => {
    expect(stableKey(nodeId)).toBe(key)
  })
})

describe('missing passing tests: drift or a test that went away', () => {
  const before = outcomes([
    ['t.py::test_at[07:44:56]', 'passed'],
    ['t.py::test_at[stable]', 'passed'],
    ['t.py::test_plain', 'passed'],
    ['t.py::test_two[r1]', 'passed'],
    ['t.py::test_two[r2]', 'passed']
  ])

  it('a drifted id whose function passes as often as before is drift', () => {
    const now = outcomes([
      ['t.py::test_at[07:45:10]', 'passed'],
      ['t.py::test_at[stable]', 'passed']
    ])
    expect(splitMissing(['t.py::test_at[07:44:56]'], before, now)).toEqual({ drifted: ['t.py::test_at[07:44:56]'], disappeared: [] })
  })

  it('the new instance failing is no cover: the test disappeared (and its new id fails)', () => {
    const now = outcomes([
      ['t.py::test_at[07:45:10]', 'failed'],
      ['t.py::test_at[stable]', 'passed']
    ])
    expect(splitMissing(['t.py::test_at[07:44:56]'], before, now).disappeared).toEqual(['t.py::test_at[07:44:56]'])
  })

  it('a stable sibling still passing does not cover a deleted instance', () => {
    const now = outcomes([['t.py::test_at[stable]', 'passed']])
    expect(splitMissing(['t.py::test_at[07:44:56]'], before, now).disappeared).toEqual(['t.py::test_at[07:44:56]'])
  })

  it('two instances gone and one new: not drift, both named', () => {
    const now = outcomes([['t.py::test_two[r3]', 'passed']])
    expect(splitMissing(['t.py::test_two[r1]', 't.py::test_two[r2]'], before, now)).toEqual({
      drifted: [],
      disappeared: ['t.py::test_two[r1]', 't.py::test_two[r2]']
    })
  })

  it('an id with no parametrize part never drifts', () => {
    const now = outcomes([['t.py::test_plain2', 'passed']])
    expect(splitMissing(['t.py::test_plain'], before, now)).toEqual({ drifted: [], disappeared: ['t.py::test_plain'] })
  })
})

describe('the outcome of a test known under a drifted id', () => {
  const known = new Set(['t.py::test_at[07:44:56]', 't.py::test_at[stable]'])
  it('its own outcome when the run has its id', () => {
    expect(driftedOutcome('t.py::test_at[stable]', outcomes([['t.py::test_at[stable]', 'failed']]), known)).toBe('failed')
  })
  it('the worst of the new instances of its function otherwise', () => {
    const now = outcomes([
      ['t.py::test_at[a]', 'passed'],
      ['t.py::test_at[b]', 'failed'],
      ['t.py::test_at[stable]', 'passed']
    ])
    expect(driftedOutcome('t.py::test_at[07:44:56]', now, known)).toBe('failed')
  })
  it('stable siblings do not count; none new is undefined (not collected)', () => {
    expect(driftedOutcome('t.py::test_at[07:44:56]', outcomes([['t.py::test_at[stable]', 'passed']]), known)).toBeUndefined()
  })
})
