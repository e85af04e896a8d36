// The pure parts of the triggers: command and aim parsing, failure kinds, the history marker, job log cleanup,
// the new inputs.
import { describe, expect, it } from '@jest/globals'
import { parseAim } from '../../src/triggers/aim.js'
import { stripTimestamps } from '../../src/triggers/artifacts.js'
import { parseCommand } from '../../src/triggers/commands.js'
import { readTrigger } from '../../src/triggers/event.js'
import { decodeHistories, encodeHistory, mergeHistories, withHistory, type FixHistory } from '../../src/triggers/history.js'
import { failureKind, failureKindLabels } from '../../src/triggers/labels.js'
import { readSettings } from '../../src/inputs.js'

describe('parsing a comment command', () => {
  it('reads the command word and the rest as text; other comments are not commands', () => {
    expect(parseCommand('/pytest-fixer retry')).toEqual({ name: 'retry', text: '' })
    expect(parseCommand('  /pytest-fixer PROMPT keep parse() public\nand fast')).toEqual({
      name: 'prompt',
      text: 'keep parse() public\nand fast'
    })
    expect(parseCommand('/pytest-fixer')).toEqual({ name: 'help', text: '' })
    expect(parseCommand('/pytest-fixer dance')).toEqual({ unknown: 'dance' })
    expect(parseCommand('looks good, /pytest-fixer retry later')).toBeUndefined()
    expect(parseCommand('/pytest-fixers retry')).toBeUndefined()
  })
})

describe('input tests: what a manual run aims at', () => {
  it('node ids split on spaces, commas and newlines; -k takes the rest as one expression', () => {
    expect(parseAim('')).toBeUndefined()
    expect(parseAim('tests/test_a.py::test_x, ./tests/unit/\ntests/test_b.py')).toEqual({
      nodeIds: ['tests/test_a.py::test_x', 'tests/unit', 'tests/test_b.py']
    })
    expect(parseAim('-k "parse and not slow"')).toEqual({ keyword: 'parse and not slow' })
    expect(parseAim('-kparse')).toEqual({ keyword: 'parse' })
  })
})

describe('labels by failure kind', () => {
  it('maps error types to the five kinds', () => {
    expect(
      [
        'ModuleNotFoundError',
        'ImportError',
        'SyntaxError',
        'IndentationError',
        'AssertionError',
        'Failed',
        'KeyError',
        'inventory.models.OutOfStockError'
      ].map(failureKind)
    ).toEqual(['import-error', 'import-error', 'syntax-error', 'syntax-error', 'assertion', 'assertion', 'exception', 'exception'])
    expect(failureKindLabels(['KeyError', 'AssertionError', 'ValueError'], true)).toEqual(['assertion', 'exception', 'tests-changed'])
  })
})

describe('the history marker', () => {
  const history: FixHistory = {
    version: 1,
    baseSha: 'a'.repeat(40),
    baseBranch: 'main',
    runUrl: null,
    failures: [{ nodeId: 'tests/test_a.py::test_x', errorType: 'KeyError', message: "'k' -->", group: 'g1' }],
    attempts: [
      {
        run: '1.1',
        group: 'g1',
        number: 1,
        temperature: 0.4,
        outcome: 'accepted',
        reason: 'ok',
        files: ['a.py'],
        tokens: [10, 5],
        diff: '-a\n+b\n<!-- x -->'
      }
    ]
  }

  it('round-trips through a PR body, even when the content holds comment syntax, and replaces itself', () => {
    const body = withHistory('## What failed\n', history)
    expect(body).not.toContain('tests/test_a.py')
    expect(decodeHistories(body)).toEqual([history])
    const again = withHistory(body, { ...history, baseBranch: 'dev' })
    expect(decodeHistories(again).map(item => item.baseBranch)).toEqual(['dev'])
  })

  it('merges later answers attempt by attempt, each once; a broken marker is ignored', () => {
    const later = { ...history, attempts: [...history.attempts, { ...history.attempts[0], run: '2.1', number: 2, outcome: 'rejected' }] }
    const merged = mergeHistories([history, ...decodeHistories(`${encodeHistory(later)} <!-- pytest-fixer-history:AAAA -->`)])
    expect(merged?.attempts.map(attempt => [attempt.run, attempt.number])).toEqual([
      ['1.1', 1],
      ['2.1', 2]
    ])
    expect(mergeHistories([])).toBeUndefined()
  })
})

describe('the failed job log', () => {
  it('loses the timestamp GitHub puts before each line', () => {
    expect(stripTimestamps('\uFEFF2026-12-02T10:00:00.1234567Z FAILED tests/test_a.py::test_x\n2026-12-02T10:00:01Z done')).toBe(
      'FAILED tests/test_a.py::test_x\ndone'
    )
  })
})

describe('what started the run', () => {
  it('reads workflow_run, issue_comment and dispatch payloads; anything else is a step', () => {
    expect(
      readTrigger('workflow_run', { workflow_run: { id: 5, head_sha: 'abc', head_branch: 'main', head_repository: { full_name: 'a/b' } } })
    ).toMatchObject({ kind: 'workflow-run', run: { id: 5, headSha: 'abc', headRepository: 'a/b' } })
    expect(
      readTrigger('issue_comment', { action: 'created', comment: { id: 3, body: 'x', user: { login: 'al' } }, issue: { number: 2 } })
    ).toMatchObject({ kind: 'comment', comment: { id: 3, number: 2, onPullRequest: false, user: 'al' } })
    expect(readTrigger('workflow_dispatch', {})).toEqual({ kind: 'dispatch' })
    expect(readTrigger('push', {})).toEqual({ kind: 'step' })
  })
})

describe('the new inputs', () => {
  const read = (values: Record<string, string>) => (name: string) => ({ 'api-key': 'k', model: 'm', ...values })[name] ?? ''
  it('default to pytest-results, no forks, no aim, no issue; bad booleans are named', () => {
    expect(readSettings(read({}))).toMatchObject({ artifactName: 'pytest-results', allowForks: false, tests: '', fallbackIssue: false })
    expect(readSettings(read({ 'artifact-name': 'junit', 'allow-forks': 'true', tests: '-k x', 'fallback-issue': 'yes' }))).toMatchObject({
      artifactName: 'junit',
      allowForks: true,
      tests: '-k x',
      fallbackIssue: true
    })
    expect(() => readSettings(read({ 'fallback-issue': 'maybe' }))).toThrow("Input 'fallback-issue' is 'maybe': expected true or false.")
  })
})
