// The action: read the inputs and the event, run the engine with the runner's collaborators, publish to GitHub,
// and tell the workflow (outputs, job summary). The only part of pytest-fixer that touches @actions/core.
import * as core from '@actions/core'
import { errorMessage, runEngine } from '../engine/run.js'
import { processInterrupts } from '../engine/interrupts.js'
import { systemClock } from '../engine/ports.js'
import { readSettings, type Settings } from '../inputs.js'
import { publishToGitHub } from '../publish/to-github.js'
import { Redactor } from '../redact.js'
import { jobSummary } from '../report/markdown.js'
import { forkWithoutSecrets, readRunnerContext } from '../runner-context.js'
import { buildReport, emptyOutcome, writeReport } from '../report/report.js'
import { Inputs } from '../constants.js'
import type { TriggerPlan } from '../triggers/plan.js'
import { actionsCacheStore } from './cache-store.js'
import { actionLogger, onceMasker, setOutputs } from './outputs.js'
import { readActionTrigger, stopped, triggerHooks } from './trigger.js'

export async function run(): Promise<void> {
  const redactor = new Redactor()
  redactor.addFromEnvironment(process.env)
  const log = actionLogger(redactor)
  const context = readRunnerContext(process.env)
  const masker = onceMasker()
  const forkNotice = forkWithoutSecrets(context, core.getInput(Inputs.ApiKey))
  if (forkNotice !== null) return skipRun(forkNotice, context.tempDir)
  let plan: TriggerPlan
  try {
    const inputs: Settings = readSettings(name => core.getInput(name))
    redactor.add(inputs.apiKey)
    redactor.add(inputs.githubToken)
    for (const secret of redactor.values()) masker.mask(secret)
    // workflow_run, workflow_dispatch and comment commands shape the run (src/triggers/)
    const prepared = await readActionTrigger(inputs, context, log)
    if (prepared.stop) return await stopped(prepared, redactor)
    plan = prepared
  } catch (error) {
    return fail(error, redactor)
  }
  const settings = plan.settings
  const trigger = triggerHooks(plan, context)

  const { report, reportPath, failure } = await runEngine(settings, {
    startDir: context.workspace,
    tempDir: context.tempDir,
    env: process.env,
    log,
    sections: { section: (title, body) => core.group(title, body) },
    cache: settings.cache ? actionsCacheStore(context, log) : undefined,
    masker,
    clock: systemClock,
    interrupts: processInterrupts(['SIGTERM', 'SIGINT']),
    onInterrupted: (signal, restored) => {
      core.error(`pytest-fixer was cancelled (${signal}); the working tree is restored (${restored.length} file(s) put back).`)
      process.exit(1)
    },
    publish: fix => publishToGitHub(settings, context, plan, fix, log),
    notARepository: dir => `${dir} is not a git repository. Add 'uses: actions/checkout@v4' before pytest-fixer (and keep its default persist-credentials).`,
    redactor,
    hooks: trigger.hooks
  })

  const skipped = trigger.skipped()
  if (skipped !== undefined && failure === undefined) return stopped(skipped, redactor)
  setOutputs(report, reportPath)
  await core.summary.addRaw(redactor.redact(jobSummary(report))).write()
  core.info(`Result: ${report.result}${report.pullRequest.url ? ` (${report.pullRequest.url})` : ''}`)
  if (failure !== undefined) fail(failure, redactor)
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
  await core.summary.addRaw(jobSummary(report)).write()
}

function fail(error: unknown, redactor: Redactor): void {
  core.setFailed(redactor.redact(errorMessage(error)))
}
