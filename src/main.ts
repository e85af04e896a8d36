// The action: read the settings, fix what failed, publish the fix per mode, and tell the user (outputs, job
// summary, report). Only this file and its edges touch @actions/*.
import * as actionsCache from '@actions/cache'
import * as core from '@actions/core'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Outputs } from './constants.js'
import { buildPrompt } from './context/prompt.js'
import { UserError, type Logger, type Report } from './domain.js'
import { unifiedDiff } from './edits/diff.js'
import { testFilesChanged } from './edits/policy.js'
import { runFingerprint } from './failures/group.js'
import { fixRun, type FixRunOutcome } from './fix/fix-run.js'
import { readSettings, type Settings } from './inputs.js'
import { discoverLayout } from './layout.js'
import { restoreResponseCache, saveResponseCache } from './model/actions-cache.js'
import { TokenBudget } from './model/budget.js'
import { createModelClient, type LlmStats } from './model/client.js'
import { ResponseCache } from './model/response-cache.js'
import { Git } from './publish/git.js'
import { createOctokit } from './publish/github.js'
import { publishFix, type PublishResult } from './publish/publish.js'
import { Redactor, environmentForTests } from './redact.js'
import { jobSummary, pullRequestBody } from './report/markdown.js'
import { buildReport, emptyOutcome, writeReport } from './report/report.js'
import { readRunnerContext, type RunnerContext } from './runner-context.js'
import { createPytestRunner, type PytestRunner } from './verify/pytest.js'
import { Workspace } from './workspace.js'
import { keywordSelector } from './triggers/aim.js'
import { readEventPayload, readTrigger } from './triggers/event.js'
import { prepareTrigger, type Stop, type TriggerPlan } from './triggers/plan.js'

