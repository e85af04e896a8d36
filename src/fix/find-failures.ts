// What failed: from the JUnit XML of the failing run, or from a test run of our own when there is none; enriched
// by the console log. The results are also the baseline that verification compares against; a failure that
// stands for a whole directory (a conftest.py that failed to import) is verified by the tests below it.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { UserError, type Failure, type Layout, type Logger, type TestResult, type TestRun } from '../domain.js'
import { cleanLog, detectConftestFailure, parsePytestLog, type LogEntry } from '../failures/log.js'
import { statsLine } from '../failures/summary.js'
import { toFailures } from '../failures/failures.js'
import { createNodeIdResolver } from '../failures/nodeid.js'
import { readJUnitReports } from '../failures/read.js'
import { subprojectOfReport } from '../failures/subproject.js'
import { pytestUsageError, type PytestRunner } from '../verify/pytest.js'

export interface FoundFailures {
  /** every testcase of the failing run: the baseline */
  results: TestResult[]
  failures: Failure[]
  /** where they came from, for the log and the report */
  source: string
  /** read from the failing run's JUnit XML, not from a run of 'test-command' by the action */
  fromFailingRun?: boolean
  /** what the failing run's tests took, by its JUnit report (the time pytest measured, without its start) */
  suiteSeconds?: number
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
        const subproject =
          layout.workDir === layout.repoRoot ? subprojectOfReport(read.results, layout.rootDir, layout.repoRoot) : undefined
        if (subproject !== undefined) {
          throw new UserError(
            `The JUnit report names test files that are not in the repository's root but are under '${subproject}' ` +
              `(e.g. ${subproject}/${read.results.find(r => r.outcome !== 'passed')?.nodeId.split('::')[0] ?? ''}): your tests run there. ` +
              `Set \`working-directory: ${subproject}\` so the action runs and verifies them where they run.`
          )
        }
        log.info(
          `Read ${read.results.length} testcases from ${read.files.map(file => path.relative(layout.repoRoot, file) || file).join(', ')}`
        )
        return {
          results: read.results,
          failures: toFailures(read.results, layout, logEntries),
          source: `JUnit XML (${read.files.length} file(s))`,
          fromFailingRun: true,
          ...(read.seconds !== undefined ? { suiteSeconds: read.seconds } : {})
        }
      }
    }
    log.warning(`Input 'junit-xml' is '${input.junitXml}' but no file matches it; running the tests to find the failures.`)
  }

  log.info('Running the test suite to find the failures')
  const run = await input.runner.run([], 'baseline')
  if (run.timedOut) {
    throw new UserError(
      `The test suite did not finish within 'test-timeout'. Raise 'test-timeout' (seconds) or pass the JUnit XML of the failing run as 'junit-xml'.`
    )
  }
  if (run.results.length > 0) {
    return {
      results: run.results,
      failures: toFailures(run.results, layout, logEntries ?? parsePytestLog(run.output)),
      source: 'a test run of the action'
    }
  }
  const conftest = detectConftestFailure(run.exitCode, run.output, layout)
  if (conftest !== undefined)
    return { results: [], failures: [conftest], source: 'a test run of the action (conftest.py failed to import)' }
  if (run.exitCode === 5) return { results: [], failures: [], source: 'a test run of the action (no tests collected)' }
  if (run.exitCode === 0) return { results: [], failures: [], source: 'a test run of the action' }
  throw noResultsError(run)
}

