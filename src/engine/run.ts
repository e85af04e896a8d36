// The engine of one run, the same for the action and the command line: find the repository and the failures,
// fix them group by group (fix/), hand a verified fix to the edge's publisher, put the tree back unless the fix
// stays in it, and tell what happened in a report. Its collaborators come in through ports.ts.
import { closeWarmServers } from '../verify/warm-pytest.js'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { readChangeUnderTest, type ChangeRange, type ChangeUnderTest } from '../context/change-under-test.js'
import { buildPrompt } from '../context/prompt.js'
import { mergeByChangedCode } from '../context/shared-cause.js'
import { UserError, type ChangeUnderTestRecord, type Logger, type Report } from '../domain.js'
import { unifiedDiff } from '../edits/diff.js'
import { fixRun, type FixRunOutcome } from '../fix/fix-run.js'
import type { Settings } from '../inputs.js'
import { discoverLayout } from '../layout.js'
import { TokenBudget } from '../model/budget.js'
import { createModelClient, type LlmStats } from '../model/client.js'
import { ResponseCache } from '../model/response-cache.js'
import { Git } from '../publish/git.js'
import type { PublishResult } from '../publish/publish.js'
import { Redactor, environmentForTests } from '../redact.js'
import { buildReport, emptyOutcome, writeReport } from '../report/report.js'
import { createPytestRunner, type PytestRunner, type PytestRunnerOptions } from '../verify/pytest.js'
import { prefetchTokenizer } from '../tokens.js'
import { Workspace } from '../workspace.js'
import { responseCacheDir, responseCacheKeyPrefix } from './cache-key.js'
import type { CacheStore, Clock, InterruptSource, Publisher, RunHooks, Sections, SecretMasker } from './ports.js'
import type { CheckpointStore, Steering } from '../fix/steering.js'

/** The settings of a run; `mode` is the edge's (the action's modes, or the command line's). */
export type EngineSettings = Omit<Settings, 'mode'> & { mode: string }

export interface EngineDeps {
  /** where the run starts: inside the repository to fix */
  startDir: string
  /** scratch space: JUnit files of the engine's runs, the response cache, the report */
  tempDir: string
  /** the environment, for secrets to mask and the environment tests get */
  env: NodeJS.ProcessEnv
  log: Logger
  sections: Sections
  /** undefined: answers are not kept between runs (cache off) */
  cache?: CacheStore
  masker: SecretMasker
  clock: Clock
  interrupts: InterruptSource
  /** what an interruption says once the tree is restored and the report (result `cancelled`) is written; the
   *  answers the model gave so far are in `cacheDir`, for a cache store to keep at once */
  onInterrupted: (
    signal: string,
    restored: string[],
    ended: { report: Report; reportPath: string; cacheDir: string; cacheKeyPrefix: string }
  ) => void
  publish: Publisher
  /** the message for a start directory outside any git repository: what to do about it */
  notARepository: (dir: string) => string
  /** the redactor the edge made from the environment; the settings' secrets are added to it */
  redactor: Redactor
  hooks?: RunHooks
  /** the person at the command line's prompt (--interactive); none in the action */
  steering?: Steering
  /** where the run's checkpoint is kept; `resume`: go on from an interrupted run's checkpoint of the same state */
  checkpoints?: { store: CheckpointStore; resume: boolean }
}

export interface EngineResult {
  /** redacted */
  report: Report
  reportPath: string
  /** what ended the run badly (a UserError for the user as is); undefined when it ran to its end */
  failure?: unknown
}

