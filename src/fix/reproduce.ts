// Before the first attempt: does 'test-command' reproduce the failing run? Every attempt is verified with it, so
// when it collects fewer tests than the step that failed (that step ran `--doctest-modules src tests`, the action
// runs `pytest`), or a test that passed there does not pass here, no attempt could ever be accepted, and each one
// would cost a model call. The run stops with one message that names 'test-command' and what differs.
import { UserError, type TestOutcome, type TestResult } from '../domain.js'
import { driftedOutcome, splitMissing } from '../verify/drift.js'
import type { PytestRunner } from '../verify/pytest.js'
import { baselineFrom, indexResults } from '../verify/verify.js'
import { noResultsError } from './find-failures.js'

export interface Reproduction {
  /** failures that passed with 'test-command': they did not fail again, so no fix of them could be verified */
  notReproduced: string[]
  /** ids of the failing run that this run collected under another parametrize id */
  drifted: string[]
}

export async function checkReproduction(failingRun: TestResult[], failures: string[], runner: PytestRunner): Promise<Reproduction> {
  const run = await runner.run([], 'reproduce')
  if (run.timedOut) {
    throw new UserError(
      `'test-command' did not finish within 'test-timeout' when the action ran it to check that it reproduces the failing run. Raise 'test-timeout' (seconds).`
    )
  }
  if (run.results.length === 0) throw noResultsError(run)
  const before = baselineFrom(failingRun).outcomes
  const now = indexResults(run.results)
  const known = new Set(before.keys())

  const missing: string[] = []
  const notPassing: string[] = []
  for (const [nodeId, outcome] of before) {
    if (outcome !== 'passed') continue
    const current = now.get(nodeId)
    if (current === undefined) missing.push(nodeId)
    else if (current !== 'passed') notPassing.push(`${nodeId} (${current})`)
  }
  // pytest stops at a collection error unless told to go on: then it ran nothing else, and what it did not
  // collect says nothing about 'test-command' (the verification runs, on a fixed tree, get past it)
  const interrupted = /^!+ Interrupted: \d+ errors? during collection !+$/m.test(run.output)
  const split = interrupted ? { drifted: [], disappeared: [] } : splitMissing(missing, before, now)
  const drifted = [...split.drifted]
  const notReproduced: string[] = []
  const failuresNotCollected: string[] = []
  for (const nodeId of new Set(failures)) {
    if (!nodeId.includes('::')) continue // a module or conftest.py that failed to collect: verified by collection
    const current = driftedOutcome(nodeId, now, known)
    if (current === undefined) {
      if (!interrupted) failuresNotCollected.push(nodeId)
    } else if (isPass(current)) notReproduced.push(nodeId)
    if (!now.has(nodeId) && current !== undefined) drifted.push(nodeId)
  }

  const problems: string[] = []
  if (split.disappeared.length > 0 || failuresNotCollected.length > 0) {
    const absent = [...failuresNotCollected, ...split.disappeared]
    problems.push(`it does not collect ${absent.length} test(s) of the failing run (${examples(absent)})${whatDiffers(absent)}`)
  }
  if (notPassing.length > 0) {
    problems.push(
      `${notPassing.length} test(s) that passed in the failing run do not pass with it here (${examples(notPassing)}): ` +
        `the step that failed may have had environment variables, services or options that the action's step has not`
    )
  }
  if (problems.length > 0) {
    throw new UserError(
      `'test-command' does not reproduce the failing run, so no fix could be verified: ${problems.join('; ')}. ` +
        `Set 'test-command' to the command of the step that failed (with its options and paths), or run the action in that step's environment.`
    )
  }
  return { notReproduced, drifted }
}

function isPass(outcome: TestOutcome): boolean {
  return outcome === 'passed' || outcome === 'skipped' || outcome === 'xfailed'
}

/** A hint at the option that makes the difference, from the shape of the ids the failing run had in addition. */
function whatDiffers(absent: string[]): string {
  const files = [...new Set(absent.map(nodeId => nodeId.split('::')[0]))]
  const doctests = absent.filter(nodeId => isDoctest(nodeId))
  if (doctests.length > 0) {
    const glob = doctests.some(nodeId => !nodeId.split('::')[0].endsWith('.py'))
    return `; they are doctests, so the failing run had ${glob ? '`--doctest-glob`' : '`--doctest-modules`'}, which 'test-command' lacks`
  }
  const dirs = [...new Set(files.map(file => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file)))]
  return `; the failing run also ran ${dirs
    .slice(0, 3)
    .map(dir => `'${dir}'`)
    .join(', ')}, which 'test-command' does not (other paths, -k, -m or addopts)`
}

/** A doctest's node id: a text file, or a module item named by its dotted path (`src/pkg/m.py::pkg.m.func`). */
function isDoctest(nodeId: string): boolean {
  const [file, item] = nodeId.split('::')
  if (!file.endsWith('.py')) return true
  if (item === undefined || nodeId.split('::').length !== 2) return false
  const base = file.slice(file.lastIndexOf('/') + 1, -3)
  if (item === base) return !/^test_|_test$/.test(base) // `mod.py::mod` is a module docstring, `test_x.py::test_x` a test
  return item.startsWith(`${base}.`) || item.includes(`.${base}.`) || item.endsWith(`.${base}`)
}

function examples(items: string[]): string {
  const shown = items.slice(0, 3).join(', ')
  return items.length > 3 ? `e.g. ${shown} and ${items.length - 3} more` : shown
}
