// The engine of one run: find the failures, set the flaky ones aside, group the rest, and try to fix each group
// in turn on top of the fixes before it. It changes only the working tree, through the Workspace; publishing
// is the caller's.
import type { AttemptFeedback, Prompt } from '../context/prompt.js'
import type { Failure, FileChange, Group, GroupRecord, Layout, Logger, ModelClient, RunResult, TestResult } from '../domain.js'
import { toFailures } from '../failures/failures.js'
import { groupFailures } from '../failures/group.js'
import type { Redactor } from '../redact.js'
import type { PytestRunner } from '../verify/pytest.js'
import { baselineFrom, failingAmong, findFlakyTests, indexResults, verifyAttempt } from '../verify/verify.js'
import type { Workspace } from '../workspace.js'
import { findFailures, testsToKeepPassing, testsToVerify } from './find-failures.js'
import { checkReproduction } from './reproduce.js'
import { firstLine, withType } from '../report/text.js'
import { fixGroup, groupRecord } from './fix-group.js'
import { openCheckpoint } from './checkpoint.js'
import { ImportMap } from '../verify/affected-tests.js'
import type { CheckpointStore, Steering } from './steering.js'

export interface FixRunSettings {
  junitXml: string
  logFile: string
  maxAttempts: number
  /** answers per model call; default 1 */
  candidates?: number
  /** a whole suite at most this quick is verified by its one run alone; default 2000 */
  cheapSuiteMs?: number
  initialTemperature: number
  temperatureIncrement: number
  allowTestChanges: boolean
  flakyReruns: number
}

export interface FixRunDeps {
  layout: Layout
  runner: PytestRunner
  model: ModelClient
  workspace: Workspace
  redactor: Redactor
  log: Logger
  buildPrompt: (group: Group, previous: AttemptFeedback[]) => Promise<Prompt>
  /** a titled, collapsible log section (core.group in the action) */
  section: <T>(title: string, body: () => Promise<T>) => Promise<T>
  /** input `tests`: the failures to fix, chosen before anything else runs */
  narrowFailures?: (failures: Failure[]) => Promise<{ failures: Failure[]; message: string } | undefined>
  /** groups that share a root cause the intake cannot see (the same changed code), merged */
  mergeGroups?: (groups: Group[]) => Promise<Group[]>
  /** a reason to stop before any model call (an open fix PR already fixes these groups on this commit) */
  beforeFixing?: (groups: Group[]) => Promise<string | undefined>
  /** work worth doing while the first pytest run of a run with failures keeps a core busy (loading the tokenizer) */
  prefetch?: () => void
  /** the person at the command line's prompt (--interactive) */
  steering?: Steering
  /** the run's checkpoint: kept after every attempt; with `resume`, an interrupted run of the same state goes on
   *  from it. `state` names what the run starts from (HEAD and the uncommitted changes) */
  checkpoints?: { store: CheckpointStore; resume: boolean; state: string }
}

export interface FixRunOutcome {
  result: RunResult
  failures: Failure[]
  groups: GroupRecord[]
  /** the groups as grouped, for the PR body and the branch name */
  failureGroups: Group[]
  fixedTests: string[]
  unfixedTests: string[]
  flakyTests: string[]
  /** passed / failed / skipped in the failing run, and in the full-suite run that accepted the last fix */
  suiteCounts?: { before: SuiteCounts; after: SuiteCounts | null }
  /** baseline ids whose parametrize id drifted between runs (time, random value, repr): compared by function */
  driftedTests: string[]
  /** the fix: every file changed, from its original to its final content */
  changes: FileChange[]
  messages: string[]
  source: string
  /** the model endpoint failed for good: the run stopped there, and the step must fail with this */
  stopError?: Error
  /** set when `beforeFixing` stopped the run: why */
  skipped?: string
  /** the person typed `quit` at the prompt: nothing is published and the tree is restored */
  quit?: boolean
}

