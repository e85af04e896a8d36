// Suites shaped the way the wild writes them, each through the bundled action both ways: a correct answer ends
// fixed with one pushed branch that passes on its own; a wrong one pushes nothing and leaves the tree
// byte-identical. Where the failing run's JUnit report is given, it is written by the command a CI step runs, on
// the tree with the bug (and committed with it, so the tree checks see only what the action does).
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { runGitSync } from '../harness/git-repo.mjs'
import { bug, correctAnswer, expectOneClearError, reportOf, setUpFault, uselessAnswer, type FaultScenario } from './fault-scenario.js'

let scenario: FaultScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const item = bug('flat-remove-refuses-last-units')
const pythonEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' }

function write(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
  fs.writeFileSync(path.join(dir, file), text)
}

function setAddopts(dir: string, value: string): void {
  const file = path.join(dir, 'pyproject.toml')
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^addopts = .*$/m, `addopts = "${value}"`))
}

/** Parametrize ids that change on every collection: the time, a random value, an object's repr. */
const driftingTests = `import datetime
import random

import pytest

from inventory import Store


class Token:
    pass


NOW = datetime.datetime.now().strftime("%H:%M:%S.%f")


@pytest.mark.parametrize("at", [NOW, "fixed"])
def test_stamp(at):
    assert at


@pytest.mark.parametrize("seed", [random.random()])
def test_seed(seed):
    assert 0 <= seed < 1


@pytest.mark.parametrize("token", [Token()], ids=repr)
def test_token(token):
    assert isinstance(token, Token)


@pytest.mark.parametrize("at", [NOW])
def test_sell_out_at(at, store: Store):
    assert store.remove("A-100", 3) == 0
`

/** A seeded shuffle like pytest-randomly: a new order on every run unless SHUFFLE_SEED is set. */
const shufflePlugin = `

import os
import random as _random


def pytest_collection_modifyitems(config, items):
    seed = int(os.environ.get("SHUFFLE_SEED") or _random.randrange(10**6))
    _random.Random(seed).shuffle(items)
`

interface Shape {
  shape: string
  mutate?: (dir: string) => void
  inputs?: Record<string, string>
  /** the command of the CI step whose JUnit report the action reads; none: the action runs the tests itself */
  failingRun?: string[]
  /** tests besides the bug's that fail and must pass after the fix */
  alsoFixed?: RegExp
  drifts?: boolean
}

