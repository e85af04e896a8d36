// A path or a -k selection in test-command: the group's runs still run only the group (asserted on the node ids
// pytest itself wrote into the JUnit report of each run), and the full suite still decides. The plan with a
// group run is forced (PYTEST_FIXER_CHEAP_SUITE_MS=0): this fixture's suite is quick enough to skip it.
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
const groupFirst = { PYTEST_FIXER_CHEAP_SUITE_MS: '0' }

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
    const result = await scenario.run({ 'test-command': command, 'max-attempts': '1' }, groupFirst)
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
    const result = await scenario.run({ 'test-command': command, 'max-attempts': '1' }, groupFirst)
    expect(result.outputs.result).toBe('not-fixed')
    const runs = testcasesByRun(result)
    expect(runs.find(run => run.purpose === 'group')?.testcases).toBe(item.expectFailing.length)
    expect(runs.some(run => run.purpose === 'suite')).toBe(false)
    expect(scenario.pushedBranches()).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})

describe('a quick suite: one full-suite run verifies each attempt', () => {
  it('a correct answer: no group run, the suite run decides, fixed', async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const result = await scenario.run({ 'max-attempts': '1' })
    expect(result.outputs.result).toBe('fixed')
    const purposes = testcasesByRun(result).map(run => run.purpose)
    expect(purposes).not.toContain('group')
    expect(purposes.filter(purpose => purpose === 'suite')).toHaveLength(1)
  })

  it('a wrong answer: rejected by the suite run, nothing pushed, the tree byte-identical', async () => {
    scenario = await setUpFault(item, { script: [{ content: uselessAnswer(item) }] })
    const result = await scenario.run({ 'max-attempts': '1' })
    expect(result.outputs.result).toBe('not-fixed')
    const runs = testcasesByRun(result)
    expect(runs.some(run => run.purpose === 'group')).toBe(false)
    expect(runs.find(run => run.purpose === 'suite')?.testcases).toBe(runs.find(run => run.purpose === 'baseline')?.testcases)
    expect(scenario.pushedBranches()).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})

describe('a suite that is not quick: the group, then the tests that import the changed code, then the suite', () => {
  const pricing = bug('flat-bulk-tier-exclusive')
  // fixes the tiers, and breaks format_price, which tests/test_reports.py reaches through inventory.reports
  const breaksItsNeighbours =
    `${correctAnswer(pricing)}\ninventory/pricing.py\n<<<<<<< SEARCH\n` +
    `def format_price(cents: int, currency: str = "EUR") -> str:\n=======\n` +
    `def format_price(cents: int, currency: str = "USD") -> str:\n>>>>>>> REPLACE\n`

  it('an attempt that breaks a neighbour is rejected by the middle run, before any suite run; the next is fixed by all three', async () => {
    scenario = await setUpFault(pricing, { script: [{ content: breaksItsNeighbours }, { content: correctAnswer(pricing) }] })
    const result = await scenario.run({ 'max-attempts': '2' }, groupFirst)
    expect(result.outputs.result).toBe('fixed')
    const runs = testcasesByRun(result)
    const purposes = runs.map(run => run.purpose).filter(purpose => ['group', 'affected', 'suite'].includes(purpose))
    expect(purposes).toEqual(['group', 'affected', 'group', 'affected', 'suite'])
    const baseline = runs.find(run => run.purpose === 'baseline')?.testcases ?? 0
    const affected = runs.filter(run => run.purpose === 'affected').map(run => run.testcases)
    // tests/test_pricing.py and tests/test_reports.py: more than the group, fewer than the suite
    expect(affected[0]).toBeGreaterThan(pricing.expectFailing.length)
    expect(affected[0]).toBeLessThan(baseline)
    const [first] = JSON.parse(fs.readFileSync(result.outputs.report, 'utf8')).groups[0].attempts
    expect(first.reason).toMatch(/\(in the tests that import the changed code\): .*test_format_price/)
  })
})
