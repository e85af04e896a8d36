// The command in a real terminal (tmux): a developer steers the attempts with show, diff, retry, prompt and
// apply and gets the fix on a local branch with their tree untouched; types quit and the tree is byte-identical;
// edits the proposed patch in $EDITOR; closes the terminal mid-verification and `--resume` finishes the run.
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createTwoFilesPatch } from 'diff'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { correctAnswer, uselessAnswer } from '../e2e/scenario.js'
import type { RecordedRequest } from '../harness/openai-server.mjs'
import { catalogBug, cliFlags, gitState, runCli, setUpCliProject, treeSnapshot, type CliProject } from './cli-scenario.js'
import { TerminalSession } from './terminal-session.js'

const bug = catalogBug('flat-low-stock-inclusive')
let project: CliProject | undefined
let session: TerminalSession | undefined
let scratch: string
beforeAll(() => {
  // a fresh machine may lack tmux: .ci/run installs it
  execFileSync('tmux', ['-V'])
})
afterEach(async () => {
  if (session !== undefined) {
    session.kill()
    // what ran in it ends on its SIGHUP: let it put the tree back before the folder goes
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
  session = undefined
  await project?.close()
  project = undefined
  fs.rmSync(scratch, { recursive: true, force: true })
})

const flags = (p: CliProject, ...more: string[]): string[] => [p.dir, ...cliFlags(p, ...more)]
const lastUserMessage = (request: RecordedRequest): string => {
  const messages = (request.body as { messages: Array<{ role: string; content: string }> }).messages
  return messages[messages.length - 1].content
}
const lastReport = (p: CliProject): { result: string; groups: Array<{ status: string; attempts: Array<Record<string, unknown>> }> } =>
  JSON.parse(fs.readFileSync(path.join(p.dir, '.git', 'pytest-fixer', 'last-report.json'), 'utf8'))
const fixBranches = (p: CliProject): string[] =>
  p.git(['branch', '--list', '--format=%(refname:short)', 'pytest-fixer/*']).trim().split('\n').filter(Boolean)

async function setUp(script: Parameters<typeof setUpCliProject>[1]): Promise<CliProject> {
  scratch = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'pytest-fixer-tty-'))
  project = await setUpCliProject(bug, script)
  return project
}