export async function run(): Promise<void> {
  const started = Date.now()
  const redactor = new Redactor()
  redactor.addFromEnvironment(process.env)
  const log = redactingLogger(redactor)
  const context = readRunnerContext(process.env)
  let settings: Settings
  try {
    settings = readSettings(name => core.getInput(name))
  } catch (error) {
    return fail(error, redactor)
  }
  redactor.add(settings.apiKey)
  redactor.add(settings.githubToken)
  for (const secret of redactor.values()) core.setSecret(secret)
  // workflow_run, workflow_dispatch and comment commands shape the run (src/triggers/)
  let plan: TriggerPlan
  try {
    const prepared = await prepareTrigger({
      trigger: readTrigger(context.eventName, readEventPayload(process.env.GITHUB_EVENT_PATH)),
      settings,
      repository: context.repository,
      runKey: `${context.runId || 'local'}.${context.runAttempt}`,
      runUrl: context.runUrl,
      tempDir: context.tempDir,
      git: new Git(context.workspace),
      octokit: () => createOctokit(settings.githubToken, context.apiUrl, log),
      log
    })
    if (prepared.stop) return await stopped(prepared, redactor)
    plan = prepared
  } catch (error) {
    return fail(error, redactor)
  }
  settings = plan.settings

  const llmStats: LlmStats = { calls: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 }
  let outcome: FixRunOutcome = emptyOutcome()
  let published: PublishResult | null = null
  let workspace: Workspace | undefined
  let runner: PytestRunner | undefined
  let testsMs = 0
  const messages: string[] = [...plan.messages]
  let failure: unknown
  let skipped: Stop | undefined
  const cacheDir = path.join(context.tempDir, 'pytest-fixer-llm-cache')
  const cacheKeyPrefix = `pytest-fixer-llm-v1-${createHash('sha256').update(`${settings.baseUrl}\n${settings.model}`).digest('hex').slice(0, 12)}-`
  const cacheService = { isFeatureAvailable: actionsCache.isFeatureAvailable, restoreCache: actionsCache.restoreCache, saveCache: actionsCache.saveCache }

  const onSignal = (signal: NodeJS.Signals): void => {
    runner?.cancelAll()
    const restored = workspace?.restoreAll() ?? []
    core.error(`pytest-fixer was cancelled (${signal}); the working tree is restored (${restored.length} file(s) put back).`)
    process.exit(1)
  }
  process.once('SIGTERM', onSignal)
  process.once('SIGINT', onSignal)

  try {
    const git = new Git(context.workspace)
    const repoRoot = await findRepoRoot(git)
    const layout = discoverLayout(repoRoot, settings.workingDirectory, settings.testCommand)
    workspace = new Workspace(repoRoot)
    const activeWorkspace = workspace
    const pytestOptions = {
      testCommand: settings.testCommand,
      layout,
      timeoutMs: settings.testTimeoutSeconds * 1000,
      env: environmentForTests(process.env),
      tempDir: path.join(context.tempDir, 'pytest-fixer-runs')
    }
    const pytest = createPytestRunner(pytestOptions)
    runner = {
      run: async (nodeIds, label) => {
        const result = await pytest.run(nodeIds, label)
        testsMs += result.durationMs
        return result
      },
      cancelAll: pytest.cancelAll
    }

    if (settings.cache) {
      await core.group('Restoring cached model answers', () => restoreResponseCache(cacheService, cacheDir, cacheKeyPrefix, log))
    }
    const model = createModelClient({
      baseUrl: settings.baseUrl,
      apiKey: settings.apiKey,
      model: settings.model,
      budget: new TokenBudget(settings.maxTokensTotal),
      cache: settings.cache ? new ResponseCache(cacheDir) : undefined,
      log,
      timeoutMs: modelTimeoutMs(process.env)
    })
    const repoGit = new Git(repoRoot)
    const logText = readLogText(settings.logFile, layout.repoRoot, layout.workDir)
    const activePlan = plan
    const activeSettings = settings
    try {
      outcome = await fixRun(settings, {
        layout,
        runner,
        model,
        workspace: activeWorkspace,
        redactor,
        log,
        buildPrompt: (group, previous) =>
          buildPrompt({
            group,
            layout,
            allowTestChanges: settings.allowTestChanges,
            extraInstructions: settings.extraInstructions,
            previousAttempts: [...activePlan.carriedAttempts(group), ...previous],
            log: logText,
            recentChanges: file => recentChanges(repoGit, file)
          }),
        section: (title, body) => core.group(title, body),
        narrowFailures: failures => activePlan.narrow(failures, keywordSelector(pytestOptions)),
        beforeFixing: async groups => {
          const baseBranch = activeSettings.baseBranch || context.refBranch || (await repoGit.currentBranch()) || ''
          skipped = await activePlan.beforeFixing(groups, `${activeSettings.branchPrefix}${baseBranch}/${runFingerprint(groups)}`, baseBranch)
          return skipped?.notice
        }
      })
    } finally {
      Object.assign(llmStats, model.stats())
    }
    messages.push(...outcome.messages)
    if (outcome.stopError !== undefined) throw outcome.stopError
    if (skipped !== undefined) return await stopped(skipped, redactor)

    if (outcome.changes.length > 0) {
      published = await core.group(`Publishing the fix (mode ${settings.mode})`, () => publish(activeSettings, context, repoGit, outcome, redactor, log, activePlan))
      messages.push(...published.messages)
      for (const message of published.messages) log.info(message)
      if (!published.keepTree) activeWorkspace.restoreAll()
      if (published.failed) failure = new UserError(published.messages.join('\n'))
    }
  } catch (error) {
    failure = error
  } finally {
    if (failure !== undefined || (published === null && settings.mode !== 'apply')) workspace?.restoreAll()
    process.removeListener('SIGTERM', onSignal)
    process.removeListener('SIGINT', onSignal)
  }

  if (failure !== undefined) messages.push(errorMessage(failure))
  const report = buildReport({
    outcome,
    mode: settings.mode,
    published,
    llm: llmStats,
    patch: unifiedDiff(outcome.changes),
    messages,
    durations: { total: Date.now() - started, tests: testsMs }
  })
  try {
    report.messages.push(...(await plan.finish(report, failure)))
  } catch (error) {
    report.messages.push(`pytest-fixer could not finish its answer on GitHub: ${errorMessage(error)}`)
  }
  const reportPath = writeReport(report, context.tempDir, redactor)
  setOutputs(redactor.redactDeep(report), reportPath)
  await core.summary.addRaw(redactor.redact(jobSummary(report))).write()
  if (settings.cache) await saveResponseCache(cacheService, cacheDir, cacheKeyPrefix, context.runId || 'local', context.runAttempt, log)

  core.info(`Result: ${report.result}${report.pullRequest.url ? ` (${report.pullRequest.url})` : ''}`)
  if (failure !== undefined) fail(failure, redactor)
}

