// How a verified fix describes itself: the title, the verification lines and the commit message, the same for a
// pull request and for a local branch.
import { runFingerprint } from '../failures/group.js'
import type { FixRunOutcome } from '../fix/fix-run.js'
import { pullRequestTitle } from './publish.js'

export interface FixProposal {
  title: string
  /** what was checked: before, and after per fixed group */
  verification: string[]
  commitMessage: string
  /** names the fix branch: same failures, same fingerprint */
  fingerprint: string
}

export function describeFix(outcome: FixRunOutcome): FixProposal {
  const fixed = outcome.groups.filter(group => group.status === 'fixed')
  const title = pullRequestTitle(fixed)
  const verification = [
    `Before: ${outcome.failures.length} failing test(s) in ${outcome.source}.`,
    ...fixed.map(
      group => `After, group \`${group.fingerprint}\`: ${group.attempts.find(attempt => attempt.outcome === 'accepted')?.reason ?? ''}.`
    )
  ]
  const commitMessage = `${title}\n\n${verification.map(line => line.replace(/`/g, '')).join('\n')}\n\nVerified by pytest-fixer.`
  return { title, verification, commitMessage, fingerprint: runFingerprint(outcome.failureGroups) }
}
