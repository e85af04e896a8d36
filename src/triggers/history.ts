// The fix PR's memory: a hidden marker in the PR body (and in the answers to commands that changed nothing)
// holding what a later run needs: the commit the fix was built on, the failures and every attempt so far.
// Why there: it lives with the PR, any later run reads it with the token it already has, it survives cache
// eviction and artifact expiry, and it needs no database. Deflated JSON, base64: compact, and GitHub keeps
// HTML comments in bodies verbatim without showing them.
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { GroupRecord, Report } from '../domain.js'

export interface HistoryAttempt {
  /** the run that made it (run id and attempt), so the same attempt read twice counts once */
  run: string
  group: string
  number: number
  temperature: number | null
  outcome: string
  reason: string
  files: string[]
  tokens: [number, number]
  /** its edits as a diff, trimmed */
  diff: string
}

export interface FixHistory {
  version: 1
  /** the commit the fix was built on: the code that failed */
  baseSha: string
  baseBranch: string
  runUrl: string | null
  failures: Array<{ nodeId: string; errorType: string; message: string; group: string | null }>
  attempts: HistoryAttempt[]
}

const MARKER = /<!-- pytest-fixer-history:([A-Za-z0-9+/=]+) -->/g
const DIFF_CHARS = 3000
const MESSAGE_CHARS = 400
const MAX_FAILURES = 50

export function encodeHistory(history: FixHistory): string {
  const packed = deflateRawSync(Buffer.from(JSON.stringify(history), 'utf8')).toString('base64')
  return `<!-- pytest-fixer-history:${packed} -->`
}

/** Every history marker in `text`, in order; unreadable ones are skipped. */
export function decodeHistories(text: string): FixHistory[] {
  const found: FixHistory[] = []
  for (const match of text.matchAll(MARKER)) {
    try {
      const parsed = JSON.parse(inflateRawSync(Buffer.from(match[1], 'base64')).toString('utf8')) as FixHistory
      if (parsed.version === 1 && Array.isArray(parsed.attempts)) found.push(parsed)
    } catch {
      // a marker someone edited by hand: ignored, not fatal
    }
  }
  return found
}

/** The PR body's history with the attempts of later answers added (each attempt once). */
export function mergeHistories(histories: FixHistory[]): FixHistory | undefined {
  if (histories.length === 0) return undefined
  const [first, ...rest] = histories
  const merged: FixHistory = { ...first, attempts: [...first.attempts] }
  const seen = new Set(merged.attempts.map(attemptKey))
  for (const history of rest) {
    for (const attempt of history.attempts) {
      if (seen.has(attemptKey(attempt))) continue
      seen.add(attemptKey(attempt))
      merged.attempts.push(attempt)
    }
  }
  return merged
}

function attemptKey(attempt: HistoryAttempt): string {
  return `${attempt.run}\n${attempt.group}\n${attempt.number}`
}

/** This run's attempts, numbered on from the ones before. */
export function attemptsOfRun(groups: GroupRecord[], run: string, before: HistoryAttempt[]): HistoryAttempt[] {
  const attempts: HistoryAttempt[] = []
  for (const group of groups) {
    const earlier = before.filter(item => item.group === group.fingerprint).length
    for (const attempt of group.attempts) {
      attempts.push({
        run,
        group: group.fingerprint,
        number: earlier + attempt.number,
        temperature: attempt.temperature,
        outcome: attempt.outcome,
        reason: trim(attempt.reason, MESSAGE_CHARS),
        files: attempt.filesChanged,
        tokens: [attempt.tokens.prompt, attempt.tokens.completion],
        diff: trim(attempt.diff, DIFF_CHARS)
      })
    }
  }
  return attempts
}

export function historyOf(
  report: Report,
  baseSha: string,
  baseBranch: string,
  runUrl: string | null,
  attempts: HistoryAttempt[]
): FixHistory {
  return {
    version: 1,
    baseSha,
    baseBranch,
    runUrl,
    failures: report.failures.slice(0, MAX_FAILURES).map(failure => ({
      nodeId: failure.nodeId,
      errorType: failure.errorType,
      message: trim(failure.message, MESSAGE_CHARS),
      group: failure.group
    })),
    attempts
  }
}

/** The body with its history marker replaced (or added at the end). */
export function withHistory(body: string, history: FixHistory): string {
  const without = body.replace(MARKER, '').trimEnd()
  return `${without}\n\n${encodeHistory(history)}\n`
}

function trim(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text
}
