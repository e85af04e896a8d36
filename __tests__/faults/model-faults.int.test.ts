// Faults at the model endpoint and in its answers, through the bundled action: rate limits, server errors, a
// hanging endpoint, and answers that cannot be applied. Each ends with a clear outcome, the tree as before and
// no secret anywhere.
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  bug,
  correctAnswer,
  errorsOf,
  expectNoSecrets,
  expectOneClearError,
  reportOf,
  setUpFault,
  type FaultScenario
} from './fault-scenario.js'

let scenario: FaultScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const item = bug('flat-remove-refuses-last-units')
const serverError = {
  error: {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    param: null,
    code: null
  }
}

describe('a rate-limited endpoint is waited for, as it asks', () => {
  it('429 with Retry-After: 1, then an answer: waits about a second, then fixes', async () => {
    const arrivals: number[] = []
    const steps = [
      {
        status: 429,
        headers: { 'retry-after': '1' },
        body: { error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } }
      },
      { content: correctAnswer(item) }
    ]
    scenario = await setUpFault(item, {
      script: (_request, index) => {
        arrivals.push(Date.now())
        return steps[Math.min(index, steps.length - 1)]
      }
    })
    const result = await scenario.run()
    expect(result.exitCode).toBe(0)
    expect(errorsOf(result)).toEqual([])
    expect(result.outputs.result).toBe('fixed')
    expect(result.outputs['pull-request-operation']).toBe('created')
    expect(arrivals).toHaveLength(2)
    expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(900)
    expect(reportOf(result).llm.calls).toBe(1)
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })
})

describe('an endpoint that keeps failing stops the run with a message naming base-url', () => {
  it('500 on every try: the step fails, nothing is pushed, the report is still written', async () => {
    scenario = await setUpFault(item, { script: [{ status: 500, body: serverError }] })
    const result = await scenario.run()
    const message = expectOneClearError(result, /'base-url'/, /500/, /re-run later|another endpoint/)
    expect(message).toContain(scenario.model.baseUrl)
    expect(scenario.model.requests.length).toBeGreaterThan(1) // retried before giving up
    expect(result.outputs.result).toBe('error')
    expect(result.outputs['pull-request-operation']).toBe('none')
    expect(scenario.pushedBranches()).toEqual([])
    expect(scenario.github.state.pulls).toHaveLength(0)
    expect(JSON.parse(result.outputs['unfixed-tests'])).toEqual(item.expectFailing)
    const report = reportOf(result)
    expect(report.result).toBe('error')
    expect(report.failures.map((failure: { nodeId: string }) => failure.nodeId)).toEqual(item.expectFailing)
    expect(report.messages).toEqual([message])
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })

  it('an endpoint that never answers: each try is cut at the timeout, then the step fails naming it', async () => {
    scenario = await setUpFault(item, { script: [{ hangMs: 60_000 }] })
    const started = Date.now()
    const result = await scenario.run({}, { PYTEST_FIXER_MODEL_TIMEOUT_MS: '1000' })
    expectOneClearError(result, /did not answer within 1 s/, /'base-url'/)
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(result.outputs.result).toBe('error')
    expect(scenario.pushedBranches()).toEqual([])
    expect(result.strayProcesses).toBe(false)
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })
})

describe('a malformed answer becomes feedback for the next attempt', () => {
  it('prose only, an unterminated block, a SEARCH that matches nothing (twice): each told back, never fixed', async () => {
    const unterminated = `${item.file}\n<<<<<<< SEARCH\n        if quantity >= item.quantity:\n=======\n        if quantity > item.quantity:\n`
    const noMatch = `${item.file}\n<<<<<<< SEARCH\n        if qty >= item.qty:\n=======\n        if qty > item.qty:\n>>>>>>> REPLACE\n`
    scenario = await setUpFault(item, {
      script: [
        { content: 'The bug is the comparison in Store.remove: it should use > instead of >=.' },
        { content: unterminated },
        { content: noMatch }
      ]
    })
    const result = await scenario.run({ 'max-attempts': '4' })
    expect(result.exitCode).toBe(0)
    expect(errorsOf(result)).toEqual([])
    expect(result.outputs.result).toBe('not-fixed')
    expect(JSON.parse(result.outputs['unfixed-tests'])).toEqual(item.expectFailing)

    const prompts = scenario.model.requests.map(request => JSON.stringify(request.body.messages))
    expect(prompts).toHaveLength(4)
    expect(prompts[1]).toContain('contains no SEARCH/REPLACE edit block')
    expect(prompts[2]).toContain('is not closed by a `>>>>>>> REPLACE` line')
    expect(prompts[3]).toContain('the SEARCH part matches no lines of inventory/store.py')
    const attempts = reportOf(result).groups[0].attempts
    expect(attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(['error', 'error', 'error', 'error'])
    expect(attempts[2].reason).toContain('matches no lines of inventory/store.py')
    expect(attempts[2].reason).toContain('if quantity >= item.quantity:') // the closest lines are shown

    expect(scenario.pushedBranches()).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })
})
