// Verification: the test runs that accept or reject an attempt. The baseline is the failing run; an attempt is
// accepted only when its group's tests pass, every test that passed in the baseline still passes (not failed,
// skipped, xfailed or deselected), and the tests that must keep passing (earlier fixes) do.
import { UserError } from '../domain.js'
import type { TestOutcome, TestResult, TestRun } from '../domain.js'
import { driftedOutcome, isParametrized, splitMissing, stableKey } from './drift.js'
import { pytestUsageError, type PytestRunner } from './pytest.js'

export interface Baseline {
  /** node id → outcome in the failing run */
  outcomes: Map<string, TestOutcome>
}

export function baselineFrom(results: TestResult[]): Baseline {
  const outcomes = new Map<string, TestOutcome>()
  for (const result of results) {
    const previous = outcomes.get(result.nodeId)
    // A test reported twice (call passed, teardown errored) counts as its worst outcome.
    if (previous === undefined || severity(result.outcome) > severity(previous)) outcomes.set(result.nodeId, result.outcome)
  }
  return { outcomes }
}

export interface Verdict {
  accepted: boolean
  /** one line, for the report and the next attempt's feedback */
  reason: string
  /** tests of the group that still fail, with the error */
  stillFailing: string[]
  /** tests that passed in the baseline and no longer pass */
  broken: string[]
  /** the output of the run that decided, for the next attempt's feedback */
  output: string
  runs: TestRun[]
  /** baseline ids this verification saw under another parametrize id (time, random value, repr in the id) */
  drifted: string[]
}

export interface VerificationRequest {
  /** the failing tests this attempt must fix */
  groupTests: string[]
  /** tests that must pass besides the baseline's passing ones (tests fixed by earlier groups) */
  mustPass: string[]
  /** group tests whose expected end state is xfailed rather than passed (they failed as XPASS(strict)) */
  mayXfail?: Set<string>
  /** skip the separate run of the group's tests: the suite is so quick that its one run decides everything */
  suiteOnly?: boolean
  /** test files (relative to the rootdir) that import the changed code: run between the group and the suite */
  affected?: string[]
}

export async function verifyAttempt(request: VerificationRequest, baseline: Baseline, runner: PytestRunner): Promise<Verdict> {
  const runs: TestRun[] = []
  const known = new Set(baseline.outcomes.keys())
  // 1. The group's own tests first: cheap, and most rejected attempts end here (unless the suite is as cheap).
  if (request.suiteOnly !== true) {
    const targeted = await runGroupTests(request.groupTests, runner, runs)
    const targetedError = pytestOwnError(targeted)
    if (targetedError !== undefined) return reject(targetedError, targeted, runs)
    if (targeted.timedOut) return reject("the group's tests timed out (test-timeout); the process tree was killed", targeted, runs)
    const groupCheck = checkTestsPass(request.groupTests, indexResults(targeted.results), request.mayXfail, known)
    if (groupCheck.length > 0) {
      return {
        accepted: false,
        reason: `${groupCheck.length} of the group's ${request.groupTests.length} tests still fail: ${summarize(groupCheck)}`,
        stillFailing: groupCheck,
        broken: [],
        output: targeted.output,
        runs,
        drifted: []
      }
    }
  }
  // 2. The tests that import the changed code: an attempt that breaks its neighbours ends here, before the suite.
  const affected = request.suiteOnly === true ? [] : (request.affected ?? [])
  if (affected.length > 0) {
    const near = await runner.run(affected, 'affected')
    runs.push(near)
    const nearError = pytestOwnError(near)
    if (nearError !== undefined) return reject(nearError, near, runs)
    if (near.timedOut)
      return reject('the tests that import the changed code timed out (test-timeout); the process tree was killed', near, runs)
    const outcomes = indexResults(near.results)
    const broken = [...outcomes]
      .filter(([nodeId, outcome]) => baseline.outcomes.get(nodeId) === 'passed' && outcome !== 'passed')
      .map(([nodeId, outcome]) => `${nodeId} (${describeOutcome(outcome)})`)
    if (broken.length > 0) {
      return {
        accepted: false,
        reason: `${broken.length} test(s) that passed before now fail (in the tests that import the changed code): ${summarize(broken)}`,
        stillFailing: [],
        broken,
        output: near.output,
        runs,
        drifted: []
      }
    }
  }
  // 3. The whole suite, only for a candidate that passed its own tests: always the last word.
  const full = await runner.run([], 'suite')
  runs.push(full)
  const fullError = pytestOwnError(full)
  if (fullError !== undefined) return reject(fullError, full, runs)
  if (full.timedOut) return reject('the full test suite timed out (test-timeout); the process tree was killed', full, runs)
  const now = indexResults(full.results)
  if (full.results.length === 0) {
    return reject(`the full test suite reported no tests (exit code ${full.exitCode})`, full, runs)
  }
  const stillFailing = checkTestsPass(request.groupTests, now, request.mayXfail, known)
  const broken: string[] = []
  const missing: string[] = []
  for (const [nodeId, outcome] of baseline.outcomes) {
    if (outcome !== 'passed') continue
    const current = now.get(nodeId)
    if (current === undefined) missing.push(nodeId)
    else if (current !== 'passed') broken.push(`${nodeId} (${describeOutcome(current)})`)
  }
  // A passing test the suite no longer collects is a regression, unless only its parametrize id drifted.
  const { drifted, disappeared } = splitMissing(missing, baseline.outcomes, now)
  for (const nodeId of disappeared) broken.push(`${nodeId} (no longer collected: deleted, renamed or deselected)`)
  const keepKnown = new Set([...known, ...request.mustPass])
  for (const nodeId of request.mustPass) {
    const current = driftedOutcome(nodeId, now, keepKnown)
    if (current !== 'passed') broken.push(`${nodeId} (fixed earlier in this run, now ${current ? describeOutcome(current) : 'missing'})`)
  }
  drifted.push(...request.groupTests.filter(nodeId => !now.has(nodeId) && driftedOutcome(nodeId, now, known) !== undefined))
  if (stillFailing.length > 0 || broken.length > 0) {
    const parts: string[] = []
    if (stillFailing.length > 0) parts.push(`in the full suite ${summarize(stillFailing)} still fail`)
    if (broken.length > 0) parts.push(`${broken.length} test(s) that passed before now fail: ${summarize(broken)}`)
    return { accepted: false, reason: parts.join('; '), stillFailing, broken, output: full.output, runs, drifted }
  }
  const passedCount = [...now.values()].filter(outcome => outcome === 'passed').length
  return {
    accepted: true,
    reason: `the group's ${request.groupTests.length} test(s) pass and the full suite has ${passedCount} passing, none broken`,
    stillFailing: [],
    broken: [],
    output: full.output,
    runs,
    drifted
  }
}

