// The bundled command without a terminal: --help, a bad flag, --json, dry-run, and mode branch leaving the
// developer's branch, index and working tree (staged and unstaged changes included) exactly as they were.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { correctAnswer, uselessAnswer } from '../e2e/scenario.js'
import { catalogBug, cliFlags, gitState, runCli, setUpCliProject, treeSnapshot, type CliProject } from './cli-scenario.js'

const bug = catalogBug('flat-low-stock-inclusive')
let project: CliProject | undefined
afterEach(async () => {
  await project?.close()
  project = undefined
})

const flags = cliFlags

describe('usage', () => {
  it('--help lists every flag with its default; a bad flag and a bad value get one line each and exit code 2', async () => {
    const cwd = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'pytest-fixer-cli-usage-'))
    try {
      const help = await runCli(['--help'], { cwd, env: { PATH: process.env.PATH } })
      expect(help.code).toBe(0)
      for (const flag of [
        '--model',
        '--base-url',
        '--max-attempts',
        '--initial-temperature',
        '--temperature-increment',
        '--test-command',
        '--junit-xml',
        '--allow-test-changes',
        '--extra-instructions',
        '--max-tokens-total',
        '--no-cache',
        '--api-key-env',
        '--mode',
        '--interactive',
        '--json',
        '--resume'
      ]) {
        expect(help.stdout).toContain(flag)
      }
      expect(help.stdout).toMatch(/--max-attempts <n> .*\(default: 3\)/)
      expect(help.stdout).toContain('default: "branch"')

      const unknown = await runCli(['--modle', 'x'], { cwd, env: { PATH: process.env.PATH } })
      expect(unknown.code).toBe(2)
      expect(unknown.stderr.trim().split('\n')).toHaveLength(1)
      expect(unknown.stderr).toContain("unknown option '--modle'")
      expect(unknown.stderr).toContain('--model')

      const bad = await runCli(['--model', 'm', '--initial-temperature', 'hot'], {
        cwd,
        env: { PATH: process.env.PATH, OPENAI_API_KEY: 'k' }
      })
      expect(bad.code).toBe(2)
      expect(bad.stderr.trim().split('\n')).toEqual([
        expect.stringContaining("'--initial-temperature <t>' argument 'hot' is invalid. expected a number from 0 to 2.")
      ])

      const noKey = await runCli(['--model', 'm'], { cwd, env: { PATH: process.env.PATH } })
      expect(noKey.code).toBe(2)
      expect(noKey.stderr).toContain('$OPENAI_API_KEY is empty')
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true })
    }
  })
})

describe('a run on a developer checkout', () => {
  it('--json --mode dry-run: the report on stdout, the patch in it, the tree and index untouched, no branch', async () => {
    project = await setUpCliProject(bug, [{ content: correctAnswer(bug) }])
    const tree = treeSnapshot(project.dir)
    const before = gitState(project)
    const result = await runCli(flags(project, '--json', '--mode', 'dry-run'), { cwd: project.dir, env: project.env })
    expect(result.stderr).not.toContain('Unexpected error')
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout) as { result: string; mode: string; fixedTests: string[]; patch: string; branch: string | null }
    expect(report).toMatchObject({ result: 'fixed', mode: 'dry-run', fixedTests: bug.expectFailing, branch: null })
    expect(report.patch).toContain('+        return self.quantity < threshold')
    // a clean tree: the change under test is the last commit, the one that brought the bug
    expect((report as unknown as { changeUnderTest: unknown }).changeUnderTest).toMatchObject({
      why: 'the last commit (from the parent of HEAD)',
      files: [bug.file]
    })
    expect(treeSnapshot(project.dir)).toEqual(tree)
    expect(gitState(project)).toEqual(before)
    expect(project.git(['branch', '--list', 'pytest-fixer/*'])).toBe('')
    expect(result.stdout).not.toContain('sk-cli-test')
  })

  it('mode branch: the fix is committed on pytest-fixer/main/<fingerprint>; staged and unstaged changes stay exactly as they were', async () => {
    project = await setUpCliProject(bug, [{ content: uselessAnswer(bug) }, { content: correctAnswer(bug) }])
    // the developer's own work in progress: a staged change, an unstaged change in the file the fix touches, an untracked file
    fs.appendFileSync(path.join(project.dir, 'README.md'), 'staged note\n')
    project.git(['add', 'README.md'])
    fs.appendFileSync(path.join(project.dir, 'inventory', 'models.py'), '\n# my unstaged note\n')
    fs.writeFileSync(path.join(project.dir, 'scratch.txt'), 'untracked\n')
    const tree = treeSnapshot(project.dir)
    const before = gitState(project)
    const result = await runCli(flags(project), { cwd: project.dir, env: project.env })
    expect(result.stderr).not.toContain('Unexpected error')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/fixed\s+1\s+/)
    expect(result.stdout).toContain('attempt 2')
    const branches = project.git(['branch', '--list', '--format=%(refname:short)', 'pytest-fixer/*']).trim().split('\n')
    expect(branches).toEqual([expect.stringMatching(/^pytest-fixer\/main\/[0-9a-f]+$/)])
    expect(result.stdout).toContain(branches[0])
    // the user's side: byte-identical tree, same index, same branch and HEAD
    expect(treeSnapshot(project.dir)).toEqual(tree)
    expect(gitState(project)).toEqual(before)
    // the fix branch: one commit on HEAD changing only the fixed file, with the fix in it
    expect(project.git(['rev-parse', `${branches[0]}~1`]).trim()).toBe(before.head)
    expect(project.git(['diff', '--name-only', 'HEAD', branches[0]]).trim()).toBe(bug.file)
    expect(project.git(['show', `${branches[0]}:${bug.file}`])).toContain('return self.quantity < threshold')
    const last = JSON.parse(fs.readFileSync(path.join(project.dir, '.git', 'pytest-fixer', 'last-report.json'), 'utf8'))
    // with work in progress, the change under test is the uncommitted one
    expect(last.changeUnderTest).toMatchObject({ why: 'your uncommitted changes (HEAD → the working tree)' })
    expect([...last.changeUnderTest.files].sort()).toEqual(['README.md', 'inventory/models.py'])
    // no push: origin has main only
    expect(project.git(['ls-remote', '--heads', 'origin']).trim().split('\n')).toHaveLength(1)
  })

  it('a wrong answer every time: not fixed, exit code 1, no branch, the tree byte-identical', async () => {
    project = await setUpCliProject(bug, () => ({ content: uselessAnswer(bug) }))
    const tree = treeSnapshot(project.dir)
    const before = gitState(project)
    const result = await runCli(flags(project, '--max-attempts', '2'), { cwd: project.dir, env: project.env })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/unfixed\s+1\s+/)
    expect(project.git(['branch', '--list', 'pytest-fixer/*'])).toBe('')
    expect(treeSnapshot(project.dir)).toEqual(tree)
    expect(gitState(project)).toEqual(before)
  })
})
