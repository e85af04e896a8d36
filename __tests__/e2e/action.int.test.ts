// The bundled action, run like the runner runs it, on real Python projects with committed bugs.
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import { cloneBranch, listRemoteBranches, readRemoteFile } from '../harness/git-repo.mjs'
import { bug, correctAnswer, setUpScenario, uselessAnswer } from './scenario.js'

type Scenario = Awaited<ReturnType<typeof setUpScenario>>
let scenario: Scenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const pytestPasses = (dir: string): boolean => {
  try {
    execFileSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], {
      cwd: dir,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: 'pipe'
    })
    return true
  } catch {
    return false
  }
}

const report = (outputs: Record<string, string>) => JSON.parse(fs.readFileSync(outputs.report, 'utf8'))

describe('a failing test becomes a verified fix and a pull request', () => {
  it('fixes on attempt 1: pushes a branch whose tests pass on their own and opens one PR', async () => {
    const item = bug('flat-remove-refuses-last-units')
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    const result = await scenario.run()
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual(item.expectFailing)
    expect(result.outputs['pull-request-operation']).toBe('created')
    expect(result.outputs.branch).toMatch(/^pytest-fixer\/main\/[0-9a-f]{12}$/)

    const checkout = await cloneBranch(scenario.project.originDir, result.outputs.branch)
    expect(pytestPasses(checkout)).toBe(true)
    expect(await readRemoteFile(scenario.project.originDir, result.outputs.branch, item.file)).toContain(item.search.trim())

    const pulls = scenario.github.state.pulls
    expect(pulls).toHaveLength(1)
    expect(pulls[0].head.ref).toBe(result.outputs.branch)
    expect(pulls[0].base.ref).toBe('main')
    expect(pulls[0].body).toContain(item.expectFailing[0])
    expect(pulls[0].body).toContain('## Verification')
    expect(scenario.model.requests).toHaveLength(1)
    expect(scenario.model.requests[0].body.temperature).toBe(0.4)
    expect(await scenario.treeUnchanged()).toBe(true)
    expect(result.summary).toContain('Fixed')
  })

  it("fixes on attempt 2: temperature rises and the prompt carries attempt 1's edits and failure", async () => {
    const item = bug('flat-remove-refuses-last-units')
    scenario = await setUpScenario(item, [{ content: uselessAnswer(item) }, { content: correctAnswer(item) }])
    const result = await scenario.run()
    expect(result.outputs.result).toBe('fixed')
    const requests = scenario.model.requests
    expect(requests).toHaveLength(2)
    expect(requests[0].body.temperature).toBe(0.4)
    expect(requests[1].body.temperature).toBe(0.5)
    const secondPrompt = JSON.stringify(requests[1].body.messages)
    expect(secondPrompt).toContain('# unchanged logic')
    expect(secondPrompt).toContain(item.expectFailing[0].split('::').pop() as string)
    const attempts = report(result.outputs).groups[0].attempts
    expect(attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(['rejected', 'accepted'])
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('never fixed: nothing pushed, no PR, result not-fixed, tree as before', async () => {
    const item = bug('flat-remove-refuses-last-units')
    scenario = await setUpScenario(item, [{ content: uselessAnswer(item) }])
    const result = await scenario.run({ 'max-attempts': '2' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('not-fixed')
    expect(JSON.parse(result.outputs['unfixed-tests'])).toEqual(item.expectFailing)
    expect(result.outputs['pull-request-operation']).toBe('none')
    expect(await listRemoteBranches(scenario.project.originDir)).toEqual(['main'])
    expect(scenario.github.state.pulls).toHaveLength(0)
    expect(scenario.model.requests).toHaveLength(2)
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('a re-run for the same failure updates the open PR instead of opening another', async () => {
    const item = bug('flat-remove-refuses-last-units')
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    const first = await scenario.run()
    const second = await scenario.run()
    expect(first.outputs['pull-request-operation']).toBe('created')
    expect(second.outputs['pull-request-operation']).toBe('updated')
    expect(second.outputs.branch).toBe(first.outputs.branch)
    expect(second.outputs['pull-request-number']).toBe(first.outputs['pull-request-number'])
    expect(scenario.github.state.pulls).toHaveLength(1)
  })
})

describe('several root causes in one run', () => {
  it('fixes a later group after a collection error whose second module was fixed along the way', async () => {
    const renamed = bug('flat-format-price-renamed') // breaks two test modules at collection: two groups
    // its group sorts after the two collection-error groups, so it is tried after one was fixed along the way
    const lowStock = bug('flat-low-stock-inclusive')
    const answerFor = (request: { body: { messages: Array<{ content: string }> } }) => {
      const prompt = request.body.messages.map(message => message.content).join('\n')
      return { content: correctAnswer(/ImportError/.test(prompt) ? renamed : lowStock) }
    }
    scenario = await setUpScenario(renamed, answerFor, { alsoInject: [lowStock] })
    // without it, pytest stops at the collection errors and the low-stock failure never shows; with no change
    // under test to read (the ref is unknown), the two collection errors stay two groups
    const result = await scenario.run({
      'test-command': 'python -m pytest --continue-on-collection-errors',
      'known-good-ref': 'no-such-ref'
    })
    expect(result.outputs.result).toBe('fixed')
    const groups = report(result.outputs).groups as Array<{ status: string; fixedBy?: string; attempts: unknown[] }>
    expect(groups.map(group => group.status)).toEqual(['fixed', 'fixed', 'fixed'])
    expect(groups.map(group => group.fixedBy === undefined)).toEqual([true, false, true])
    expect(scenario.model.requests).toHaveLength(2)
    const checkout = await cloneBranch(scenario.project.originDir, result.outputs.branch)
    expect(pytestPasses(checkout)).toBe(true)
  })
})

describe('one conversation per root cause', () => {
  it('two modules broken by one renamed function are one group when the change under test shows the rename; the other bug stays its own', async () => {
    const renamed = bug('flat-format-price-renamed')
    const lowStock = bug('flat-low-stock-inclusive')
    const answerFor = (request: { body: { messages: Array<{ content: string }> } }) => {
      const prompt = request.body.messages.map(message => message.content).join('\n')
      return { content: correctAnswer(/ImportError/.test(prompt) ? renamed : lowStock) }
    }
    scenario = await setUpScenario(renamed, answerFor, { alsoInject: [lowStock] })
    const result = await scenario.run({ 'test-command': 'python -m pytest --continue-on-collection-errors' })
    expect(result.outputs.result).toBe('fixed')
    const groups = report(result.outputs).groups as Array<{ status: string; tests: string[]; attempts: unknown[] }>
    expect(groups.map(group => [group.status, group.attempts.length])).toEqual([
      ['fixed', 1],
      ['fixed', 1]
    ])
    expect(groups.map(group => group.tests.length).sort()).toEqual([renamed.expectFailing.length, lowStock.expectFailing.length].sort())
    expect(scenario.model.requests).toHaveLength(2)
  })
})

describe('each mode', () => {
  it('push: commits the fix onto the current branch and pushes it', async () => {
    const item = bug('flat-remove-refuses-last-units')
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    const result = await scenario.run({ mode: 'push' })
    expect(result.outputs.result).toBe('fixed')
    expect(result.outputs.branch).toBe('main')
    expect(await readRemoteFile(scenario.project.originDir, 'main', item.file)).toContain(item.search.trim())
    expect(scenario.project.git(['status', '--porcelain']).trim()).toBe('')
    expect(scenario.project.git(['log', '-1', '--format=%an']).trim()).toBe('github-actions[bot]')
    expect(scenario.github.state.pulls).toHaveLength(0)
  })

  it('apply: leaves the verified fix in the working tree, uncommitted, nothing pushed', async () => {
    const item = bug('flat-remove-refuses-last-units')
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    const result = await scenario.run({ mode: 'apply' })
    expect(result.outputs.result).toBe('fixed')
    expect(scenario.project.git(['status', '--porcelain']).trim()).toBe(`M ${item.file}`)
    expect(fs.readFileSync(`${scenario.project.dir}/${item.file}`, 'utf8')).toContain(item.search.trim())
    expect(await listRemoteBranches(scenario.project.originDir)).toEqual(['main'])
  })

  it('dry-run: changes nothing and reports the patch', async () => {
    const item = bug('flat-remove-refuses-last-units')
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    const result = await scenario.run({ mode: 'dry-run' })
    expect(result.outputs.result).toBe('fixed')
    expect(report(result.outputs).patch).toContain(`+${item.search.replace(/\n$/, '')}`)
    expect(result.summary).toContain('The verified patch')
    expect(await scenario.treeUnchanged()).toBe(true)
    expect(await listRemoteBranches(scenario.project.originDir)).toEqual(['main'])
  })
})
