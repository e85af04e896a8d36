// Commands on the fix PR: `/pytest-fixer <command>` in a comment steers the fix the way the interactive
// command line did. Only people who may write to the repository are obeyed; every command gets 👀 at once and
// an answer as a comment.
import type { Logger } from '../domain.js'
import { apiErrorMessage, type Octokit } from '../publish/github.js'
import { fenced } from '../report/markdown.js'
import type { Repository } from './artifacts.js'
import type { CommandComment } from './event.js'
import { decodeHistories, mergeHistories, type FixHistory } from './history.js'

export const CommandNames = ['retry', 'prompt', 'history', 'diff', 'show', 'help'] as const
export type CommandName = (typeof CommandNames)[number]

export type ParsedCommand = { name: CommandName; text: string } | { unknown: string }

const PREFIX = /^\s*\/pytest-fixer(?![\w-])(?:\s+(\S+))?([\s\S]*)$/

/** The command in a comment, from its first line; undefined when the comment is not a command. */
export function parseCommand(body: string): ParsedCommand | undefined {
  const match = PREFIX.exec(body)
  if (!match) return undefined
  const word = (match[1] ?? 'help').toLowerCase()
  const text = (match[2] ?? '').trim()
  return (CommandNames as readonly string[]).includes(word) ? { name: word as CommandName, text } : { unknown: word }
}

export const HelpText = [
  'Commands for this fix pull request (people with write access to the repository):',
  '',
  '| command | what it does |',
  '|---|---|',
  '| `/pytest-fixer retry` | a new attempt at the next temperature, with the earlier attempts and why they were rejected in the prompt |',
  '| `/pytest-fixer prompt <text>` | a new attempt with `<text>` as extra instructions |',
  '| `/pytest-fixer history` | the attempts so far: temperature, outcome, reason, files, tokens |',
  '| `/pytest-fixer diff` | the patch this pull request proposes now |',
  '| `/pytest-fixer show` | the failures it fixes, with their errors |',
  '| `/pytest-fixer help` | this list |',
  '',
  'A new attempt updates this pull request only when it passes verification (the failing tests pass, nothing that passed breaks, no test is weakened); otherwise the pull request stays as it is.'
].join('\n')

export interface FixPullRequest {
  number: number
  url: string
  state: string
  headRef: string
  headSha: string
  baseRef: string
  body: string
}

/** The commenter's permission decides: admin, maintain and write are obeyed. */
export async function mayCommand(
  octokit: Octokit,
  repository: Repository,
  user: string
): Promise<{ allowed: boolean; permission: string }> {
  const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repository, username: user })
  const role = (data as { role_name?: string }).role_name ?? ''
  const allowed = data.permission === 'admin' || data.permission === 'write' || ['admin', 'maintain', 'write'].includes(role)
  return { allowed, permission: role || data.permission }
}

export async function addEyes(octokit: Octokit, repository: Repository, commentId: number, log: Logger): Promise<void> {
  try {
    await octokit.rest.reactions.createForIssueComment({ ...repository, comment_id: commentId, content: 'eyes' })
  } catch (error) {
    log.warning(`Could not react to comment ${commentId}: ${apiErrorMessage(error)}`)
  }
}

export async function answer(octokit: Octokit, repository: Repository, number: number, body: string): Promise<string> {
  const { data } = await octokit.rest.issues.createComment({ ...repository, issue_number: number, body })
  return data.html_url
}

