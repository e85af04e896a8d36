// When no fix can be verified, an issue a person can pick up instead of silence: one per set of unfixed
// failure groups (its fingerprint in a hidden marker), updated by later runs, closed when a run fixes them.
import { createHash } from 'node:crypto'
import type { GroupRecord, Logger, Report } from '../domain.js'
import { apiErrorMessage, type Octokit } from '../publish/github.js'
import { fenced } from '../report/markdown.js'
import type { Repository } from './artifacts.js'

/** Fallback issues carry this label; runs find them by it (keep it on the issue). */
export const FallbackLabel = 'pytest-fixer-unfixed'
const MARKER = /<!-- pytest-fixer-issue:([0-9a-f]{12}) groups=([0-9a-f,]*) -->/

export interface FallbackIssueInput {
  octokit: Octokit
  repository: Repository
  report: Report
  runUrl: string | null
  /** labels besides FallbackLabel, e.g. the failure kinds */
  labels: string[]
  log: Logger
}

interface OpenIssue {
  number: number
  url: string
  fingerprint: string
  groups: string[]
}

/** Opens, updates or closes fallback issues for this run; returns what it did, for the report. */
export async function syncFallbackIssue(input: FallbackIssueInput): Promise<string[]> {
  const { octokit, repository, report } = input
  const messages: string[] = []
  try {
    const open = await openFallbackIssues(octokit, repository)
    const published = report.pullRequest.url !== null || report.branch !== null
    const fixed = new Set(report.groups.filter(group => group.status === 'fixed').map(group => group.fingerprint))
    if (published) {
      for (const issue of open.filter(item => item.groups.length > 0 && item.groups.every(group => fixed.has(group)))) {
        const by =
          report.pullRequest.url !== null
            ? `pull request #${report.pullRequest.number} (${report.pullRequest.url})`
            : `branch \`${report.branch}\``
        await octokit.rest.issues.createComment({
          ...repository,
          issue_number: issue.number,
          body: `A later run fixed these failures, verified by re-running the tests: ${by}.${input.runUrl ? `\n\nRun: ${input.runUrl}` : ''}`
        })
        await octokit.rest.issues.update({ ...repository, issue_number: issue.number, state: 'closed', state_reason: 'completed' })
        messages.push(`Fallback issue #${issue.number} closed: its failures are fixed.`)
      }
    }
    const unfixed = report.groups.filter(group => group.status === 'unfixed' || group.status === 'skipped')
    if ((report.result === 'not-fixed' || report.result === 'partially-fixed') && unfixed.length > 0) {
      const groups = unfixed.map(group => group.fingerprint).sort()
      const fingerprint = createHash('sha256').update(groups.join('\n')).digest('hex').slice(0, 12)
      const title = issueTitle(unfixed)
      const body = issueBody(report, unfixed, input.runUrl, fingerprint, groups)
      const existing = open.find(item => item.fingerprint === fingerprint)
      if (existing !== undefined) {
        await octokit.rest.issues.update({ ...repository, issue_number: existing.number, title, body })
        await octokit.rest.issues.createComment({
          ...repository,
          issue_number: existing.number,
          body: `Still not fixed${input.runUrl ? ` in ${input.runUrl}` : ''}: ${unfixed.reduce((sum, group) => sum + group.attempts.length, 0)} more attempt(s), none verified. The description is updated.`
        })
        messages.push(`Fallback issue #${existing.number} updated: ${existing.url}`)
      } else {
        const { data } = await octokit.rest.issues.create({ ...repository, title, body, labels: [FallbackLabel, ...input.labels] })
        messages.push(`Fallback issue #${data.number} opened: ${data.html_url}`)
      }
    }
  } catch (error) {
    messages.push(
      `The fallback issue could not be opened or updated: ${apiErrorMessage(error)}. Give the workflow \`permissions: issues: write\`.`
    )
  }
  for (const message of messages) input.log.info(message)
  return messages
}

async function openFallbackIssues(octokit: Octokit, repository: Repository): Promise<OpenIssue[]> {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    ...repository,
    state: 'open',
    labels: FallbackLabel,
    per_page: 100
  })
  const found: OpenIssue[] = []
  for (const issue of issues) {
    if (issue.pull_request) continue
    const marker = MARKER.exec(issue.body ?? '')
    if (marker)
      found.push({ number: issue.number, url: issue.html_url, fingerprint: marker[1], groups: marker[2].split(',').filter(Boolean) })
  }
  return found
}

function issueTitle(unfixed: GroupRecord[]): string {
  const tests = unfixed.flatMap(group => group.tests)
  const types = [...new Set(unfixed.map(group => group.errorType))].join(', ')
  return tests.length === 1
    ? `pytest-fixer could not fix ${tests[0]} (${types})`
    : `pytest-fixer could not fix ${tests.length} failing tests (${types})`
}

function issueBody(report: Report, unfixed: GroupRecord[], runUrl: string | null, fingerprint: string, groups: string[]): string {
  const lines = [
    `pytest-fixer found failing tests it could not fix with a verified change${runUrl ? ` in ${runUrl}` : ''}. Nothing was committed for them.`,
    ''
  ]
  for (const group of unfixed) {
    lines.push(`## ${group.errorType} (group \`${group.fingerprint}\`, ${group.status})`, '')
    for (const test of group.tests.slice(0, 30)) lines.push(`- \`${test}\``)
    if (group.tests.length > 30) lines.push(`- … and ${group.tests.length - 30} more`)
    lines.push('', fenced(group.message.slice(0, 3000)), '')
    if (group.attempts.length === 0) {
      lines.push(
        group.status === 'skipped' ? '_Not attempted: the run stopped before this group (see the run)._' : '_No attempt was made._',
        ''
      )
      continue
    }
    lines.push('| attempt | temperature | outcome | why verification rejected it | files |', '|---|---|---|---|---|')
    for (const attempt of group.attempts) {
      const files = attempt.filesChanged.map(file => `\`${file}\``).join(', ') || '–'
      lines.push(`| ${attempt.number} | ${attempt.temperature ?? 'n/a'} | ${attempt.outcome} | ${cell(attempt.reason)} | ${files} |`)
    }
    lines.push('')
  }
  if (report.result === 'partially-fixed')
    lines.push(`Other failures of the run were fixed${report.pullRequest.url ? ` in ${report.pullRequest.url}` : ''}.`, '')
  lines.push(
    '---',
    '_Opened by pytest-fixer (input `fallback-issue`). A later run updates this issue, and closes it once it fixes these failures._',
    ''
  )
  lines.push(`<!-- pytest-fixer-issue:${fingerprint} groups=${groups.join(',')} -->`)
  return lines.join('\n')
}

function cell(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return (line.length > 300 ? `${line.slice(0, 300)}…` : line).replace(/\|/g, '\\|')
}
