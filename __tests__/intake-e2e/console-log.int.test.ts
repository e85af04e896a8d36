// 'log-file': the console log of the failing run adds what the action's own run does not show (here the
// INFO log records the CI step captured with --log-level=INFO), and the model reads it.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { weatherSensorRange } from './bugs.js'
import { readReport, runPytest, setUpIntakeScenario, undoBugAnswer, type IntakeScenario } from './intake-scenario.js'

let scenario: IntakeScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const clue = 'dropping reading -7.5 °C: outside the sensor range (-6.0, 60.0)'

describe("the failing run's console log enriches the failures the action finds itself", () => {
  it("carries the log's captured records into the prompt, and the failures are fixed", async () => {
    scenario = await setUpIntakeScenario({
      project: 'weather',
      bug: weatherSensorRange,
      script: [{ content: undoBugAnswer(weatherSensorRange) }],
      // the CI step: python -m pytest --log-level=INFO | tee pytest.log
      leftBehind: async dir => {
        const ci = await runPytest(dir, ['--log-level=INFO'])
        expect(ci.output).toContain(clue)
        fs.writeFileSync(path.join(dir, 'pytest.log'), ci.output)
      }
    })
    const withLog = await scenario.run({ 'log-file': 'pytest.log' })

    expect(withLog.exitCode).toBe(0)
    const report = readReport(withLog.outputs)
    expect(report.result).toBe('fixed')
    expect(report.failures.map(failure => [failure.nodeId, failure.errorType])).toEqual([
      ['tests/test_stats.py::test_mean_temperature', 'AssertionError'],
      ['tests/test_stats.py::test_daily_range', 'AssertionError']
    ])
    expect(report.failures[1].message).toContain('assert (-3.0, 1.0) == (-7.5, 1.0)')
    expect(scenario.model.requests).toHaveLength(1)
    expect(scenario.promptsText()).toContain(clue)

    // the same failure without the log: the action's own run never shows the record
    const withoutLog = await scenario.run({})
    expect(withoutLog.outputs.result).toBe('fixed')
    expect(scenario.model.requests).toHaveLength(2)
    expect(JSON.stringify(scenario.model.requests[1].body.messages)).not.toContain(clue)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