/**
 * Runs the group's tests by node id. When pytest finds no test of that id (exit code 4, "not found"), a
 * parametrize id drifted since the failing run (it holds a time, a random value or a repr): the run is repeated
 * with those tests named by their function, which runs every instance of it.
 */
async function runGroupTests(groupTests: string[], runner: PytestRunner, runs: TestRun[]): Promise<TestRun> {
  const exact = await runner.run(groupTests, 'group')
  runs.push(exact)
  if (exact.exitCode !== 4 || exact.results.length > 0 || !/^ERROR: not found: /m.test(exact.output)) return exact
  if (!groupTests.some(isParametrized)) return exact
  const byFunction = [...new Set(groupTests.map(stableKey))]
  const again = await runner.run(byFunction, 'group-by-function')
  runs.push(again)
  return again
}

/**
 * pytest's own failure, in its own words, when a run wrote no results: a usage error (exit code 4: an argument
 * it does not know, a plugin option without its plugin) stops the run, because no attempt could ever be verified
 * with this command; an internal error (exit code 3, e.g. a hook an edit broke) rejects the attempt.
 */
function pytestOwnError(run: TestRun): string | undefined {
  if (run.results.length > 0 || run.timedOut) return undefined
  const lines = run.output
    .split('\n')
    .map(line => line.trimEnd())
    .filter(line => line !== '')
  if (run.exitCode === 4 && /file or directory not found/.test(run.output)) {
    return `pytest found no such file or directory: ${pytestUsageError(run.output)} (did the edits delete or rename a module the tests need?)`
  }
  if (run.exitCode === 4 && /while loading conftest/.test(run.output)) {
    // pytest ran the same command before the edits: what stops it now is a conftest.py (or a module it imports) they broke
    return `pytest could not load a conftest.py with the edits (exit code 4): ${pytestUsageError(run.output)}`
  }
  if (run.exitCode === 4) {
    throw new UserError(
      `pytest refused the arguments of the verification run (exit code 4, a usage error): ${pytestUsageError(run.output)}. ` +
        `Check 'test-command' and the addopts of your pytest configuration: the action appends --junitxml=PATH, -o cache_dir=PATH and node ids.`
    )
  }
  if (run.exitCode === 3) {
    const internal = lines.filter(line => line.startsWith('INTERNALERROR>')).slice(-6)
    return `pytest stopped with an internal error (exit code 3) and reported no tests: ${(internal.length > 0 ? internal : lines.slice(-6)).join(' | ')}`
  }
  return undefined
}

