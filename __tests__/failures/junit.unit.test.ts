import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { UserError, type TestResult } from '../../src/domain.js'
import { parseJUnitXml } from '../../src/failures/junit.js'
import { printedNodeId, recordedRun, reportsDir, summaryNodeIds, type RecordedRun } from './reports.js'

function parse(run: RecordedRun, options: { collected?: boolean } = {}): TestResult[] {
  return parseJUnitXml(run.xml, `${run.name}/junit.xml`, run.resolver(options))
}

const failing = (results: TestResult[]): TestResult[] => results.filter(r => r.outcome === 'failed' || r.outcome === 'error')
const byId = (results: TestResult[], nodeId: string): TestResult[] => results.filter(r => r.nodeId === nodeId)
const comparable = (results: TestResult[]) =>
  results.map(({ nodeId, outcome, phase, errorType, message }) => ({ nodeId, outcome, phase, errorType, message }))

function thrown(action: () => unknown): Error {
  try {
    action()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}

const summarized = [
  'basic-xunit2',
  'basic-xunit1',
  'basic-xdist',
  'basic-maxfail',
  'basic-ci',
  'basic-captured',
  'basic-color',
  'basic-tb-short',
  'basic-tb-line',
  'basic-tb-native',
  'basic-tb-no',
  'basic-split-1',
  'basic-split-2',
  'collect-errors',
  'collect-errors-continue',
  'collect-errors-xdist',
  'nested-root',
  'nested-root-subdir',
  'nested-root-subdir-xunit1',
  'nested-root-rootdir',
  'ambiguous-xunit1'
]

describe('parseJUnitXml: node ids are exactly the ones pytest prints', () => {
  it.each(summarized)('%s: failing node ids match the short test summary', name => {
    const run = recordedRun(name)
    const results = parse(run)
    const printed = new Set(failing(results).map(r => printedNodeId(run, r.nodeId)))
    const summary = new Set([...summaryNodeIds(run, 'FAILED'), ...summaryNodeIds(run, 'ERROR')])
    expect(summary.size).toBeGreaterThan(0)
    expect([...printed].sort()).toEqual([...summary].sort())
  })

  it.each(summarized)('%s: every test node id is one pytest collected', name => {
    const run = recordedRun(name)
    const tests = parse(run).filter(r => r.phase !== 'collect')
    for (const result of tests) expect(run.collected).toContain(result.nodeId)
  })

  it('keeps brackets, slashes, spaces, escapes, "::" and " - " inside parametrized ids', () => {
    const ids = parse(recordedRun('basic-xunit2')).map(r => r.nodeId)
    expect(ids).toEqual(
      expect.arrayContaining([
        'tests/test_params.py::test_weird_ids[a/b]',
        'tests/test_params.py::test_weird_ids[hello world]',
        'tests/test_params.py::test_weird_ids[\\xfcn\\xef]',
        'tests/test_params.py::test_weird_ids[a\\nb]',
        'tests/test_params.py::test_weird_ids[x::y]',
        'tests/test_params.py::test_weird_ids[[bracket]]',
        'tests/test_params.py::test_weird_ids[dots.in.id]',
        'tests/test_params.py::test_weird_ids[a - b]',
        'tests/test_params.py::test_weird_ids[tab\\there]',
        'tests/test_params.py::TestParamsInClass::test_value[zero]'
      ])
    )
  })

  it('names class-based, nested-class, unittest, doctest and dotted-directory tests', () => {
    const ids = parse(recordedRun('basic-xunit2')).map(r => r.nodeId)
    expect(ids).toEqual(
      expect.arrayContaining([
        'tests/test_classes.py::TestAdd::test_negative',
        'tests/test_classes.py::TestAdd::TestNested::TestDeeper::test_deepest',
        'tests/test_unittest_style.py::BrokenSetUpTests::test_never_runs',
        'calc/ops.py::calc.ops.ratio',
        'docs/guide.txt::guide.txt',
        'tests/v1.2/test_versioned.py::test_in_dotted_directory'
      ])
    )
  })

  it('reads node ids relative to the rootdir when pytest ran in a subdirectory or with --rootdir', () => {
    expect(failing(parse(recordedRun('nested-root-subdir'))).map(r => r.nodeId)).toContain('tests/unit/test_cart.py::test_quantity_counts')
    expect(failing(parse(recordedRun('nested-root-rootdir'))).map(r => r.nodeId)).toContain(
      'unit/test_cart.py::TestDiscounts::test_code[half/off]'
    )
  })
})

describe('parseJUnitXml: xunit1 and xunit2 say the same', () => {
  it('gives the same results for both families; xunit1 adds the 1-based file and line', () => {
    const xunit1 = parse(recordedRun('basic-xunit1'))
    const xunit2 = parse(recordedRun('basic-xunit2'))
    expect(comparable(xunit1)).toEqual(comparable(xunit2))
    const negative = byId(xunit1, 'tests/test_classes.py::TestAdd::test_negative')[0]
    expect(negative).toMatchObject({ file: 'tests/test_classes.py', line: 8 })
    expect(byId(xunit2, 'tests/test_classes.py::TestAdd::test_negative')[0].file).toBeUndefined()
  })
})

describe('parseJUnitXml: outcomes and phases', () => {
  const results = parse(recordedRun('basic-xunit2'))

  it('keeps a call failure and a teardown error of one test as two results', () => {
    const both = byId(results, 'tests/test_phases.py::test_call_and_teardown_fail')
    expect(both.map(r => [r.outcome, r.phase, r.errorType])).toEqual([
      ['failed', 'call', 'AssertionError'],
      ['error', 'teardown', 'OSError']
    ])
    expect(both[1].message).toBe('OSError: cannot release resource')
  })

  it('unwraps setup errors and names a missing fixture', () => {
    expect(byId(results, 'tests/test_phases.py::test_setup_fails')[0]).toMatchObject({
      outcome: 'error',
      phase: 'setup',
      errorType: 'RuntimeError',
      message: 'RuntimeError: database unavailable'
    })
    expect(byId(results, 'tests/test_phases.py::test_missing_fixture')[0]).toMatchObject({
      phase: 'setup',
      errorType: 'FixtureLookupError',
      message: "fixture 'databse' not found"
    })
  })

  it('reports a strict xfail that passed as a failure, other markers as what they are', () => {
    expect(byId(results, 'tests/test_markers.py::test_strict_xfail_passes')[0]).toMatchObject({
      outcome: 'failed',
      errorType: 'XPASS(strict)',
      message: '[XPASS(strict)] bug 12 is fixed now'
    })
    expect(byId(results, 'tests/test_markers.py::test_xfail_passes_not_strict')[0].outcome).toBe('passed')
    expect(byId(results, 'tests/test_markers.py::test_xfail_fails')[0].outcome).toBe('xfailed')
    expect(byId(results, 'tests/test_markers.py::test_skipped')[0]).toMatchObject({ outcome: 'skipped', message: 'needs network' })
  })

  it('reads exception types, module-qualified ones included, from the traceback', () => {
    expect(byId(results, 'tests/test_functions.py::test_parse_strict_custom_error')[0].errorType).toBe('calc.errors.AmountError')
    expect(byId(results, 'tests/test_markers.py::test_fail_helper')[0].errorType).toBe('Failed')
    expect(byId(results, 'tests/test_unittest_style.py::BrokenSetUpTests::test_never_runs')[0].errorType).toBe('KeyError')
  })

  it('gives doctests the exception or the expected/got difference as message', () => {
    expect(byId(results, 'calc/ops.py::calc.ops.ratio')[0]).toMatchObject({
      errorType: 'ZeroDivisionError',
      message: 'ZeroDivisionError: division by zero'
    })
    expect(byId(results, 'docs/guide.txt::guide.txt')[0]).toMatchObject({
      errorType: 'DocTestFailure',
      message: 'Expected:\n    4\nGot:\n    3'
    })
  })

  it('keeps each failing subtest of a test (pytest 9 built-in subtests)', () => {
    const subtests = byId(results, 'tests/test_subtests.py::test_with_subtests')
    expect(subtests.map(r => r.message)).toEqual(['assert (1 % 2) == 0', 'contains 1 failed subtest'])
    expect(subtests[0].errorType).toBe('AssertionError')
  })

  it('reads every failure of a run that stopped at --maxfail', () => {
    const stopped = parse(recordedRun('basic-maxfail'))
    expect(failing(stopped)).toHaveLength(3)
    expect(stopped.every(r => r.outcome === 'failed' || r.outcome === 'passed')).toBe(true)
  })

  it('returns results without failures for a green run', () => {
    const results = parse(recordedRun('basic-passing'))
    expect(results.map(r => r.outcome)).toEqual(['passed', 'passed'])
  })
})

describe('parseJUnitXml: collection errors', () => {
  const results = parse(recordedRun('collect-errors'))

  it('names the module (or directory) that failed to collect and takes the message from its traceback', () => {
    expect(results.map(r => [r.nodeId, r.phase, r.errorType])).toEqual([
      ['tests/sub', 'collect', 'RuntimeError'],
      ['tests/test_imports_missing.py', 'collect', 'ModuleNotFoundError'],
      ['tests/test_settings.py', 'collect', 'ValueError'],
      ['tests/test_syntax_in_source.py', 'collect', 'SyntaxError']
    ])
    expect(results[1].message).toBe("ModuleNotFoundError: No module named 'yaml_parser_that_does_not_exist'")
    expect(results[3].message).toBe("SyntaxError: '(' was never closed")
  })

  it('reports a collection error once although every pytest-xdist worker reported it', () => {
    const run = recordedRun('collect-errors-xdist')
    expect((run.xml.match(/collection failure/g) ?? []).length).toBeGreaterThan(4)
    expect(failing(parse(run)).map(r => r.nodeId)).toEqual(results.map(r => r.nodeId))
  })
})

describe('parseJUnitXml: xdist, several suites, captured output', () => {
  it('gives an xdist run the same results as a serial one, in any order', () => {
    const sorted = (rs: TestResult[]) => comparable(rs).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
    expect(sorted(parse(recordedRun('basic-xdist')))).toEqual(sorted(parse(recordedRun('basic-xunit2'))))
  })

  it('reads testcases from nested <testsuites> as merging tools write them', () => {
    const run = recordedRun('basic-xunit2')
    const merged = parseJUnitXml(fs.readFileSync(path.join(reportsDir, 'nested-suites.xml'), 'utf8'), 'nested-suites.xml', run.resolver())
    const parts = [...parse(recordedRun('basic-split-1')), ...parse(recordedRun('basic-split-2'))]
    expect(merged).toEqual(parts)
    expect(merged.length).toBeGreaterThan(10)
  })

  it('reads CDATA sections, which other Python runners (unittest-xml-reporting) write', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><testsuites><testsuite name="tests.test_functions" tests="1">' +
      '<testcase classname="tests.test_functions" name="test_ratio_by_zero"><error type="ZeroDivisionError" message="division by zero">' +
      '<![CDATA[Traceback (most recent call last):\n  File "/checkout/calc/ops.py", line 19, in ratio\n    return a < b & c\n' +
      'ZeroDivisionError: division by zero\n]]></error></testcase></testsuite></testsuites>'
    const [result] = parseJUnitXml(xml, 'TEST-tests.xml', recordedRun('basic-xunit2').resolver())
    expect(result).toMatchObject({
      nodeId: 'tests/test_functions.py::test_ratio_by_zero',
      outcome: 'error',
      errorType: 'ZeroDivisionError'
    })
    expect(result.details).toContain('return a < b & c')
  })

  it('adds captured output (junit_logging) to the details', () => {
    const printing = byId(parse(recordedRun('basic-captured')), 'tests/test_markers.py::test_printing')[0]
    expect(printing.details).toContain('captured line for the report')
  })
})