/** A whole suite this quick costs little more than a pytest start: a separate run of the group's tests first saves nothing. */
const defaultCheapSuiteMs = 2000

export async function fixRun(settings: FixRunSettings, deps0: FixRunDeps): Promise<FixRunOutcome> {
  const { log } = deps0
  // what a full-suite run takes here, learned from the runs themselves: it chooses the verification plan
  let suiteMs: number | undefined
  /** the latest run's wall time: after the reproduction check, what a pytest start costs here, roughly */
  let lastRunMs = 0
  let planSaid = false
  const suiteOnly = (): boolean => {
    const cheap = suiteMs !== undefined && suiteMs <= (settings.cheapSuiteMs ?? defaultCheapSuiteMs)
    if (cheap && !planSaid) {
      planSaid = true
      log.info(`The whole suite takes about ${((suiteMs ?? 0) / 1000).toFixed(1)} s: each attempt is verified by one full-suite run`)
    }
    return cheap
  }
  const deps: FixRunDeps = {
    ...deps0,
    runner: {
      ...deps0.runner,
      run: async (nodeIds, label, onStarted) => {
        const run = await deps0.runner.run(nodeIds, label, onStarted)
        lastRunMs = run.durationMs
        if ((nodeIds ?? []).length === 0 && !run.timedOut && run.results.length > 0) suiteMs = run.durationMs
        return run
      }
    }
  }
  const found = await deps.section('Reading the failures', async () => {
    const result = await findFailures({
      junitXml: settings.junitXml,
      logFile: settings.logFile,
      layout: deps.layout,
      runner: deps.runner,
      log
    })
    log.info(`${result.failures.length} failure(s) from ${result.source}`)
    for (const failure of result.failures) log.info(`  ${failure.nodeId}: ${withType(failure.errorType, firstLine(failure.message))}`)
    return result
  })
  const narrowed = await deps.narrowFailures?.(found.failures)
  if (narrowed !== undefined) {
    log.info(narrowed.message)
    found.failures = narrowed.failures
  }
  const outcome: FixRunOutcome = { ...emptyOutcome(), result: 'nothing-to-fix', failures: found.failures, source: found.source }
  if (narrowed !== undefined) outcome.messages.push(narrowed.message)
  if (found.failures.length === 0) {
    outcome.messages.push(`Nothing to fix: no failing tests in ${found.source}.`)
    return outcome
  }

  // The model will likely be asked: while pytest runs, the first prompt is made as it will be unless the run
  // changes the failures (a flaky one drops out, a group changes): CPU work on the other core, no model call.
  let early: Promise<EarlyPrompt | undefined> | undefined
  let overlapped = false
  const whilePytestRuns = (): void => {
    overlapped = true
    deps.prefetch?.()
    early = firstPromptOf(found.failures, deps)
  }
  const drifted = new Set<string>()
  const flaky = new Set<string>()
  let reruns = settings.flakyReruns
  if (found.fromFailingRun) {
    // Every attempt is verified with 'test-command': first make sure it sees what the failing run saw. The run
    // reruns the failing tests too, so it is the first round of flaky triage.
    const reproduction = await deps.section("Checking that 'test-command' reproduces the failing run", async () => {
      const result = await checkReproduction(
        found.results,
        found.failures.map(failure => failure.nodeId),
        { ...deps.runner, run: (nodeIds, label) => deps.runner.run(nodeIds, label, whilePytestRuns) }
      )
      log.info(
        result.notReproduced.length === 0
          ? `'test-command' reproduces the ${found.failures.length} failure(s)`
          : `Passed with 'test-command' (did not fail again, not sent to the model): ${result.notReproduced.join(', ')}`
      )
      return result
    })
    // the failing run's JUnit times its tests; the check just measured a pytest start with the failing tests
    if (found.suiteSeconds !== undefined) suiteMs ??= lastRunMs + found.suiteSeconds * 1000
    for (const nodeId of reproduction.drifted) drifted.add(nodeId)
    for (const nodeId of reproduction.notReproduced) flaky.add(nodeId)
    reruns = Math.max(0, reruns - 1)
  }
  if (!overlapped) deps.prefetch?.()
  await deps.section('Rerunning the failing tests to find flaky ones', async () => {
    const ids = [...new Set(found.failures.map(failure => failure.nodeId))].filter(nodeId => !flaky.has(nodeId))
    if (reruns === 0 || ids.length === 0) return
    const result = await findFlakyTests(ids, reruns, deps.runner)
    for (const nodeId of result) flaky.add(nodeId)
    log.info(result.size === 0 ? 'No failure passed on rerun' : `Flaky (passed on rerun, not sent to the model): ${[...result].join(', ')}`)
  })
  outcome.flakyTests = [...flaky]
  const failing = found.failures.filter(failure => !flaky.has(failure.nodeId))
  const flakyGroups = flakyGroupRecords(found.failures.filter(failure => flaky.has(failure.nodeId)))
  if (failing.length === 0) {
    outcome.groups = flakyGroups
    outcome.result = 'flaky'
    outcome.messages.push('Every failure passed on rerun: reported as flaky, nothing fixed.')
    return outcome
  }

  const grouped = groupFailures(failing)
  const groups = deps.mergeGroups === undefined ? grouped : await deps.mergeGroups(grouped)
  if (groups.length < grouped.length) {
    log.info(`${grouped.length} groups reach the same changed code: fixed as ${groups.length} (one conversation per root cause)`)
  }
  outcome.failureGroups = groups
  const skipped = await deps.beforeFixing?.(groups)
  if (skipped !== undefined) {
    outcome.skipped = skipped
    outcome.groups = [...groups.map(group => groupRecord(group, 'skipped')), ...flakyGroups]
    return outcome
  }
  const baseline = baselineFrom(found.results)
  const known = new Set(baseline.outcomes.keys())
  const mustPass: string[] = []
  /** the full-suite results of the latest accepted fix */
  let latestSuite: TestResult[] | undefined
  const queue = [...groups]
  const checkpoint = openCheckpoint(deps.checkpoints, failing, deps.workspace, log)
  const importMap = new ImportMap(deps.layout)
  if (checkpoint.message !== undefined) outcome.messages.push(checkpoint.message)
  for (const done of checkpoint.restored) {
    outcome.groups.push(done.record)
    mustPass.push(...done.mustPass)
  }
  /** a verification of this run accepted a fix on top of the restored ones: the full suite had its word */
  let verifiedHere = false
  for (let next = 0; next < queue.length; next++) {
    const group = queue[next]
    const tests = group.failures.map(failure => failure.nodeId)
    if (checkpoint.restored.some(done => done.record.fingerprint === group.fingerprint)) continue
    if (latestSuite !== undefined && failingAmong(tests, indexResults(latestSuite), known).length === 0) {
      // An earlier fix (same root cause, grouped apart) already makes these pass, verified by its suite run.
      const fixedBy = outcome.groups
        .filter(record => record.status === 'fixed')
        .map(record => record.fingerprint)
        .join(', ')
      log.info(`Group ${group.fingerprint}: its ${tests.length} test(s) already pass with the fix of group ${fixedBy}; no model call`)
      const record: GroupRecord = { ...groupRecord(group, 'fixed'), fixedBy }
      const kept = testsToKeepPassing(tests, latestSuite, deps.layout.rootDir)
      outcome.groups.push(record)
      mustPass.push(...kept)
      checkpoint.groupDone(record, [], kept)
      continue
    }
    const title = `Fixing group ${group.fingerprint}: ${group.failures.length} failure(s), ${group.failures[0].errorType}`
    const fixed = await deps.section(title, () =>
      fixGroup(
        group,
        {
          maxAttempts: settings.maxAttempts,
          candidates: settings.candidates,
          initialTemperature: settings.initialTemperature,
          temperatureIncrement: settings.temperatureIncrement,
          allowTestChanges: settings.allowTestChanges,
          repoRoot: deps.layout.repoRoot,
          mustPass: [...mustPass],
          baseline,
          resume: checkpoint.progressOf(group.fingerprint)
        },
        {
          model: deps.model,
          workspace: deps.workspace,
          buildPrompt: async (group, previous) => {
            const made = previous.length === 0 ? await early : undefined
            early = undefined
            return made !== undefined && made.group === JSON.stringify(group) ? made.prompt : deps.buildPrompt(group, previous)
          },
          verify: async (groupTests, keepPassing, changed) => {
            const cheap = suiteOnly()
            const verdict = await verifyAttempt(
              {
                groupTests: await testsToVerify(groupTests, deps.layout.rootDir, deps.runner),
                mustPass: keepPassing,
                // the full suite is always the last word; when it is cheap it is the only run
                suiteOnly: cheap,
                // when it is not: the group, then the tests that import the changed code, then the suite
                ...(cheap ? {} : { affected: (await importMap.testsImporting(changed)) ?? [] })
              },
              baseline,
              deps.runner
            )
            for (const nodeId of verdict.drifted) drifted.add(nodeId)
            return verdict
          },
          redactor: deps.redactor,
          log,
          steering: deps.steering,
          progress: progress => checkpoint.progress(progress)
        }
      )
    )
    if (fixed.quit === true) {
      outcome.quit = true
      checkpoint.finished()
      break
    }
    outcome.groups.push(fixed.record)
    const kept: string[] = []
    if (fixed.record.status === 'fixed') {
      verifiedHere = true
      kept.push(...testsToKeepPassing(fixed.record.tests, fixed.suiteResults ?? [], deps.layout.rootDir))
      mustPass.push(...kept)
      const hidden = hiddenFailures(fixed.suiteResults ?? [], baseline.outcomes, queue, deps.layout)
      if (hidden.length > 0) {
        const newGroups = groupFailures(hidden)
        const message =
          `${hidden.length} failure(s) hidden by the collection error of ${tests.join(', ')} show now that it collects: ` +
          `${hidden.map(failure => failure.nodeId).join(', ')}; fixed in this run as ${newGroups.length} more group(s).`
        log.info(message)
        outcome.messages.push(message)
        outcome.failures.push(...hidden)
        outcome.failureGroups.push(...newGroups)
        queue.push(...newGroups)
      }
    }
    if (fixed.suiteResults !== undefined) latestSuite = fixed.suiteResults
    if (fixed.stopError === undefined && fixed.stopReason === undefined) checkpoint.groupDone(fixed.record, fixed.changes, kept)
    if (fixed.stopError !== undefined) {
      outcome.stopError = fixed.stopError
      break
    }
    if (fixed.stopReason !== undefined) {
      outcome.messages.push(fixed.stopReason)
      log.warning(fixed.stopReason)
      break
    }
  }
  if (outcome.quit === true) {
    outcome.messages.push('Stopped at your quit: the working tree is restored and nothing is kept.')
    outcome.groups.push(...flakyGroups)
    outcome.result = 'not-fixed'
    return outcome
  }
  if (checkpoint.restoredFixes && !verifiedHere && outcome.stopError === undefined) {
    // every fix came from the interrupted run: the full suite has the last word in this one too
    const gate = await deps.section('Verifying the fixes of the interrupted run', () =>
      verifyAttempt({ groupTests: checkpoint.fixedTests(), mustPass: [...mustPass], suiteOnly: true }, baseline, deps.runner)
    )
    if (gate.accepted) latestSuite = gate.runs[gate.runs.length - 1]?.results
    else {
      const message = `The fixes of the interrupted run no longer pass on their own (${gate.reason}); they are dropped with the checkpoint, and the next run starts over.`
      log.warning(message)
      outcome.messages.push(message)
      checkpoint.withdraw()
      for (const record of outcome.groups) if (record.status === 'fixed') record.status = 'unfixed'
    }
  }
  for (const group of queue) {
    if (!outcome.groups.some(record => record.fingerprint === group.fingerprint)) outcome.groups.push(groupRecord(group, 'skipped'))
  }
  if (outcome.stopError === undefined) checkpoint.finished()
  outcome.groups.push(...flakyGroups)

  outcome.fixedTests = unique(outcome.groups.filter(group => group.status === 'fixed').flatMap(group => group.tests))
  outcome.unfixedTests = unique(
    outcome.groups.filter(group => group.status === 'unfixed' || group.status === 'skipped').flatMap(group => group.tests)
  )
  outcome.suiteCounts = { before: countOutcomes(found.results), after: latestSuite === undefined ? null : countOutcomes(latestSuite) }
  outcome.driftedTests = [...drifted]
  if (drifted.size > 0) {
    log.info(
      `${drifted.size} test id(s) changed between runs (a parametrize id from the time, a random value or a repr); compared by function: ${[...drifted].join(', ')}`
    )
  }
  outcome.changes = deps.workspace.verifiedFix() // the accepted attempts' changes on the original bytes, never a tree diff
  outcome.result = outcome.fixedTests.length === 0 ? 'not-fixed' : outcome.unfixedTests.length === 0 ? 'fixed' : 'partially-fixed'
  return outcome
}

