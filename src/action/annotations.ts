// Annotations on the job: each failure at its file and line, each file the verified fix changed as a notice.
// GitHub shows at most 10 error and 10 notice annotations per step; the rest are counted in one more line.
import * as core from '@actions/core'
import type { Report } from '../domain.js'
import { firstLine, withType } from '../report/text.js'

const SHOWN = 10

export function annotate(report: Report, changedFiles: string[], redact: (text: string) => string): void {
  const failures = report.failures.filter(failure => failure.file !== '')
  for (const failure of failures.slice(0, SHOWN)) {
    const fixed = report.fixedTests.includes(failure.nodeId)
    core.error(
      redact(`${failure.nodeId}: ${withType(failure.errorType, firstLine(failure.message))}${fixed ? ' (fixed by the verified fix)' : ''}`),
      {
        title: `pytest-fixer: ${fixed ? 'fixed' : 'failing'} test`,
        file: failure.file,
        ...(failure.line !== null && failure.line > 0 ? { startLine: failure.line } : {})
      }
    )
  }
  if (failures.length > SHOWN) core.info(`${failures.length - SHOWN} more failure(s) are in the job summary and the report.`)
  for (const file of changedFiles.slice(0, SHOWN)) {
    core.notice(`Changed by the verified fix${report.pullRequest.url !== null ? ` (${report.pullRequest.url})` : ''}.`, {
      title: 'pytest-fixer: fixed file',
      file
    })
  }
}

/** The files the accepted attempts changed, in the order they were first changed. */
export function filesOfTheFix(report: Report): string[] {
  return [
    ...new Set(
      report.groups.flatMap(group =>
        group.attempts.filter(attempt => attempt.outcome === 'accepted').flatMap(attempt => attempt.filesChanged)
      )
    )
  ]
}