const shapes: Shape[] = [
  {
    shape: 'parametrize ids that drift (time, random, repr), JUnit report of the failing run given',
    mutate: dir => write(dir, 'tests/test_drift.py', driftingTests),
    failingRun: ['-m', 'pytest'],
    alsoFixed: /test_sell_out_at\[/,
    drifts: true
  },
  {
    shape: 'parametrize ids that drift, the action runs the tests itself',
    mutate: dir => write(dir, 'tests/test_drift.py', driftingTests),
    alsoFixed: /test_sell_out_at\[/,
    drifts: true
  },
  {
    shape: 'pytest-xdist -n 2',
    inputs: { 'test-command': 'python -m pytest -p xdist -n 2' },
    failingRun: ['-m', 'pytest', '-p', 'xdist', '-n', '2']
  },
  {
    shape: 'a seeded shuffle plugin (a new order every run)',
    mutate: dir => fs.appendFileSync(path.join(dir, 'tests/conftest.py'), shufflePlugin),
    failingRun: ['-m', 'pytest']
  },
  {
    shape: '--import-mode=importlib in addopts',
    mutate: dir => setAddopts(dir, '--strict-markers --import-mode=importlib'),
    failingRun: ['-m', 'pytest']
  },
  {
    shape: 'a wrapper script that passes "$@" on',
    mutate: dir => write(dir, 'scripts/test.sh', '#!/bin/sh\nset -e\ncd "$(dirname "$0")/.."\nexec python3 -m pytest "$@"\n'),
    inputs: { 'test-command': 'sh scripts/test.sh' }
  },
  {
    shape: 'tests that write into the repository (an ignored build folder)',
    mutate: dir => {
      fs.appendFileSync(path.join(dir, '.gitignore'), '\nbuild/\n')
      write(
        dir,
        'tests/test_writes.py',
        'import pathlib\nimport time\n\n\ndef test_writes_a_report():\n    out = pathlib.Path(__file__).parent.parent / "build" / "report.txt"\n    out.parent.mkdir(exist_ok=True)\n    out.write_text(str(time.time()))\n    assert out.read_text()\n'
      )
    },
    failingRun: ['-m', 'pytest']
  },
  {
    shape: 'a 3,000-test suite with one failure',
    mutate: dir =>
      write(
        dir,
        'tests/test_many.py',
        'import pytest\n\n\n@pytest.mark.parametrize("n", range(3000))\ndef test_square_is_not_negative(n):\n    assert n * n >= 0\n'
      ),
    failingRun: ['-m', 'pytest']
  },
  {
    shape: 'the CI step ran --doctest-modules, and so does test-command',
    mutate: dir => addDoctest(dir),
    failingRun: ['-m', 'pytest', '--doctest-modules', 'inventory', 'tests'],
    inputs: { 'test-command': 'python -m pytest --doctest-modules inventory tests' }
  }
]

function addDoctest(dir: string): void {
  const file = path.join(dir, 'inventory/pricing.py')
  fs.appendFileSync(
    file,
    '\n\ndef cents(amount: float) -> int:\n    """\n    >>> cents(1.5)\n    150\n    """\n    return round(amount * 100)\n'
  )
}

/** The failing CI step: its JUnit report, untracked, at pytest-results.xml. */
function writeFailingRunReport(dir: string, args: string[]): void {
  try {
    execFileSync('python3', [...args, '-p', 'no:cacheprovider', '--junitxml=pytest-results.xml'], {
      cwd: dir,
      env: pythonEnv,
      stdio: 'pipe'
    })
  } catch {
    // the suite fails: that is the point
  }
  expect(fs.existsSync(path.join(dir, 'pytest-results.xml'))).toBe(true)
}

async function setUp(shape: Shape, content: string): Promise<{ scenario: FaultScenario; inputs: Record<string, string> }> {
  const failingRun = shape.failingRun
  const created = await setUpFault(item, {
    mutate: dir => {
      shape.mutate?.(dir)
      if (failingRun !== undefined) writeFailingRunReport(dir, failingRun)
    },
    script: [{ content }]
  })
  const inputs = { ...shape.inputs, 'max-attempts': '1' }
  if (failingRun !== undefined) Object.assign(inputs, { 'junit-xml': 'pytest-results.xml' })
  return { scenario: created, inputs }
}

describe.each(shapes)('$shape', shape => {
  it('a correct answer: fixed on the first attempt, one branch that passes on its own, the tree as before', async () => {
    const setup = await setUp(shape, correctAnswer(item))
    scenario = setup.scenario
    const result = await scenario.run(setup.inputs)
    expect(result.outputs.result).toBe('fixed')
    const fixed: string[] = JSON.parse(result.outputs['fixed-tests'])
    expect(fixed).toEqual(expect.arrayContaining(item.expectFailing))
    if (shape.alsoFixed !== undefined) expect(fixed.some(id => shape.alsoFixed!.test(id))).toBe(true)
    expect(scenario.model.requests).toHaveLength(1)
    expect(scenario.pushedBranches()).toEqual([result.outputs.branch])
    // the branch holds the fix and nothing else (no report, cache or file a test wrote)
    const changed = runGitSync(scenario.project.originDir, ['diff', '--name-only', 'main', result.outputs.branch]).trim()
    expect(changed).toBe(item.file)
    expect(await scenario.treeUnchanged()).toBe(true)
    const report = reportOf(result)
    if (shape.drifts) expect(report.driftedTests.length).toBeGreaterThan(0)
    else expect(report.driftedTests).toEqual([])
    expectBranchPasses(scenario, result.outputs.branch, shape)
  })

  it('a wrong answer: not fixed, nothing pushed, the tree byte-identical', async () => {
    const setup = await setUp(shape, uselessAnswer(item))
    scenario = setup.scenario
    const result = await scenario.run(setup.inputs)
    expect(result.outputs.result).toBe('not-fixed')
    expect(reportOf(result).groups[0].attempts[0].reason).toMatch(/still fail/)
    expect(scenario.pushedBranches()).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})

/** The pushed branch, checked out on its own, passes the suite. */
function expectBranchPasses(done: FaultScenario, branch: string, shape: Shape): void {
  const clone = fs.mkdtempSync(path.join(path.dirname(done.project.dir), 'branch-'))
  try {
    runGitSync(clone, ['clone', '-q', '--branch', branch, done.project.originDir, '.'])
    const args = shape.failingRun ?? ['-m', 'pytest']
    execFileSync('python3', [...args, '-q', '-p', 'no:cacheprovider'], { cwd: clone, env: pythonEnv, stdio: 'pipe' })
  } finally {
    fs.rmSync(clone, { recursive: true, force: true })
  }
}

describe('test-command does not reproduce the failing run', () => {
  it('the CI step ran --doctest-modules, test-command does not: one message naming both, no model call', async () => {
    scenario = await setUpFault(item, {
      mutate: dir => {
        addDoctest(dir)
        writeFailingRunReport(dir, ['-m', 'pytest', '--doctest-modules', 'inventory', 'tests'])
      },
      script: [{ content: correctAnswer(item) }]
    })
    const result = await scenario.run({ 'junit-xml': 'pytest-results.xml' })
    expectOneClearError(result, /'test-command' does not reproduce the failing run/, /--doctest-modules/, /inventory\/pricing\.py::/)
    expect(result.outputs.result).toBe('error')
    expect(scenario.model.requests).toHaveLength(0)
    expect(scenario.pushedBranches()).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('a failure that does not fail again with test-command is left alone as flaky, no model call', async () => {
    // the CI step saw the bug; the tree the action runs on has it fixed already (a re-run after a fix landed)
    scenario = await setUpFault(item, {
      mutate: dir => {
        writeFailingRunReport(dir, ['-m', 'pytest'])
        const store = path.join(dir, item.file)
        fs.writeFileSync(store, fs.readFileSync(store, 'utf8').replace(item.replace, item.search))
      },
      script: [{ content: correctAnswer(item) }]
    })
    const result = await scenario.run({ 'junit-xml': 'pytest-results.xml' })
    expect(result.outputs.result).toBe('flaky')
    expect(JSON.parse(result.outputs['flaky-tests'])).toEqual(item.expectFailing)
    expect(scenario.model.requests).toHaveLength(0)
    expect(scenario.pushedBranches()).toEqual([])
  })
})

describe('a wrapper script that drops the arguments', () => {
  it('one message that says to end it in "$@", no model call, the tree as before', async () => {
    scenario = await setUpFault(item, {
      mutate: dir => write(dir, 'scripts/test.sh', '#!/bin/sh\ncd "$(dirname "$0")/.."\nexec python3 -m pytest\n'),
      script: [{ content: correctAnswer(item) }]
    })
    const result = await scenario.run({ 'test-command': 'sh scripts/test.sh' })
    expectOneClearError(result, /wrote no JUnit report/, /"\$@"/)
    expect(scenario.model.requests).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
