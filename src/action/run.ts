// The action: read the inputs and the event, run the engine with the runner's collaborators, publish to GitHub,
// and tell the workflow (outputs, job summary). The only part of pytest-fixer that touches @actions/core.
import * as core from '@actions/core'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ChangeRange } from '../context/change-under-test.js'
import { responseCacheDir } from '../engine/cache-key.js'
import { checkpointFile } from '../engine/checkpoint-file.js'
import { errorMessage, runEngine, type EngineDeps } from '../engine/run.js'
import type { CacheStore } from '../engine/ports.js'
import { processInterrupts } from '../engine/interrupts.js'
import { systemClock } from '../engine/ports.js'
import { readSettings, type Settings } from '../inputs.js'
import { publishToGitHub } from '../publish/to-github.js'
import { Redactor } from '../redact.js'
import { jobSummary } from '../report/markdown.js'
import { forkWithoutSecrets, readRunnerContext, type RunnerContext } from '../runner-context.js'
import { buildReport, emptyOutcome, writeReport } from '../report/report.js'
import { Inputs, Outputs } from '../constants.js'
import type { Logger, Report } from '../domain.js'
import type { TriggerPlan } from '../triggers/plan.js'
import { annotate, filesOfTheFix } from './annotations.js'
import { actionLogger, onceMasker, setOutputs } from './outputs.js'
import { readActionTrigger, stopped, triggerHooks } from './trigger.js'

/** The action's entry: whatever goes wrong ends in one clear line and `result: error`, never a stack trace. */
export async function run(): Promise<void> {
  try {
    await runAction()
  } catch (error) {
    core.debug(error instanceof Error ? (error.stack ?? error.message) : String(error))
    core.setOutput(Outputs.Result, 'error')
    core.setFailed(
      `pytest-fixer stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}. The working tree is restored; re-run with ACTIONS_STEP_DEBUG=true for details.`
    )
  }
}

async function runAction(): Promise<void> {
  const redactor = new Redactor()
  redactor.addFromEnvironment(process.env)
  const log = actionLogger(redactor)
  const context = readRunnerContext(process.env)
  const masker = onceMasker()
  const forkNotice = forkWithoutSecrets(context, core.getInput(Inputs.ApiKey))
  if (forkNotice !== null) return skipRun(forkNotice, context.tempDir)
  const plan = await planRun(context, redactor, masker, log)
  if (plan === undefined) return
  const settings = plan.settings
  const trigger = triggerHooks(plan, context)

  const answers = await answerStore(settings.cache, context, log)
  const { report, reportPath, failure } = await runEngine(settings, {
    startDir: context.workspace,
    tempDir: context.tempDir,
    env: process.env,
    log,
    sections: { section: (title, body) => core.group(title, body) },
    ...answers,
    masker,
    clock: systemClock,
    interrupts: processInterrupts(['SIGTERM', 'SIGINT']),
    onInterrupted: (signal, restored, ended) => cancelled(signal, restored, ended, answers.cache, redactor),
    publish: fix => publishToGitHub(settings, context, plan, fix, log),
    notARepository: dir =>
      `${dir} is not a git repository. Add 'uses: actions/checkout@v4' before pytest-fixer (and keep its default persist-credentials).`,
    redactor,
    hooks: { ...trigger.hooks, changeRange: changeRangeOf(context, settings) }
  })

  const skipped = trigger.skipped()
  if (skipped !== undefined && failure === undefined) return stopped(skipped, redactor)
  setOutputs(report, reportPath)
  // a run that failed says so in one error; annotations would bury it
  if (failure === undefined) annotate(report, filesOfTheFix(report), text => redactor.redact(text))
  await writeSummary(report, redactor)
  if (settings.uploadReport) await (await import('./report-artifact.js')).uploadReportArtifact(reportPath, process.env, log)
  core.info(`Result: ${report.result}${report.pullRequest.url ? ` (${report.pullRequest.url})` : ''}`)
  if (failure !== undefined) fail(failure, redactor)
}

/** The inputs, their secrets masked, and the run the event asks for (workflow_run, workflow_dispatch and comment
 *  commands shape it: src/triggers/); undefined when the step already ended (a stop, bad input). */
