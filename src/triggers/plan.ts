// How each trigger shapes one run of the engine: what it reads, what it may refuse, what it adds to the PR and
// what it does afterwards. The action edge asks `prepareTrigger` once, then calls the plan's hooks.
import type { AttemptFeedback } from '../context/prompt.js'
import { UserError, type Failure, type Group, type Logger, type Report } from '../domain.js'
import { Git } from '../publish/git.js'
import { apiErrorMessage, type Octokit } from '../publish/github.js'
import type { Settings } from '../inputs.js'
import type { Repository } from './artifacts.js'
import { narrowFailures, parseAim, type KeywordSelector, type Narrowed } from './aim.js'
import {
  addEyes,
  answer,
  diffAnswer,
  findFixPullRequest,
  HelpText,
  historyAnswer,
  mayCommand,
  parseCommand,
  readPullRequestHistory,
  refusalAnswer,
  showAnswer,
  unknownAnswer,
  type FixPullRequest
} from './commands.js'
import type { Trigger } from './event.js'
import { prepareFailedRun } from './failed-run.js'
import { syncFallbackIssue } from './fallback-issue.js'
import { attemptsOfRun, decodeHistories, encodeHistory, historyOf, withHistory, type FixHistory, type HistoryAttempt } from './history.js'
import { failureKindLabels } from './labels.js'

export interface TriggerInput {
  trigger: Trigger
  settings: Settings
  repository: Repository
  runKey: string
  runUrl: string | null
  tempDir: string
  git: Git
  octokit: () => Octokit
  log: Logger
}

/** A run that does not reach the engine: the notice says why; `pullRequest` when an existing one answers it. */
export interface Stop {
  stop: true
  notice: string
  pullRequest?: { number: number; url: string }
}

export interface TriggerPlan {
  stop: false
  settings: Settings
  runUrl: string | null
  /** for the summary and the report */
  messages: string[]
  /** `tests`: the failures to fix */
  narrow(failures: Failure[], selectByKeyword: KeywordSelector): Promise<Narrowed | undefined>
  /** workflow_run: a reason to stop before any model call: an open fix PR built on this very commit fixes these groups */
  beforeFixing(groups: Group[], fixBranch: string, baseBranch: string): Promise<Stop | undefined>
  /** earlier attempts of this group to put in the prompt (commands on a fix PR) */
  carriedAttempts(group: Group): AttemptFeedback[]
  /** where the fix goes: the PR's own branch for commands, else the fingerprint's branch */
  fixBranch(byFingerprint: string): string
  /** the PR body with the fix's history in it */
  pullRequestBody(body: string, report: Report, baseSha: string, baseBranch: string): string
  labels(errorTypes: string[], testsChanged: boolean): string[]
  /** after the run (also after a failure): fallback issue, the answer to a command, the checkout put back */
  finish(report: Report, failure: unknown): Promise<string[]>
}

export async function prepareTrigger(input: TriggerInput): Promise<Stop | TriggerPlan> {
  const { trigger, log } = input
  let settings = input.settings
  let runUrl = input.runUrl
  const messages: string[] = []
  let command: CommandRun | undefined

  if (trigger.kind === 'workflow-run') {
    const plan = await prepareFailedRun({
      run: trigger.run,
      settings: {
        artifactName: settings.artifactName,
        allowForks: settings.allowForks,
        branchPrefix: settings.branchPrefix,
        junitXml: settings.junitXml
      },
      repository: input.repository,
      headSha: await input.git.headSha(),
      octokit: input.octokit,
      tempDir: input.tempDir,
      log
    })
    if (!plan.proceed) return { stop: true, notice: plan.notice }
    settings = {
      ...settings,
      junitXml: plan.junitXml,
      logFile: settings.logFile || plan.logFile,
      baseBranch: settings.baseBranch || plan.baseBranch
    }
    runUrl = plan.runUrl || runUrl
    messages.push(...plan.messages)
  } else if (trigger.kind === 'comment') {
    const prepared = await prepareCommand(input)
    if ('stop' in prepared) return prepared
    command = prepared
    settings = command.settings
    // the PR keeps linking the run that failed, not this command's run
    runUrl = command.history?.runUrl ?? runUrl
    messages.push(command.message)
  }

  const aim = parseAim(settings.tests)
  const priorAttempts = command?.history?.attempts ?? []
  return {
    stop: false,
    settings,
    runUrl,
    messages,
    narrow: async (failures, selectByKeyword) => (aim === undefined ? undefined : narrowFailures(failures, aim, selectByKeyword)),
    beforeFixing: async (groups, fixBranch, baseBranch) => {
      // only on workflow_run, where one failed run can start the workflow again and again (re-runs, several
      // watched workflows); a step re-run by hand means "try again" and updates the PR
      if (trigger.kind !== 'workflow-run' || settings.mode !== 'pull-request' || settings.githubToken === '' || groups.length === 0)
        return undefined
      return findUpToDatePullRequest(input, fixBranch, baseBranch)
    },
    carriedAttempts: group => (command === undefined ? [] : carried(priorAttempts, group.fingerprint)),
    fixBranch: byFingerprint => command?.pull.headRef ?? byFingerprint,
    pullRequestBody: (body, report, baseSha, baseBranch) => {
      const attempts = [...priorAttempts, ...attemptsOfRun(report.groups, input.runKey, priorAttempts)]
      const history = historyOf(report, command?.history?.baseSha ?? baseSha, baseBranch, command?.history?.runUrl ?? runUrl, attempts)
      return withHistory(body, history)
    },
    labels: (errorTypes, testsChanged) => failureKindLabels(errorTypes, testsChanged),
    finish: async (report, failure) => {
      const done: string[] = []
      if (command !== undefined) {
        done.push(...(await command.finish(report, failure)))
      } else if (settings.fallbackIssue && failure === undefined) {
        const unfixed = report.groups.filter(group => group.status === 'unfixed' || group.status === 'skipped')
        done.push(
          ...(await syncFallbackIssue({
            octokit: input.octokit(),
            repository: input.repository,
            report,
            runUrl,
            labels: failureKindLabels(
              unfixed.map(group => group.errorType),
              false
            ),
            log
          }))
        )
      }
      return done
    }
  }
}

