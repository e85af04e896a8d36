import { describe, expect, it } from '@jest/globals'
import type { Failure } from '../../src/domain.js'
import { toFailures } from '../../src/failures/failures.js'
import { groupFailures, normalizeMessage, runFingerprint } from '../../src/failures/group.js'
import { parseJUnitXml } from '../../src/failures/junit.js'
import { parsePytestLog } from '../../src/failures/log.js'
import { recordedRun } from './reports.js'

function failuresOf(name: string): Failure[] {
  const run = recordedRun(name)
  return toFailures(parseJUnitXml(run.xml, 'junit.xml', run.resolver()), run.layout)
}
const idsOf = (failures: Failure[]): string[] => failures.map(f => f.nodeId)

describe('groupFailures: one group per root cause', () => {
  const failures = failuresOf('basic-xunit2')
  const groups = groupFailures(failures)
  const groupOf = (nodeId: string) => groups.find(g => idsOf(g.failures).includes(nodeId))

  it('groups every parametrization and every test hitting the same bug in the same function', () => {
    const parse = groupOf('tests/test_params.py::test_weird_ids[a/b]')
    expect(idsOf(parse?.failures ?? [])).toEqual([
      'tests/test_functions.py::test_parse_amount_rejects_words',
      ...['a/b', 'hello world', '\\xfcn\\xef', 'a\\nb', 'x::y', '[bracket]', 'dots.in.id', 'a - b', 'tab\\there'].map(
        id => `tests/test_params.py::test_weird_ids[${id}]`
      )
    ])
    expect(idsOf(groupOf('tests/test_functions.py::test_ratio_by_zero')?.failures ?? [])).toEqual([
      'tests/test_classes.py::TestAdd::TestNested::test_deep',
      'tests/test_functions.py::test_ratio_by_zero'
    ])
  })

  it('keeps apart failures of different types or places', () => {
    expect(groupOf('tests/test_functions.py::test_add_wrong_expectation')).not.toBe(
      groupOf('tests/test_classes.py::TestAdd::test_negative')
    )
    expect(groupOf('tests/test_phases.py::test_setup_fails')?.failures).toHaveLength(1)
  })

  it('marks each failure with its group and sorts groups by size, then fingerprint', () => {
    for (const group of groups) {
      expect(group.fingerprint).toMatch(/^[0-9a-f]{12}$/)
      for (const failure of group.failures) expect(failure.group).toBe(group.fingerprint)
    }
    expect(groups.reduce((n, g) => n + g.failures.length, 0)).toBe(failures.length)
    const order = groups.map(g => [-g.failures.length, g.fingerprint] as const)
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])))
  })
})

describe('groupFailures: the same failures give the same fingerprints however they were reported', () => {
  const fingerprint = (failures: Failure[]) => runFingerprint(groupFailures(failures))

  it('is the same for xunit1, xunit2, xdist and the console log alone', () => {
    const expected = fingerprint(failuresOf('basic-xunit2'))
    expect(fingerprint(failuresOf('basic-xunit1'))).toBe(expected)
    expect(fingerprint(failuresOf('basic-xdist'))).toBe(expected)
    const run = recordedRun('basic-xunit2')
    expect(fingerprint(toFailures([], run.layout, parsePytestLog(run.log)))).toBe(expected)
  })

  it('changes when the set of root causes changes, not when their order does', () => {
    const groups = groupFailures(failuresOf('basic-xunit2'))
    expect(runFingerprint([...groups].reverse())).toBe(runFingerprint(groups))
    expect(runFingerprint(groups.slice(1))).not.toBe(runFingerprint(groups))
    expect(runFingerprint(groups)).toMatch(/^[0-9a-f]{12}$/)
  })
})

describe('normalizeMessage: what varies between runs does not split a group', () => {
  it.each([
    [
      "FileNotFoundError: [Errno 2] No such file: '/tmp/pytest-of-runner/pytest-7/test_load0/data.json'",
      "FileNotFoundError: [Errno 2] No such file: '/tmp/pytest-of-ci/pytest-12/test_load1/data.json'"
    ],
    ['assert <Cart object at 0x7f3a2b1c0d90> is None', 'assert <Cart object at 0x7fe001122330> is None'],
    ["KeyError: 'user-17'", "KeyError: 'user-4'"],
    ['assert 10.5 == 3', 'assert -2 == 7'],
    ['test_x[a/b] failed', 'test_x[hello world] failed'],
    ['Timeout after 30s\n  waiting', 'Timeout after 5s   waiting']
  ])('%j reads like %j', (a, b) => {
    expect(normalizeMessage(a)).toBe(normalizeMessage(b))
  })

  it('keeps the words that tell causes apart', () => {
    expect(normalizeMessage("No module named 'yaml'")).not.toBe(normalizeMessage("cannot import name 'x' from 'yaml'"))
  })
})