async function planRun(
  context: RunnerContext,
  redactor: Redactor,
  masker: ReturnType<typeof onceMasker>,
  log: Logger
): Promise<TriggerPlan | undefined> {
  try {
    const inputs: Settings = readSettings(name => core.getInput(name))
    redactor.add(inputs.apiKey)
    redactor.add(inputs.githubToken)
    for (const secret of redactor.values()) masker.mask(secret)
    const prepared = await readActionTrigger(inputs, context, log)
    if (!prepared.stop) return prepared
    await stopped(prepared, redactor)
  } catch (error) {
    fail(error, redactor, true)
  }
  return undefined
}

/** The Actions cache for model answers, and the run's checkpoint kept with them (a re-run of a cancelled job goes on
 *  from it); neither with `cache: false`. The cache client loads only when used: it is much of the start-up time. */
async function answerStore(enabled: boolean, context: RunnerContext, log: Logger): Promise<Pick<EngineDeps, 'cache' | 'checkpoints'>> {
  if (!enabled) return {}
  return {
    cache: (await import('./cache-store.js')).actionsCacheStore(context, log),
    checkpoints: { store: checkpointFile(path.join(responseCacheDir(context.tempDir), 'checkpoint.json')), resume: true }
  }
}

/** A cancelled job: the error, the outputs and summary at once; then the answers and checkpoint so far for the
 *  re-run, bounded, as the runner kills a cancelled step soon. The run goes on in the background until the process
 *  exits (writing nothing more), and must not outlive this. */
function cancelled(
  signal: string,
  restored: string[],
  ended: Parameters<EngineDeps['onInterrupted']>[2],
  cache: CacheStore | undefined,
  redactor: Redactor
): void {
  core.error(`pytest-fixer was cancelled (${signal}); the working tree is restored (${restored.length} file(s) put back).`)
  setOutputs(ended.report, ended.reportPath)
  writeSummaryNow(ended.report, redactor)
  if (cache === undefined) process.exit(1)
  const saved = cache.save(ended.cacheDir, ended.cacheKeyPrefix)
  void Promise.race([saved, new Promise(resolve => setTimeout(resolve, cancelSaveMs).unref())]).finally(() => process.exit(1))
}

/** How long a cancelled run may spend keeping its answers and checkpoint: the runner sends SIGKILL 7.5 s after its
 *  first signal. */
const cancelSaveMs = 5000

/** known-good-ref when set, else what the event tells; the token fetches a base commit a shallow clone lacks. */
function changeRangeOf(context: RunnerContext, settings: Settings): ChangeRange {
  const auth = settings.githubToken !== '' ? { serverUrl: context.serverUrl, token: settings.githubToken } : undefined
  if (settings.knownGoodRef !== '') return { base: settings.knownGoodRef, why: `known-good-ref ${settings.knownGoodRef}`, auth }
  return { ...context.changeBase, auth }
}

/** A run that does not start (a fork's pull request without secrets): a notice, the outputs and a report. */
async function skipRun(notice: string, tempDir: string): Promise<void> {
  core.notice(notice)
  const report = buildReport({
    outcome: emptyOutcome(),
    mode: '',
    published: null,
    llm: { calls: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 },
    patch: '',
    messages: [notice],
    durations: { total: 0, tests: 0 }
  })
  setOutputs(report, writeReport(report, tempDir, new Redactor()))
  await writeSummary(report, new Redactor())
}

/** The job summary, appended before this returns (core.summary writes asynchronously). */
function writeSummaryNow(report: Report, redactor: Redactor): void {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (file === undefined || file === '') return
  try {
    fs.appendFileSync(file, `${redactor.redact(jobSummary(report))}\n`)
  } catch (error) {
    core.warning(
      `The job summary could not be written (${error instanceof Error ? error.message : String(error)}); the report holds the same facts.`
    )
  }
}

/** The job summary; outside a runner (no GITHUB_STEP_SUMMARY) or on a write error, one warning instead. */
async function writeSummary(report: Report, redactor: Redactor): Promise<void> {
  try {
    await core.summary.addRaw(redactor.redact(jobSummary(report))).write()
  } catch (error) {
    core.warning(
      `The job summary could not be written (${error instanceof Error ? error.message : String(error)}); the report holds the same facts.`
    )
  }
}

/** Fails the step; before the engine ran (no report, no outputs yet) `result` is set to `error` here. */
function fail(error: unknown, redactor: Redactor, beforeTheRun = false): void {
  if (beforeTheRun) core.setOutput(Outputs.Result, 'error')
  core.setFailed(redactor.redact(errorMessage(error)))
}
