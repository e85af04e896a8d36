// A project in a subfolder of the repository (monorepo): node ids are relative to pytest's rootdir
// (services/api), edit paths to the repository root, and the pushed branch passes.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { cloneBranch, runGit } from '../harness/git-repo.mjs'
import { monorepoVatRounding } from './bugs.js'
import { readReport, runPytest, setUpIntakeScenario, undoBugAnswer, type IntakeScenario } from './intake-scenario.js'

let scenario: IntakeScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const failing = 'tests/test_totals.py::test_vat_rounds_half_up[2-1]'

describe.each([
  ['the repository root', 'services/api/pytest-results.xml'],
  ["'working-directory'", 'pytest-results.xml']
])("'working-directory' pointing at a project in a subfolder, 'junit-xml' relative to %s", (_base, junitXml) => {
  it("reads the subfolder's report, edits by repository path, and pushes a branch that passes", async () => {
    scenario = await setUpIntakeScenario({
      project: 'monorepo',
      bug: monorepoVatRounding,
      script: [{ content: undoBugAnswer(monorepoVatRounding) }],
      // the CI step: cd services/api && python -m pytest --junitxml=pytest-results.xml
      leftBehind: async dir => {
        const ci = await runPytest(path.join(dir, 'services/api'), ['--junitxml=pytest-results.xml'])
        expect(ci.output).toContain(`FAILED ${failing}`)
      }
    })
    const result = await scenario.run({ 'working-directory': 'services/api', 'junit-xml': junitXml })

    expect(result.stdout).toContain('Read 10 testcases from services/api/pytest-results.xml')

    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual([failing])
    const report = readReport(result.outputs)
    expect(report.failures).toEqual([
      expect.objectContaining({ nodeId: failing, errorType: 'AssertionError', file: 'services/api/tests/test_totals.py' })
    ])
    expect(report.groups[0].attempts[0].filesChanged).toEqual(['services/api/orders/totals.py'])
    expect(scenario.promptsText()).toContain('services/api/orders/totals.py')

    const committed = await runGit(scenario.project.originDir, ['diff', '--name-only', 'main', result.outputs.branch])
    expect(committed.trim().split('\n')).toEqual(['services/api/orders/totals.py'])
    const checkout = await cloneBranch(scenario.project.originDir, result.outputs.branch)
    scenario.onClose(() => fs.rmSync(checkout, { recursive: true, force: true }))
    const onBranch = await runPytest(path.join(checkout, 'services/api'), ['-q'])
    expect(onBranch.exitCode).toBe(0)
    expect(onBranch.output).toMatch(/10 passed/)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})

describe("'working-directory' pointing at a project in a subfolder, a wrong answer", () => {
  it('not fixed: no branch pushed, the tree byte-identical', async () => {
    // an edit that applies but fixes nothing: the rounding stays wrong
    const wrong = [
      'services/api/orders/totals.py',
      '<<<<<<< SEARCH',
      monorepoVatRounding.replace.trimEnd(),
      '=======',
      `${monorepoVatRounding.replace.trimEnd()}  # looked at`,
      '>>>>>>> REPLACE'
    ].join('\n')
    scenario = await setUpIntakeScenario({
      project: 'monorepo',
      bug: monorepoVatRounding,
      script: [{ content: wrong }],
      leftBehind: async dir => {
        await runPytest(path.join(dir, 'services/api'), ['--junitxml=pytest-results.xml'])
      }
    })
    const result = await scenario.run({ 'working-directory': 'services/api', 'junit-xml': 'pytest-results.xml', 'max-attempts': '1' })
    expect(result.outputs.result).toBe('not-fixed')
    expect(readReport(result.outputs).groups[0].attempts[0].reason).toMatch(/still fail/)
    const branches = await runGit(scenario.project.originDir, ['for-each-ref', '--format=%(refname:short)', 'refs/heads'])
    expect(branches.trim()).toBe('main')
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})

describe("'working-directory' pointing at a project in a subfolder, no JUnit XML", () => {
  it('runs the tests there itself: node ids relative to the subfolder, the edit by repository path', async () => {
    scenario = await setUpIntakeScenario({
      project: 'monorepo',
      bug: monorepoVatRounding,
      script: [{ content: undoBugAnswer(monorepoVatRounding) }]
    })
    const result = await scenario.run({ 'working-directory': 'services/api' })

    expect(result.stdout).toContain('Running the test suite to find the failures')
    expect(result.outputs.result).toBe('fixed')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual([failing])
    expect(readReport(result.outputs).groups[0].attempts[0].filesChanged).toEqual(['services/api/orders/totals.py'])
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})

describe("'working-directory' forgotten in a monorepo", () => {
  it('stops before any model call with one message that names `working-directory: services/api`', async () => {
    scenario = await setUpIntakeScenario({
      project: 'monorepo',
      bug: monorepoVatRounding,
      script: [{ content: undoBugAnswer(monorepoVatRounding) }],
      leftBehind: async dir => {
        await runPytest(path.join(dir, 'services/api'), ['--junitxml=pytest-results.xml'])
      }
    })
    const result = await scenario.run({ 'junit-xml': 'services/api/pytest-results.xml' })

    expect(result.exitCode).toBe(1)
    const errors = result.commands.filter(command => command.command === 'error').map(command => command.message)
    expect(errors).toEqual([expect.stringContaining('Set `working-directory: services/api`')])
    expect(errors[0]).toContain("under 'services/api'")
    expect(result.outputs.result).toBe('error')
    expect(scenario.model.requests).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})

describe("'working-directory' that leads outside the repository", () => {
  it.each(['../', 'services/../../'])("'%s' is refused before pytest runs, naming the input", async workingDirectory => {
    scenario = await setUpIntakeScenario({
      project: 'monorepo',
      bug: monorepoVatRounding,
      script: [{ content: undoBugAnswer(monorepoVatRounding) }]
    })
    const result = await scenario.run({ 'working-directory': workingDirectory })

    expect(result.exitCode).toBe(1)
    const errors = result.commands.filter(command => command.command === 'error').map(command => command.message)
    expect(errors).toEqual([expect.stringContaining(`Input 'working-directory' is '${workingDirectory}': it leads outside the repository`)])
    expect(result.stdout).not.toContain('Running the test suite')
    expect(result.outputs.result).toBe('error')
    expect(scenario.model.requests).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
