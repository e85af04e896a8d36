import { describe, expect, it } from '@jest/globals'
import type { Failure } from '../../src/domain.js'
import { parseTraceback, toFailures } from '../../src/failures/failures.js'
import { parseJUnitXml } from '../../src/failures/junit.js'
import { parsePytestLog } from '../../src/failures/log.js'
import { recordedRun, summaryNodeIds, type RecordedRun } from './reports.js'

function fromXml(run: RecordedRun, withLog = false): Failure[] {
  const results = parseJUnitXml(run.xml, 'junit.xml', run.resolver())
  return toFailures(results, run.layout, withLog ? parsePytestLog(run.log) : undefined)
}
const find = (failures: Failure[], nodeId: string): Failure | undefined => failures.find(f => f.nodeId === nodeId)
const where = (failure: Failure | undefined) => failure && [failure.file, failure.errorFile, failure.line, failure.errorType]

describe('toFailures: one failure per failing node id', () => {
  const run = recordedRun('basic-xunit2')
  const failures = fromXml(run)

  it('lists failed and errored tests (strict XPASS included), never passed, skipped or xfailed ones', () => {
    const ids = failures.map(f => f.nodeId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toContain('tests/test_markers.py::test_strict_xfail_passes')
    expect(ids).not.toContain('tests/test_markers.py::test_xfail_fails')
    expect(ids).not.toContain('tests/test_markers.py::test_skipped')
    expect(ids).not.toContain('tests/test_classes.py::TestAdd::test_positive')
    expect(failures).toHaveLength(new Set(summaryNodeIds(run, 'FAILED').concat(summaryNodeIds(run, 'ERROR'))).size)
  })

  it('merges a call failure with the teardown error of the same test', () => {
    const both = find(failures, 'tests/test_phases.py::test_call_and_teardown_fail')
    expect(both?.phase).toBe('call')
    expect(both?.errorType).toBe('AssertionError')
    expect(both?.traceback).toContain('assert broken_teardown == "other"')
    expect(both?.traceback).toContain('OSError: cannot release resource')
  })

  it('explains a test with failed subtests by its failing subtest', () => {
    expect(find(failures, 'tests/test_subtests.py::test_with_subtests')).toMatchObject({
      message: 'assert (1 % 2) == 0',
      errorFile: 'tests/test_subtests.py',
      line: 4
    })
  })

  it('puts the error on the innermost frame in the repository: source files, fixtures, setUp', () => {
    expect(where(find(failures, 'tests/test_functions.py::test_ratio_by_zero'))).toEqual([
      'tests/test_functions.py',
      'calc/ops.py',
      19,
      'ZeroDivisionError'
    ])
    expect(where(find(failures, 'tests/test_phases.py::test_setup_fails'))).toEqual([
      'tests/test_phases.py',
      'tests/test_phases.py',
      6,
      'RuntimeError'
    ])
    expect(where(find(failures, 'tests/test_unittest_style.py::BrokenSetUpTests::test_never_runs'))).toEqual([
      'tests/test_unittest_style.py',
      'tests/test_unittest_style.py',
      16,
      'KeyError'
    ])
    expect(find(failures, 'tests/test_params.py::test_weird_ids[a/b]')?.frames.map(f => f.func)).toEqual(['test_weird_ids', 'parse_amount'])
  })

  it('adds the captured output of the console log when one is given', () => {
    expect(find(failures, 'tests/test_markers.py::test_printing')?.traceback).not.toContain('Captured stdout call')
    expect(find(fromXml(run, true), 'tests/test_markers.py::test_printing')?.traceback).toMatch(
      /Captured stdout call -+\ncaptured line for the report/
    )
  })
})

describe('toFailures: collection errors point at the file that broke', () => {
  const failures = fromXml(recordedRun('collect-errors'))

  it('names the module that failed and, for a SyntaxError, the source file and line', () => {
    expect(where(find(failures, 'tests/test_syntax_in_source.py'))).toEqual([
      'tests/test_syntax_in_source.py',
      'app/broken.py',
      4,
      'SyntaxError'
    ])
    expect(where(find(failures, 'tests/test_settings.py'))).toEqual(['tests/test_settings.py', 'app/settings.py', 3, 'ValueError'])
    expect(find(failures, 'tests/test_imports_missing.py')?.phase).toBe('collect')
  })

  it('puts a directory collection error on the conftest.py inside it', () => {
    expect(where(find(failures, 'tests/sub'))).toEqual(['tests/sub/conftest.py', 'tests/sub/conftest.py', 3, 'RuntimeError'])
  })
})

describe('toFailures: a console log alone is enough', () => {
  it.each(['basic-xunit2', 'basic-tb-short', 'collect-errors'])('%s: the same failures from the log as from the XML', name => {
    const run = recordedRun(name)
    const fromLog = toFailures([], run.layout, parsePytestLog(run.log))
    const summary = (failures: Failure[]) => failures.map(f => [f.nodeId, f.phase, f.errorType, f.errorFile, f.line]).sort()
    expect(summary(fromLog)).toEqual(summary(fromXml(run)))
  })

  it('re-bases node ids a log printed relative to a subdirectory', () => {
    const run = recordedRun('nested-root-subdir')
    const failures = toFailures([], run.layout, parsePytestLog(run.log))
    expect(failures.map(f => f.nodeId)).toContain('tests/unit/test_cart.py::TestDiscounts::test_code[half/off]')
    expect(failures.map(f => f.file)).toEqual(Array(3).fill('tests/unit/test_cart.py'))
  })
})

describe('toFailures: paths are repository-relative wherever pytest ran', () => {
  it('resolves traceback paths printed relative to a subdirectory', () => {
    const failure = find(fromXml(recordedRun('nested-root-subdir')), 'tests/unit/test_cart.py::test_quantity_counts')
    expect(where(failure)).toEqual(['tests/unit/test_cart.py', 'tests/unit/test_cart.py', 17, 'AssertionError'])
  })

  it('keeps node ids relative to a --rootdir below the repository root, files relative to the root', () => {
    const failure = find(fromXml(recordedRun('nested-root-rootdir')), 'unit/test_cart.py::test_quantity_counts')
    expect(where(failure)).toEqual(['tests/unit/test_cart.py', 'tests/unit/test_cart.py', 17, 'AssertionError'])
  })
})

describe('parseTraceback: frames of every --tb style', () => {
  const ratioFrames = (name: string, withLog = false) => {
    const failure = find(fromXml(recordedRun(name), withLog), 'tests/test_functions.py::test_ratio_by_zero')
    return failure?.frames.filter(f => f.inRepo).map(f => `${f.file}:${f.line}:${f.func ?? ''}`)
  }

  it('reads long, short and native tracebacks alike', () => {
    const expected = ['tests/test_functions.py:13:test_ratio_by_zero', 'calc/ops.py:19:ratio']
    expect(ratioFrames('basic-xunit2')).toEqual(expected)
    expect(ratioFrames('basic-tb-short')).toEqual(expected)
    expect(ratioFrames('basic-tb-native')).toEqual(expected)
  })

  it('reads the crash line of --tb=line from the log', () => {
    expect(ratioFrames('basic-tb-line')).toEqual([])
    expect(ratioFrames('basic-tb-line', true)).toEqual(['calc/ops.py:19:'])
  })

  it('marks the standard library, site-packages and frozen modules as outside the repository', () => {
    const run = recordedRun('basic-tb-native')
    const frames = find(fromXml(run), 'tests/test_functions.py::test_ratio_by_zero')?.frames ?? []
    const outside = frames.filter(f => !f.inRepo)
    expect(outside.length).toBeGreaterThan(5)
    expect(outside.every(f => f.file.startsWith('/usr/lib/python3.11/'))).toBe(true)
    const imports = parseTraceback(find(fromXml(recordedRun('collect-errors')), 'tests/sub')?.traceback ?? '', run.layout)
    expect(imports.find(f => f.file.startsWith('<frozen'))?.inRepo).toBe(false)
  })

  it('finds nothing in text without frames', () => {
    expect(parseTraceback('[XPASS(strict)] bug 12 is fixed now', recordedRun('basic-xunit2').layout)).toEqual([])
  })
})
