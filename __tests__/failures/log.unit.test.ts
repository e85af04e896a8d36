import { describe, expect, it } from '@jest/globals'
import type { TestResult } from '../../src/domain.js'
import { parseJUnitXml } from '../../src/failures/junit.js'
import { detectConftestFailure, parsePytestLog, type LogEntry } from '../../src/failures/log.js'
import { printedNodeId, recordedRun } from './reports.js'

function xmlFailures(name: string): TestResult[] {
  const run = recordedRun(name)
  return parseJUnitXml(run.xml, 'junit.xml', run.resolver()).filter(r => r.outcome === 'failed' || r.outcome === 'error')
}
const logOf = (name: string): LogEntry[] => parsePytestLog(recordedRun(name).log)
const key = (nodeId: string, phase?: string): string => `${phase} ${nodeId}`
const keys = (entries: Array<{ nodeId: string; phase?: string }>): string[] => [...new Set(entries.map(e => key(e.nodeId, e.phase)))].sort()

describe('parsePytestLog: every failing test of the console log, with its traceback', () => {
  it.each([
    'basic-xunit2',
    'basic-xdist',
    'basic-ci',
    'basic-tb-short',
    'basic-tb-native',
    'basic-tb-line',
    'collect-errors',
    'nested-root'
  ])('%s: the same node ids and phases as the JUnit XML', name => {
    expect(keys(logOf(name))).toEqual(keys(xmlFailures(name)))
  })

  it('gives each test its own traceback and the exception pytest reported', () => {
    const entries = logOf('basic-xunit2')
    const ratio = entries.find(e => e.nodeId === 'tests/test_functions.py::test_ratio_by_zero')
    expect(ratio).toMatchObject({ phase: 'call', errorType: 'ZeroDivisionError', message: 'ZeroDivisionError: division by zero' })
    expect(ratio?.traceback).toContain('calc/ops.py:19: ZeroDivisionError')
    expect(ratio?.traceback).not.toContain('test_parse_amount_rejects_words')
    const printing = entries.find(e => e.nodeId === 'tests/test_markers.py::test_printing')
    expect(printing?.traceback).toContain('captured line for the report')
  })

  it('ties a setup error, a teardown error and a subtest failure to their tests', () => {
    const entries = logOf('basic-xunit2')
    expect(entries.find(e => e.nodeId === 'tests/test_phases.py::test_setup_fails')?.phase).toBe('setup')
    expect(
      entries
        .filter(e => e.nodeId === 'tests/test_phases.py::test_call_and_teardown_fail')
        .map(e => e.phase)
        .sort()
    ).toEqual(['call', 'teardown'])
    const subtest = entries.find(e => e.nodeId === 'tests/test_subtests.py::test_with_subtests' && e.traceback?.includes('assert i % 2'))
    expect(subtest?.message).toBe('assert (1 % 2) == 0')
  })

  it('reads the same messages whether the summary was cut to 80 columns or printed whole on CI', () => {
    // on CI pytest also prints full assertion diffs, so only the first message line is the same
    const strip = (entries: LogEntry[]) =>
      entries.map(({ nodeId, phase, errorType, message }) => ({ nodeId, phase, errorType, message: message?.split('\n')[0] }))
    expect(strip(logOf('basic-ci'))).toEqual(strip(logOf('basic-xunit2')))
  })

  it('falls back to the summary when --tb=no printed no tracebacks', () => {
    const entries = logOf('basic-tb-no')
    expect(entries.map(e => e.nodeId)).toContain('tests/test_functions.py::test_add_wrong_expectation')
    expect(entries.find(e => e.nodeId === 'tests/test_functions.py::test_add_wrong_expectation')?.errorType).toBe('AssertionError')
    expect(entries.find(e => e.nodeId === 'tests/test_functions.py::test_parse_amount_rejects_words')?.errorType).toBe('ValueError')
    expect(entries.find(e => e.nodeId === 'tests/test_classes.py::TestAdd::TestNested::test_deep')?.errorType).toBeUndefined()
  })

  it('reads -v status lines when the short summary is off (-rN), with and without xdist', () => {
    for (const name of ['basic-verbose', 'basic-xdist-verbose']) {
      const entries = logOf(name)
      expect(keys(entries)).toEqual(keys(xmlFailures(name)))
      expect(entries.every(e => e.traceback !== undefined)).toBe(true)
    }
  })

  it('reports a collection error once although every xdist worker printed it', () => {
    const run = recordedRun('collect-errors-xdist')
    expect((run.log.match(/ERROR collecting tests\/test_settings\.py/g) ?? []).length).toBe(2)
    expect(logOf('collect-errors-xdist').map(e => e.nodeId)).toEqual(logOf('collect-errors').map(e => e.nodeId))
  })

  it('prints node ids relative to where pytest ran', () => {
    const run = recordedRun('nested-root-subdir')
    expect(
      parsePytestLog(run.log)
        .map(e => e.nodeId)
        .sort()
    ).toEqual(
      xmlFailures('nested-root-subdir')
        .map(r => printedNodeId(run, r.nodeId))
        .sort()
    )
  })

  it('reads coloured output and logs downloaded from GitHub Actions (timestamped lines)', () => {
    expect(keys(logOf('basic-color'))).toEqual(keys(xmlFailures('basic-color')))
    const stamped = recordedRun('basic-xunit2')
      .log.split('\n')
      .map(line => `2026-01-01T10:00:00.1234567Z ${line}`)
      .join('\r\n')
    expect(parsePytestLog(stamped)).toEqual(logOf('basic-xunit2'))
  })

  it('finds nothing in output without failures', () => {
    expect(logOf('basic-passing')).toEqual([])
    expect(parsePytestLog('')).toEqual([])
  })
})

describe('detectConftestFailure: a conftest.py that fails to import stops pytest before any XML', () => {
  it('turns an ImportError in the root conftest.py into one collection failure', () => {
    const run = recordedRun('conftest-import-error')
    expect(run.exitCode).toBe(4)
    expect(run.xml).toBe('')
    expect(detectConftestFailure(run.exitCode, run.log, run.layout)).toMatchObject({
      nodeId: 'conftest.py',
      file: 'conftest.py',
      errorFile: 'conftest.py',
      line: 2,
      phase: 'collect',
      errorType: 'ModuleNotFoundError',
      message: "ModuleNotFoundError: No module named 'service_client'"
    })
  })

  it('points at the source file a conftest.py import failed in', () => {
    const run = recordedRun('conftest-exception')
    const failure = detectConftestFailure(run.exitCode, run.log, run.layout)
    expect(failure).toMatchObject({ nodeId: 'tests/conftest.py', errorFile: 'app/config.py', line: 3, errorType: 'KeyError' })
    expect(failure?.traceback).toContain("ImportError while loading conftest '/checkout/tests/conftest.py'.")
    expect(failure?.frames.map(f => `${f.file}:${f.line}`)).toEqual(['tests/conftest.py:3', 'app/config.py:3'])
  })

  it('leaves other exits alone', () => {
    const run = recordedRun('conftest-import-error')
    expect(detectConftestFailure(1, run.log, run.layout)).toBeUndefined()
    expect(detectConftestFailure(null, run.log, run.layout)).toBeUndefined()
    expect(detectConftestFailure(4, recordedRun('basic-xunit2').log, run.layout)).toBeUndefined()
  })
})
