// Recipe 2, workflow_dispatch aimed by `tests`, and recipe 4, the fallback issue: opened when nothing could be
// verified, updated (never a second one) while the failures stay, closed by the run that fixes them.
import { afterEach, describe, expect, it } from '@jest/globals'
import { bug, correctAnswer, setUpTriggers, uselessAnswer, type TriggerScenario } from './trigger-scenario.js'

let scenario: TriggerScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const store = bug('flat-remove-refuses-last-units')
const models = bug('flat-low-stock-inclusive')

describe('workflow_dispatch with tests: fixes only what it aims at', () => {
  it('a node id: the other failure is left alone, the whole suite still verifies the fix', async () => {
    scenario = await setUpTriggers(store, [{ content: correctAnswer(store) }], { alsoInject: [models] })
    const result = await scenario.run('workflow_dispatch', { inputs: { tests: store.expectFailing[0] } }, { tests: store.expectFailing[0] })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual(store.expectFailing)
    expect(result.summary).toContain('Aiming at 1 of 2 failing test(s)')
    expect(result.summary).toContain('1 other failing test(s) left alone')
    expect(scenario.model.requests).toHaveLength(1)
    expect(JSON.stringify(scenario.model.requests[0].body.messages)).not.toContain('test_low_stock_uses_threshold')
    const [pull] = scenario.github.state.pulls
    expect(pull.body).toContain(store.expectFailing[0])
    expect(pull.labels.map((label: { name: string }) => label.name).sort()).toEqual(['exception', 'pytest-fixer'])
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('a -k expression, decided by pytest itself', async () => {
    scenario = await setUpTriggers(store, [{ content: correctAnswer(models) }], { alsoInject: [models] })
    const result = await scenario.run('workflow_dispatch', {}, { tests: '-k "low_stock and not remove"' })
    expect(result.outputs.result).toBe('fixed')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual(models.expectFailing)
    expect(result.summary).toContain("Aiming at 1 of 2 failing test(s) by 'tests' (-k low_stock and not remove)")
  })

  it('a node id nothing failing matches: nothing to fix, no model call', async () => {
    scenario = await setUpTriggers(store, [{ content: correctAnswer(store) }])
    const result = await scenario.run('workflow_dispatch', {}, { tests: 'tests/test_pricing.py' })
    expect(result.outputs.result).toBe('nothing-to-fix')
    expect(result.summary).toContain("None of the 1 failing test(s) matches 'tests' (tests/test_pricing.py): nothing to fix.")
    expect(scenario.model.requests).toHaveLength(0)
  })
})

describe('fallback-issue: an issue a person can pick up when no fix is verified', () => {
  it('opens one issue, updates the same one on the next run, and a run that fixes the failures closes it', async () => {
    scenario = await setUpTriggers(store, [
      { content: uselessAnswer(store) },
      { content: uselessAnswer(store) },
      { content: correctAnswer(store) }
    ])
    const inputs = { 'fallback-issue': 'true', 'max-attempts': '1' }
    const first = await scenario.run('push', {}, inputs)
    expect(first.outputs.result).toBe('not-fixed')
    expect(scenario.github.state.issues).toHaveLength(1)
    const [issue] = scenario.github.state.issues
    expect(issue.title).toBe(`pytest-fixer could not fix ${store.expectFailing[0]} (inventory.models.OutOfStockError)`)
    expect(issue.body).toContain(`\`${store.expectFailing[0]}\``)
    expect(issue.body).toMatch(/\| 1 \| 0\.4 \| rejected \| .*still fail/)
    expect(issue.body).toContain('http://github.local/octo/project/actions/runs/4242')
    expect(issue.labels.map((label: { name: string }) => label.name).sort()).toEqual(['exception', 'pytest-fixer-unfixed'])
    expect(first.summary).toContain(`Fallback issue #${issue.number} opened`)
    expect(scenario.github.state.pulls).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true)

    const second = await scenario.run('push', {}, inputs)
    expect(second.outputs.result).toBe('not-fixed')
    expect(scenario.github.state.issues).toHaveLength(1)
    expect(second.summary).toContain(`Fallback issue #${issue.number} updated`)
    const comments = () =>
      scenario!.github.state.comments
        .filter((c: { issue_number: number }) => c.issue_number === issue.number)
        .map((c: { body: string }) => c.body)
    expect(comments()).toEqual([
      expect.stringMatching(/^Still not fixed in http:\/\/github\.local\/.*: 1 more attempt\(s\), none verified/)
    ])

    const third = await scenario.run('push', {}, inputs)
    expect(third.outputs.result).toBe('fixed')
    expect(scenario.github.state.issues[0].state).toBe('closed')
    expect(comments()[1]).toContain(
      `A later run fixed these failures, verified by re-running the tests: pull request #${third.outputs['pull-request-number']}`
    )
    expect(third.summary).toContain(`Fallback issue #${issue.number} closed`)
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('without issues: write: the run still succeeds and says which permission is missing', async () => {
    scenario = await setUpTriggers(store, [{ content: uselessAnswer(store) }], { github: { issuesWritable: false } })
    const result = await scenario.run('push', {}, { 'fallback-issue': 'true', 'max-attempts': '1' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('not-fixed')
    expect(result.summary).toContain('Give the workflow `permissions: issues: write`')
  })

  it('off by default: no issue', async () => {
    scenario = await setUpTriggers(store, [{ content: uselessAnswer(store) }])
    await scenario.run('push', {}, { 'max-attempts': '1' })
    expect(scenario.github.state.issues).toHaveLength(0)
    expect(scenario.github.requests.filter(request => request.path.endsWith('/issues'))).toHaveLength(0)
  })
})