export async function runEngine(settings: EngineSettings, deps: EngineDeps): Promise<EngineResult> {
  const { log, redactor } = deps
  const started = deps.clock.now()
  redactor.add(settings.apiKey)
  redactor.add(settings.githubToken)
  for (const secret of redactor.values()) deps.masker.mask(secret)

  const stats = new RunStats()
  let outcome: FixRunOutcome = emptyOutcome()
  let published: PublishResult | null = null
  let changeRecord: ChangeUnderTestRecord | null = null
  /** the fix was verified and handed to the publisher: an error from here on leaves the result as verified */
  let publishing = false
  let workspace: Workspace | undefined
  let runner: PytestRunner | undefined
  const hooks = deps.hooks ?? {}
  const messages: string[] = [...(hooks.messages ?? [])]
  let failure: unknown
  const cacheDir = responseCacheDir(deps.tempDir)
  const cacheKeyPrefix = responseCacheKeyPrefix(settings)

  const finalReport = (ended: FixRunOutcome, result?: Report['result']): Report => {
    const report = buildReport({
      outcome: ended,
      mode: settings.mode,
      model: settings.model,
      published,
      llm: stats.llm,
      patch: unifiedDiff(ended.changes),
      messages,
      changeUnderTest: changeRecord,
      prices: settings.prices,
      durations: { total: deps.clock.now() - started, tests: stats.testsMs, phases: stats.phases, testRuns: stats.testRuns }
    })
    if (result !== undefined) report.result = result
    return report
  }

  /** set by an interruption: what still runs in the background until the process exits writes nothing more */
  let interrupted = false
  const stopListening = deps.interrupts(signal => {
    interrupted = true
    workspace?.seal()
    runner?.cancelAll()
    void closeWarmServers()
    const restored = workspace?.restoreAll() ?? []
    // the tree first, then the record: a report and summary that say `cancelled`, whatever was found so far
    messages.push(`Cancelled (${signal}): the working tree is restored (${restored.length} file(s) put back); nothing was committed.`)
    const report = finalReport(outcome, 'cancelled')
    let reportPath = ''
    try {
      reportPath = writeReport(report, deps.tempDir, redactor)
    } catch (error) {
      log.warning(`The report could not be written: ${errorMessage(error)}`)
    }
    deps.onInterrupted(signal, restored, { report: redactor.redactDeep(report), reportPath, cacheDir, cacheKeyPrefix })
  })

  try {
    const repoRoot = await findRepoRoot(new Git(deps.startDir), deps.notARepository)
    const layout = discoverLayout(repoRoot, settings.workingDirectory, settings.testCommand)
    workspace = new Workspace(repoRoot)
    const activeWorkspace = workspace
    const tests: PytestRunnerOptions = {
      testCommand: settings.testCommand,
      layout,
      timeoutMs: settings.testTimeoutSeconds * 1000,
      env: environmentForTests(deps.env),
      tempDir: path.join(deps.tempDir, 'pytest-fixer-runs'),
      warm: settings.warmPytest
    }
    runner = stats.timed(createPytestRunner(tests))
    const cache = deps.cache
    if (cache !== undefined)
      await stats.phase('Restoring cached model answers', () => cache.restore(cacheDir, cacheKeyPrefix), deps.sections.section)
    const model = createModelClient({
      baseUrl: settings.baseUrl,
      apiKey: settings.apiKey,
      model: settings.model,
      budget: new TokenBudget(settings.maxTokensTotal),
      cache: cache !== undefined ? new ResponseCache(cacheDir) : undefined,
      log,
      timeoutMs: modelTimeoutMs(deps.env)
    })
    const repoGit = new Git(repoRoot)
    const { narrowFailures, beforeFixing } = hooks
    const logText = readLogText(settings.logFile, layout.repoRoot, layout.workDir)
    // read once, on the first prompt: the tree is still the code that was tested then
    let change: Promise<ChangeUnderTest | undefined> | undefined
    const changeUnderTest = (): Promise<ChangeUnderTest | undefined> =>
      (change ??= readChange(repoGit, hooks.changeRange, log).then(read => {
        changeRecord = read.record ?? null
        if (read.record?.unavailable !== undefined) messages.push(`The change under test is not shown: ${read.record.unavailable}`)
        return read.change
      }))
    try {
      outcome = await fixRun(
        { ...settings, cheapSuiteMs: cheapSuiteMs(deps.env) },
        {
          layout,
          runner,
          // after an interruption the model is asked nothing more, and a cut run's rejection is no verdict on an answer
          model: {
            complete: (...args) => (interrupted ? never() : model.complete(...args)),
            completeCandidates: (...args) => (interrupted ? never() : model.completeCandidates(...args)),
            rejected: (answer, reason) => (interrupted ? undefined : model.rejected?.(answer, reason))
          },
          workspace: activeWorkspace,
          redactor,
          log,
          buildPrompt: async (group, previous) =>
            buildPrompt({
              group,
              change: await changeUnderTest(),
              layout,
              allowTestChanges: settings.allowTestChanges,
              extraInstructions: settings.extraInstructions,
              previousAttempts: [...(hooks.carriedAttempts?.(group) ?? []), ...previous],
              log: logText,
              recentChanges: file => recentChanges(repoGit, file)
            }),
          mergeGroups: async groups => {
            const known = await changeUnderTest()
            return known === undefined ? groups : mergeByChangedCode(groups, known, layout)
          },
          section: (title, body) => stats.phase(title, body, deps.sections.section),
          narrowFailures: narrowFailures === undefined ? undefined : failures => narrowFailures(failures, tests),
          beforeFixing: beforeFixing === undefined ? undefined : groups => beforeFixing(groups, repoGit),
          prefetch: () => void prefetchTokenizer(),
          steering: deps.steering,
          checkpoints: deps.checkpoints === undefined ? undefined : await guardedCheckpoints(deps.checkpoints, repoGit, () => interrupted)
        }
      )
    } finally {
      stats.llm = model.stats()
    }
    messages.push(...outcome.messages)
    if (outcome.stopError !== undefined) throw outcome.stopError

    // Only the accepted attempts' edits, composed on the original bytes, are ever published; never the tree.
    const files = outcome.quit === true ? [] : activeWorkspace.verifiedFix()
    if (files.length > 0 && outcome.fixedTests.length > 0) {
      const verified = outcome
      publishing = true
      published = await stats.phase(
        `Publishing the fix (mode ${settings.mode})`,
        () =>
          deps.publish({
            outcome: verified,
            files,
            git: repoGit,
            redactor,
            llm: stats.llm,
            durations: { totalMs: deps.clock.now() - started, testsMs: stats.testsMs, llmMs: stats.llm.durationMs }
          }),
        deps.sections.section
      )
      messages.push(...published.messages)
      for (const message of published.messages) log.info(message)
      if (published.keepTree) activeWorkspace.keepOnly(files)
      else activeWorkspace.restoreAll()
      if (published.failed) failure = new UserError(published.messages.join('\n'))
    }
  } catch (error) {
    failure = error
  } finally {
    // whatever the mode: a tree that does not hold a published fix is put back as it was
    if (failure !== undefined || published === null || !published.keepTree) workspace?.restoreAll()
    await closeWarmServers()
    stopListening()
  }
  // the interruption wrote the report and ends the process: what still ran in the background writes nothing over it
  if (interrupted) await never()

  if (failure !== undefined) messages.push(errorMessage(failure))
  // an error is `error`, never `not-fixed`; a verified fix that could not be published stays `fixed` (its patch is reported)
  const report = finalReport(outcome, failure !== undefined && !publishing ? 'error' : outcome.quit === true ? 'cancelled' : undefined)
  if (hooks.finishReport !== undefined) report.messages.push(...(await hooks.finishReport(report, failure)))
  const reportPath = writeReport(report, deps.tempDir, redactor)
  if (deps.cache !== undefined) await deps.cache.save(cacheDir, cacheKeyPrefix)
  return { report: redactor.redactDeep(report), reportPath, failure }
}

