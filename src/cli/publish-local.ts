// The command line's publisher: the verified fix as a commit on a local branch (the user's branch, index and
// working tree untouched), left in the working tree, or only printed. Never a push.
import type { VerifiedFix } from '../engine/ports.js'
import { describeFix } from '../publish/proposal.js'
import { FINGERPRINT_TRAILER, type PublishResult } from '../publish/publish.js'
import type { CliMode } from './options.js'

const NO_PR = { number: null, url: null, operation: 'none' as const }
export const LOCAL_BRANCH_PREFIX = 'pytest-fixer/'

export async function publishLocally(mode: CliMode, fix: VerifiedFix): Promise<PublishResult> {
  if (mode === 'dry-run')
    return {
      branch: null,
      pullRequest: NO_PR,
      keepTree: false,
      messages: ['dry-run: nothing changed; the verified patch is printed and in the report'],
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

  const { git, outcome, redactor } = fix
  const current = await git.currentBranch()
  const head = await git.headSha()
  const base = current ?? `detached-${head.slice(0, 7)}`
  if (base.startsWith(LOCAL_BRANCH_PREFIX)) {
    return notCommitted(
      `'${base}' is itself a pytest-fixer fix branch; not stacking a second fix on it. Check out the branch you work on and run again, or use --mode apply.`
    )
  }
  const proposal = describeFix(outcome)
  const branch = `${LOCAL_BRANCH_PREFIX}${base}/${proposal.fingerprint}`
  const valid = await git.exec(['check-ref-format', '--branch', branch], { allowFailure: true })
  if (valid.code !== 0) return notCommitted(`'${branch}' is not a valid branch name (from your branch '${base}'); use --mode apply.`)
  const author = await localIdentity(git)
  const message = `${redactor.redact(proposal.commitMessage).trimEnd()}\n\n${FINGERPRINT_TRAILER}: ${proposal.fingerprint}\n`
  // a temporary index: the user's index and working tree are never touched (Git.commitFiles)
  const commit = await git.commitFiles(
    head,
    fix.files.map(file => ({ path: file.path, content: file.bytes })),
    message,
    author
  )
  const existed = (await git.exec(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { allowFailure: true })).code === 0
  await git.exec(['update-ref', '-m', 'pytest-fixer: verified fix', `refs/heads/${branch}`, commit])
  const note = `branch: committed ${commit.slice(0, 7)} on local branch ${branch}${existed ? ' (replacing its earlier fix)' : ''}, on ${base} at ${head.slice(0, 7)}; your branch, index and working tree are as they were. See it: git show ${branch}`
  return { branch, pullRequest: NO_PR, keepTree: false, messages: [note], failed: false }
}

function notCommitted(why: string): PublishResult {
  return {
    branch: null,
    pullRequest: NO_PR,
    keepTree: false,
    messages: [`Not committed: ${why} The verified patch is in the report.`],
    failed: true
  }
}

/** The user's own git identity when set, else pytest-fixer's. */
async function localIdentity(git: VerifiedFix['git']): Promise<{ name: string; email: string }> {
  const name = (await git.exec(['config', 'user.name'], { allowFailure: true })).stdout.trim()
  const email = (await git.exec(['config', 'user.email'], { allowFailure: true })).stdout.trim()
  return { name: name || 'pytest-fixer', email: email || 'pytest-fixer@localhost' }
}
