// A path or a -k selection in test-command: the group's runs still run only the group (asserted on the node ids
// pytest itself wrote into the JUnit report of each run), and the full suite still decides.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { bug, correctAnswer, setUpFault, uselessAnswer, type ActionRun, type FaultScenario } from './fault-scenario.js'

let scenario: FaultScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const item = bug('flat-remove-refuses-last-units')

/** The testcases pytest reported in each of the action's runs, by the run's purpose (group, suite, ...). */
function testcasesByRun(result: ActionRun): Array<{ purpose: string; testcases: number }> {
  const dir = path.join(result.runnerTemp, 'pytest-fixer-runs')
  return fs
    .readdirSync(dir)
    .filter(name => name.endsWith('.xml'))
    .sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]))
    .map(name => ({
      purpose: name.replace(/^pytest-\d+-|\.xml$/g, ''),
      testcases: (fs.readFileSync(path.join(dir, name), 'utf8').match(/<testcase /g) ?? []).length
    }))
}

describe.each([
  { command: 'python -m pytest tests' },
  { command: 'python -m pytest -q tests/' },
  { command: 'python -m pytest -k "not nothing_is_named_so" tests' }
])("test-command '$command'", ({ command }) => {
  it('the group run runs only the group; the suite run runs everything; fixed', async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const result = await scenario.run({ 'test-command': command, 'max-attempts': '1' })
    expect(result.outputs.result).toBe('fixed')
    const runs = testcasesByRun(result)
    const baseline = runs.find(run => run.purpose === 'baseline')
    const group = runs.find(run => run.purpose === 'group')
    const suite = runs.find(run => run.purpose === 'suite')
    expect(baseline?.testcases).toBeGreaterThan(item.expectFailing.length)
    expect(group?.testcases).toBe(item.expectFailing.length)
    expect(suite?.testcases).toBe(baseline?.testcases)
  })

  it('a wrong answer is rejected by the group run alone, nothing pushed', async () => {
    scenario = await setUpFault(item, { script: [{ content: uselessAnswer(item) }] })
    const result = await scenario.run({ 'test-command': command, 'max-attempts': '1' })
    expect(result.outputs.result).toBe('not-fixed')
    const runs = testcasesByRun(result)
    expect(runs.find(run => run.purpose === 'group')?.testcases).toBe(item.expectFailing.length)
    expect(runs.some(run => run.purpose === 'suite')).toBe(false)
    expect(scenario.pushedBranches()).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
