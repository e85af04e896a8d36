// The fixture Python projects are the corpus the end-to-end tests and the benchmark fix: they must pass
// as committed, and each catalog bug must break exactly the tests it names, as real pytest reports them.
import { describe, it, expect, beforeAll } from '@jest/globals'
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { injectBug, projectsDir, readBugCatalog, type Bug } from './harness/git-repo.mjs'

const projects = ['flat', 'srclayout', 'inpackage', 'unittest_suite', 'exporters']
const bugs = readBugCatalog()
const kinds = [
  'wrong-operator',
  'off-by-one',
  'wrong-return-value',
  'deleted-statement',
  'swapped-arguments',
  'renamed-function',
  'syntax-error',
  'changed-exception-type',
  'changed-default-argument'
]

interface PytestRun {
  exitCode: number
  /** node ids of the FAILED and ERROR lines of pytest's short test summary */
  failing: string[]
  testcases: number
  failingTestcases: number
  output: string
}

/** Runs real pytest on a throwaway copy of a project, so nothing is written into the fixtures. */
async function runPytestOnCopy(project: string, bug?: Bug): Promise<PytestRun> {
  const root = mkdtempSync(join(tmpdir(), `fixture-${project}-`))
  const dir = join(root, project)
  try {
    cpSync(join(projectsDir, project), dir, { recursive: true, filter: path => !path.endsWith('__pycache__') })
    if (bug) injectBug(dir, bug)
    const junit = join(root, 'junit.xml')
    const args = ['-m', 'pytest', '-p', 'no:cacheprovider', '-rfE', `--junitxml=${junit}`]
    // The projects are plain pytest; the machine's plugins are not theirs (hypothesis alone adds ~1 s a run).
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? root,
      PYTHONDONTWRITEBYTECODE: '1',
      PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1'
    }
    const { exitCode, output } = await new Promise<{ exitCode: number; output: string }>(resolve => {
      execFile('python3', args, { cwd: dir, env }, (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : 0
        resolve({ exitCode: code, output: stdout + stderr })
      })
    })
    const failing = new Set<string>()
    for (const line of output.split('\n')) {
      const match = /^(?:FAILED|ERROR) (.+?)(?: - .*)?$/.exec(line)
      if (match) failing.add(match[1])
    }
    // rough but sufficient: each <testcase> chunk up to the next one holds its own <failure>/<error>
    const cases = readFileSync(junit, 'utf8').split('<testcase ').slice(1)
    return {
      exitCode,
      failing: [...failing].sort(),
      testcases: cases.length,
      failingTestcases: cases.filter(c => /<(failure|error)\b/.test(c)).length,
      output
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

/** Runs `task` over `items` with at most `size` running at once, keeping the order of results. */
async function inPool<T, R>(items: T[], size: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index])
    }
  }
  await Promise.all(Array.from({ length: size }, worker))
  return results
}

describe('every fixture project passes as committed', () => {
  it.each(projects)('%s: real pytest passes with 10 to 30 tests', async project => {
    const run = await runPytestOnCopy(project)
    expect(run.failing).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.testcases).toBeGreaterThanOrEqual(10)
    expect(run.testcases).toBeLessThanOrEqual(30)
  })
})

describe('the bug catalog covers the kinds of bug the fixer must handle', () => {
  it('holds at least 24 bugs with unique ids, all in known projects', () => {
    expect(bugs.length).toBeGreaterThanOrEqual(24)
    expect(new Set(bugs.map(b => b.id)).size).toBe(bugs.length)
    for (const bug of bugs) expect(projects).toContain(bug.project)
  })

  it.each(kinds)('has at least two %s bugs, in at least two projects', kind => {
    const ofKind = bugs.filter(b => b.kind === kind)
    expect(ofKind.length).toBeGreaterThanOrEqual(2)
    expect(new Set(ofKind.map(b => b.project)).size).toBeGreaterThanOrEqual(2)
  })

  it('uses only the known kinds, across all five projects', () => {
    expect([...new Set(bugs.map(b => b.kind))].sort()).toEqual([...kinds].sort())
    expect([...new Set(bugs.map(b => b.project))].sort()).toEqual([...projects].sort())
  })

  it.each(bugs.map(b => [b.id, b] as const))('%s: search is the code exactly once in its file', (_id, bug) => {
    const text = readFileSync(join(projectsDir, bug.project, bug.file), 'utf8')
    expect(text.split(bug.search).length - 1).toBe(1)
    expect(bug.replace).not.toBe(bug.search)
    expect(bug.expectFailing.length).toBeGreaterThan(0)
  })
})

describe('each injected bug makes exactly its expected tests fail', () => {
  const runs = new Map<string, PytestRun>()

  beforeAll(async () => {
    const results = await inPool(bugs, 2, bug => runPytestOnCopy(bug.project, bug))
    bugs.forEach((bug, index) => runs.set(bug.id, results[index]))
  }, 120000)

  it.each(bugs.map(b => [b.id, b] as const))('%s', (_id, bug) => {
    const run = runs.get(bug.id)
    expect(run).toBeDefined()
    if (!run) return
    expect(run.failing).toEqual([...bug.expectFailing].sort())
    expect(run.failingTestcases).toBe(bug.expectFailing.length)
    // 1: tests failed; 2: interrupted by collection errors
    expect([1, 2]).toContain(run.exitCode)
  })
})