/** Reruns the failing tests; those that pass on any rerun are flaky. */
export async function findFlakyTests(failing: string[], reruns: number, runner: PytestRunner): Promise<Set<string>> {
  const flaky = new Set<string>()
  let remaining = [...failing]
  for (let round = 0; round < reruns && remaining.length > 0; round++) {
    const rerun = await runner.run(remaining, 'rerun')
    const outcomes = indexResults(rerun.results)
    for (const nodeId of remaining) if (outcomes.get(nodeId) === 'passed') flaky.add(nodeId)
    remaining = remaining.filter(nodeId => !flaky.has(nodeId))
  }
  return flaky
}

export function indexResults(results: TestResult[]): Map<string, TestOutcome> {
  return baselineFrom(results).outcomes
}

/**
 * Which of the tests do not pass in a run's outcomes. A parametrized test the run does not know by its id is
 * judged by its function's instances that `known` (the baseline's ids) does not have: its id drifted.
 */
function checkTestsPass(
  nodeIds: string[],
  outcomes: Map<string, TestOutcome>,
  mayXfail?: Set<string>,
  known: ReadonlySet<string> = new Set()
): string[] {
  const failing: string[] = []
  for (const nodeId of nodeIds) {
    if (!nodeId.includes('::')) {
      failing.push(...checkModuleCollects(nodeId, outcomes))
      continue
    }
    const outcome = driftedOutcome(nodeId, outcomes, known)
    if (outcome === 'passed') continue
    if (outcome === 'xfailed' && mayXfail?.has(nodeId)) continue
    failing.push(`${nodeId} (${outcome === undefined ? 'not collected' : describeOutcome(outcome)})`)
  }
  return failing
}

/**
 * A collection error's node id is its module (or the directory / conftest.py that failed): fixed when it collects
 * again without an error and every test below it passes (pytest then reports those tests, not the module).
 */
function checkModuleCollects(collector: string, outcomes: Map<string, TestOutcome>): string[] {
  const own = outcomes.get(collector)
  if (own === 'failed' || own === 'error') return [`${collector} (still fails to collect)`]
  const prefix = collectedPrefix(collector)
  const tests = [...outcomes].filter(([nodeId]) => nodeId.includes('::') && nodeId.startsWith(prefix))
  // Collected without an error: fixed, whether or not it yields tests (a source module collected by
  // --doctest-modules that has no doctests). A module the attempt deleted or renamed is no escape: the group run
  // names it explicitly, and pytest's "file or directory not found" rejects the attempt.
  if (tests.length === 0) return []
  return tests
    .filter(([, outcome]) => outcome === 'failed' || outcome === 'error')
    .map(([nodeId, outcome]) => `${nodeId} (${describeOutcome(outcome)})`)
}

/** The node id prefix of the tests a module, a conftest.py or a directory collects. */
function collectedPrefix(collector: string): string {
  if (/(^|\/)conftest\.py$/.test(collector)) return collector.slice(0, -'conftest.py'.length)
  if (collector.endsWith('.py')) return `${collector}::`
  return collector === '.' ? '' : `${collector.replace(/\/$/, '')}/`
}

/** Which of the tests (node ids, or modules that failed to collect) do not pass in a run's outcomes. */
export function failingAmong(nodeIds: string[], outcomes: Map<string, TestOutcome>, known?: ReadonlySet<string>): string[] {
  return checkTestsPass(nodeIds, outcomes, undefined, known)
}

function describeOutcome(outcome: TestOutcome): string {
  return outcome === 'error' ? 'error' : outcome
}

function severity(outcome: TestOutcome): number {
  return { passed: 0, xfailed: 1, skipped: 1, xpassed: 1, failed: 2, error: 3 }[outcome]
}

function summarize(items: string[]): string {
  const shown = items.slice(0, 5).join(', ')
  return items.length > 5 ? `${shown} and ${items.length - 5} more` : shown
}

function reject(reason: string, run: TestRun, runs: TestRun[]): Verdict {
  return { accepted: false, reason, stillFailing: [], broken: [], output: run.output, runs, drifted: [] }
}