describe('parseJUnitXml: bad input gets one clear message', () => {
  const run = recordedRun('basic-xunit2')
  const hint = "Set 'junit-xml' to the path your pytest step writes (pytest --junitxml=PATH)."

  it.each([
    ['an empty file', '', 'is empty'],
    ['a file of blanks', '  \n', 'is empty'],
    ['a report cut off while pytest wrote it', run.xml.slice(0, Math.floor(run.xml.length / 2)), 'not well-formed XML'],
    ['a report cut off between two testcases', run.xml.slice(0, run.xml.indexOf('<testcase', 2000)), 'not well-formed XML'],
    ['a report missing its last closing tag', run.xml.slice(0, -'</testsuites>'.length), 'not well-formed XML'],
    ['binary data', '\u0000\u0001PK\u0003\u0004', 'not well-formed XML'],
    [
      'an HTML error page',
      '<!DOCTYPE html><html><head><title>404</title></head><body><p>Not found<br></body></html>',
      'root element is <html> (an HTML page)'
    ],
    ['an XHTML page', '<html><body><p>Not found</p></body></html>', 'root element is <html> (an HTML page)'],
    [
      'a coverage.xml',
      fs.readFileSync(path.join(reportsDir, 'coverage/coverage.xml'), 'utf8'),
      'root element is <coverage> (a coverage report)'
    ]
  ])('%s', (_what, xml, cause) => {
    const error = thrown(() => parseJUnitXml(xml, 'reports/junit.xml', run.resolver()))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toContain("'reports/junit.xml'")
    expect(error.message).toContain(cause)
    expect(error.message).toContain(hint)
  })

  // The shapes jest-junit and Maven Surefire write (neither tool runs here).
  const jestJunit =
    '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="jest tests" tests="1" failures="1" errors="0" time="0.5">\n' +
    '  <testsuite name="sum" errors="0" failures="1" skipped="0" timestamp="2026-01-01T00:00:00" time="0.4" tests="1">\n' +
    '    <testcase classname="sum adds numbers" name="sum adds numbers" time="0.002">\n' +
    '      <failure>Error: expect(received).toBe(expected)</failure>\n    </testcase>\n  </testsuite>\n</testsuites>\n'
  const surefire =
    '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" ' +
    'version="3.0" name="com.example.AppTest" time="0.03" tests="1" errors="0" skipped="0" failures="1">\n' +
    '  <properties><property name="java.version" value="21"/></properties>\n' +
    '  <testcase name="adds" classname="com.example.AppTest" time="0.01"><failure message="expected: 2 but was: 3" ' +
    'type="org.opentest4j.AssertionFailedError">trace</failure></testcase>\n</testsuite>\n'

  it.each([
    ['jest-junit', jestJunit, 'jest'],
    ['Maven Surefire', surefire, 'Surefire']
  ])('a report of %s', (_tool, xml, named) => {
    const error = thrown(() => parseJUnitXml(xml, 'junit.xml', run.resolver()))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toContain('not pytest')
    expect(error.message).toContain(named)
    expect(error.message).toContain(hint)
  })
})
