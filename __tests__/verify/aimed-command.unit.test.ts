import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { withoutTestPaths } from '../../src/verify/aimed-command.js'

let dir = ''
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aimed-'))
  fs.mkdirSync(path.join(dir, 'tests'))
  fs.mkdirSync(path.join(dir, 'src'))
  fs.writeFileSync(path.join(dir, 'tests', 'test_a.py'), '')
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('a targeted run drops the test paths the command names', () => {
  it.each([
    ['python -m pytest tests', 'python -m pytest'],
    ['python -m pytest -q tests src', 'python -m pytest -q'],
    ['pytest --doctest-modules src tests -x', 'pytest --doctest-modules -x'],
    ['python -m pytest tests/test_a.py::test_one -q', 'python -m pytest -q'],
    ['python -m pytest -k "not slow" tests', "python -m pytest -k 'not slow'"],
    ['python -m pytest -m slow tests', 'python -m pytest -m slow'],
    ['.venv/bin/pytest tests', '.venv/bin/pytest']
  ])('%s → %s', (command, aimed) => {
    expect(withoutTestPaths(command, dir)).toBe(aimed)
  })
})

describe('what is not a test path, or not safe to rewrite, stays as written', () => {
  it.each([
    'python -m pytest',
    'python -m pytest --cov src tests/nothing-here',
    'python -m pytest --rootdir tests',
    'python -m pytest --some-plugin-option src',
    'cd sub && python -m pytest tests',
    'python -m pytest $TEST_PATHS',
    './run-tests.sh tests',
    'tox -e py311'
  ])('%s', command => {
    expect(withoutTestPaths(command, dir)).toBe(command)
  })
  it('an option with its value after = frees the next word: it is a path again', () => {
    expect(withoutTestPaths('python -m pytest --cov=src tests', dir)).toBe('python -m pytest --cov=src')
  })
})
