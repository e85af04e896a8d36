// conftest.py that fails to import. At the rootdir: pytest writes no JUnit XML and runs nothing (exit code 4), and
// the action reads it as one failure of that conftest. Below it: pytest reports the directory as failing to
// collect. Either way the fix goes into the module the conftest imports, and is verified by the tests below it.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import { cloneBranch, runGit } from '../harness/git-repo.mjs'
import { notesAddKeepsWhitespace, notesConfigImport, notesWebTemplateImport } from './bugs.js'
import { readReport, runPytest, setUpIntakeScenario, undoBugAnswer, type IntakeScenario } from './intake-scenario.js'

let scenario: IntakeScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

describe('a conftest.py that fails to import', () => {
  it('is one failure of that conftest, fixed in the source module it imports', async () => {
    scenario = await setUpIntakeScenario({
      project: 'notes_app',
      bug: notesConfigImport,
      script: [{ content: undoBugAnswer(notesConfigImport) }],
      leftBehind: async dir => {
        const ci = await runPytest(dir, ['--junitxml=pytest-results.xml'])
        expect(ci.exitCode).toBe(4)
        expect(ci.output).toContain('ImportError while loading conftest')
        expect(fs.existsSync(`${dir}/pytest-results.xml`)).toBe(false)
      }
    })
    // the workflow as documented: the report the failing step should have written is not there
    const result = await scenario.run({ 'junit-xml': 'pytest-results.xml' })

    expect(result.exitCode).toBe(0)
    const report = readReport(result.outputs)
    expect(report.failures).toEqual([
      expect.objectContaining({ nodeId: 'conftest.py', file: 'notes/config.py', errorType: 'NameError', phase: 'collect' })
    ])
    expect(report.failures[0].message).toContain("name 'timedelta' is not defined")
    expect(report.failures[0].line).toBeGreaterThan(0)
    expect(report.groups[0].attempts.map(attempt => attempt.reason)).toEqual([expect.stringMatching(/pass/)])
    expect(report.result).toBe('fixed')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual(['conftest.py'])
    expect(scenario.model.requests).toHaveLength(1)
    expect(scenario.promptsText()).toContain('notes/config.py')
    expect(report.groups[0].attempts[0].filesChanged).toEqual(['notes/config.py'])

    const committed = await runGit(scenario.project.originDir, ['diff', '--name-only', 'main', result.outputs.branch])
    expect(committed.trim().split('\n')).toEqual(['notes/config.py'])
    const checkout = await cloneBranch(scenario.project.originDir, result.outputs.branch)
    scenario.onClose(() => fs.rmSync(checkout, { recursive: true, force: true }))
    const onBranch = await runPytest(checkout, ['-q'])
    expect(onBranch.output).toMatch(/7 passed/)
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('in a subdirectory: the directory fails to collect, and is fixed once its tests collect and pass', async () => {
    scenario = await setUpIntakeScenario({
      project: 'notes_app',
      bug: notesWebTemplateImport,
      script: [{ content: undoBugAnswer(notesWebTemplateImport) }],
      leftBehind: async dir => {
        const ci = await runPytest(dir, ['--junitxml=pytest-results.xml'])
        expect(ci.output).toContain("ERROR tests/web - NameError: name 'Template' is not defined")
      }
    })
    const result = await scenario.run({ 'junit-xml': 'pytest-results.xml' })

    expect(result.exitCode).toBe(0)
    const report = readReport(result.outputs)
    expect(report.failures).toEqual([
      expect.objectContaining({ nodeId: 'tests/web', file: 'notes/web.py', errorType: 'NameError', phase: 'collect' })
    ])
    expect(report.groups[0].attempts.map(attempt => attempt.outcome)).toEqual(['accepted'])
    // verified by the directory's own tests, which pytest could not even collect before
    expect(report.groups[0].attempts[0].reason).toContain("the group's 2 test(s) pass")
    expect(report.result).toBe('fixed')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual(['tests/web'])
    expect(scenario.model.requests).toHaveLength(1)
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it("beside another failure (CI ran --continue-on-collection-errors): both groups fixed, each kept passing by the other's verification", async () => {
    scenario = await setUpIntakeScenario({
      project: 'notes_app',
      bug: [notesWebTemplateImport, notesAddKeepsWhitespace],
      // each answer for the group its prompt is about, whichever comes first
      script: request =>
        JSON.stringify(request.body.messages).includes('test: tests/web\\n')
          ? { content: undoBugAnswer(notesWebTemplateImport) }
          : { content: undoBugAnswer(notesAddKeepsWhitespace) },
      leftBehind: async dir => {
        await runPytest(dir, ['--continue-on-collection-errors', '--junitxml=pytest-results.xml'])
      }
    })
    const result = await scenario.run({ 'junit-xml': 'pytest-results.xml' })

    expect(result.exitCode).toBe(0)
    const report = readReport(result.outputs)
    expect(report.failures.map(failure => failure.nodeId).sort()).toEqual([
      'tests/test_app.py::test_add_returns_the_note_number',
      'tests/web'
    ])
    expect(report.groups.map(group => [group.tests, group.status, group.attempts.map(attempt => attempt.outcome)])).toEqual(
      expect.arrayContaining([
        [['tests/web'], 'fixed', ['accepted']],
        [['tests/test_app.py::test_add_returns_the_note_number'], 'fixed', ['accepted']]
      ])
    )
    expect(report.result).toBe('fixed')
    expect(scenario.model.requests).toHaveLength(2)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
