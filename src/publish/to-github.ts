// The action's publisher: the verified fix as a fix branch and pull request, a commit on the branch that failed,
// the tree, or nothing (per `mode`), with the reasons not to push (a fork, a detached HEAD, a fix branch) first.
import { unifiedDiff } from '../edits/diff.js'
import { testFilesChanged } from '../edits/policy.js'
import type { Logger } from '../domain.js'
import type { VerifiedFix } from '../engine/ports.js'
import { costOf, type Settings } from '../inputs.js'
import { buildReport } from '../report/report.js'
import { pullRequestBody } from '../report/markdown.js'
import type { RunnerContext } from '../runner-context.js'
import type { TriggerPlan } from '../triggers/plan.js'
import { createOctokit } from './github.js'
import { describeFix } from './proposal.js'
import { publishedLocally, publishFix, type PublishResult } from './publish.js'

/** The endpoint's host, for the PR body: never its path or query (which may carry a key). */
function endpointHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).host
  } catch {
    return 'the configured endpoint'
  }
}

/** `plan`: what the trigger adds (the fix PR's own branch for commands, the fix history in the body, labels). */
export async function publishToGitHub(
  settings: Settings,
  context: RunnerContext,
  plan: TriggerPlan,
  fix: VerifiedFix,
  log: Logger
): Promise<PublishResult> {
  const { outcome, git, redactor } = fix
  // nothing to commit in modes dry-run and apply: no git call, no pull request text
  const local = publishedLocally({ mode: settings.mode, files: fix.files, fixedTests: outcome.fixedTests })
  if (local !== undefined) return local
  const baseBranch = settings.baseBranch || context.refBranch || (await git.currentBranch()) || ''
  let pushBlocked: string | null = null
  if (context.forkRepository !== null)
    pushBlocked = `the failing run is a pull request from the fork ${context.forkRepository}, which this workflow's token cannot push to`
  else if (baseBranch === '') pushBlocked = "the branch that failed is unknown (detached HEAD); set 'base-branch'"
  else if (baseBranch.startsWith(settings.branchPrefix))
    pushBlocked = `'${baseBranch}' is itself a pytest-fixer fix branch; not stacking a second fix on it`
  else if (settings.githubToken === '' && settings.mode === 'pull-request') pushBlocked = "'github-token' is empty"

  const proposal = describeFix(outcome)
  const partialReport = buildReport({
    outcome,
    mode: settings.mode,
    model: settings.model,
    published: null,
    llm: { calls: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 },
    patch: unifiedDiff(outcome.changes),
    messages: [],
    durations: { total: 0, tests: 0 }
  })
  const changedTests = testFilesChanged(outcome.changes)
  const fixed = outcome.groups.filter(group => group.status === 'fixed')
  const testedSha = await git.headSha()
  const body = plan.pullRequestBody(
    pullRequestBody({
      report: partialReport,
      runUrl: plan.runUrl,
      verification: proposal.verification,
      testFilesChanged: changedTests,
      run: {
        model: settings.model,
        endpoint: endpointHost(settings.baseUrl),
        llm: fix.llm,
        cost: fix.llm === undefined ? null : costOf(fix.llm, settings.prices),
        durations: fix.durations,
        testedSha,
        suite: outcome.suiteCounts
      }
    }),
    partialReport,
    testedSha,
    baseBranch
  )
  const remote = (await git.remoteUrl()) ?? ''
  const auth =
    settings.githubToken !== '' && remote.startsWith(context.serverUrl)
      ? { serverUrl: context.serverUrl, token: settings.githubToken }
      : undefined
  const labels = [
    ...new Set([
      ...settings.labels,
      ...plan.labels(
        fixed.map(group => group.errorType),
        changedTests.length > 0
      )
    ])
  ]
  return publishFix({
    mode: settings.mode,
    git,
    files: fix.files,
    fixedTests: outcome.fixedTests,
    baseBranch,
    fixBranch: plan.fixBranch(`${settings.branchPrefix}${baseBranch}/${proposal.fingerprint}`),
    fingerprint: proposal.fingerprint,
    pullRequest: context.pullRequest,
    commitMessage: redactor.redact(proposal.commitMessage),
    title: redactor.redact(proposal.title),
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
