// Publishing a verified fix per mode: a fix branch and PR, a commit on the current branch, the tree, or nothing.
import type { Mode } from '../constants.js'
import { BotAuthor } from '../constants.js'
import type { FixFile, GroupRecord, Logger, PullRequestOperation } from '../domain.js'
import { createHash } from 'node:crypto'
import type { PullRequestHead } from '../runner-context.js'
import { resolveFixBase } from './fix-base.js'
import { type CommitInfo, type Git, type GitResult, type PushAuth } from './git.js'
import {
  apiErrorMessage,
  commentOnOpenPullRequest,
  createOrUpdatePullRequest,
  type Octokit,
  PullRequestNotPermittedError
} from './github.js'

export interface PublishRequest {
  mode: Mode
  git: Git
  /** the verified fix: the exact bytes of every file it changes (Workspace.verifiedFix) */
  files: FixFile[]
  /** the tests the fix makes pass; none: nothing is published */
  fixedTests: string[]
  baseBranch: string
  fixBranch: string
  /** the failures' fingerprint: the fix branch's name ends with it, and our commits carry it as a trailer */
  fingerprint: string
  /** on pull_request events: the pull request's head, which the fix is built on when the checkout is its merge */
  pullRequest: PullRequestHead | null
  commitMessage: string
  title: string
  body: string
  labels: string[]
  draft: boolean
  repository: { owner: string; repo: string }
  serverUrl: string
  /** null: don't push (fork, read-only token, fix branch of a fix branch); the reason is in `pushBlocked` */
  pushBlocked: string | null
  auth?: PushAuth
  octokit: () => Octokit
  log: Logger
}

export interface PublishResult {
  branch: string | null
  pullRequest: { number: number | null; url: string | null; operation: PullRequestOperation }
  /** whether the fix stays in the working tree (modes apply and push) */
  keepTree: boolean
  messages: string[]
  /** the step should fail (e.g. the PR was refused), with these messages */
  failed: boolean
  /** the fix commit, when one was pushed */
  commitSha?: string
}

const NO_PR = { number: null, url: null, operation: 'none' as const }

/** What a fix comes to without git or GitHub: nothing (no fix, defence in depth: the caller publishes only a
 *  verified one), the patch (dry-run) or the tree (apply); undefined: it is to be committed. */
export function publishedLocally(request: Pick<PublishRequest, 'mode' | 'files' | 'fixedTests'>): PublishResult | undefined {
  const { mode } = request
  if (request.files.length === 0 || request.fixedTests.length === 0) {
    const why = request.fixedTests.length === 0 ? 'no failing test was fixed' : 'the verified fix changes no file'
    return { branch: null, pullRequest: NO_PR, keepTree: false, messages: [`Nothing published: ${why}.`], failed: false }
  }
  if (mode === 'dry-run')
    return {
      branch: null,
      pullRequest: NO_PR,
      keepTree: false,
      messages: ['dry-run: nothing changed; the patch is in the summary and the report'],
      failed: false
    }
  if (mode === 'apply')
    return {
      branch: null,
      pullRequest: NO_PR,
      keepTree: true,
      messages: ['apply: the verified fix is left in the working tree, uncommitted'],
      failed: false
    }
  return undefined
}

