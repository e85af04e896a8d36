// Bad input stops the step with one clear message (the file, what is wrong, what to set): no stack trace, the
// outputs still set, the tree as it was, and no model call.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { bug } from '../e2e/scenario.js'
import {
  readReport,
  runPytest,
  runPython,
  setUpIntakeScenario,
  stackTraceLines,
  temporaryDir,
  type IntakeScenario
} from './intake-scenario.js'

let scenario: IntakeScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const item = bug('flat-remove-refuses-last-units')

/** A report cut off mid-write, as when the runner ran out of disk or the job was cancelled. */
async function truncatedReport(dir: string, file: string): Promise<void> {
  await runPytest(dir, [`--junitxml=${file}`])
  const whole = fs.readFileSync(path.join(dir, file), 'utf8')
  fs.writeFileSync(path.join(dir, file), whole.slice(0, Math.floor(whole.length / 2)))
}

/** What a download step saves when the artifact URL answers with a sign-in page. */
const signInPage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in to GitHub · GitHub</title></head>
<body class="logged-out env-production page-responsive">
<div class="auth-form"><h1>Sign in to GitHub</h1><form action="/session" method="post"></form></div>
</body>
</html>
`

/** A real coverage.py report of the suite, as pytest-cov or `coverage xml` writes it. */
async function coverageReport(dir: string, file: string): Promise<void> {
  const data = temporaryDir('coverage-data')
  try {
    const dataFile = path.join(data, '.coverage')
    await runPython(dir, [
      '-m',
      'coverage',
      'run',
      `--data-file=${dataFile}`,
      '--source=inventory',
      '-m',
      'pytest',
      '-p',
      'no:cacheprovider',
      '-q'
    ])
    const written = await runPython(dir, ['-m', 'coverage', 'xml', `--data-file=${dataFile}`, '-o', file])
    expect(written.exitCode).toBe(0)
  } finally {
    fs.rmSync(data, { recursive: true, force: true })
  }
}

describe.each([
  {
    given: 'an empty file',
    file: 'pytest-results.xml',
    write: (dir: string, file: string) => fs.writeFileSync(path.join(dir, file), ''),
    says: 'is empty'
  },
  { given: 'a truncated report', file: 'pytest-results.xml', write: truncatedReport, says: 'is not well-formed XML' },
  {
    given: 'an HTML page',
    file: 'pytest-results.xml',
    write: (dir: string, file: string) => fs.writeFileSync(path.join(dir, file), signInPage),
    says: 'HTML'
  },
  { given: 'a coverage report', file: 'coverage.xml', write: coverageReport, says: 'coverage report' }
])("'junit-xml' names $given", ({ file, write, says }) => {
  it('fails the step with one clear message and changes nothing', async () => {
    scenario = await setUpIntakeScenario({ project: item.project, bug: item, leftBehind: dir => write(dir, file) })
    const result = await scenario.run({ 'junit-xml': file })

    expect(result.exitCode).toBe(1)
    const errors = result.commands.filter(command => command.command === 'error').map(command => command.message)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(`'${file}'`)
    expect(errors[0]).toContain(says)
    expect(errors[0]).toContain("Set 'junit-xml' to the path your pytest step writes")
    expect(stackTraceLines(result.stdout + result.stderr)).toEqual([])
    expect(result.outputs.result).toBe('error')
    expect(readReport(result.outputs).messages).toEqual([errors[0]])
    expect(scenario.model.requests).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})

describe("'log-file' names no file", () => {
  it('fails the step with one clear message and changes nothing', async () => {
    scenario = await setUpIntakeScenario({ project: item.project, bug: item })
    const result = await scenario.run({ 'log-file': 'logs/pytest.log' })

    expect(result.exitCode).toBe(1)
    const errors = result.commands.filter(command => command.command === 'error').map(command => command.message)
    expect(errors).toEqual([expect.stringContaining("Cannot open 'log-file' 'logs/pytest.log': no such file")])
    expect(errors[0]).toContain("Set 'log-file' to")
    expect(stackTraceLines(result.stdout + result.stderr)).toEqual([])
    expect(result.outputs.result).toBe('error')
    expect(scenario.model.requests).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})

describe("'test-command' drops the arguments the action appends", () => {
  it("fails the step with one clear message before any model call, even with the failing run's log at hand", async () => {
    scenario = await setUpIntakeScenario({
      project: item.project,
      bug: item,
      leftBehind: async dir => fs.writeFileSync(path.join(dir, 'pytest.log'), (await runPytest(dir, [])).output)
    })
    // like a test script that runs `python -m pytest` without passing "$@" on
    const result = await scenario.run({ 'test-command': "sh -c 'python3 -m pytest'", 'log-file': 'pytest.log' })

    expect(result.exitCode).toBe(1)
    const errors = result.commands.filter(command => command.command === 'error').map(command => command.message)
    expect(errors).toEqual([expect.stringContaining("'test-command' ran the tests (exit code 1) but wrote no JUnit report")])
    expect(errors[0]).toContain(item.expectFailing[0])
    expect(errors[0]).toContain("Make 'test-command' pass extra arguments on to pytest")
    expect(stackTraceLines(result.stdout + result.stderr)).toEqual([])
    expect(result.outputs.result).toBe('error')
    expect(scenario.model.requests).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
