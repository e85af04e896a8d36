// Which commit a fix is built on, and whether the fix's files are, in that commit, what the tree held when the run
// began. Usually the commit is HEAD. On a pull_request event actions/checkout checks out the merge of the pull
// request into its base: a fix built on that commit would carry the base branch's commits into the fix PR (and in
// mode push, push the merge onto the pull request's branch), so the fix is built on the pull request's head.
import type { FixFile } from '../domain.js'
import type { PullRequestHead } from '../runner-context.js'
import type { Git, PushAuth } from './git.js'

export interface FixBase {
  /** the commit the fix commit gets as its parent */
  parent: string
  /** set when the checkout is a pull request's merge commit and the fix is built on the pull request's head */
  mergeOf: PullRequestHead | null
}

export type FixBaseResult = { ok: true; base: FixBase } | { ok: false; reason: string }

/** Names the remedy for a merge checkout: the pull request's head checked out instead. */
const CHECKOUT_HEAD = "check out the pull request's head instead: `uses: actions/checkout@v4` with `ref: ${{ github.head_ref }}`"

export async function resolveFixBase(
  git: Git,
  files: FixFile[],
  pullRequest: PullRequestHead | null,
  auth?: PushAuth
): Promise<FixBaseResult> {
  const head = await git.headSha()
  const mergeOf = pullRequest !== null && pullRequest.headSha !== head ? pullRequest : null
  const parent = mergeOf?.headSha ?? head
  if (mergeOf !== null && !(await git.hasCommit(parent))) {
    const fetched = await git.fetchCommit(parent, { auth })
    if (fetched.code !== 0 || !(await git.hasCommit(parent))) {
      return {
        ok: false,
        reason:
          `the checkout is the merge commit of pull request ${pullNumber(mergeOf)} and its head ${parent.slice(0, 7)} could not be fetched ` +
          `(${fetched.stderr.trim().split('\n').pop() || 'no detail'}); ${CHECKOUT_HEAD}`
      }
    }
  }
  const differing: string[] = []
  for (const file of files) {
    const inParent = await git.blobId(parent, file.path)
    const before = file.beforeBytes === null ? null : await git.blobIdOf(file.beforeBytes, file.path)
    if (inParent !== before) differing.push(file.path)
  }
  if (differing.length === 0) return { ok: true, base: { parent, mergeOf } }
  const list = differing.map(file => `'${file}'`).join(', ')
  if (mergeOf !== null) {
    return {
      ok: false,
      reason:
        `the checkout is the merge commit of pull request ${pullNumber(mergeOf)}, and ${list} differ between it and the pull request's head ` +
        `${parent.slice(0, 7)} (the base branch changed them), so the fix verified on the merge cannot be committed onto the head; ${CHECKOUT_HEAD}`
    }
  }
  return {
    ok: false,
    reason:
      `${list} held changes that are not in the commit ${parent.slice(0, 7)} when the run began (made by an earlier step of the job?), ` +
      'and a fix commit would carry them too; commit those changes or leave them out of the tree before pytest-fixer runs'
  }
}

function pullNumber(pullRequest: PullRequestHead): string {
  return pullRequest.number === null ? `'${pullRequest.headRef}'` : `#${pullRequest.number}`
}
