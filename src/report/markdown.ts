// The job summary and the pull request body: the same facts, told for a reader.
import type { AttemptRecord, GroupRecord, Report } from '../domain.js'
import { firstLine, withType } from './text.js'

/** A line of a table cell or a list item. */
const oneLine = (text: string): string => firstLine(text, 160)

const RESULT_LINE: Record<Report['result'], string> = {
  fixed: '✅ Fixed: every failing test passes and nothing that passed broke.',
  'partially-fixed': '🟡 Partially fixed: some groups are fixed and verified, others are not.',
  'not-fixed': '❌ Not fixed: no attempt passed verification; nothing was committed.',
  flaky: '🔁 Flaky: every failure passed on rerun; nothing to fix.',
  'nothing-to-fix': '✅ Nothing to fix: no failing tests.',
  error: '⛔ Error: the run stopped on the error below; nothing was committed and the working tree is as it was.',
  cancelled: '⏹️ Cancelled: the run was stopped; the working tree is restored and nothing was committed.'
}

export function jobSummary(report: Report): string {
  const lines = ['## pytest-fixer', '', RESULT_LINE[report.result], '']
  lines.push(...groupTable(report.groups))
  for (const group of report.groups) {
    const accepted = group.attempts.find(attempt => attempt.outcome === 'accepted')
    if (accepted?.explanation !== undefined)
      lines.push(`**Root cause** of \`${group.fingerprint}\`, in the model's words: ${accepted.explanation}`, '')
  }
  if (report.pullRequest.url !== null)
    lines.push(`Pull request: [#${report.pullRequest.number}](${report.pullRequest.url}) (${report.pullRequest.operation})`, '')
  else if (report.branch !== null) lines.push(`Branch: \`${report.branch}\``, '')
  const llm = report.llm
  lines.push(
    `Model calls: ${llm.calls} (${llm.cachedCalls} from cache), tokens: ${llm.promptTokens} prompt + ${llm.completionTokens} completion${llm.cost !== undefined && llm.cost !== null ? `, cost: ${formatCost(llm.cost)}` : ''}.`,
    ''
  )
  const time = timeLine(report)
  if (time !== '') lines.push(time, '')
  for (const message of report.messages) lines.push(`> ${message.replace(/\n/g, '\n> ')}`, '')
  lines.push(...whyNotFixed(report))
  if (report.patch !== '')
    lines.push('<details><summary>The verified patch</summary>', '', fenced(report.patch, 'diff'), '', '</details>', '')
  return lines.join('\n')
}

export interface PullRequestBodyInput {
  report: Report
  runUrl: string | null
  verification: string[]
  testFilesChanged: string[]
  /** who wrote the fix, what it cost, and what it was tested on */
  run?: {
    model: string
    endpoint: string
    llm?: { calls: number; cachedCalls: number; promptTokens: number; completionTokens: number }
    /** at the user's prices; null or absent without them */
    cost?: number | null
    /** until the fix was verified */
    durations?: { totalMs: number; testsMs: number; llmMs: number }
    testedSha: string
    suite?: { before: Counts; after: Counts | null }
  }
}

interface Counts {
  passed: number
  failed: number
  skipped: number
}

