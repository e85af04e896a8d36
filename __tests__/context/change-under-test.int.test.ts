// The change under test, read with real git from real repositories (full and shallow clones), and shown in the
// prompt ahead of the code, on failures real pytest reported.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readChangeUnderTest, type ChangeUnderTest } from '../../src/context/change-under-test.js'
import { buildPrompt } from '../../src/context/prompt.js'
import { Git } from '../../src/publish/git.js'
import { runGitSync } from '../harness/git-repo.mjs'
import { replaceInFile, runPytest, type PytestOutcome } from './pytest-failures.js'

let run: PytestOutcome
let scratch: string
let origin: string

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'change-under-test-'))
  origin = path.join(scratch, 'origin.git')
  run = await runPytest('../projects/exporters', {
    mutate: root => {
      const git = (args: string[]) => runGitSync(root, args)
      git(['init', '-q', '-b', 'main'])
      git(['add', '-A'])
      git(['commit', '-q', '-m', 'tabular'])
      runGitSync(scratch, ['init', '-q', '--bare', '-b', 'main', origin])
      git(['remote', 'add', 'origin', origin])
      git(['push', '-q', 'origin', 'HEAD:refs/heads/main', 'HEAD:refs/heads/release'])
      // the change that broke the tests: a module the test reaches only through a function-level import,
      // a module no failing test reaches, and a test file
      replaceInFile(root, 'tabular/_codecs.py', 'zlib.compress(data, 6)', 'zlib.compress(data, 0)')
      writeFileSync(path.join(root, 'tabular/cli.py'), 'def main() -> int:\n    return 0\n')
      replaceInFile(root, 'tests/test_render.py', 'def test_widths_count_the_header', 'def test_widths_count_the_header_row')
      git(['add', '-A'])
      git(['commit', '-q', '-m', 'speed up packing'])
      git(['push', '-q', 'origin', 'HEAD:refs/heads/main'])
    }
  })
})
afterAll(() => {
  run?.cleanup()
  rmSync(scratch, { recursive: true, force: true })
})

async function changeOf(dir: string, base: string): Promise<ChangeUnderTest> {
  const read = await readChangeUnderTest(new Git(dir), { base, why: 'the last commit' })
  if ('unavailable' in read) throw new Error(read.unavailable)
  return read.change
}

function shallowClone(name: string, extra: string[] = []): string {
  const dir = path.join(scratch, name)
  runGitSync(scratch, ['clone', '-q', '--depth', '1', ...extra, `file://${origin}`, dir])
  expect(runGitSync(dir, ['rev-parse', '--is-shallow-repository']).trim()).toBe('true')
  return dir
}

describe('reading the change', () => {
  it('gives the changed code files with the lines the change touched, test files by name only', async () => {
    const change = await changeOf(run.repoRoot, 'parent')
    expect(change.files.map(file => file.path).sort()).toEqual(['tabular/_codecs.py', 'tabular/cli.py'])
    const codecs = change.files.find(file => file.path === 'tabular/_codecs.py')
    expect(codecs?.lines).toEqual([11])
    expect(codecs?.diff).toContain('-    body = zlib.compress(data, 6)\n+    body = zlib.compress(data, 0)')
    expect(change.testFiles).toEqual(['tests/test_render.py'])
    expect(change.base).toBe(runGitSync(run.repoRoot, ['rev-parse', 'HEAD~1']).trim())
  })

  it('reads uncommitted changes against HEAD', async () => {
    replaceInFile(run.repoRoot, 'tabular/_core/layout.py', 'padding: int = 1', 'padding: int = 3')
    try {
      const change = await changeOf(run.repoRoot, 'HEAD')
      expect(change.files.map(file => file.path)).toEqual(['tabular/_core/layout.py'])
    } finally {
      runGitSync(run.repoRoot, ['checkout', '--', 'tabular/_core/layout.py'])
    }
  })

  it('fetches the base commit a shallow clone lacks, one commit deep', async () => {
    const dir = shallowClone('shallow')
    const change = await changeOf(dir, 'parent')
    expect(change.files.map(file => file.path)).toContain('tabular/_codecs.py')
  })

  it('fetches a branch named as known-good-ref that a single-branch clone lacks', async () => {
    const dir = shallowClone('single', ['--single-branch', '--branch', 'main'])
    const change = await changeOf(dir, 'release')
    expect(change.files.map(file => file.path)).toContain('tabular/_codecs.py')
  })

  it('says why, naming the fix, when the base cannot be had', async () => {
    const dir = shallowClone('cut-off')
    runGitSync(dir, ['remote', 'set-url', 'origin', path.join(scratch, 'gone.git')])
    const read = await readChangeUnderTest(new Git(dir), { base: 'parent', why: 'push' })
    expect('unavailable' in read && read.unavailable).toMatch(/not in this shallow clone and could not be fetched.*fetch-depth: 0/)
    const unknown = await readChangeUnderTest(new Git(run.repoRoot), { base: 'no-such-tag', why: 'known-good-ref no-such-tag' })
    expect('unavailable' in unknown && unknown.unavailable).toMatch(/'no-such-tag' is no commit, branch or tag/)
  })
})

