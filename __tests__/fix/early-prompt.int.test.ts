// The first prompt is made while the reproduction run keeps pytest busy (real pytest, warm and cold), and used
// only when the failures stayed as they were: a failure that does not fail again drops out, and the prompt the
// model gets is made again for the group as it is then.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { buildPrompt, type AttemptFeedback } from '../../src/context/prompt.js'
import type { ChatMessage, Group, Layout, ModelClient } from '../../src/domain.js'
import { fixRun } from '../../src/fix/fix-run.js'
import { Redactor } from '../../src/redact.js'
import { createPytestRunner, type PytestRunner } from '../../src/verify/pytest.js'
import { closeWarmServers } from '../../src/verify/warm-pytest.js'
import { Workspace } from '../../src/workspace.js'

let root = ''
const env = { ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' }
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'early-prompt-'))
  fs.mkdirSync(path.join(root, 'tests'))
  fs.writeFileSync(path.join(root, 'calc.py'), 'def add(a, b):\n    return a - b\n')
  fs.writeFileSync(
    path.join(root, 'tests', 'test_calc.py'),
    'import os\nfrom calc import add\n\n\ndef test_add():\n    assert add(2, 2) == 4\n\n\n' +
      'def test_flaky():\n    assert not os.path.exists(os.path.join(os.path.dirname(__file__), "FLAKE"))\n\n\n' +
      'def test_other():\n    assert add(0, 0) == 0\n'
  )
})
afterEach(async () => {
  await closeWarmServers()
  fs.rmSync(root, { recursive: true, force: true })
})

const correct = ['calc.py', '<<<<<<< SEARCH', '    return a - b', '=======', '    return a + b', '>>>>>>> REPLACE'].join('\n')

/** The failing run, as CI ran it: with FLAKE present when `flaky` (test_flaky fails there, not in the action's runs). */
function failingRun(flaky: boolean): void {
  const flake = path.join(root, 'tests', 'FLAKE')
  if (flaky) fs.writeFileSync(flake, '')
  try {
    execFileSync('python3', ['-m', 'pytest', '--junitxml=results.xml', '-q', '-p', 'no:cacheprovider'], { cwd: root, env, stdio: 'pipe' })
  } catch {
    // it fails: that is the point
  }
  fs.rmSync(flake, { force: true })
}

async function fix(warm: boolean) {
  const layout: Layout = { repoRoot: root, workDir: root, rootDir: root }
  const events: string[] = []
  const built: string[][] = []
  const asked: ChatMessage[][] = []
  const real = createPytestRunner({
    testCommand: 'python3 -m pytest',
    layout,
    timeoutMs: 60_000,
    env,
    tempDir: path.join(root, '.runs'),
    warm
  })
  const runner: PytestRunner = {
    run: async (nodeIds, label, onStarted) => {
      const run = await real.run(nodeIds, label, onStarted)
      events.push(`ran ${label}`)
      return run
    },
    cancelAll: () => real.cancelAll()
  }
  const model: ModelClient = {
    async complete(messages) {
      asked.push(messages)
      events.push('asked')
      return { content: correct, promptTokens: 10, completionTokens: 5, cached: false, temperature: 0.4 }
    }
  }
  const outcome = await fixRun(
    {
      junitXml: 'results.xml',
      logFile: '',
      maxAttempts: 1,
      initialTemperature: 0.4,
      temperatureIncrement: 0.1,
      allowTestChanges: false,
      flakyReruns: 1
    },
    {
      layout,
      runner,
      model,
      workspace: new Workspace(root),
      redactor: new Redactor(),
      log: { info: () => undefined, warning: () => undefined, debug: () => undefined },
      section: (_title, body) => body(),
      buildPrompt: async (group: Group, previous: AttemptFeedback[]) => {
        events.push('prompt')
        built.push(group.failures.map(failure => failure.nodeId))
        return buildPrompt({ group, layout, allowTestChanges: false, extraInstructions: '', previousAttempts: previous })
      }
    }
  )
  return { outcome, events, built, asked }
}

describe.each([true, false])('the first prompt, made while pytest runs (warm pytest %s)', warm => {
  it('made once, during the reproduction run, and the one the model gets', async () => {
    failingRun(false)
    const { outcome, events, built, asked } = await fix(warm)
    expect(outcome.result).toBe('fixed')
    expect(events.slice(0, 3)).toEqual(['prompt', 'ran reproduce', 'asked'])
    expect(built).toEqual([['tests/test_calc.py::test_add']])
    expect(asked).toHaveLength(1)
    expect(JSON.stringify(asked[0])).toContain('assert add(2, 2) == 4')
  })

  it('a failure that passes in the reproduction drops out: the prompt is made again without it', async () => {
    failingRun(true)
    const { outcome, events, built, asked } = await fix(warm)
    expect(outcome.flakyTests).toEqual(['tests/test_calc.py::test_flaky'])
    expect(outcome.result).toBe('fixed')
    // made during the run with both failures, then again for what still fails
    expect(events.indexOf('prompt')).toBeLessThan(events.indexOf('ran reproduce'))
    expect(built[0]).toContain('tests/test_calc.py::test_flaky')
    expect(built[built.length - 1]).toEqual(['tests/test_calc.py::test_add'])
    expect(asked).toHaveLength(1)
    // the test file is shown whole; the failures shown are what still fails
    expect(asked[0][1].content).toContain('1 failing test with one root cause')
    expect(asked[0][1].content).not.toContain('test: tests/test_calc.py::test_flaky')
  })
})
