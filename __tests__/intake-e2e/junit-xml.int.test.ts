// The JUnit XML of the failing run, as real pytest wrote it in the CI step before the action: read instead of
// running the tests again; a glob reads several reports; no match falls back to running the tests.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { runGit } from '../harness/git-repo.mjs'
import { bug, correctAnswer } from '../e2e/scenario.js'
import { readReport, runPytest, setUpIntakeScenario, type IntakeScenario } from './intake-scenario.js'

let scenario: IntakeScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const sorted = (items: string[]): string[] => [...items].sort()

describe("failures are read from the failing run's JUnit XML", () => {
  it('one report (xunit2, the default): failures carry file, line, error type, message and group, and are fixed', async () => {
    const item = bug('flat-discount-adds-percent')
    scenario = await setUpIntakeScenario({
      project: item.project,
      bug: item,
      script: [{ content: correctAnswer(item) }],
      leftBehind: async dir => {
        const ci = await runPytest(dir, ['--junitxml=pytest-results.xml'])
        expect(ci.exitCode).toBe(1)
      }
    })
    const result = await scenario.run({ 'junit-xml': 'pytest-results.xml' })

    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/Read \d+ testcases from pytest-results\.xml/)
    expect(result.stdout).toContain('from JUnit XML')
    expect(result.stdout).not.toContain('Running the test suite to find the failures')
    const report = readReport(result.outputs)
    expect(report.result).toBe('fixed')
    expect(sorted(report.failures.map(failure => failure.nodeId))).toEqual(item.expectFailing)
    const fingerprints = report.groups.map(group => group.fingerprint)
    for (const failure of report.failures) {
      expect(failure.file).toBe('tests/test_pricing.py')
      expect(failure.line).toBeGreaterThan(0)
      expect(failure.errorType).toBe('AssertionError')
      expect(failure.message).toMatch(/^assert /)
      expect(failure.phase).toBe('call')
      expect(fingerprints).toContain(failure.group)
    }
    expect(sorted(JSON.parse(result.outputs['fixed-tests']))).toEqual(item.expectFailing)
    expect(scenario.model.requests).toHaveLength(1)
    // the fix commit holds the fix only, not the report the CI step left behind
    const committed = await runGit(scenario.project.originDir, ['diff', '--name-only', 'main', result.outputs.branch])
    expect(committed.trim().split('\n')).toEqual([item.file])
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('a glob matching several reports: failures from all of them', async () => {
    const item = bug('flat-total-value-ignores-quantity')
    scenario = await setUpIntakeScenario({
      project: item.project,
      bug: item,
      script: [{ content: correctAnswer(item) }],
      // a CI matrix that splits the suite, one report per shard
      leftBehind: async dir => {
        await runPytest(dir, ['tests/test_models.py', 'tests/test_pricing.py', '--junitxml=reports/junit-models.xml'])
        await runPytest(dir, ['tests/test_store.py', 'tests/test_reports.py', '--junitxml=reports/junit-store.xml'])
      }
    })
    const result = await scenario.run({ 'junit-xml': 'reports/junit-*.xml' })

    expect(result.stdout).toMatch(/Read \d+ testcases from reports\/junit-models\.xml, reports\/junit-store\.xml/)
    const report = readReport(result.outputs)
    expect(sorted(report.failures.map(failure => failure.nodeId))).toEqual(item.expectFailing)
    expect(report.result).toBe('fixed')
    expect(sorted(report.fixedTests)).toEqual(item.expectFailing)
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('no file matches: a warning, then the action runs the tests itself and fixes', async () => {
    const item = bug('flat-remove-refuses-last-units')
    scenario = await setUpIntakeScenario({ project: item.project, bug: item, script: [{ content: correctAnswer(item) }] })
    const result = await scenario.run({ 'junit-xml': 'test-results/**/*.xml' })

    const warnings = result.commands.filter(command => command.command === 'warning').map(command => command.message)
    expect(warnings).toEqual([expect.stringContaining("Input 'junit-xml' is 'test-results/**/*.xml' but no file matches it")])
    expect(result.stdout).toContain('Running the test suite to find the failures')
    expect(result.outputs.result).toBe('fixed')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual(item.expectFailing)
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('a report with no failures: nothing to fix, exit 0, no model call', async () => {
    scenario = await setUpIntakeScenario({
      project: 'flat',
      leftBehind: async dir => {
        const ci = await runPytest(dir, ['--junitxml=pytest-results.xml'])
        expect(ci.exitCode).toBe(0)
      }
    })
    const result = await scenario.run({ 'junit-xml': 'pytest-results.xml' })

    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('nothing-to-fix')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual([])
    expect(result.outputs['pull-request-operation']).toBe('none')
    expect(scenario.model.requests).toHaveLength(0)
    expect(result.summary).toContain('Nothing to fix')
    expect(readReport(result.outputs).failures).toEqual([])
    expect(fs.existsSync(path.join(scenario.project.dir, 'pytest-results.xml'))).toBe(true)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