export async function publishFix(request: PublishRequest): Promise<PublishResult> {
  const { mode, log } = request
  const local = publishedLocally(request)
  if (local !== undefined) return local

  if (request.pushBlocked !== null) {
    return {
      branch: null,
      pullRequest: NO_PR,
      keepTree: false,
      messages: [`Not pushing: ${request.pushBlocked}. The verified patch is in the summary and the report.`],
      failed: false
    }
  }

  const resolved = await resolveFixBase(request.git, request.files, request.pullRequest, request.auth)
  if (!resolved.ok) return notPublished(`Not publishing: ${resolved.reason}.`)
  const { parent, mergeOf } = resolved.base
  const files = request.files.map(file => ({ path: file.path, content: file.bytes }))
  const message = `${request.commitMessage.trimEnd()}\n\n${FINGERPRINT_TRAILER}: ${request.fingerprint}\n`
  const commit = await request.git.commitFiles(parent, files, message, BotAuthor)

  if (mode === 'push') {
    // On a merge checkout the fix goes onto the pull request's branch, built on its head: the merge is never pushed.
    const branch = mergeOf?.headRef ?? request.baseBranch
    const pushed = await request.git.push(commit, branch, { force: false, auth: request.auth })
    if (pushed.code !== 0) return pushRefused(branch, pushed)
    if (mergeOf !== null) {
      log.info(`Pushed the fix as ${commit.slice(0, 7)} onto ${branch} (on the pull request's head ${parent.slice(0, 7)})`)
      const note = `push: committed ${commit.slice(0, 7)} onto ${branch}, on the pull request's head ${parent.slice(0, 7)}; the merge commit checked out here is not pushed, and the working tree is left as it was`
      return { branch, pullRequest: NO_PR, keepTree: false, messages: [note], failed: false, commitSha: commit }
    }
    await request.git.advanceCurrentBranch(
      commit,
      parent,
      request.files.map(file => file.path)
    )
    log.info(`Pushed the fix as ${commit.slice(0, 7)} onto ${branch}`)
    return {
      branch,
      pullRequest: NO_PR,
      keepTree: true,
      messages: [`push: committed ${commit.slice(0, 7)} onto ${branch}`],
      failed: false,
      commitSha: commit
    }
  }

  // pull-request: the branch is ours (named by the failure's fingerprint), so a re-run force-updates it, unless
  // someone else added commits to it: those are never overwritten.
  const foreign = await foreignTip(request)
  if (foreign !== null && foreign !== 'unknown') return leaveForeignCommits(request, foreign)
  // the remote did not say what the branch holds: a plain push, which can overwrite nothing (a refusal says why)
  const pushed = await request.git.push(commit, request.fixBranch, { force: foreign === null, auth: request.auth })
  if (pushed.code !== 0) return pushRefused(request.fixBranch, pushed)
  log.info(`Pushed ${commit.slice(0, 7)} to ${request.fixBranch}`)
  try {
    const pr = await createOrUpdatePullRequest(
      request.octokit(),
      {
        ...request.repository,
        head: request.fixBranch,
        base: request.baseBranch,
        title: request.title,
        body: request.body,
        labels: request.labels,
        draft: request.draft
      },
      log
    )
    return {
      branch: request.fixBranch,
      pullRequest: pr,
      keepTree: false,
      messages: [`pull request #${pr.number} ${pr.operation}: ${pr.url}`],
      failed: false,
      commitSha: commit
    }
  } catch (error) {
    const compare = `${request.serverUrl}/${request.repository.owner}/${request.repository.repo}/compare/${urlPath(request.baseBranch)}...${urlPath(request.fixBranch)}?expand=1`
    const message =
      error instanceof PullRequestNotPermittedError
        ? `The fix is pushed to branch '${request.fixBranch}', but GitHub refused to open the pull request: ${error.message} ` +
          `Enable "Allow GitHub Actions to create and approve pull requests" (Settings → Actions → General → Workflow permissions), ` +
          `or pass a PAT / GitHub App token as 'github-token'. Open it by hand: ${compare}`
        : `The fix is pushed to branch '${request.fixBranch}', but the pull request could not be created or updated: ${apiErrorMessage(error)}. ` +
          `Check that 'github-token' has pull-requests: write. Open it by hand: ${compare}`
    return { branch: request.fixBranch, pullRequest: NO_PR, keepTree: false, messages: [message], failed: true, commitSha: commit }
  }
}

/** The trailer that marks the commits pytest-fixer makes; a fix branch whose tip lacks it has someone else's commits. */
export const FINGERPRINT_TRAILER = 'Pytest-Fixer-Fingerprint'

function notPublished(message: string): PublishResult {
  return {
    branch: null,
    pullRequest: NO_PR,
    keepTree: false,
    messages: [`${message} Falling back to dry-run: the verified patch is in the summary and the report.`],
    failed: true
  }
}

/** The fix branch's tip on the remote when it is not a commit of ours; null when the branch is ours or absent. */
async function foreignTip(request: PublishRequest): Promise<CommitInfo | { sha: string; unreadable: string } | 'unknown' | null> {
  const tip = await request.git.remoteBranchSha(request.fixBranch, { auth: request.auth })
  if (tip === undefined) return 'unknown'
  if (tip === null) return null
  if (!(await request.git.hasCommit(tip))) {
    const fetched = await request.git.fetchCommit(tip, { auth: request.auth })
    if (fetched.code !== 0) return { sha: tip, unreadable: fetched.stderr.trim().split('\n').pop() ?? '' }
  }
  const info = await request.git.commitInfo(tip)
  return isOurCommit(info) ? null : info
}

/** Ours: made by pytest-fixer's identity (author and committer: a rebase changes the committer) and marked. */
export function isOurCommit(info: CommitInfo): boolean {
  const trailer = new RegExp(`^${FINGERPRINT_TRAILER}: [0-9a-f]+$`, 'm')
  return info.authorEmail === BotAuthor.email && info.committerEmail === BotAuthor.email && trailer.test(info.message)
}

