// Answers that would pass by weakening the tests, or that reach outside the repository, through the bundled
// action: each is refused before it touches a file, the refusal goes back to the model, and nothing is pushed.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { bug, errorsOf, expectNoSecrets, reportOf, setUpFault, type FaultScenario } from './fault-scenario.js'

let scenario: FaultScenario | undefined
let outsideDir: string | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
  if (outsideDir !== undefined) fs.rmSync(outsideDir, { recursive: true, force: true })
  outsideDir = undefined
})

const item = bug('flat-remove-refuses-last-units')
const block = (file: string, search: string, replace: string): string =>
  `${file}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n`

/** Makes the test expect what the bug does. */
const expectTheBug = block(
  'tests/test_store.py',
  '    def test_remove_everything_is_allowed(self, store: Store):\n        assert store.remove("A-100", 3) == 0',
  '    def test_remove_everything_is_allowed(self, store: Store):\n        with pytest.raises(OutOfStockError):\n            store.remove("A-100", 3)'
)
const skipTheTest = block(
  'tests/test_store.py',
  '    def test_remove_everything_is_allowed(self, store: Store):',
  '    @pytest.mark.skip(reason="flaky on CI")\n    def test_remove_everything_is_allowed(self, store: Store):'
)
const deselectTheTest = block(
  'pyproject.toml',
  'addopts = "--strict-markers"',
  'addopts = "--strict-markers --deselect tests/test_store.py::TestStock::test_remove_everything_is_allowed"'
)
const hideItInConftest = block(
  'tests/conftest.py',
  'import pytest',
  'import pytest\n\n\ndef pytest_collection_modifyitems(items):\n    items[:] = [i for i in items if "remove_everything" not in i.name]'
)

type Attempt = { outcome: string; reason: string; filesChanged: string[] }

describe('a fix may not weaken the tests', () => {
  it('editing the test, skipping it, deselecting it in pyproject, hiding it in conftest: all refused, not fixed', async () => {
    scenario = await setUpFault(item, {
      script: [expectTheBug, skipTheTest, deselectTheTest, hideItInConftest].map(content => ({ content }))
    })
    const result = await scenario.run({ 'max-attempts': '4' })
    expect(result.exitCode).toBe(0)
    expect(errorsOf(result)).toEqual([])
    expect(result.outputs.result).toBe('not-fixed')
    const attempts: Attempt[] = reportOf(result).groups[0].attempts
    expect(attempts.map(attempt => attempt.reason)).toEqual([
      expect.stringMatching(/^edits refused: tests\/test_store\.py is a test file/),
      expect.stringMatching(/^edits refused: tests\/test_store\.py is a test file.*pytest skip\/xfail mark/),
      expect.stringMatching(/^edits refused: pyproject\.toml: the change touches pytest or coverage configuration/),
      expect.stringMatching(/^edits refused: tests\/conftest\.py is a test file \(or conftest\.py\)/)
    ])
    // refused before verification: no test run saw them, and the model heard why
    expect(result.stdout).not.toMatch(/Attempt \d accepted/)
    const lastPrompt = JSON.stringify(scenario.model.requests[3].body.messages)
    expect(lastPrompt).toContain('pyproject.toml: the change touches pytest or coverage configuration')
    expect(scenario.pushedBranches()).toEqual([])
    expect(scenario.github.state.pulls).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })

  it('with allow-test-changes: a test edit that makes the tests pass is accepted, said in the PR, labelled', async () => {
    scenario = await setUpFault(item, { script: [{ content: expectTheBug }] })
    const result = await scenario.run({ 'allow-test-changes': 'true', 'max-attempts': '1' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    expect(result.outputs['pull-request-operation']).toBe('created')
    const [pull] = scenario.github.state.pulls
    expect(pull.body).toMatch(/This fix changes tests \(allowed by `allow-test-changes`\): `tests\/test_store\.py`/)
    expect(pull.labels.map((label: { name: string }) => label.name).sort()).toEqual(['exception', 'pytest-fixer', 'tests-changed'])
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })
})

describe('a fix never reaches outside the repository, into .git/ or into workflows', () => {
  it('../outside.py, a path into a sibling folder, an absolute path, a link to outside, ci.yml, .git/config: all refused', async () => {
    outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pytest-fixer-outside-'))
    const outsideFile = path.join(outsideDir, 'notes.py')
    const outsideText = 'OUTSIDE_MARKER = 1\nSECRET_NOTE = "do-not-read-7391"\n'
    fs.writeFileSync(outsideFile, outsideText)
    const workflow = 'name: CI\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m pytest\n'
    let answers: string[] = []
    scenario = await setUpFault(item, {
      mutate: dir => {
        fs.symlinkSync(outsideFile, path.join(dir, 'inventory', 'vendored.py'))
        fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true })
        fs.writeFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), workflow)
      },
      script: (_request, index) => ({ content: answers[index] ?? '' })
    })
    const dir = scenario.project.dir
    const siblingPath = path.relative(dir, outsideFile).split(path.sep).join('/') // ../pytest-fixer-outside-XXXX/notes.py
    answers = [
      block('../outside.py', '', 'import os\nos.system("echo escaped")'),
      // a SEARCH that matches nothing: the feedback must not quote the outside file's closest lines
      block(siblingPath, 'SECRET_NOTE = "a guess"', 'SECRET_NOTE = "changed"'),
      block(outsideFile, 'OUTSIDE_MARKER = 1', 'OUTSIDE_MARKER = 2'),
      block('inventory/vendored.py', 'OUTSIDE_MARKER = 1', 'OUTSIDE_MARKER = 2'),
      block('.github/workflows/ci.yml', '      - run: python -m pytest', '      - run: python -m pytest || true'),
      block('.git/config', '[core]', '[core]\n\thooksPath = /tmp')
    ]
    const gitConfig = fs.readFileSync(path.join(dir, '.git', 'config'), 'utf8')

    const result = await scenario.run({ 'max-attempts': String(answers.length) })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('not-fixed')
    const attempts: Attempt[] = reportOf(result).groups[0].attempts
    expect(attempts).toHaveLength(answers.length)
    for (const attempt of attempts) expect(attempt.filesChanged).toEqual([])
    expect(attempts.map(attempt => attempt.reason)).toEqual([
      expect.stringMatching(/^edits refused: \.\.\/outside\.py is outside the repository/),
      expect.stringMatching(/^edits refused: \.\.\/pytest-fixer-outside-\w+\/notes\.py is outside the repository/),
      expect.stringMatching(/^edits refused: \/.*\/notes\.py is outside the repository \(an absolute path/),
      expect.stringMatching(/^edits refused: inventory\/vendored\.py is outside the repository \(.*symbolic link/),
      expect.stringMatching(/^edits refused: \.github\/workflows\/ci\.yml is a GitHub Actions workflow file/),
      expect.stringMatching(/^edits refused: \.git\/config is inside git's own \.git directory/)
    ])

    expect(fs.existsSync(path.join(path.dirname(dir), 'outside.py'))).toBe(false)
    expect(fs.readFileSync(outsideFile, 'utf8')).toBe(outsideText)
    expect(fs.readFileSync(path.join(dir, '.git', 'config'), 'utf8')).toBe(gitConfig)
    expect(fs.readFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), 'utf8')).toBe(workflow)
    // what lies outside the repository is never read back to the model
    expect(JSON.stringify(scenario.model.requests.map(request => request.body))).not.toContain('do-not-read-7391')
    expect(scenario.pushedBranches()).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })
})