export function pullRequestBody(input: PullRequestBodyInput): string {
  const { report } = input
  const fixed = report.groups.filter(group => group.status === 'fixed')
  const lines = ['## What failed', '']
  for (const group of report.groups.filter(item => item.status !== 'flaky')) {
    lines.push(
      `**${group.errorType}** (${group.status}, group \`${group.fingerprint}\`): ${withoutType(group.errorType, oneLine(group.message))}`
    )
    for (const test of group.tests.slice(0, 20)) lines.push(`- \`${test}\``)
    if (group.tests.length > 20) lines.push(`- … and ${group.tests.length - 20} more`)
    lines.push('')
  }
  if (input.runUrl !== null) lines.push(`Failing run: ${input.runUrl}`, '')
  lines.push('## What changed and why', '')
  for (const group of fixed) {
    if (group.fixedBy)
      lines.push(`- Group \`${group.fingerprint}\`: no change of its own; the fix of \`${group.fixedBy}\` makes its tests pass`)
    const accepted = group.attempts.find(attempt => attempt.outcome === 'accepted')
    if (accepted === undefined) continue
    lines.push(
      `- Group \`${group.fingerprint}\`: ${accepted.filesChanged.map(file => `\`${file}\``).join(', ')} (attempt ${accepted.number})`
    )
    if (accepted.explanation !== undefined) lines.push(`  > **Root cause**, in the model's words: ${accepted.explanation}`)
  }
  lines.push('', fenced(report.patch, 'diff'), '')
  if (input.testFilesChanged.length > 0) {
    lines.push(
      '> [!WARNING]',
      `> This fix changes tests (allowed by \`allow-test-changes\`): ${input.testFilesChanged.map(file => `\`${file}\``).join(', ')}. Review them closely.`,
      ''
    )
  }
  lines.push('## Verification', '')
  for (const line of input.verification) lines.push(`- ${line}`)
  lines.push(...beforeAfter(report, input.run?.suite))
  if (input.run !== undefined) lines.push(...runFacts(input.run, input.runUrl))
  lines.push('', '## Attempts', '')
  lines.push(...attemptTable(report.groups))
  if (report.unfixedTests.length > 0) lines.push('', `Not fixed: ${report.unfixedTests.map(test => `\`${test}\``).join(', ')}`)
  if (report.flakyTests.length > 0)
    lines.push('', `Flaky (passed on rerun, left alone): ${report.flakyTests.map(test => `\`${test}\``).join(', ')}`)
  if (report.driftedTests.length > 0) {
    lines.push(
      '',
      `Test ids that change between runs (a time, a random value or a repr in the parametrize id), compared by function: ${report.driftedTests.map(test => `\`${test}\``).join(', ')}`
    )
  }
  lines.push(
    '',
    '---',
    '_Opened by pytest-fixer. Every change above was verified by re-running the tests before this pull request was proposed._'
  )
  return lines.join('\n')
}

function groupTable(groups: GroupRecord[]): string[] {
  if (groups.length === 0) return []
  const lines = ['| group | tests | error | status | attempts |', '|---|---|---|---|---|']
  for (const group of groups) {
    const tests =
      group.tests
        .slice(0, 5)
        .map(test => `\`${escapeCell(test)}\``)
        .join('<br>') + (group.tests.length > 5 ? `<br>… ${group.tests.length - 5} more` : '')
    lines.push(
      `| \`${group.fingerprint}\` | ${tests} | ${escapeCell(withType(group.errorType, oneLine(group.message)))} | ${group.status}${group.fixedBy ? ` (by the fix of ${group.fixedBy})` : ''} | ${group.attempts.length} |`
    )
  }
  lines.push('')
  return lines
}

function attemptTable(groups: GroupRecord[]): string[] {
  const lines = ['| group | attempt | temperature | outcome | reason |', '|---|---|---|---|---|']
  for (const group of groups) {
    for (const attempt of group.attempts) {
      const temperature = attempt.temperature === null ? 'n/a' : String(attempt.temperature)
      lines.push(
        `| \`${group.fingerprint}\` | ${attempt.number} | ${temperature} | ${attempt.outcome}${attempt.cached ? ' (cached)' : ''} | ${escapeCell(oneLine(attempt.reason))} |`
      )
    }
  }
  return lines
}

/** The failing tests before → after, and the suite's counts before → after. */
function beforeAfter(report: Report, suite: { before: Counts; after: Counts | null } | undefined): string[] {
  const lines = ['', '| test | before | after |', '|---|---|---|']
  const fixed = new Set(report.fixedTests)
  const shown = report.failures.slice(0, 30)
  for (const failure of shown)
    lines.push(`| \`${escapeCell(failure.nodeId)}\` | failed | ${fixed.has(failure.nodeId) ? 'passed' : 'still failing'} |`)
  if (report.failures.length > shown.length) lines.push(`| … ${report.failures.length - shown.length} more | | |`)
  if (suite !== undefined) {
    const count = (counts: Counts | null): string =>
      counts === null ? 'not run' : `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`
    lines.push(`| **whole suite** | ${count(suite.before)} | ${count(suite.after)} |`)
  }
  return lines
}

/** The model and endpoint, the tokens, the commit the fix was tested on, the failed run. */
function runFacts(run: NonNullable<PullRequestBodyInput['run']>, runUrl: string | null): string[] {
  const lines = ['', '## Run', '', `- Model: \`${run.model}\` at ${run.endpoint}`]
  if (run.llm !== undefined) {
    lines.push(
      `- Tokens: ${run.llm.promptTokens} prompt + ${run.llm.completionTokens} completion, in ${run.llm.calls} model call(s) (${run.llm.cachedCalls} more from the cache)`
    )
  }
  if (run.cost !== undefined && run.cost !== null)
    lines.push(`- Cost: ${formatCost(run.cost)} (at the prices per million tokens the workflow gives)`)
  if (run.durations !== undefined) {
    const { totalMs, testsMs, llmMs } = run.durations
    lines.push(`- Time to a verified fix: ${seconds(totalMs)} (pytest ${seconds(testsMs)}, waiting for the model ${seconds(llmMs)})`)
  }
  lines.push(`- Tested on commit \`${run.testedSha}\``)
  if (runUrl !== null) lines.push(`- Failed run: ${runUrl}`)
  return lines
}

