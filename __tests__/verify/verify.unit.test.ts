import { describe, expect, it } from '@jest/globals'
import type { TestOutcome, TestRun } from '../../src/domain.js'
import type { PytestRunner } from '../../src/verify/pytest.js'
import { baselineFrom, findFlakyTests, verifyAttempt } from '../../src/verify/verify.js'

/** A runner that answers each run from a table of outcomes (node id → outcome), recording what was asked. */
function scriptedRunner(runs: Array<Record<string, TestOutcome>>): PytestRunner & { asked: string[][] } {
  const asked: string[][] = []
  return {
    asked,
    async run(nodeIds: string[] = []): Promise<TestRun> {
      asked.push(nodeIds)
      const table = runs.shift() ?? {}
      return {
        results: Object.entries(table).map(([nodeId, outcome]) => ({ nodeId, outcome })),
        exitCode: 1,
        timedOut: false,
        output: `ran ${nodeIds.join(' ')}`,
        durationMs: 1
      }
    },
    cancelAll() {}
  }
}

const baseline = baselineFrom([
  { nodeId: 't.py::test_bug', outcome: 'failed' },
  { nodeId: 't.py::test_ok', outcome: 'passed' },
  { nodeId: 't.py::test_other', outcome: 'passed' },
  { nodeId: 't.py::test_skip', outcome: 'skipped' }
])

describe('verification accepts only a real fix', () => {
  it('accepts when the group passes and every test that passed still passes', async () => {
    const runner = scriptedRunner([
      { 't.py::test_bug': 'passed' },
      { 't.py::test_bug': 'passed', 't.py::test_ok': 'passed', 't.py::test_other': 'passed', 't.py::test_skip': 'skipped' }
    ])
    const verdict = await verifyAttempt({ groupTests: ['t.py::test_bug'], mustPass: [] }, baseline, runner)
    expect(verdict.accepted).toBe(true)
    expect(runner.asked).toEqual([['t.py::test_bug'], []])
  })

  it('runs the full suite only for a candidate that passed its own tests', async () => {
    const runner = scriptedRunner([{ 't.py::test_bug': 'failed' }])
    const verdict = await verifyAttempt({ groupTests: ['t.py::test_bug'], mustPass: [] }, baseline, runner)
    expect(verdict.accepted).toBe(false)
    expect(verdict.reason).toContain('t.py::test_bug (failed)')
    expect(runner.asked).toHaveLength(1)
  })

  it.each([
    ['failed', 't.py::test_ok (failed)'],
    ['skipped', 't.py::test_ok (skipped)'],
    ['xfailed', 't.py::test_ok (xfailed)']
  ] as Array<[TestOutcome, string]>)('rejects when a test that passed is now %s', async (outcome, expected) => {
    const runner = scriptedRunner([
      { 't.py::test_bug': 'passed' },
      { 't.py::test_bug': 'passed', 't.py::test_ok': outcome, 't.py::test_other': 'passed' }
    ])
    const verdict = await verifyAttempt({ groupTests: ['t.py::test_bug'], mustPass: [] }, baseline, runner)
    expect(verdict.accepted).toBe(false)
    expect(verdict.broken).toEqual([expected])
  })

  it('rejects when a test that passed is no longer collected (deleted, renamed, deselected)', async () => {
    const runner = scriptedRunner([{ 't.py::test_bug': 'passed' }, { 't.py::test_bug': 'passed', 't.py::test_ok': 'passed' }])
    const verdict = await verifyAttempt({ groupTests: ['t.py::test_bug'], mustPass: [] }, baseline, runner)
    expect(verdict.accepted).toBe(false)
    expect(verdict.reason).toContain('t.py::test_other (no longer collected')
  })

  it('rejects when a failing test of the group disappears instead of passing', async () => {
    const runner = scriptedRunner([{}])
    const verdict = await verifyAttempt({ groupTests: ['t.py::test_bug'], mustPass: [] }, baseline, runner)
    expect(verdict.accepted).toBe(false)
    expect(verdict.reason).toContain('t.py::test_bug (not collected)')
  })

  it('keeps tests fixed by an earlier group passing', async () => {
    const runner = scriptedRunner([
      { 't.py::test_bug': 'passed' },
      { 't.py::test_bug': 'passed', 't.py::test_ok': 'passed', 't.py::test_other': 'passed', 't.py::test_earlier': 'failed' }
    ])
    const verdict = await verifyAttempt({ groupTests: ['t.py::test_bug'], mustPass: ['t.py::test_earlier'] }, baseline, runner)
    expect(verdict.accepted).toBe(false)
    expect(verdict.reason).toContain('t.py::test_earlier (fixed earlier in this run, now failed)')
  })

  it('rejects a timed-out run with that reason', async () => {
    const runner: PytestRunner = {
      run: async () => ({ results: [], exitCode: null, timedOut: true, output: '', durationMs: 5 }),
      cancelAll() {}
    }
    const verdict = await verifyAttempt({ groupTests: ['t.py::test_bug'], mustPass: [] }, baseline, runner)
    expect(verdict.reason).toMatch(/timed out \(test-timeout\)/)
  })

  it('rejects an attempt that breaks the import of a conftest.py (exit code 4), and still stops on a real usage error', async () => {
    // pytest 9's words when tests/conftest.py imports a module an edit left with an IndentationError
    const conftest = [
      "ImportError while loading conftest '/repo/tests/conftest.py'.",
      'tests/conftest.py:1: in <module>',
      '    import pkg',
      'E     File "/repo/pkg/__init__.py", line 3',
      'E       return 2',
      'E   IndentationError: unexpected indent'
    ].join('\n')
    const runner = (output: string): PytestRunner => ({
      run: async () => ({ results: [], exitCode: 4, timedOut: false, output, durationMs: 5 }),
      cancelAll() {}
    })
    const verdict = await verifyAttempt({ groupTests: ['t.py::test_bug'], mustPass: [] }, baseline, runner(conftest))
    expect(verdict.accepted).toBe(false)
    expect(verdict.reason).toContain('could not load a conftest.py with the edits')
    expect(verdict.reason).toContain('IndentationError: unexpected indent')
    await expect(
      verifyAttempt(
        { groupTests: ['t.py::test_bug'], mustPass: [] },
        baseline,
        runner('ERROR: usage: pytest [options]\npytest: error: unrecognized arguments: --frobnicate')
      )
    ).rejects.toThrow(/refused the arguments/)
  })
})