/** An open PR of this fix branch whose history says it was built on the checked-out commit. */
async function findUpToDatePullRequest(input: TriggerInput, fixBranch: string, baseBranch: string): Promise<Stop | undefined> {
  try {
    const octokit = input.octokit()
    const { data } = await octokit.rest.pulls.list({
      ...input.repository,
      head: `${input.repository.owner}:${fixBranch}`,
      base: baseBranch,
      state: 'open'
    })
    const pull = data[0]
    if (pull === undefined) return undefined
    const history = decodeHistories(pull.body ?? '')[0]
    const head = await input.git.headSha()
    if (history === undefined || history.baseSha !== head) return undefined
    return {
      stop: true,
      notice: `Skipped: the open fix pull request #${pull.number} (${pull.html_url}) already fixes these failures on this commit (${head.slice(0, 7)}).`,
      pullRequest: { number: pull.number, url: pull.html_url }
    }
  } catch (error) {
    input.log.warning(`Could not look for an open fix pull request of '${fixBranch}': ${apiErrorMessage(error)}; going on.`)
    return undefined
  }
}

function carried(attempts: HistoryAttempt[], group: string): AttemptFeedback[] {
  const same = attempts.filter(attempt => attempt.group === group)
  return (same.length > 0 ? same : attempts).map((attempt, index) => ({
    number: index + 1,
    answer: attempt.diff.trim() === '' ? '(no edit applied)' : `(the edits of that attempt, as a diff)\n${attempt.diff}`,
    verdict:
      attempt.outcome === 'accepted'
        ? 'it passed verification, but a maintainer asked for a different fix (/pytest-fixer retry on the pull request)'
        : attempt.reason,
    testOutput: ''
  }))
}

interface CommandRun {
  pull: FixPullRequest
  history: FixHistory | undefined
  settings: Settings
  message: string
  finish(report: Report, failure: unknown): Promise<string[]>
}