async function publish(settings: Settings, context: RunnerContext, git: Git, outcome: FixRunOutcome, redactor: Redactor, log: Logger, plan: TriggerPlan): Promise<PublishResult> {
  const baseBranch = settings.baseBranch || context.refBranch || (await git.currentBranch()) || ''
  const fingerprint = runFingerprint(outcome.failureGroups)
  let pushBlocked: string | null = null
  if (context.forkRepository !== null) pushBlocked = `the failing run is a pull request from the fork ${context.forkRepository}, which this workflow's token cannot push to`
  else if (baseBranch === '') pushBlocked = "the branch that failed is unknown (detached HEAD); set 'base-branch'"
  else if (baseBranch.startsWith(settings.branchPrefix)) pushBlocked = `'${baseBranch}' is itself a pytest-fixer fix branch; not stacking a second fix on it`
  else if (settings.githubToken === '' && settings.mode === 'pull-request') pushBlocked = "'github-token' is empty"

  const fixed = outcome.groups.filter(group => group.status === 'fixed')
  const tests = fixed.flatMap(group => group.tests)
  const title = tests.length === 1 ? `Fix failing test ${tests[0]}` : `Fix ${tests.length} failing tests (${[...new Set(fixed.map(group => group.errorType))].join(', ')})`
  const partialReport = buildReport({
    outcome,
    mode: settings.mode,
    published: null,
    llm: { calls: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 },
    patch: unifiedDiff(outcome.changes),
    messages: [],
    durations: { total: 0, tests: 0 }
  })
  const verification = [
    `Before: ${outcome.failures.length} failing test(s) in ${outcome.source}.`,
    ...fixed.map(group => `After, group \`${group.fingerprint}\`: ${group.attempts.find(attempt => attempt.outcome === 'accepted')?.reason ?? ''}.`)
  ]
  const body = plan.pullRequestBody(
    pullRequestBody({ report: partialReport, runUrl: plan.runUrl, verification, testFilesChanged: testFilesChanged(outcome.changes) }),
    partialReport,
    await git.headSha(),
    baseBranch
  )
  const commitMessage = `${title}\n\n${verification.map(line => line.replace(/`/g, '')).join('\n')}\n\nVerified by pytest-fixer.`
  const serverHost = context.serverUrl
  const remote = (await git.remoteUrl()) ?? ''
  const auth = settings.githubToken !== '' && remote.startsWith(serverHost) ? { serverUrl: serverHost, token: settings.githubToken } : undefined
  const labels = [...new Set([...settings.labels, ...plan.labels(fixed.map(group => group.errorType), testFilesChanged(outcome.changes).length > 0)])]
  return publishFix({
    mode: settings.mode,
    git,
    changes: outcome.changes,
    baseBranch,
    fixBranch: plan.fixBranch(`${settings.branchPrefix}${baseBranch}/${fingerprint}`),
    commitMessage: redactor.redact(commitMessage),
    title: redactor.redact(title),
    body: redactor.redact(body),
    labels,
    draft: settings.draft,
    repository: context.repository,
    serverUrl: context.serverUrl,
    pushBlocked,
    auth,
    octokit: () => createOctokit(settings.githubToken, context.apiUrl, log),
    log
  })
}

/** A run that stopped before fixing (a refused trigger, an answered command, a fix PR that exists): one notice. */
async function stopped(stop: Stop, redactor: Redactor): Promise<void> {
  const notice = redactor.redact(stop.notice)
  core.notice(notice)
  core.setOutput(Outputs.PullRequestOperation, 'none')
  if (stop.pullRequest !== undefined) {
    core.setOutput(Outputs.PullRequestNumber, String(stop.pullRequest.number))
    core.setOutput(Outputs.PullRequestUrl, stop.pullRequest.url)
  }
  await core.summary.addRaw(`## pytest-fixer\n\n⏭️ ${notice}\n`).write()
}

function setOutputs(report: Report, reportPath: string): void {
  core.setOutput(Outputs.Result, report.result)
  core.setOutput(Outputs.FixedTests, JSON.stringify(report.fixedTests))
  core.setOutput(Outputs.UnfixedTests, JSON.stringify(report.unfixedTests))
  core.setOutput(Outputs.FlakyTests, JSON.stringify(report.flakyTests))
  core.setOutput(Outputs.Branch, report.branch ?? '')
  core.setOutput(Outputs.PullRequestNumber, report.pullRequest.number === null ? '' : String(report.pullRequest.number))
  core.setOutput(Outputs.PullRequestUrl, report.pullRequest.url ?? '')
  core.setOutput(Outputs.PullRequestOperation, report.pullRequest.operation)
  core.setOutput(Outputs.Report, reportPath)
}

async function findRepoRoot(git: Git): Promise<string> {
  const result = await git.exec(['rev-parse', '--show-toplevel'], { allowFailure: true })
  if (result.code !== 0) {
    throw new UserError(`${git.cwd} is not a git repository. Add 'uses: actions/checkout@v4' before pytest-fixer (and keep its default persist-credentials).`)
  }
  return result.stdout.trim()
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

/** The log-file's text for the prompt (find-failures reports a missing file). */
function readLogText(logFile: string, ...bases: string[]): string | undefined {
  if (logFile === '') return undefined
  const found = bases.map(base => path.resolve(base, logFile)).find(file => fs.existsSync(file))
  return found === undefined ? undefined : fs.readFileSync(found, 'utf8')
}

function redactingLogger(redactor: Redactor): Logger {
  return {
    info: message => core.info(redactor.redact(message)),
    warning: message => core.warning(redactor.redact(message)),
    debug: message => core.debug(redactor.redact(message))
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof UserError) return error.message
  return `Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
}

function fail(error: unknown, redactor: Redactor): void {
  core.setFailed(redactor.redact(errorMessage(error)))
}