function withoutType(errorType: string, message: string): string {
  return message.startsWith(`${errorType}: `) ? message.slice(errorType.length + 2) : message
}

/** Where the time went, in one line: the whole run, the test runs by purpose, the model calls. */
function timeLine(report: Report): string {
  const durations = report.durationsMs
  if (durations.total <= 0) return ''
  const byPurpose = new Map<string, { ms: number; count: number }>()
  for (const run of durations.testRuns ?? []) {
    const seen = byPurpose.get(run.purpose) ?? { ms: 0, count: 0 }
    byPurpose.set(run.purpose, { ms: seen.ms + run.ms, count: seen.count + 1 })
  }
  const runs = [...byPurpose].map(([purpose, { ms, count }]) => `${purpose} ${count > 1 ? `${count}× ` : ''}${seconds(ms)}`)
  const calls = durations.modelCalls?.length ?? 0
  return (
    `Time: ${seconds(durations.total)} in all; pytest ${seconds(durations.tests)}${runs.length > 0 ? ` (${runs.join(', ')})` : ''}; ` +
    `model ${seconds(durations.llm)} (${calls} call${calls === 1 ? '' : 's'}).`
  )
}

/** 0.0042, 0.12, 3.40: enough digits to tell a cheap run from a free one. */
export function formatCost(cost: number): string {
  return cost.toFixed(cost < 1 ? 4 : 2)
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/**
 * For a run that fixed nothing (or not everything): why each attempt of each unfixed group was rejected, the
 * attempt that came closest, and what a person can try next.
 */
function whyNotFixed(report: Report): string[] {
  const unfixed = report.groups.filter(group => group.status === 'unfixed')
  if (unfixed.length === 0) return []
  const lines = ['### Why it was not fixed', '']
  for (const group of unfixed) {
    lines.push(`Group \`${group.fingerprint}\` (${group.tests.length} test(s), ${withType(group.errorType, oneLine(group.message))}):`, '')
    if (group.attempts.length === 0) lines.push('- no attempt was made (the run stopped before it: see the messages above)')
    for (const attempt of group.attempts) lines.push(`- attempt ${attempt.number}: ${oneLine(attempt.reason) || attempt.outcome}`)
    const closest = closestAttempt(group)
    if (closest !== undefined) lines.push(`- closest: attempt ${closest.number}, ${closest.why}`)
    lines.push('')
  }
  const reasons = unfixed.flatMap(group => group.attempts.map(attempt => attempt.reason)).join('\n')
  lines.push('What to try next:', '')
  lines.push('- more attempts: raise `max-attempts`, so later attempts see more feedback at a higher temperature;')
  lines.push('- another model: set `model` (and `base-url`) to a stronger one;')
  lines.push('- `extra-instructions`: tell the model what it keeps missing (the reasons above), e.g. which module holds the bug;')
  if (/test file|allow-test-changes/i.test(reasons)) lines.push('- if the tests themselves are wrong: `allow-test-changes: true`;')
  if (/did not apply|SEARCH/.test(reasons))
    lines.push(
      '- answers that did not apply: name the file and function that hold the bug in `extra-instructions`, so the model edits the right code;'
    )
  lines.push('')
  return lines
}

/** The rejected attempt verification got furthest with: fewest of the group's tests failing, then fewest broken. */
function closestAttempt(group: GroupRecord): { number: number; why: string } | undefined {
  const verified = group.attempts.filter(attempt => attempt.testsStillFailing !== undefined)
  const score = (attempt: AttemptRecord): number => (attempt.testsStillFailing ?? 0) * 1_000_000 + (attempt.testsBroken ?? 0)
  const best = verified.reduce<AttemptRecord | undefined>(
    (found, attempt) => (found === undefined || score(attempt) < score(found) ? attempt : found),
    undefined
  )
  if (best === undefined) return undefined
  const total = group.tests.length
  const failing = Math.min(best.testsStillFailing ?? 0, total)
  return {
    number: best.number,
    why:
      failing === 0
        ? `its edits made the group's tests pass but broke ${best.testsBroken ?? 0} test(s) that passed before`
        : `${total - failing} of the group's ${total} tests passed with its edits`
  }
}

/** A fence longer than any backtick run inside, so the content cannot close it. */
export function fenced(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map(match => match[0].length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}`
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}