/** A promise that never settles: the background of an interrupted run waits on it until the process exits. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined)
}

/** The run's figures for the report: time in test runs, and the model client's counts. */
class RunStats {
  testsMs = 0
  phases: Array<{ phase: string; ms: number }> = []
  testRuns: Array<{ purpose: string; ms: number; tests: number; warm?: boolean }> = []
  llm: LlmStats = { calls: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 }

  timed(runner: PytestRunner): PytestRunner {
    return {
      run: async (nodeIds, label, onStarted) => {
        const result = await runner.run(nodeIds, label, onStarted)
        this.testsMs += result.durationMs
        this.testRuns.push({
          purpose: label ?? 'run',
          ms: result.durationMs,
          tests: result.results.length,
          ...(result.warm === true ? { warm: true } : {})
        })
        return result
      },
      cancelAll: () => runner.cancelAll()
    }
  }

  /** A titled section of the log that also records how long it took. */
  async phase<T>(title: string, body: () => Promise<T>, section: <U>(title: string, body: () => Promise<U>) => Promise<U>): Promise<T> {
    const started = Date.now()
    try {
      return await section(title, body)
    } finally {
      this.phases.push({ phase: title, ms: Date.now() - started })
    }
  }
}

/** The message a failure leaves in the report and the log: a UserError as is, anything else with its stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof UserError) return error.message
  return `Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
}

async function findRepoRoot(git: Git, notARepository: (dir: string) => string): Promise<string> {
  const result = await git.exec(['rev-parse', '--show-toplevel'], { allowFailure: true })
  if (result.code !== 0) throw new UserError(notARepository(git.cwd))
  return result.stdout.trim()
}

/** The change under test, and what the report says of it; none without a range (the file history stands in). */
async function readChange(
  git: Git,
  range: ChangeRange | undefined,
  log: Logger
): Promise<{ change?: ChangeUnderTest; record?: ChangeUnderTestRecord }> {
  if (range === undefined) return {}
  const read = await readChangeUnderTest(git, range)
  if ('unavailable' in read) {
    log.info(`The change under test (${range.why}) is not shown: ${read.unavailable}. The prompt shows the files' recent history instead.`)
    return { record: { why: range.why, base: null, files: [], unavailable: read.unavailable } }
  }
  const { change } = read
  const tests = change.testFiles.length > 0 ? ` and ${change.testFiles.length} test file(s)` : ''
  log.info(`The change under test: ${change.why}, from ${change.base.slice(0, 7)}: ${change.files.length} file(s)${tests}`)
  return { change, record: { why: change.why, base: change.base, files: change.files.map(file => file.path) } }
}

