// What a reviewer reads besides the diff: annotations at the failing test's line and at each fixed file, and
// for a run that fixed nothing, why each attempt was rejected, the closest one, and what to try next.
import { afterEach, describe, expect, it } from '@jest/globals'
import { bug, correctAnswer, setUpScenario, uselessAnswer } from './scenario.js'

type Scenario = Awaited<ReturnType<typeof setUpScenario>>
let scenario: Scenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const item = bug('flat-restock-not-recorded')

describe('annotations', () => {
  it('each failure at its file and line, each file of the fix as a notice', async () => {
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    const result = await scenario.run()
    expect(result.outputs.result).toBe('fixed')
    const errors = result.commands.filter(command => command.command === 'error')
    expect(errors.map(command => command.message.split(': ')[0]).sort()).toEqual([...item.expectFailing].sort())
    for (const error of errors) {
      expect(error.properties.file).toMatch(/\.py$/)
      expect(Number(error.properties.line)).toBeGreaterThan(0)
      expect(error.message).toContain('(fixed by the verified fix)')
      expect(error.message).not.toMatch(/(\w+Error): \1/) // the error type once
    }
    const notices = result.commands.filter(command => command.command === 'notice' && command.properties.file !== undefined)
    expect(notices.map(command => command.properties.file)).toEqual([item.file])
  })
})

describe('a run that fixed nothing', () => {
  it("the summary gives every attempt's reason, the closest attempt and what to try next", async () => {
    scenario = await setUpScenario(item, [{ content: uselessAnswer(item) }, { content: uselessAnswer(item) }])
    const result = await scenario.run({ 'max-attempts': '2' })
    expect(result.outputs.result).toBe('not-fixed')
    const summary = result.summary
    expect(summary).toContain('### Why it was not fixed')
    expect(summary).toMatch(/- attempt 1: .*still fail/)
    expect(summary).toMatch(/- attempt 2: .*still fail/)
    expect(summary).toMatch(/- closest: attempt [12], \d+ of the group's \d+ tests passed with its edits/)
    expect(summary).toContain('raise `max-attempts`')
    expect(summary).toContain('`extra-instructions`')
    expect(summary).not.toMatch(/(\w+Error): \1/)
  })
})
