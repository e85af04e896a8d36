// The test runs themselves, with real pytest: a test that leaves a process behind (a server it started, holding
// pytest's output open) must not make a finished run look hung, and a run that does hang is cut at the timeout
// with all of its processes.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createPytestRunner } from '../../src/verify/pytest.js'
import { stillAlive } from '../harness/processes.js'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pytest-runner-'))
  fs.mkdirSync(path.join(dir, 'tests'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

function runnerFor(timeoutMs: number, testCommand = 'python3 -m pytest') {
  return createPytestRunner({
    testCommand,
    layout: { repoRoot: dir, workDir: dir, rootDir: dir },
    timeoutMs,
    env: { ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1', PID_FILE: path.join(dir, 'pids') },
    tempDir: path.join(dir, '.runs')
  })
}

/** A test module whose test starts `sleep` (inheriting pytest's stdout and stderr) and writes its pid down. */
function writeTest(body: string): void {
  fs.writeFileSync(
    path.join(dir, 'tests', 'test_server.py'),
    `import os, subprocess, time\n\n\ndef test_with_a_server():\n    child = subprocess.Popen(["sleep", "120"])\n` +
      `    with open(os.environ["PID_FILE"], "a") as pids:\n        pids.write(f"{child.pid}\\n")\n${body}`
  )
}

/** The pids the test wrote that still run a moment after the run (a killed process may take a few ms to go). */
async function stillRunning(): Promise<number[]> {
  const pids = fs.readFileSync(path.join(dir, 'pids'), 'utf8').split(/\s+/).filter(Boolean).map(Number)
  expect(pids.length).toBeGreaterThan(0)
  return stillAlive(pids)
}

describe('a test run ends when pytest ends', () => {
  // with -s (capture off, common in addopts) the process inherits pytest's own stdout and stderr
  it('a process a test left behind (holding the output open) is ended, and the run is not taken for hung', async () => {
    writeTest('    assert True\n')
    const started = Date.now()
    const run = await runnerFor(30_000, 'python3 -m pytest -s').run([], 'leftover')
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(run.timedOut).toBe(false)
    expect(run.exitCode).toBe(0)
    expect(run.results.map(result => result.outcome)).toEqual(['passed'])
    expect(await stillRunning()).toEqual([])
  })
})

describe('a test run that hangs is cut at the timeout', () => {
  it('SIGTERM ignored: killed after the grace period, with the processes it started', async () => {
    writeTest('    import signal\n    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n    while True:\n        time.sleep(0.05)\n')
    const started = Date.now()
    const run = await runnerFor(2_000).run([], 'hang')
    expect(run.timedOut).toBe(true)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(await stillRunning()).toEqual([])
  })
})
