// What a reviewer reads besides the diff: annotations at the failing test's line and at each fixed file, and
// for a run that fixed nothing, why each attempt was rejected, the closest one, and what to try next.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
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

  it('where the time went: each phase, each pytest run with its purpose, each model call; one line in the summary', async () => {
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    const result = await scenario.run()
    const durations = JSON.parse(fs.readFileSync(result.outputs.report, 'utf8')).durationsMs
    const purposes = durations.testRuns.map((run: { purpose: string }) => run.purpose)
    expect(purposes[0]).toBe('baseline')
    // the fixture's suite is quick: the baseline's full run says so, and the one full-suite run verifies the fix
    expect(purposes[purposes.length - 1]).toBe('suite')
    expect(purposes).not.toContain('group')
    expect(result.stdout).toMatch(/The whole suite takes about [\d.]+ s: each attempt is verified by one full-suite run/)
    // the default command is plain pytest: every run forks from the warm interpreter
    expect(durations.testRuns.map((run: { warm?: boolean }) => run.warm)).toEqual(durations.testRuns.map(() => true))
    const suite = durations.testRuns[durations.testRuns.length - 1]
    expect(suite.tests).toBeGreaterThan(10)
    const total = durations.testRuns.reduce((sum: number, run: { ms: number }) => sum + run.ms, 0)
    expect(total).toBe(durations.tests)
    expect(durations.modelCalls).toHaveLength(1)
    const phases = durations.phases.map((phase: { phase: string }) => phase.phase)
    expect(phases).toEqual(expect.arrayContaining(['Reading the failures', 'Publishing the fix (mode pull-request)']))
    expect(phases.some((phase: string) => phase.startsWith('Fixing group '))).toBe(true)
    expect(result.summary).toMatch(
      /Time: [\d.]+ s in all; pytest [\d.]+ s \(baseline [\d.]+ s, .*suite [\d.]+ s\); model [\d.]+ s \(1 call\)\./
    )
  })
})

describe('warm pytest off', () => {
  it('warm-pytest: false runs every pytest cold, and the fix is the same', async () => {
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    const result = await scenario.run({ 'warm-pytest': 'false' })
    expect(result.outputs.result).toBe('fixed')
    const runs = JSON.parse(fs.readFileSync(result.outputs.report, 'utf8')).durationsMs.testRuns
    expect(runs.length).toBeGreaterThan(1)
    expect(runs.filter((run: { warm?: boolean }) => run.warm !== undefined)).toEqual([])
  })
})

describe('the pull request body', () => {
  it('before → after for each failing test and the suite, the model and endpoint, the tokens, the commit tested', async () => {
    scenario = await setUpScenario(item, [{ content: correctAnswer(item), usage: { prompt_tokens: 900, completion_tokens: 60 } }])
    const tested = scenario.project.git(['rev-parse', 'HEAD']).trim()
    const result = await scenario.run()
    expect(result.outputs.result).toBe('fixed')
    const [pull] = scenario.github.state.pulls
    for (const test of item.expectFailing) expect(pull.body).toContain(`| \`${test}\` | failed | passed |`)
    expect(pull.body).toMatch(/\| \*\*whole suite\*\* \| (\d+) passed, (\d+) failed, \d+ skipped \| \d+ passed, 0 failed, \d+ skipped \|/)
    expect(pull.body).toContain(`- Model: \`stand-in-model\` at ${new URL(scenario.model.baseUrl).host}`)
    expect(pull.body).toContain('- Tokens: 900 prompt + 60 completion, in 1 model call(s)')
    expect(pull.body).toContain(`- Tested on commit \`${tested}\``)
    expect(pull.body).not.toMatch(/(\w+Error)\*\* [^\n]*: \1:/) // the error type once
  })
})

describe("the model's root cause, the cost and the time, in the PR body and the summary", () => {
  it('shows the Root cause line as the model wrote it (capped, no @mention), the cost at the given prices and the time to the fix', async () => {
    const rootCause =
      'Root cause: restock() no longer records the quantity it adds, so the stock never grows; @octocat see <b>this</b>. ' +
      'Restoring the statement records every restock again.'
    const answer = `${rootCause}\n\n${correctAnswer(item).replace(/^I found it\.\n\n/, '')}`
    scenario = await setUpScenario(item, [{ content: answer, usage: { prompt_tokens: 2_000_000, completion_tokens: 100_000 } }])
    const result = await scenario.run({ 'price-per-million-input-tokens': '0.15', 'price-per-million-output-tokens': '0.60' })
    expect(result.outputs.result).toBe('fixed')
    const [pull] = scenario.github.state.pulls
    const words = "**Root cause**, in the model's words: restock() no longer records the quantity it adds, so the stock never grows;"
    expect(pull.body).toContain(words)
    expect(pull.body).toContain('@\u200boctocat see this.')
    expect(pull.body).not.toContain('<b>')
    // 2,000,000 × 0.15 / 1e6 + 100,000 × 0.60 / 1e6 = 0.30 + 0.06
    expect(pull.body).toContain('- Cost: 0.3600 (at the prices per million tokens the workflow gives)')
    expect(pull.body).toMatch(/- Time to a verified fix: \d+\.\d s \(pytest \d+\.\d s, waiting for the model \d+\.\d s\)/)
    const report = JSON.parse(fs.readFileSync(result.outputs.report, 'utf8'))
    expect(report.llm.cost).toBeCloseTo(0.36, 10)
    expect(report.groups[0].attempts[0].explanation).toMatch(/^restock\(\) no longer records/)
    expect(result.summary).toContain('tokens: 2000000 prompt + 100000 completion, cost: 0.3600.')
    expect(result.summary).toContain('**Root cause** of `')
    // the prompt asks for it
    expect(scenario.model.requests[0].body.messages[0].content).toContain('Start with one line "Root cause: ..."')
  })

  it('without prices there is no cost anywhere, and one price alone is refused naming the other', async () => {
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    const result = await scenario.run()
    expect(scenario.github.state.pulls[0].body).not.toContain('Cost:')
    expect(JSON.parse(fs.readFileSync(result.outputs.report, 'utf8')).llm.cost).toBeNull()
    const half = await scenario.run({ 'price-per-million-input-tokens': '0.15' })
    expect(half.exitCode).not.toBe(0)
    expect(half.stdout).toContain(
      "Input 'price-per-million-output-tokens' is empty while 'price-per-million-input-tokens' is set: give both prices"
    )
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