/** Why a run of 'test-command' reported no tests, as the user's error: pytest's usage error, or no JUnit report. */
export function noResultsError(run: TestRun): UserError {
  if (run.exitCode === 4) {
    return new UserError(
      `pytest refused 'test-command' (exit code 4, a usage error): ${pytestUsageError(run.output)}. ` +
        `Fix 'test-command' or the addopts of your pytest configuration; the action appends --junitxml=PATH, -o cache_dir=PATH and node ids.`
    )
  }
  // one line, as every message of the action: pytest's last lines, joined
  const tail = run.output
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '')
    .slice(-4)
    .join(' | ')
  // Every verification reads the JUnit report of its own run: without one, no fix could ever be accepted.
  // (pytest's exit code 3 is its own internal error, which can also leave no report.)
  if (run.exitCode !== 3 && ranTests(run.output)) {
    return new UserError(
      `'test-command' ran the tests (exit code ${run.exitCode}) but wrote no JUnit report where the action asked for one ` +
        `(it appends --junitxml=PATH and node ids), so no fix could be verified (${tail}). ` +
        `Make 'test-command' pass extra arguments on to pytest, e.g. 'python -m pytest' or a script that ends in "$@".`
    )
  }
  return new UserError(
    `'test-command' exited with code ${run.exitCode} and reported no tests (${tail}). ` +
      `Check that 'test-command' runs pytest (it gets --junitxml appended) and that 'working-directory' is where your tests run.`
  )
}

/** Did pytest run tests, by its console output? (a summary of failures, or its closing statistics line) */
function ranTests(output: string): boolean {
  return parsePytestLog(output).length > 0 || cleanLog(output).some(line => statsLine.test(line))
}

/**
 * The tests a verification must see pass for these node ids. A conftest.py that failed to import, or a directory
 * that failed to collect (its conftest.py did), stands for every test below that directory: pytest ran none of
 * them. They are collected with the attempt's edits applied; while collection still fails, the node id stays as
 * is and verification reports it still failing.
 */
export async function testsToVerify(nodeIds: string[], rootDir: string, runner: PytestRunner): Promise<string[]> {
  const tests: string[] = []
  for (const nodeId of nodeIds) {
    const dir = directoryOf(nodeId, rootDir)
    if (dir === undefined) {
      tests.push(nodeId)
      continue
    }
    // the rootdir's conftest governs the whole suite: run it as configured (testpaths), not as `pytest .`
    const run = await runner.run(dir === '.' ? [] : [dir], 'collect')
    const below = run.results.map(result => result.nodeId).filter(id => dir === '.' || id.startsWith(`${dir}/`))
    tests.push(...(below.length > 0 ? unique(below) : [nodeId]))
  }
  return tests
}

/**
 * What later fixes must keep passing once a group is fixed, read from the suite run that accepted its fix. A
 * module, directory or conftest.py that failed to collect is never a test result itself: the tests it now
 * collects stand for it.
 */
export function testsToKeepPassing(nodeIds: string[], suite: TestResult[], rootDir: string): string[] {
  const passing = suite.filter(result => result.outcome === 'passed').map(result => result.nodeId)
  return unique(
    nodeIds.flatMap(nodeId => {
      if (nodeId.includes('::')) return [nodeId]
      const dir = directoryOf(nodeId, rootDir)
      if (dir === undefined) return passing.filter(id => id.startsWith(`${nodeId}::`))
      return passing.filter(id => dir === '.' || id.startsWith(`${dir}/`))
    })
  )
}

/** The rootdir-relative directory a conftest.py or directory node id stands for. */
function directoryOf(nodeId: string, rootDir: string): string | undefined {
  if (nodeId.includes('::')) return undefined
  if (/(?:^|\/)conftest\.py$/.test(nodeId)) return path.posix.dirname(nodeId)
  return fs.statSync(path.join(rootDir, nodeId), { throwIfNoEntry: false })?.isDirectory() === true ? nodeId : undefined
}

function readLog(logFile: string, layout: Layout): LogEntry[] | undefined {
  if (logFile === '') return undefined
  const candidates = unique([path.resolve(layout.repoRoot, logFile), path.resolve(layout.workDir, logFile)])
  const found = candidates.find(candidate => fs.existsSync(candidate))
  if (found === undefined) {
    throw new UserError(
      `Cannot open 'log-file' '${logFile}': no such file. Set 'log-file' to the console log your pytest step writes (e.g. pytest ... | tee pytest.log), or leave it empty.`
    )
  }
  return parsePytestLog(fs.readFileSync(found, 'utf8'))
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)]
}
