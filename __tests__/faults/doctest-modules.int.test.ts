// A source module collected by --doctest-modules that has a syntax error and no doctests: once the edit makes it
// collect, it is fixed although it yields no tests. Both ways through the bundled action.
import { afterEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { cloneBranch } from '../harness/git-repo.mjs'
import { bug, correctAnswer, reportOf, setUpFault, type FaultScenario } from './fault-scenario.js'

let scenario: FaultScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const item = bug('flat-remove-refuses-last-units')
const broken = 'def main(argv:\n    return 0\n'
const working = 'def main(argv):\n    return 0\n'
const addBrokenCli = (dir: string): void =>
  fs.writeFileSync(path.join(dir, 'inventory', 'cli.py'), `"""The command line (no doctests here)."""\n\n\n${broken}`)
const cliEdit = (replace: string): string => `inventory/cli.py\n<<<<<<< SEARCH\n${broken}=======\n${replace}>>>>>>> REPLACE\n`
const command = 'python -m pytest --doctest-modules inventory tests'

describe('a module collected by --doctest-modules with a syntax error', () => {
  it('a correct answer: the module collects (no doctests), the store bug is fixed, one branch pushed', async () => {
    const answer = `${correctAnswer(item)}\n${cliEdit(working)}`
    scenario = await setUpFault(item, { mutate: addBrokenCli, script: [{ content: answer }, { content: answer }] })
    const result = await scenario.run({ 'test-command': command, 'max-attempts': '1' })
    expect(result.outputs.result).toBe('fixed')
    const report = reportOf(result)
    expect(report.failures.map((failure: { nodeId: string }) => failure.nodeId)).toContain('inventory/cli.py')
    expect(JSON.parse(result.outputs['fixed-tests'])).toContain('inventory/cli.py')
    expect(scenario.pushedBranches()).toEqual([result.outputs.branch])
    // the branch passes on its own, the test the collection error hid included
    const checkout = await cloneBranch(scenario.project.originDir, result.outputs.branch)
    try {
      const run = spawnSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--doctest-modules', 'inventory', 'tests'], {
        cwd: checkout,
        encoding: 'utf8',
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }
      })
      expect(run.status).toBe(0)
    } finally {
      fs.rmSync(checkout, { recursive: true, force: true })
    }
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('a wrong answer (another syntax error): not fixed, nothing pushed, the tree byte-identical', async () => {
    const answer = cliEdit('def main(argv)\n    return 0\n')
    scenario = await setUpFault(item, { mutate: addBrokenCli, script: [{ content: answer }, { content: answer }] })
    const result = await scenario.run({ 'test-command': command, 'max-attempts': '1' })
    expect(result.outputs.result).toBe('not-fixed')
    const reasons = reportOf(result).groups.flatMap((group: { attempts: Array<{ reason: string }> }) =>
      group.attempts.map(attempt => attempt.reason)
    )
    expect(reasons.join('\n')).toMatch(/inventory\/cli\.py \(still fails to collect\)|still fail/)
    expect(scenario.pushedBranches()).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})

describe('failures the collection error hid', () => {
  it('become a new group of the same run: fixed only when they are fixed too, and the report names them', async () => {
    scenario = await setUpFault(item, { mutate: addBrokenCli, script: [{ content: cliEdit(working) }, { content: correctAnswer(item) }] })
    const result = await scenario.run({ 'test-command': command, 'max-attempts': '1' })
    const report = reportOf(result)
    expect(report.messages.join('\n')).toMatch(/hidden by the collection error/)
    expect(report.groups.map((group: { tests: string[] }) => group.tests).flat()).toEqual(
      expect.arrayContaining(['inventory/cli.py', ...item.expectFailing])
    )
    expect(result.outputs.result).toBe('fixed')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual(expect.arrayContaining(['inventory/cli.py', ...item.expectFailing]))
    expect(scenario.model.requests).toHaveLength(2)
    expect(scenario.pushedBranches()).toEqual([result.outputs.branch])
  })

  it('a hidden failure left unfixed: never `fixed`', async () => {
    scenario = await setUpFault(item, { mutate: addBrokenCli, script: [{ content: cliEdit(working) }, { content: 'No idea.' }] })
    const result = await scenario.run({ 'test-command': command, 'max-attempts': '1' })
    expect(result.outputs.result).not.toBe('fixed')
    expect(JSON.parse(result.outputs['unfixed-tests'])).toEqual(expect.arrayContaining(item.expectFailing))
  })
})