/** Someone added commits to the fix branch: leave them, and put the new verified fix in a comment on the PR. */
async function leaveForeignCommits(
  request: PublishRequest,
  foreign: CommitInfo | { sha: string; unreadable: string }
): Promise<PublishResult> {
  const who =
    'unreadable' in foreign
      ? `its tip ${foreign.sha.slice(0, 7)} could not be read (${foreign.unreadable || 'no detail'})`
      : `its tip ${foreign.sha.slice(0, 7)} (${foreign.authorEmail}: ${foreign.message.split('\n')[0]}) is not a commit of pytest-fixer`
  const why = `Not updating branch '${request.fixBranch}': ${who}, and pytest-fixer never overwrites commits someone else added.`
  const digest = createHash('sha256').update(foreign.sha)
  for (const file of request.files) digest.update(file.path).update(file.bytes)
  const marker = `<!-- pytest-fixer: foreign commits ${digest.digest('hex').slice(0, 16)} -->`
  const comment =
    `${marker}\n**pytest-fixer has a new verified fix for this failure but did not update this branch**: ${who.replace(/^its/, "the branch's")}, ` +
    'and pytest-fixer never overwrites commits someone else added. Apply the fix below by hand, or delete the branch to let the next run re-create it.\n\n' +
    request.body
  try {
    const pr = await commentOnOpenPullRequest(
      request.octokit(),
      { ...request.repository, head: request.fixBranch, base: request.baseBranch },
      comment,
      marker
    )
    if (pr === null)
      return {
        branch: null,
        pullRequest: NO_PR,
        keepTree: false,
        messages: [`${why} No open pull request of that branch to comment on; the verified patch is in the summary and the report.`],
        failed: false
      }
    return {
      branch: null,
      pullRequest: { ...pr, operation: 'none' },
      keepTree: false,
      messages: [`${why} The new verified fix is in a comment on #${pr.number}: ${pr.url}`],
      failed: false
    }
  } catch (error) {
    return {
      branch: null,
      pullRequest: NO_PR,
      keepTree: false,
      messages: [
        `${why} Commenting on its pull request failed too (${apiErrorMessage(error)}); the verified patch is in the summary and the report.`
      ],
      failed: true
    }
  }
}

/** The pull request's title, naming what the fix makes pass; never "Fix 0 failing tests ()". */
export function pullRequestTitle(fixedGroups: GroupRecord[]): string {
  const tests = [...new Set(fixedGroups.flatMap(group => group.tests))]
  if (tests.length === 0) throw new Error('A pull request title needs at least one fixed test')
  if (tests.length === 1) return `Fix failing test ${tests[0]}`
  const errorTypes = [...new Set(fixedGroups.map(group => group.errorType).filter(type => type !== ''))]
  return `Fix ${tests.length} failing tests${errorTypes.length > 0 ? ` (${errorTypes.join(', ')})` : ''}`
}

function pushRefused(branch: string, pushed: GitResult): PublishResult {
  const detail = pushRefusalDetail(pushed)
  let why = 'check that the workflow has `permissions: contents: write` and that the branch is not protected'
  if (/workflow/i.test(detail)) why = 'a token from the workflow cannot push changes to .github/workflows/'
  else if (/protected branch|GH006/i.test(detail)) why = `branch '${branch}' is protected; use mode pull-request`
  else if (/GH013|rule violations/i.test(detail))
    why = `a repository ruleset refuses this push (Settings → Rules → Rulesets): let it allow '${branch}', or set 'branch-prefix' to branches it allows`
  else if (/403|denied|not allowed|Authentication failed|could not read Username/i.test(detail))
    why = "the token may not push: give the job `permissions: contents: write`, or set 'github-token' to a token that can"
  else if (/non-fast-forward|fetch first|\[rejected\]/i.test(detail))
    why = `'${branch}' moved on since this run started; re-run the workflow`
  else if (/remote rejected|declined/i.test(detail))
    why = `a rule or hook of the repository refused it; let the workflow push '${branch}', or set 'branch-prefix' to branches it may push`
  return {
    branch: null,
    pullRequest: NO_PR,
    keepTree: false,
    messages: [
      `Push to '${branch}' was refused (${detail || 'no detail'}): ${why}. Falling back to dry-run: the verified patch is in the summary and the report.`
    ],
    failed: true
  }
}

/** What the remote said, on one line: its own `remote:` lines and the ref's rejection reason, not git's chatter. */
function pushRefusalDetail(pushed: GitResult): string {
  const remote = pushed.stderr
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '' && !/^error: failed to push some refs/.test(line))
  // --porcelain puts the per-ref status on stdout: `!<TAB>src:dst<TAB>[remote rejected] (reason)`
  const rejected = pushed.stdout
    .split('\n')
    .filter(line => line.startsWith('!'))
    .map(line => line.split('\t').slice(2).join(' ').trim())
  return [...remote.slice(-3), ...rejected].filter(line => line !== '').join(' ')
}

/** A branch name in a URL path: each part encoded, the slashes kept (as GitHub's own links write them). */
function urlPath(branch: string): string {
  return branch.split('/').map(encodeURIComponent).join('/')
}
