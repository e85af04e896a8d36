// Flaky triage end to end: a test that fails once and passes on rerun is reported, never sent to the model.
// The weather project's feed test refuses its first run when WEATHER_FEED_STATE names a fresh folder.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import { cloneBranch, listRemoteBranches } from '../harness/git-repo.mjs'
import { weatherUnitsInverted } from './bugs.js'
import { readReport, runPytest, setUpIntakeScenario, temporaryDir, undoBugAnswer, type IntakeScenario } from './intake-scenario.js'

const flakyTest = 'tests/test_feed.py::test_latest_reading_comes_from_the_feed'

let scenario: IntakeScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

/** A fresh, cold feed for one action run: its state lives outside the repository. */
function coldFeed(current: IntakeScenario): Record<string, string> {
  const state = temporaryDir('feed-state')
  current.onClose(() => fs.rmSync(state, { recursive: true, force: true }))
  return { WEATHER_FEED_STATE: state }
}

describe('a failure that passes on rerun is reported flaky, not fixed', () => {
  it('only a flaky test failed: result flaky, no model call, nothing pushed, the summary says flaky', async () => {
    scenario = await setUpIntakeScenario({ project: 'weather' })
    const result = await scenario.run({}, coldFeed(scenario))

    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('flaky')
    expect(JSON.parse(result.outputs['flaky-tests'])).toEqual([flakyTest])
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual([])
    expect(JSON.parse(result.outputs['unfixed-tests'])).toEqual([])
    expect(result.outputs['pull-request-operation']).toBe('none')
    expect(result.outputs.branch).toBe('')
    expect(scenario.model.requests).toHaveLength(0)
    expect(await listRemoteBranches(scenario.project.originDir)).toEqual(['main'])
    expect(scenario.github.state.pulls).toHaveLength(0)
    expect(result.summary).toContain('Flaky')

    const report = readReport(result.outputs)
    expect(report.llm.calls).toBe(0)
    expect(report.failures.map(failure => failure.nodeId)).toEqual([flakyTest])
    expect(report.failures[0].errorType).toBe('ConnectionRefusedError')
    expect(report.groups.map(group => ({ tests: group.tests, status: group.status }))).toEqual([{ tests: [flakyTest], status: 'flaky' }])
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('a flaky test beside a real bug: the flaky one is reported, the real one fixed, the model never sees the flaky one', async () => {
    scenario = await setUpIntakeScenario({
      project: 'weather',
      bug: weatherUnitsInverted,
      script: [{ content: undoBugAnswer(weatherUnitsInverted) }]
    })
    const result = await scenario.run({}, coldFeed(scenario))

    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    expect(JSON.parse(result.outputs['flaky-tests'])).toEqual([flakyTest])
    expect(JSON.parse(result.outputs['fixed-tests']).sort()).toEqual([
      'tests/test_units.py::test_celsius_to_fahrenheit[-40--40]',
      'tests/test_units.py::test_celsius_to_fahrenheit[100-212]',
      'tests/test_units.py::test_celsius_to_fahrenheit[37-98.6]',
      'tests/test_units.py::test_round_trip'
    ])
    expect(JSON.parse(result.outputs['unfixed-tests'])).toEqual([])
    expect(scenario.model.requests).toHaveLength(1)
    const prompts = scenario.promptsText()
    expect(prompts).toContain('test_celsius_to_fahrenheit')
    expect(prompts).not.toContain('test_latest_reading_comes_from_the_feed')

    const report = readReport(result.outputs)
    const flakyGroups = report.groups.filter(group => group.status === 'flaky')
    expect(flakyGroups.map(group => group.tests)).toEqual([[flakyTest]])
    expect(flakyGroups[0].attempts).toEqual([])
    expect(result.outputs['pull-request-operation']).toBe('created')
    const pull = scenario.github.state.pulls[0]
    expect(pull.body).toContain(`Flaky (passed on rerun, left alone): \`${flakyTest}\``)

    const checkout = await cloneBranch(scenario.project.originDir, result.outputs.branch)
    scenario.onClose(() => fs.rmSync(checkout, { recursive: true, force: true }))
    const onBranch = await runPytest(checkout, ['-q'])
    expect(onBranch.output).toMatch(/12 passed/)
    expect(onBranch.exitCode).toBe(0)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
