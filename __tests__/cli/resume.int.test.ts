// --resume after a group was done: the interrupted run's verified fix goes back into the tree without a model
// call, the next group goes on from its checkpoint, and the full suite verifies both before the branch is made.
// A checkpoint of another state is never used.
import { afterEach, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { correctAnswer } from '../e2e/scenario.js'
import type { RecordedRequest } from '../harness/openai-server.mjs'
import { catalogBug, cliFlags, cliBundle, gitState, runCli, setUpCliProject, treeSnapshot, type CliProject } from './cli-scenario.js'

const lowStock = catalogBug('flat-low-stock-inclusive')
const restock = catalogBug('flat-restock-not-recorded')
let project: CliProject | undefined
let scratch = ''
afterEach(async () => {
  await project?.close()
  project = undefined
  fs.rmSync(scratch, { recursive: true, force: true })
})

const flags = cliFlags
const userText = (request: RecordedRequest): string =>
  (request.body as { messages: Array<{ content: string }> }).messages.map(message => message.content).join('\n')
/** each group gets the fix of its own bug */
const answer = (request: RecordedRequest): { content: string } => ({
  content: correctAnswer(userText(request).includes(lowStock.expectFailing[0]) ? lowStock : restock)
})
const checkpointPath = (p: CliProject): string => path.join(p.dir, '.git', 'pytest-fixer', 'checkpoint.json')

async function until(condition: () => boolean, what: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/** Two groups; the first fixed and done, the run interrupted (SIGHUP) inside the second group's verification. */
async function interruptedAfterOneGroup(): Promise<{ p: CliProject; tree: Record<string, string>; before: ReturnType<typeof gitState> }> {
  scratch = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'pytest-fixer-resume-'))
  const p = await setUpCliProject(lowStock, answer, [restock])
  project = p
  const gate = path.join(scratch, 'gate')
  fs.writeFileSync(
    path.join(p.dir, 'conftest.py'),
    `import os, pathlib, time\n\ndef pytest_sessionstart(session):\n    if os.path.exists(${JSON.stringify(gate)}):\n        pathlib.Path(${JSON.stringify(`${gate}.reached`)}).write_text("")\n        time.sleep(120)\n`
  )
  p.git(['add', 'conftest.py'])
  p.git(['commit', '-q', '-m', 'a conftest that can wait'])
  const tree = treeSnapshot(p.dir)
  const before = gitState(p)
  // the prompt over pipes: `apply` to each group's proposal; the gate shuts before the second one is verified
  const child = spawn(process.execPath, [cliBundle, ...flags(p, '--interactive', 'always')], {
    cwd: p.dir,
    env: p.env,
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', chunk => (stderr += chunk))
  child.stdout.resume()
  const exited = new Promise<number | null>(resolve => child.on('close', code => resolve(code)))
  const prompts = (): number => stderr.split('pytest-fixer> ').length - 1
  await until(
    () => prompts() >= 1,
    () => stderr
  )
  child.stdin.write('apply\n')
  await until(
    () => prompts() >= 2,
    () => stderr
  )
  expect(stderr).toMatch(/Attempt 1 accepted/)
  fs.writeFileSync(gate, '')
  child.stdin.write('apply\n')
  await until(
    () => fs.existsSync(`${gate}.reached`),
    () => stderr
  )
  child.kill('SIGHUP')
  expect(await exited).toBe(130)
  expect(stderr).toContain('interrupted (SIGHUP); the working tree is restored')
  fs.rmSync(gate)
  return { p, tree, before }
}

describe('--resume', () => {
  it('puts the done group’s verified fix back without a model call, finishes the other, and verifies both in one full suite', async () => {
    const { p, tree, before } = await interruptedAfterOneGroup()
    expect(treeSnapshot(p.dir)).toEqual(tree)
    const checkpoint = JSON.parse(fs.readFileSync(checkpointPath(p), 'utf8'))
    expect(checkpoint.done).toHaveLength(1)
    expect(checkpoint.done[0].record.status).toBe('fixed')
    expect(p.model.requests).toHaveLength(2)

    const resumed = await runCli(flags(p, '--resume', '--interactive', 'off', '--json'), { cwd: p.dir, env: p.env })
    expect(resumed.stderr).not.toContain('Unexpected error')
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toContain('Resumed the interrupted run: 1 group(s) done (1 fixed, their verified changes back in the tree)')
    // both answers came from the interrupted run: its cache, kept at the interruption
    expect(p.model.requests).toHaveLength(2)
    const report = JSON.parse(resumed.stdout)
    expect(report.result).toBe('fixed')
    expect([...report.fixedTests].sort()).toEqual([...lowStock.expectFailing, ...restock.expectFailing].sort())
    // the group still open was verified with the restored fix in the tree, by a full-suite run
    expect(report.durationsMs.testRuns.some((run: { purpose: string }) => run.purpose === 'suite')).toBe(true)
    const branch = p.git(['branch', '--list', '--format=%(refname:short)', 'pytest-fixer/*']).trim()
    expect(p.git(['diff', '--name-only', 'HEAD', branch]).trim().split('\n').sort()).toEqual([lowStock.file, restock.file].sort())
    expect(treeSnapshot(p.dir)).toEqual(tree)
    expect(gitState(p)).toEqual(before)
    expect(fs.existsSync(checkpointPath(p))).toBe(false)
  }, 180_000)

  it('--resume with no checkpoint says so and runs from the beginning', async () => {
    scratch = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'pytest-fixer-resume-'))
    const p = await setUpCliProject(lowStock, answer)
    project = p
    const result = await runCli(flags(p, '--resume', '--interactive', 'off'), { cwd: p.dir, env: p.env })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('Nothing to resume: no interrupted run left a checkpoint')
    expect(p.model.requests).toHaveLength(1)
  }, 120_000)

  it('a checkpoint of another state is not used: the run starts over and says why', async () => {
    const { p } = await interruptedAfterOneGroup()
    // the developer changes a file the failures do not depend on: another state
    fs.appendFileSync(path.join(p.dir, 'pyproject.toml'), '\n# another line\n')
    const resumed = await runCli(flags(p, '--resume', '--interactive', 'off'), { cwd: p.dir, env: p.env })
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toContain('The checkpoint is of another state')
    expect(resumed.stderr).not.toContain('Resumed the interrupted run')
  }, 180_000)
})
