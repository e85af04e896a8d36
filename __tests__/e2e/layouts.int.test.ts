// Every project layout pytest is used with: src/ layout, tests inside the package, a unittest.TestCase suite,
// and a collection error (a renamed function breaks an import), each fixed end to end.
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cloneBranch } from '../harness/git-repo.mjs'
import { bug, correctAnswer, setUpScenario } from './scenario.js'

type Scenario = Awaited<ReturnType<typeof setUpScenario>>
let scenario: Scenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

describe.each([
  ['src/ layout', 'src-wrap-loses-last-line'],
  ['tests inside the package', 'geo-length-squared'],
  ['unittest.TestCase suite', 'bank-withdraw-refuses-all'],
  ['a collection error (ImportError from a renamed function)', 'geo-manhattan-renamed']
])('%s', (_layout, id) => {
  it('is fixed on attempt 1 and the pushed branch passes on its own', async () => {
    const item = bug(id)
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    const result = await scenario.run()
    expect(result.outputs.result).toBe('fixed')
    expect(result.outputs['pull-request-operation']).toBe('created')
    const checkout = await cloneBranch(scenario.project.originDir, result.outputs.branch)
    const summary = execFileSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], {
      cwd: checkout,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8'
    })
    expect(summary).toMatch(/\d+ passed/)
    expect(summary).not.toMatch(/failed|error/)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