/** A comment command: answered here, or (retry, prompt) a new attempt for the engine, on the code that failed. */
async function prepareCommand(input: TriggerInput): Promise<Stop | CommandRun> {
  if (input.trigger.kind !== 'comment') throw new Error('not a comment')
  const { comment, action } = input.trigger
  const parsed = parseCommand(comment.body)
  if (parsed === undefined) return { stop: true, notice: 'The comment holds no /pytest-fixer command; nothing to do.' }
  if (action !== 'created')
    return { stop: true, notice: `The comment was ${action || 'changed'}, not created; commands run when they are written.` }
  const octokit = input.octokit()
  const { repository } = input
  const reply = async (text: string): Promise<Stop> => {
    const url = await answer(octokit, repository, comment.number, text)
    return { stop: true, notice: `Answered ${comment.htmlUrl || `the comment on #${comment.number}`}: ${url}` }
  }
  await addEyes(octokit, repository, comment.id, input.log)
  const who = await mayCommand(octokit, repository, comment.user)
  if (!who.allowed) return reply(refusalAnswer(comment.user, who.permission))
  const found = await findFixPullRequest(octokit, repository, comment, input.settings.branchPrefix)
  if ('refusal' in found) return reply(found.refusal)
  const { pull } = found
  if ('unknown' in parsed) return reply(unknownAnswer(parsed.unknown))
  const history = await readPullRequestHistory(octokit, repository, pull)
  switch (parsed.name) {
    case 'help':
      return reply(HelpText)
    case 'history':
      return reply(historyAnswer(history))
    case 'show':
      return reply(showAnswer(history, pull))
    case 'diff': {
      const base = await fetchFixBranch(input.git, pull, history)
      return reply(diffAnswer((await input.git.exec(['diff', '--no-color', base, pull.headSha])).stdout, pull))
    }
    case 'prompt':
    case 'retry':
      break
  }
  if (pull.state !== 'open')
    return reply(`This pull request is ${pull.state}; pytest-fixer makes new attempts only on open fix pull requests.`)

  // retry / prompt: a new attempt on the commit the fix was built on, in this checkout, put back afterwards
  const git = input.git
  const dirty = (await git.exec(['status', '--porcelain', '--untracked-files=no'])).stdout.trim()
  if (dirty !== '')
    throw new UserError(
      `The checkout has uncommitted changes (${dirty.split('\n')[0].trim()} …); run the command workflow on a fresh actions/checkout.`
    )
  const base = await fetchFixBranch(git, pull, history)
  const onTop = Number((await git.exec(['rev-list', '--count', `${base}..${pull.headSha}`])).stdout.trim())
  if (onTop > 1)
    return reply(
      `The branch \`${pull.headRef}\` has ${onTop} commits on top of the commit it was built on; a new attempt would replace them, so pytest-fixer did nothing. Push your change there yourself, or close this pull request and let a new run open one.`
    )
  const original = (await git.currentBranch()) ?? (await git.headSha())
  await git.exec(['checkout', '--quiet', '--detach', base])

  const settings = input.settings
  const temperatures = (history?.attempts ?? []).map(attempt => attempt.temperature).filter((t): t is number => t !== null)
  const previous = history?.attempts.length ?? 0
  const nextTemperature =
    parsed.name === 'retry'
      ? Math.min(
          2,
          round(
            (temperatures.length > 0
              ? Math.max(...temperatures)
              : settings.initialTemperature + (previous - 1) * settings.temperatureIncrement) + settings.temperatureIncrement
          )
        )
      : settings.initialTemperature
  const extra = parsed.name === 'prompt' ? parsed.text : ''
  if (parsed.name === 'prompt' && extra === '') {
    await git.exec(['checkout', '--quiet', original])
    return reply(
      '`/pytest-fixer prompt` needs the instructions after it, e.g. `/pytest-fixer prompt keep the public signature of parse()`.'
    )
  }
  const attemptSettings: Settings = {
    ...settings,
    maxAttempts: 1,
    initialTemperature: nextTemperature,
    extraInstructions: [settings.extraInstructions, extra].filter(text => text !== '').join('\n\n'),
    baseBranch: pull.baseRef,
    junitXml: '',
    logFile: '',
    tests: ''
  }
  const what = parsed.name === 'retry' ? `a new attempt at temperature ${nextTemperature}` : `a new attempt with your instructions`
  return {
    pull,
    history,
    settings: attemptSettings,
    message: `Command /pytest-fixer ${parsed.name} from @${comment.user} on #${pull.number}: ${what}, on ${base.slice(0, 7)} (the commit the fix was built on).`,
    finish: async (report, failure) => {
      await git.exec(['checkout', '--quiet', original], { allowFailure: true })
      const attempts = attemptsOfRun(report.groups, input.runKey, history?.attempts ?? [])
      const rows = attempts.map(
        attempt => `- attempt ${attempt.number} (temperature ${attempt.temperature ?? 'n/a'}): ${attempt.outcome}: ${attempt.reason}`
      )
      let text: string
      if (failure !== undefined) {
        text = `⚠️ ${what} could not be made: ${failure instanceof Error ? failure.message : String(failure)}\n\nThis pull request is unchanged.`
      } else if (report.pullRequest.operation !== 'none') {
        text = `✅ ${what[0].toUpperCase()}${what.slice(1)} passed verification and is pushed to this pull request.\n\n${rows.join('\n')}`
      } else if (report.result === 'nothing-to-fix' || report.result === 'flaky') {
        text = `The failing tests no longer fail on ${base.slice(0, 7)} (${report.result}); nothing was attempted and this pull request is unchanged.`
      } else {
        text = `❌ ${what[0].toUpperCase()}${what.slice(1)} did not pass verification, so this pull request is unchanged.\n\n${rows.join('\n') || '- no attempt was made'}`
      }
      if (report.pullRequest.operation === 'none' && attempts.length > 0 && history !== undefined) {
        // the PR stays as it was, so the attempt is remembered in this answer for the next command
        text += `\n\n${encodeHistory({ ...history, attempts })}`
      }
      const url = await answer(octokit, repository, pull.number, text)
      return [`Answered on #${pull.number}: ${url}`]
    }
  }
}

/** Fetches the fix branch; returns the commit the fix was built on (from its history, else the head's parent). */
async function fetchFixBranch(git: Git, pull: FixPullRequest, history: FixHistory | undefined): Promise<string> {
  const fetched = await git.exec(
    ['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${pull.headRef}:refs/remotes/origin/${pull.headRef}`],
    { allowFailure: true }
  )
  if (fetched.code !== 0)
    throw new UserError(
      `Could not fetch the fix branch '${pull.headRef}': ${fetched.stderr.trim()}. Check that the workflow checks out this repository (actions/checkout) with its default credentials.`
    )
  if (history !== undefined && (await git.exec(['cat-file', '-e', `${history.baseSha}^{commit}`], { allowFailure: true })).code === 0)
    return history.baseSha
  return (await git.exec(['rev-parse', `${pull.headSha}^`])).stdout.trim()
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