/** The edge's checkpoint store, of this tree's state, that keeps nothing once the run was interrupted (the attempt
 *  under way then was cut, not judged). */
async function guardedCheckpoints(
  checkpoints: { store: CheckpointStore; resume: boolean },
  git: Git,
  interrupted: () => boolean
): Promise<{ store: CheckpointStore; resume: boolean; state: string }> {
  const { store } = checkpoints
  return {
    resume: checkpoints.resume,
    state: await treeState(git),
    store: {
      load: () => store.load(),
      save: checkpoint => (interrupted() ? undefined : store.save(checkpoint)),
      clear: () => (interrupted() ? undefined : store.clear())
    }
  }
}

/** What the run starts from: HEAD and the uncommitted changes to tracked files (a checkpoint is of one state). */
async function treeState(git: Git): Promise<string> {
  const head = await git.exec(['rev-parse', 'HEAD'], { allowFailure: true })
  const diff = await git.exec(['diff', 'HEAD', '--binary', '--no-color', '--no-ext-diff'], { allowFailure: true })
  return `${head.stdout.trim()}\n${createHash('sha256').update(diff.stdout).digest('hex')}`
}

async function recentChanges(git: Git, file: string): Promise<string> {
  const result = await git.exec(['log', '-n', '3', '-p', '--no-color', '--format=commit %h %s', '--', file], { allowFailure: true })
  return result.code === 0 ? result.stdout.slice(0, 6000) : ''
}

/**
 * Undocumented, for the fault-injection tests only: PYTEST_FIXER_MODEL_TIMEOUT_MS shortens the per-request
 * model timeout (120 s by default) so a hanging endpoint can be tested in seconds. Not an input on purpose.
 */
function modelTimeoutMs(env: NodeJS.ProcessEnv): number | undefined {
  const value = Number(env.PYTEST_FIXER_MODEL_TIMEOUT_MS)
  return Number.isInteger(value) && value > 0 ? value : undefined
}

/**
 * Undocumented, for the tests of the two-run plan only: PYTEST_FIXER_CHEAP_SUITE_MS sets how quick a whole suite
 * must be to skip the separate group run (2000 ms by default; 0 always runs the group first).
 */
function cheapSuiteMs(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.PYTEST_FIXER_CHEAP_SUITE_MS
  const value = Number(raw)
  return raw !== undefined && raw !== '' && Number.isInteger(value) && value >= 0 ? value : undefined
}

/** The log-file's text for the prompt (find-failures reports a missing file). */
function readLogText(logFile: string, ...bases: string[]): string | undefined {
  if (logFile === '') return undefined
  const found = bases.map(base => path.resolve(base, logFile)).find(file => fs.existsSync(file))
  return found === undefined ? undefined : fs.readFileSync(found, 'utf8')
}