describe('--interactive in a real terminal', () => {
  it('show, diff, retry, prompt <text>, apply: the fix lands on a local branch and the developer’s tree is untouched', async () => {
    const instruction = 'an item exactly at the threshold is not low stock'
    // the model answers right only once it is told what the developer knows
    const p = await setUp(request => ({
      content: lastUserMessage(request).includes(instruction) ? correctAnswer(bug) : uselessAnswer(bug)
    }))
    const tree = treeSnapshot(p.dir)
    const before = gitState(p)
    session = TerminalSession.start(flags(p, '--interactive', 'always'), { cwd: p.dir, env: p.env, scratch })

    await session.waitFor('pytest-fixer> ')
    expect(session.screen()).toMatch(/Attempt 1 \(temperature [0-9.]+\) proposes edits to inventory\/models\.py\./)
    session.type('show')
    let screen = await session.waitFor('pytest-fixer> ', { times: 2 })
    expect(screen).toContain('tests/test_models.py::test_low_stock_uses_threshold')
    expect(screen).toMatch(/AssertionError/)
    expect(screen).toContain('Proposed edits (1):')
    session.type('diff')
    screen = await session.waitFor('pytest-fixer> ', { times: 3 })
    expect(screen).toContain('--- a/inventory/models.py')
    expect(screen).toContain('# unchanged logic')
    session.type('retry')
    await session.waitFor(/Attempt 2 \(temperature [0-9.]+\) proposes edits/)
    session.type('history')
    screen = await session.waitFor('pytest-fixer> ', { times: 5 })
    expect(screen).toMatch(/#1 t=[0-9.]+ declined: declined at the prompt/)
    session.type(`prompt ${instruction}`)
    await session.waitFor(/Attempt 3 \(temperature [0-9.]+\) proposes edits/)
    session.type('diff')
    await session.waitFor('+        return self.quantity < threshold')
    session.type('apply')
    expect(await session.exitCode()).toBe(0)
    screen = session.screen()
    expect(screen).toMatch(/Attempt 3 accepted/)
    expect(screen).toMatch(/Result: fixed/)

    // three calls; only the third carried the developer's words
    expect(p.model.requests).toHaveLength(3)
    expect(lastUserMessage(p.model.requests[2])).toContain(`## Instructions from the developer\n- ${instruction}`)
    expect(lastUserMessage(p.model.requests[1])).not.toContain(instruction)
    const branches = fixBranches(p)
    expect(branches).toEqual([expect.stringMatching(/^pytest-fixer\/main\/[0-9a-f]+$/)])
    expect(p.git(['show', `${branches[0]}:${bug.file}`])).toContain('return self.quantity < threshold')
    expect(treeSnapshot(p.dir)).toEqual(tree)
    expect(gitState(p)).toEqual(before)
    const report = lastReport(p)
    expect(report.result).toBe('fixed')
    expect(report.groups[0].attempts.map(attempt => attempt.outcome)).toEqual(['declined', 'declined', 'accepted'])
    expect(fs.existsSync(path.join(p.dir, '.git', 'pytest-fixer', 'checkpoint.json'))).toBe(false)
  }, 120_000)

  it('quit: the tree and index are byte-identical, no branch, nothing kept to resume', async () => {
    const p = await setUp(() => ({ content: correctAnswer(bug) }))
    fs.appendFileSync(path.join(p.dir, bug.file), '\n# my unsaved thought\n')
    const tree = treeSnapshot(p.dir)
    const before = gitState(p)
    session = TerminalSession.start(flags(p, '--interactive', 'always'), { cwd: p.dir, env: p.env, scratch })
    await session.waitFor('pytest-fixer> ')
    session.type('apply-not-a-command')
    await session.waitFor("Unknown command 'apply-not-a-command'")
    session.type('quit')
    expect(await session.exitCode()).toBe(1)
    expect(session.screen()).toContain('Stopped at your quit')
    expect(treeSnapshot(p.dir)).toEqual(tree)
    expect(gitState(p)).toEqual(before)
    expect(fixBranches(p)).toEqual([])
    expect(lastReport(p).result).toBe('cancelled')
    expect(fs.existsSync(path.join(p.dir, '.git', 'pytest-fixer', 'checkpoint.json'))).toBe(false)
  }, 120_000)

  it('edit: the developer’s own version of the patch (hunk counts left wrong) is what gets verified and committed', async () => {
    const p = await setUp(() => ({ content: uselessAnswer(bug) }))
    // the "editor" replaces the proposal with the developer's own fix, its @@ counts left as they were (one line short)
    const buggy = fs.readFileSync(path.join(p.dir, bug.file), 'utf8')
    const mine = buggy.replace(bug.replace, `${bug.search}        # checked by hand\n`)
    const patch = createTwoFilesPatch(`a/${bug.file}`, `b/${bug.file}`, buggy, mine).replace(
      /^(@@ -\d+,\d+ \+\d+,)(\d+)/m,
      (_, head: string, count: string) => `${head}${Number(count) - 1}`
    )
    const desired = path.join(scratch, 'desired.patch')
    fs.writeFileSync(desired, patch)
    const editor = `cp ${desired}`
    const tree = treeSnapshot(p.dir)
    session = TerminalSession.start(flags(p, '--interactive', 'always'), {
      cwd: p.dir,
      env: { ...p.env, EDITOR: editor },
      scratch
    })
    await session.waitFor('pytest-fixer> ')
    session.type('edit')
    await session.waitFor('Verifying the edited patch.')
    const code = await session.exitCode()
    expect(session.screen()).toMatch(/Attempt 1 accepted/)
    expect(code).toBe(0)
    const branch = fixBranches(p)[0]
    const fixed = p.git(['show', `${branch}:${bug.file}`])
    expect(fixed).toContain('        return self.quantity < threshold\n        # checked by hand\n')
    expect(fixed).not.toContain('# unchanged logic')
    expect(treeSnapshot(p.dir)).toEqual(tree)
    expect(lastReport(p).groups[0].attempts[0]).toMatchObject({ outcome: 'accepted', edited: true })
    expect(p.model.requests).toHaveLength(1)
  }, 120_000)

  it('the terminal is closed mid-verification: the tree is restored at once, and --resume finishes from the checkpoint', async () => {
    const p = await setUp([{ content: uselessAnswer(bug) }, { content: correctAnswer(bug) }])
    // a pytest session that waits while the gate file exists: the kill lands inside a verification
    const gate = path.join(scratch, 'slow-gate')
    fs.writeFileSync(
      path.join(p.dir, 'conftest.py'),
      [
        'import os, pathlib, time',
        '',
        'def pytest_sessionstart(session):',
        `    gate = ${JSON.stringify(gate)}`,
        '    if os.path.exists(gate):',
        '        pathlib.Path(gate + ".reached").write_text("")',
        '        time.sleep(120)',
        ''
      ].join('\n')
    )
    p.git(['add', 'conftest.py'])
    p.git(['commit', '-q', '-m', 'a conftest that can wait'])
    const tree = treeSnapshot(p.dir)
    const before = gitState(p)
    session = TerminalSession.start(flags(p, '--interactive', 'always'), { cwd: p.dir, env: p.env, scratch })
    await session.waitFor('pytest-fixer> ')
    session.type('apply')
    await session.waitFor('was rejected')
    session.type('retry')
    await session.waitFor(/Attempt 2 \(temperature [0-9.]+\) proposes edits/)
    fs.writeFileSync(gate, '')
    session.type('apply')
    const deadline = Date.now() + 60_000
    while (!fs.existsSync(`${gate}.reached`)) {
      if (Date.now() > deadline) throw new Error(`verification never started:\n${session.screen()}`)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    // the fix is in the tree while it is verified
    expect(fs.readFileSync(path.join(p.dir, bug.file), 'utf8')).toContain('return self.quantity < threshold\n')
    session.kill()
    session = undefined
    const restoredBy = Date.now() + 10_000
    while (JSON.stringify(treeSnapshot(p.dir)) !== JSON.stringify(tree) && Date.now() < restoredBy)
      await new Promise(resolve => setTimeout(resolve, 50))
    expect(treeSnapshot(p.dir)).toEqual(tree)
    expect(gitState(p)).toEqual(before)
    const checkpoint = JSON.parse(fs.readFileSync(path.join(p.dir, '.git', 'pytest-fixer', 'checkpoint.json'), 'utf8'))
    expect(checkpoint.current).toMatchObject({ calls: 1, attempts: [expect.objectContaining({ number: 1, outcome: 'rejected' })] })
    fs.rmSync(gate)

    const resumed = await runCli(flags(p, '--resume', '--interactive', 'off'), { cwd: p.dir, env: p.env })
    expect(resumed.stderr).not.toContain('Unexpected error')
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toContain('Resumed the interrupted run: 0 group(s) done')
    expect(resumed.stderr).toMatch(/resumes after 1 call\(s\) and 1 attempt\(s\)/)
    // the call the kill interrupted was answered before: the cache gives it back, the model is not asked again
    expect(p.model.requests).toHaveLength(2)
    const report = lastReport(p)
    expect(report.result).toBe('fixed')
    expect(report.groups[0].attempts.map(attempt => [attempt.number, attempt.outcome])).toEqual([
      [1, 'rejected'],
      [2, 'accepted']
    ])
    const branch = fixBranches(p)[0]
    expect(p.git(['show', `${branch}:${bug.file}`])).toContain('return self.quantity < threshold\n')
    expect(treeSnapshot(p.dir)).toEqual(tree)
    expect(gitState(p)).toEqual(before)
    expect(fs.existsSync(path.join(p.dir, '.git', 'pytest-fixer', 'checkpoint.json'))).toBe(false)
  }, 180_000)
})
