// The report: the JSON record of a run (README, "The report"), written next to the other run files.
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ChangeUnderTestRecord, Report } from '../domain.js'
import type { FixRunOutcome } from '../fix/fix-run.js'
import { costOf, type Prices } from '../inputs.js'
import type { LlmStats } from '../model/client.js'
import type { PublishResult } from '../publish/publish.js'
import type { Redactor } from '../redact.js'

export interface ReportInput {
  outcome: FixRunOutcome
  mode: string
  /** the model asked, as the input names it ('' before the inputs were read) */
  model?: string
  published: PublishResult | null
  llm: LlmStats
  patch: string
  messages: string[]
  changeUnderTest?: ChangeUnderTestRecord | null
  prices?: Prices | null
  durations: {
    total: number
    tests: number
    phases?: Array<{ phase: string; ms: number }>
    testRuns?: Array<{ purpose: string; ms: number; tests: number; warm?: boolean }>
  }
}

export function buildReport(input: ReportInput): Report {
  const { outcome } = input
  return {
    version: 1,
    result: outcome.result,
    mode: input.mode,
    failures: outcome.failures.map(failure => ({
      nodeId: failure.nodeId,
      file: failure.errorFile ?? failure.file,
      line: failure.line ?? null,
      errorType: failure.errorType,
      message: failure.message,
      group: failure.group ?? null,
      phase: failure.phase
    })),
    groups: outcome.groups,
    fixedTests: outcome.fixedTests,
    unfixedTests: outcome.unfixedTests,
    flakyTests: outcome.flakyTests,
    driftedTests: outcome.driftedTests,
    llm: {
      calls: input.llm.calls,
      cachedCalls: input.llm.cachedCalls,
      promptTokens: input.llm.promptTokens,
      completionTokens: input.llm.completionTokens,
      cost: costOf(input.llm, input.prices ?? null)
    },
    pullRequest: input.published?.pullRequest ?? { number: null, url: null, operation: 'none' },
    branch: input.published?.branch ?? null,
    commitSha: input.published?.commitSha ?? null,
    model: input.model ?? '',
    changeUnderTest: input.changeUnderTest ?? null,
    patch: input.patch,
    messages: input.messages,
    durationsMs: {
      total: input.durations.total,
      tests: input.durations.tests,
      llm: input.llm.durationMs,
      phases: input.durations.phases ?? [],
      testRuns: input.durations.testRuns ?? [],
      modelCalls: input.llm.callsMs ?? []
    }
  }
}

/** Writes the report, redacted, and returns its path. */
export function writeReport(report: Report, directory: string, redactor: Redactor): string {
  fs.mkdirSync(directory, { recursive: true })
  const file = path.join(directory, 'pytest-fixer-report.json')
  fs.writeFileSync(file, `${JSON.stringify(redactor.redactDeep(report), null, 2)}\n`, 'utf8')
  return file
}

/** A report for a run that ended before any failure was read (bad input, an unexpected error). */
export { emptyOutcome } from '../fix/fix-run.js'
