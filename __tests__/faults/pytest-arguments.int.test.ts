// The action's own arguments never clash with the user's: --sw, --lf, --ff, -x in the command or in addopts, a
// blocked junitxml plugin, a --junitxml of their own in addopts. Each shape both ways through the bundled action:
// a correct answer ends fixed with a pushed branch; a wrong one pushes nothing and leaves the tree byte-identical.
// And when pytest itself refuses the command, the user reads pytest's own words.
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { bug, correctAnswer, expectOneClearError, reportOf, setUpFault, uselessAnswer, type FaultScenario } from './fault-scenario.js'

let scenario: FaultScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const item = bug('flat-remove-refuses-last-units')

/** The project's pyproject.toml with `addopts` set to `value`. */
function withAddopts(value: string): (dir: string) => void {
  return dir => {
    const file = path.join(dir, 'pyproject.toml')
    const text = fs.readFileSync(file, 'utf8').replace(/^addopts = .*$/m, `addopts = "${value}"`)
    fs.writeFileSync(file, text)
  }
}

const shapes: Array<{ shape: string; mutate?: (dir: string) => void; testCommand?: string }> = [
  { shape: "addopts '--sw -x'", mutate: withAddopts('--strict-markers --sw -x') },
  { shape: "addopts '--ff --maxfail=1'", mutate: withAddopts('--strict-markers --ff --maxfail=1') },
  { shape: "addopts '--junitxml=other.xml'", mutate: withAddopts('--strict-markers --junitxml=other.xml') },
  { shape: "addopts '--strict-config -p no:cacheprovider'", mutate: withAddopts('--strict-markers --strict-config -p no:cacheprovider') },
  { shape: "'--lf' in test-command", testCommand: 'python -m pytest --lf' },
  { shape: "'--sw' in test-command", testCommand: 'python -m pytest --sw' },
  { shape: "'-p no:junitxml' in test-command", testCommand: 'python -m pytest -p no:junitxml' }
]

describe.each(shapes)('$shape', ({ mutate, testCommand }) => {
  const inputs: Record<string, string> = testCommand === undefined ? {} : { 'test-command': testCommand }

  it('a correct answer: fixed on the first attempt, one branch pushed, no stray report or cache in the tree', async () => {
    scenario = await setUpFault(item, { mutate, script: [{ content: correctAnswer(item) }] })
    const result = await scenario.run({ ...inputs, 'max-attempts': '1' })
    expect(result.outputs.result).toBe('fixed')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual(item.expectFailing)
    expect(scenario.pushedBranches()).toEqual([result.outputs.branch])
    expect(scenario.model.requests).toHaveLength(1)
    expect(await scenario.treeUnchanged()).toBe(true)
    expect(fs.existsSync(path.join(scenario.project.dir, 'other.xml'))).toBe(false)
    expect(fs.existsSync(path.join(scenario.project.dir, '.pytest_cache'))).toBe(false)
  })

  it('a wrong answer: not fixed, nothing pushed, the tree byte-identical', async () => {
    scenario = await setUpFault(item, { mutate, script: [{ content: uselessAnswer(item) }] })
    const result = await scenario.run({ ...inputs, 'max-attempts': '1' })
    expect(result.outputs.result).toBe('not-fixed')
    expect(reportOf(result).groups[0].attempts[0].reason).toMatch(/still fail/)
    expect(scenario.pushedBranches()).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})

describe('pytest refuses the command (a usage error)', () => {
  it("the step fails with pytest's own words and names 'test-command'; no model call", async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const result = await scenario.run({ 'test-command': 'python -m pytest --no-such-flag' })
    expectOneClearError(result, /unrecognized arguments: --no-such-flag/, /'test-command'/)
    expect(result.outputs.result).toBe('error')
    expect(scenario.model.requests).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it("with the failing run's JUnit report given: stops before any model call with pytest's words, nothing pushed", async () => {
    scenario = await setUpFault(item, {
      script: [{ content: correctAnswer(item) }, { content: correctAnswer(item) }],
      mutate: dir => {
        // the CI step's report, written before the command broke
        try {
          execFileSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--junitxml=pytest-results.xml'], {
            cwd: dir,
            env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
            stdio: 'pipe'
          })
        } catch {
          // the suite fails: that is the point
        }
      }
    })
    const result = await scenario.run({
      'test-command': 'python -m pytest --no-such-flag',
      'junit-xml': 'pytest-results.xml',
      'max-attempts': '2'
    })
    // the check that 'test-command' reproduces the failing run meets pytest's refusal first
    expectOneClearError(result, /pytest refused 'test-command'/, /unrecognized arguments: --no-such-flag/)
    expect(result.outputs.result).toBe('error')
    expect(scenario.model.requests).toHaveLength(0)
    expect(scenario.pushedBranches()).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
