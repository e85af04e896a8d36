// What failed: from the JUnit XML of the failing run, or from a test run of our own when there is none; enriched
// by the console log. The results are also the baseline that verification compares against.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { UserError, type Failure, type Layout, type Logger, type TestResult } from '../domain.js'
import { detectConftestFailure, parsePytestLog, type LogEntry } from '../failures/log.js'
import { toFailures } from '../failures/failures.js'
import { createNodeIdResolver } from '../failures/nodeid.js'
import { readJUnitReports } from '../failures/read.js'
import type { PytestRunner } from '../verify/pytest.js'

export interface FoundFailures {
  /** every testcase of the failing run: the baseline */
  results: TestResult[]
  failures: Failure[]
  /** where they came from, for the log and the report */
  source: string
}

export interface FindFailuresInput {
  junitXml: string
  logFile: string
  layout: Layout
  runner: PytestRunner
  log: Logger
}

export async function findFailures(input: FindFailuresInput): Promise<FoundFailures> {
  const { layout, log } = input
  const logEntries = readLog(input.logFile, layout)
  const resolve = createNodeIdResolver(layout.rootDir)

  if (input.junitXml !== '') {
    for (const base of unique([layout.repoRoot, layout.workDir])) {
      const read = await readJUnitReports(input.junitXml, base, resolve)
      for (const warning of resolve.warnings.splice(0)) log.warning(warning)
      if (read.files.length > 0) {
        log.info(`Read ${read.results.length} testcases from ${read.files.map(file => path.relative(layout.repoRoot, file) || file).join(', ')}`)
        return { results: read.results, failures: toFailures(read.results, layout, logEntries), source: `JUnit XML (${read.files.length} file(s))` }
      }
    }
    log.warning(`Input 'junit-xml' is '${input.junitXml}' but no file matches it; running the tests to find the failures.`)
  }

  log.info('Running the test suite to find the failures')
  const run = await input.runner.run([], 'baseline')
  if (run.timedOut) {
    throw new UserError(`The test suite did not finish within 'test-timeout'. Raise 'test-timeout' (seconds) or pass the JUnit XML of the failing run as 'junit-xml'.`)
  }
  if (run.results.length > 0) {
    return { results: run.results, failures: toFailures(run.results, layout, logEntries ?? parsePytestLog(run.output)), source: 'a test run of the action' }
  }
  const conftest = detectConftestFailure(run.exitCode, run.output, layout)
  if (conftest !== undefined) return { results: [], failures: [conftest], source: 'a test run of the action (conftest.py failed to import)' }
  const fromLog = logEntries ?? parsePytestLog(run.output)
  if (fromLog.length > 0) return { results: [], failures: toFailures([], layout, fromLog), source: 'the pytest console log' }
  if (run.exitCode === 5) return { results: [], failures: [], source: 'a test run of the action (no tests collected)' }
  if (run.exitCode !== 0) {
    const tail = run.output.trim().split('\n').slice(-8).join('\n')
    throw new UserError(
      `'test-command' exited with code ${run.exitCode} and reported no tests:\n${tail}\n` +
        `Check that 'test-command' runs pytest (it gets --junitxml appended) and that 'working-directory' is where your tests run.`
    )
  }
  return { results: [], failures: [], source: 'a test run of the action' }
}

function readLog(logFile: string, layout: Layout): LogEntry[] | undefined {
  if (logFile === '') return undefined
  const candidates = unique([path.resolve(layout.repoRoot, logFile), path.resolve(layout.workDir, logFile)])
  const found = candidates.find(candidate => fs.existsSync(candidate))
  if (found === undefined) {
    throw new UserError(`Cannot open 'log-file' '${logFile}': no such file. Set 'log-file' to the console log your pytest step writes (e.g. pytest ... | tee pytest.log), or leave it empty.`)
  }
  return parsePytestLog(fs.readFileSync(found, 'utf8'))
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)]
}
