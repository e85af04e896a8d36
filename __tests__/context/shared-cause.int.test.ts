// One conversation per root cause, on real pytest JUnit and real git: the groups the intake keeps apart merge
// when they reach the same changed code, and two bugs of one commit stay two groups.
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readChangeUnderTest, type ChangeUnderTest } from '../../src/context/change-under-test.js'
import { mergeByChangedCode } from '../../src/context/shared-cause.js'
import type { Group, Layout } from '../../src/domain.js'
import { toFailures } from '../../src/failures/failures.js'
import { groupFailures } from '../../src/failures/group.js'
import { createNodeIdResolver } from '../../src/failures/nodeid.js'
import { readJUnitReports } from '../../src/failures/read.js'
import { findPytestRootDir } from '../../src/layout.js'
import { Git } from '../../src/publish/git.js'
import { injectBug, projectsDir, readBugCatalog, runGitSync } from '../harness/git-repo.mjs'

const catalog = readBugCatalog()
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** The project with `ids` injected as its last commit, its failures grouped as the intake groups them, and the change. */
async function brokenBy(...ids: string[]): Promise<{ groups: Group[]; change: ChangeUnderTest; layout: Layout }> {
  const bugs = ids.map(id => catalog.find(bug => bug.id === id) ?? { id: 'missing' })
  const project = (bugs[0] as { project: string }).project
  const scratch = mkdtempSync(path.join(tmpdir(), 'shared-cause-'))
  dirs.push(scratch)
  const dir = path.join(scratch, project)
  cpSync(path.join(projectsDir, project), dir, { recursive: true, filter: file => !file.endsWith('__pycache__') })
  runGitSync(dir, ['init', '-q'])
  runGitSync(dir, ['add', '-A'])
  runGitSync(dir, ['commit', '-qm', 'project'])
  for (const bug of bugs) injectBug(dir, bug as Parameters<typeof injectBug>[1])
  runGitSync(dir, ['commit', '-qam', 'the change under test'])
  const junit = path.join(scratch, 'junit.xml')
  try {
    execFileSync('python3', ['-m', 'pytest', `--junitxml=${junit}`, '-p', 'no:cacheprovider'], {
      cwd: dir,
      stdio: 'pipe',
      env: { ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1', PYTHONDONTWRITEBYTECODE: '1' }
    })
  } catch {
    // the tests are meant to fail
  }
  const layout: Layout = { repoRoot: dir, workDir: dir, rootDir: findPytestRootDir(dir) }
  const read = await readJUnitReports(junit, dir, createNodeIdResolver(layout.rootDir))
  const groups = groupFailures(toFailures(read.results, layout))
  const change = await readChangeUnderTest(new Git(dir), { base: 'parent', why: 'the last commit' })
  if ('unavailable' in change) throw new Error(change.unavailable)
  return { groups, change: change.change, layout }
}

const testsOf = (groups: Group[]): string[][] => groups.map(group => group.failures.map(failure => failure.nodeId).sort())

describe('groups that reach the same changed code are one group', () => {
  it('one bug that fails three tests on three assert lines: three groups become one, with the first fingerprint', async () => {
    const { groups, change, layout } = await brokenBy('exp-widths-skip-header')
    expect(groups).toHaveLength(3)
    const merged = await mergeByChangedCode(groups, change, layout)
    expect(merged).toHaveLength(1)
    expect(merged[0].fingerprint).toBe(groups[0].fingerprint)
    expect(merged[0].failures.map(failure => failure.nodeId).sort()).toEqual(
      groups.flatMap(group => group.failures.map(f => f.nodeId)).sort()
    )
    expect(merged[0].failures.every(failure => failure.group === merged[0].fingerprint)).toBe(true)
  })

  it('a renamed function breaking the import in two modules is one group', async () => {
    const { groups, change, layout } = await brokenBy('flat-format-price-renamed')
    expect(groups).toHaveLength(2)
    expect(await mergeByChangedCode(groups, change, layout)).toHaveLength(1)
  })

  it('two bugs in one commit, in different code, stay two groups', async () => {
    const { groups, change, layout } = await brokenBy('exp-widths-skip-header', 'exp-base-quote-not-doubled')
    expect(groups).toHaveLength(4)
    const merged = await mergeByChangedCode(groups, change, layout)
    expect(testsOf(merged).sort()).toEqual([
      ['tests/test_exporters.py::TestCsv::test_quotes_are_doubled'],
      [
        'tests/test_render.py::test_render_pads_one_space_by_default',
        'tests/test_render.py::test_widths_are_the_longest_cell',
        'tests/test_render.py::test_widths_count_the_header'
      ]
    ])
  })

  it('a change that touches none of the failing code merges nothing', async () => {
    const { groups, layout } = await brokenBy('exp-widths-skip-header')
    const elsewhere: ChangeUnderTest = {
      why: 'x',
      base: 'x',
      files: [{ path: 'tabular/_codecs.py', diff: '', lines: [11] }],
      testFiles: []
    }
    expect(await mergeByChangedCode(groups, elsewhere, layout)).toHaveLength(3)
  })
})