/** The pull request, when it is one of ours (its head a fix branch of this repository); else why not. */
export async function findFixPullRequest(
  octokit: Octokit,
  repository: Repository,
  comment: CommandComment,
  branchPrefix: string
): Promise<{ pull: FixPullRequest } | { refusal: string }> {
  if (!comment.onPullRequest) {
    return {
      refusal: `#${comment.number} is an issue, not a pull request: pytest-fixer commands work only on the fix pull requests pytest-fixer opened.`
    }
  }
  const { data } = await octokit.rest.pulls.get({ ...repository, pull_number: comment.number })
  const own = `${repository.owner}/${repository.repo}`.toLowerCase()
  if (!data.head.ref.startsWith(branchPrefix) || (data.head.repo?.full_name ?? '').toLowerCase() !== own) {
    return {
      refusal:
        `This pull request is not a pytest-fixer fix pull request (its branch \`${data.head.ref}\` is not a \`${branchPrefix}\` branch of ${repository.owner}/${repository.repo}), ` +
        `so pytest-fixer leaves it alone. Commands work only on the pull requests pytest-fixer opened.`
    }
  }
  return {
    pull: {
      number: data.number,
      url: data.html_url,
      state: data.state,
      headRef: data.head.ref,
      headSha: data.head.sha,
      baseRef: data.base.ref,
      body: data.body ?? ''
    }
  }
}

/** The PR's history: the marker in its body, and the attempts pytest-fixer's answers recorded since. */
export async function readPullRequestHistory(
  octokit: Octokit,
  repository: Repository,
  pull: FixPullRequest
): Promise<FixHistory | undefined> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repository, issue_number: pull.number, per_page: 100 })
  const fromComments = comments.filter(comment => comment.user?.type === 'Bot').flatMap(comment => decodeHistories(comment.body ?? ''))
  return mergeHistories([...decodeHistories(pull.body), ...fromComments])
}

export function historyAnswer(history: FixHistory | undefined): string {
  if (history === undefined || history.attempts.length === 0)
    return 'No attempt history is recorded on this pull request yet (it was opened before pytest-fixer kept one).'
  const lines = [
    'Attempts so far:',
    '',
    '| group | attempt | temperature | outcome | reason | files | tokens (prompt + completion) |',
    '|---|---|---|---|---|---|---|'
  ]
  for (const attempt of history.attempts) {
    const files = attempt.files.map(file => `\`${file}\``).join(', ') || '–'
    lines.push(
      `| \`${attempt.group}\` | ${attempt.number} | ${attempt.temperature ?? 'n/a'} | ${attempt.outcome} | ${cell(attempt.reason)} | ${files} | ${attempt.tokens[0]} + ${attempt.tokens[1]} |`
    )
  }
  return lines.join('\n')
}

export function showAnswer(history: FixHistory | undefined, pull: FixPullRequest): string {
  if (history === undefined || history.failures.length === 0)
    return `No failures are recorded on this pull request; its description tells what it fixes.`
  const lines = [
    `The failures this pull request fixes (found on \`${history.baseBranch}\` at ${history.baseSha.slice(0, 7)}${history.runUrl ? `, ${history.runUrl}` : ''}):`,
    ''
  ]
  for (const failure of history.failures) {
    lines.push(`- \`${failure.nodeId}\`: **${failure.errorType}**`, '', indent(fenced(failure.message.trim() || '(no message)')), '')
  }
  lines.push(`Fix branch: \`${pull.headRef}\``)
  return lines.join('\n')
}

export function diffAnswer(patch: string, pull: FixPullRequest): string {
  if (patch.trim() === '') return `The branch \`${pull.headRef}\` changes nothing against the commit it was built on.`
  return [
    `The patch of \`${pull.headRef}\` (${pull.headSha.slice(0, 7)}):`,
    '',
    fenced(patch.length > 60_000 ? `${patch.slice(0, 60_000)}\n… (truncated)` : patch, 'diff')
  ].join('\n')
}

export function refusalAnswer(user: string, permission: string): string {
  return (
    `Thanks, @${user}! pytest-fixer only takes commands from people with write access to this repository ` +
    `(your permission here is \`${permission || 'none'}\`), so it did nothing. A maintainer can run the command for you.`
  )
}

export function unknownAnswer(word: string): string {
  return `\`/pytest-fixer ${word}\` is not a command I know, so nothing was done.\n\n${HelpText}`
}

function cell(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return (line.length > 200 ? `${line.slice(0, 200)}…` : line).replace(/\|/g, '\\|')
}

function indent(text: string): string {
  return text
    .split('\n')
    .map(line => `  ${line}`)
    .join('\n')
}