/** An outcome with nothing in it yet; also the report of a run that ended before any failure was read. */
export function emptyOutcome(): FixRunOutcome {
  return {
    result: 'not-fixed',
    failures: [],
    groups: [],
    failureGroups: [],
    fixedTests: [],
    unfixedTests: [],
    flakyTests: [],
    driftedTests: [],
    changes: [],
    messages: [],
    source: ''
  }
}

/**
 * Tests that fail in an accepted fix's suite run but never ran in the baseline: a module, conftest.py or directory
 * that failed to collect hid them (or pytest stopped at the collection error). They are failures of this run too.
 */
function hiddenFailures(suite: TestResult[], baseline: Map<string, unknown>, queued: Group[], layout: Layout): Failure[] {
  const known = new Set(queued.flatMap(group => group.failures.map(failure => failure.nodeId)))
  const appeared = suite.filter(
    result => (result.outcome === 'failed' || result.outcome === 'error') && !baseline.has(result.nodeId) && !known.has(result.nodeId)
  )
  return appeared.length === 0 ? [] : toFailures(appeared, layout, undefined)
}

export interface SuiteCounts {
  passed: number
  failed: number
  skipped: number
}

function countOutcomes(results: TestResult[]): SuiteCounts {
  const counts: SuiteCounts = { passed: 0, failed: 0, skipped: 0 }
  for (const outcome of indexResults(results).values()) {
    if (outcome === 'passed') counts.passed++
    else if (outcome === 'failed' || outcome === 'error') counts.failed++
    else counts.skipped++
  }
  return counts
}

/** Flaky failures grouped like the others, so the report tells their root causes apart. */
function flakyGroupRecords(failures: Failure[]): GroupRecord[] {
  return groupFailures(failures).map(group => groupRecord(group, 'flaky'))
}

function unique(items: string[]): string[] {
  return [...new Set(items)]
}

/** A first prompt made while pytest ran, for the group it was made for (as JSON: the same failures, the same text). */
interface EarlyPrompt {
  group: string
  prompt: Prompt
}

/** The first group's first prompt, were the failures to stay as they are; undefined when it cannot be made now (the
 *  attempt makes it again then, and meets the error itself). */
async function firstPromptOf(failures: Failure[], deps: FixRunDeps): Promise<EarlyPrompt | undefined> {
  try {
    const grouped = groupFailures(failures)
    const first = (deps.mergeGroups === undefined ? grouped : await deps.mergeGroups(grouped))[0]
    return first === undefined ? undefined : { group: JSON.stringify(first), prompt: await deps.buildPrompt(first, []) }
  } catch {
    return undefined
  }
}
