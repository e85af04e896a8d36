// How a verified fix describes itself: the title, the verification lines and the commit message, the same for a
// pull request and for a local branch.
import { runFingerprint } from '../failures/group.js'
import type { FixRunOutcome } from '../fix/fix-run.js'

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
  const tests = fixed.flatMap(group => group.tests)
  const title = tests.length === 1 ? `Fix failing test ${tests[0]}` : `Fix ${tests.length} failing tests (${[...new Set(fixed.map(group => group.errorType))].join(', ')})`
  const verification = [
    `Before: ${outcome.failures.length} failing test(s) in ${outcome.source}.`,
    ...fixed.map(group => `After, group \`${group.fingerprint}\`: ${group.attempts.find(attempt => attempt.outcome === 'accepted')?.reason ?? ''}.`)
  ]
  const commitMessage = `${title}\n\n${verification.map(line => line.replace(/`/g, '')).join('\n')}\n\nVerified by pytest-fixer.`
  return { title, verification, commitMessage, fingerprint: runFingerprint(outcome.failureGroups) }
}
