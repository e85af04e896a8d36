// Test runs that never end, and a cancelled job, through the bundled action: the process tree of pytest is
// killed (children it started too), the working tree is put back exactly, and no process outlives the action.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { stillAlive } from '../harness/processes.js'
import {
  bug,
  bugRegion,
  errorsOf,
  expectNoSecrets,
  expectOneClearError,
  reportOf,
  setUpFault,
  type FaultScenario
} from './fault-scenario.js'

let scenario: FaultScenario | undefined
let scratch: string | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
  if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true })
  scratch = undefined
})

const item = bug('flat-remove-refuses-last-units')

/**
 * An answer whose code, once called by a test, starts a child process, writes both pids to $FAULT_PID_FILE,
 * then runs `stall` (Python lines at the method's indentation) before the correct comparison.
 */
function answerThatStalls(stall: string[]): string {
  const region = bugRegion(item)
  const indent = '        '
  const lines = [
    'import os, signal, subprocess, time',
    'child = subprocess.Popen(["sleep", "300"])',
    'with open(os.environ["FAULT_PID_FILE"], "a") as pids:',
    '    pids.write(f"{os.getpid()} {child.pid}\\n")',
    ...stall
  ].map(line => `${indent}${line}`)
  const fixed = region.correct.replace(
    `${indent}if quantity > item.quantity:`,
    `${lines.join('\n')}\n${indent}if quantity > item.quantity:`
  )
  return `${item.file}\n<<<<<<< SEARCH\n${region.buggy}\n=======\n${fixed}\n>>>>>>> REPLACE\n`
}

/** The pids the stalled test wrote that are still running a moment after the run (a zombie counts as ended). */
async function stillRunning(pidFile: string): Promise<number[]> {
  const pids = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split(/\s+/).filter(Boolean).map(Number) : []
  expect(pids.length).toBeGreaterThanOrEqual(2)
  return stillAlive(pids)
}

describe('a test run that hangs is cut at test-timeout', () => {
  it('an answer that loops forever (SIGTERM ignored, a child started): rejected with the timeout, tree killed', async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pytest-fixer-faults-'))
    const pidFile = path.join(scratch, 'pids')
    scenario = await setUpFault(item, {
      script: [{ content: answerThatStalls(['signal.signal(signal.SIGTERM, signal.SIG_IGN)', 'while True:', '    time.sleep(0.05)']) }]
    })
    const started = Date.now()
    const result = await scenario.run({ 'test-timeout': '5', 'max-attempts': '1' }, { FAULT_PID_FILE: pidFile })
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(result.exitCode).toBe(0)
    expect(errorsOf(result)).toEqual([])
    expect(result.outputs.result).toBe('not-fixed')
    const [attempt] = reportOf(result).groups[0].attempts
    expect(attempt.outcome).toBe('rejected')
    expect(attempt.reason).toMatch(/timed out \(test-timeout\); the process tree was killed/)
    expect(await stillRunning(pidFile)).toEqual([])
    expect(result.strayProcesses).toBe(false)
    expect(scenario.pushedBranches()).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })

  it('a committed bug that loops forever, no JUnit XML: the finding run is cut, one message names test-timeout', async () => {
    const loopingBug = {
      ...item,
      id: 'flat-remove-loops-forever',
      search: '        if quantity > item.quantity:\n',
      replace: '        while quantity >= item.quantity:\n            pass\n        if quantity > item.quantity:\n'
    }
    scenario = await setUpFault(loopingBug, { script: [{ content: 'never asked' }] })
    const started = Date.now()
    const result = await scenario.run({ 'test-timeout': '3' })
    expect(Date.now() - started).toBeLessThan(60_000)
    expectOneClearError(result, /did not finish within 'test-timeout'/, /Raise 'test-timeout'/)
    expect(scenario.model.requests).toHaveLength(0)
    expect(result.strayProcesses).toBe(false)
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })
})

describe('a cancelled job (SIGTERM) leaves the tree exactly as before', () => {
  it('SIGTERM while the attempt is being verified: exits non-zero, files restored, pytest and its children gone', async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pytest-fixer-faults-'))
    const pidFile = path.join(scratch, 'pids')
    scenario = await setUpFault(item, { script: [{ content: answerThatStalls(['time.sleep(60)']) }] })
    let seen = ''
    let poll: NodeJS.Timeout | undefined
    let signalled = false
    let editedWhenSignalled = false
    const storePath = path.join(scenario.project.dir, item.file)
    const result = await scenario.run(
      { 'max-attempts': '1' },
      { FAULT_PID_FILE: pidFile },
      {
        onOutput: (chunk, child) => {
          seen += chunk
          if (poll !== undefined || !seen.includes('Attempt 1/')) return
          // the verification run is under way once the stalled test has written its pids
          poll = setInterval(() => {
            if (signalled || !fs.existsSync(pidFile) || fs.readFileSync(pidFile, 'utf8').trim() === '') return
            signalled = true
            editedWhenSignalled = fs.readFileSync(storePath, 'utf8').includes('time.sleep(60)')
            clearInterval(poll)
            child.kill('SIGTERM')
          }, 100)
        }
      }
    )
    clearInterval(poll)
    expect(signalled).toBe(true)
    expect(editedWhenSignalled).toBe(true) // the attempt's edit was in the tree when the signal came
    expect(result.exitCode).not.toBe(0)
    expect(errorsOf(result)).toEqual([expect.stringMatching(/cancelled \(SIGTERM\); the working tree is restored/)])
    // the record of the run outlives the signal: outputs, report and summary say `cancelled`
    expect(result.outputs.result).toBe('cancelled')
    expect(reportOf(result).result).toBe('cancelled')
    expect(reportOf(result).messages.join('\n')).toMatch(/Cancelled \(SIGTERM\).*nothing was committed/)
    expect(result.summary).toMatch(/Cancelled: the run was stopped; the working tree is restored/)
    expect(await scenario.treeUnchanged()).toBe(true)
    expect(await stillRunning(pidFile)).toEqual([])
    expect(result.strayProcesses).toBe(false)
    expect(scenario.pushedBranches()).toEqual([])
    expect(scenario.github.state.pulls).toHaveLength(0)
    expectNoSecrets(scenario)
  })
})