describe('flaky triage', () => {
  it('reports tests that pass on a rerun as flaky and reruns only the rest', async () => {
    const runner = scriptedRunner([
      { 'a::x': 'passed', 'a::y': 'failed', 'a::z': 'failed' },
      { 'a::y': 'failed', 'a::z': 'passed' }
    ])
    const flaky = await findFlakyTests(['a::x', 'a::y', 'a::z'], 2, runner)
    expect([...flaky].sort()).toEqual(['a::x', 'a::z'])
    expect(runner.asked).toEqual([
      ['a::x', 'a::y', 'a::z'],
      ['a::y', 'a::z']
    ])
  })

  it('counts a test reported twice (call passed, teardown error) as failing', () => {
    const result = baselineFrom([
      { nodeId: 'a::x', outcome: 'passed' },
      { nodeId: 'a::x', outcome: 'error' }
    ])
    expect(result.outcomes.get('a::x')).toBe('error')
  })
})

describe('a collection error is fixed when its module collects again', () => {
  const moduleBaseline = baselineFrom([
    { nodeId: 'tests/test_grid.py', outcome: 'error' },
    { nodeId: 'tests/test_a.py::test_a', outcome: 'passed' }
  ])

  it("accepts when the module's tests are collected and pass", async () => {
    const runner = scriptedRunner([
      { 'tests/test_grid.py::test_one': 'passed', 'tests/test_grid.py::test_two[x]': 'passed' },
      { 'tests/test_grid.py::test_one': 'passed', 'tests/test_grid.py::test_two[x]': 'passed', 'tests/test_a.py::test_a': 'passed' }
    ])
    const verdict = await verifyAttempt({ groupTests: ['tests/test_grid.py'], mustPass: [] }, moduleBaseline, runner)
    expect(verdict.accepted).toBe(true)
  })

  it('rejects when the module still fails to collect', async () => {
    const stillBroken = await verifyAttempt(
      { groupTests: ['tests/test_grid.py'], mustPass: [] },
      moduleBaseline,
      scriptedRunner([{ 'tests/test_grid.py': 'error' }])
    )
    expect(stillBroken.reason).toContain('tests/test_grid.py (still fails to collect)')
  })

  it('accepts a module that collects without an error and yields no tests (a --doctest-modules source module)', async () => {
    const sourceBaseline = baselineFrom([
      { nodeId: 'pkg/cli.py', outcome: 'error' },
      { nodeId: 'tests/test_a.py::test_a', outcome: 'passed' }
    ])
    const verdict = await verifyAttempt(
      { groupTests: ['pkg/cli.py'], mustPass: [] },
      sourceBaseline,
      scriptedRunner([{}, { 'tests/test_a.py::test_a': 'passed' }])
    )
    expect(verdict.accepted).toBe(true)
  })
})

describe('which tests pass in a run, collectors included', () => {
  it('reads modules, conftest.py and directories by the tests they collect', async () => {
    const { failingAmong } = await import('../../src/verify/verify.js')
    const outcomes = baselineFrom([
      { nodeId: 'tests/test_a.py::test_1', outcome: 'passed' },
      { nodeId: 'tests/web/test_b.py::test_2', outcome: 'passed' },
      { nodeId: 'other/test_c.py::test_3', outcome: 'failed' }
    ]).outcomes
    expect(failingAmong(['tests/test_a.py', 'tests/web/conftest.py', 'tests/web', 'tests/test_a.py::test_1'], outcomes)).toEqual([])
    expect(failingAmong(['conftest.py'], outcomes)).toEqual(['other/test_c.py::test_3 (failed)'])
    expect(failingAmong(['tests/test_quiet.py'], outcomes)).toEqual([]) // collected without an error
  })
})
