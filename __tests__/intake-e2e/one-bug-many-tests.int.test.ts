// One bug that breaks many tests is one fix: a single model call, every test fixed.
import { afterEach, describe, expect, it } from '@jest/globals'
import { bug, correctAnswer } from '../e2e/scenario.js'
import { readReport, setUpIntakeScenario, type IntakeScenario } from './intake-scenario.js'

let scenario: IntakeScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

describe('a bug that breaks many tests', () => {
  it('is fixed with exactly one model call', async () => {
    const item = bug('flat-add-rejects-every-sku')
    scenario = await setUpIntakeScenario({ project: item.project, bug: item, script: [{ content: correctAnswer(item) }] })
    const result = await scenario.run()

    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    expect(item.expectFailing).toHaveLength(11)
    expect([...JSON.parse(result.outputs['fixed-tests'])].sort()).toEqual(item.expectFailing)
    expect(JSON.parse(result.outputs['unfixed-tests'])).toEqual([])
    expect(scenario.model.requests).toHaveLength(1)
    const report = readReport(result.outputs)
    expect(report.llm.calls).toBe(1)
    expect(report.failures).toHaveLength(11)
    expect(report.groups.every(group => group.status === 'fixed')).toBe(true)
    expect(report.groups.flatMap(group => group.attempts)).toHaveLength(1)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