describe('the change in the prompt', () => {
  it('shows the diff of the reached files ahead of the code, and ranks the changed lines right after the error', async () => {
    const change = await changeOf(run.repoRoot, 'parent')
    const group = run.group
    expect(group.failures.map(failure => failure.nodeId)).toEqual(['tests/test_io.py::test_compressed_is_smaller_for_long_tables'])
    const prompt = await buildPrompt({
      group,
      layout: run.layout,
      allowTestChanges: false,
      extraInstructions: '',
      previousAttempts: [],
      change
    })
    const user = prompt.messages[1].content
    const section = user.indexOf('## The change under test')
    expect(section).toBeGreaterThan(0)
    expect(section).toBeLessThan(user.indexOf('## Code'))
    expect(user).toContain('+    body = zlib.compress(data, 0)')
    // reached by no failing test: named, not shown
    expect(user).toContain('Also changed in the range, not shown: tabular/cli.py.')
    expect(user).toContain('Tests changed in the range too: tests/test_render.py.')
    expect(prompt.changeShown).toEqual(['tabular/_codecs.py'])
    const held = prompt.held ?? []
    const codecs = held.findIndex(code => code.file === 'tabular/_codecs.py')
    expect(held[codecs]?.why[0]).toBe('changed in the range')
    expect(codecs).toBeLessThan(held.findIndex(code => code.file === 'tabular/io.py'))
    expect(held[0]).toMatchObject({ file: 'tests/test_io.py', why: expect.arrayContaining(['error']) })
  })

  it('keys the cache by the question without the change: the same failures on the same code, whatever the range', async () => {
    const change = await changeOf(run.repoRoot, 'parent')
    const base = { group: run.group, layout: run.layout, allowTestChanges: false, extraInstructions: '', previousAttempts: [] }
    const withChange = await buildPrompt({ ...base, change })
    const without = await buildPrompt({ ...base, change: { ...change, files: [], testFiles: [] } })
    expect(withChange.keyMessages).toEqual(without.keyMessages)
    expect(JSON.stringify(withChange.keyMessages)).not.toContain('The change under test')
    expect(withChange.messages).not.toEqual(without.messages)
  })

  it('falls back to the file history when the change is unknown', async () => {
    const prompt = await buildPrompt({
      group: run.group,
      layout: run.layout,
      allowTestChanges: false,
      extraInstructions: '',
      previousAttempts: [],
      recentChanges: async file => (file === 'tests/test_io.py' ? 'commit 1234567 add the io tests\n+def test_dumps_plain(fruit):' : '')
    })
    expect(prompt.messages[1].content).toContain('## Recent changes to these files')
    expect(prompt.messages[1].content).not.toContain('## The change under test')
  })
})
