import { describe, expect, it } from '@jest/globals'
import type { FileChange } from '../../src/domain.js'
import { checkEditPolicy, testFilesChanged, type EditPolicy } from '../../src/edits/policy.js'

// no such directory: these rules are decided by the path alone (symbolic links: policy.int.test.ts)
const policy: EditPolicy = { repoRoot: '/nonexistent/pytest-fixer-repo', allowTestChanges: false }
const edit = (path: string, before: string | null = 'x = 1\n', after = 'x = 2\n'): FileChange => ({ path, before, after })
const rulesFor = (changes: FileChange[], options: Partial<EditPolicy> = {}): string[] =>
  checkEditPolicy(changes, { ...policy, ...options }).map(violation => `${violation.rule} ${violation.path}`)

describe('checkEditPolicy: edits stay inside the repository', () => {
  it('allows ordinary source files, new or changed', () => {
    expect(checkEditPolicy([edit('src/pkg/core.py'), edit('pkg/new_module.py', null), edit('README.md')], policy)).toEqual([])
  })

  it.each([
    ['sub/../../etc/passwd'],
    ['../outside.py'],
    ['..\\outside.py'],
    ['/etc/passwd'],
    ['C:\\Windows\\system.ini'],
    ['c:/temp/x.py'],
    ['\\\\server\\share\\x.py']
  ])('refuses %s', path => {
    const [violation] = checkEditPolicy([edit(path)], policy)
    expect(violation.rule).toBe('outside-repository')
    expect(violation.path).toBe(path)
    expect(violation.message).toMatch(/Edit only files inside the repository, with paths relative to its root/)
  })

  it('refuses a path that names no file', () => {
    expect(rulesFor([edit(''), edit('.'), edit('src/')])).toEqual([
      'outside-repository ',
      'outside-repository .',
      'outside-repository src/'
    ])
  })

  it('allows a path that climbs out and back in', () => {
    expect(rulesFor([edit('src/../pkg/core.py')])).toEqual([])
  })
})

describe("checkEditPolicy: never git's directory, never a workflow", () => {
  it.each([
    ['.git/config'],
    ['.git/hooks/pre-commit'],
    ['sub/.git/config'],
    ['.GIT/config'],
    ['.Git/HEAD'],
    ['.git./config'],
    ['vendor/lib/.git']
  ])('refuses %s as git-directory', path => {
    const [violation] = checkEditPolicy([edit(path)], policy)
    expect(violation.rule).toBe('git-directory')
    expect(violation.message).toContain("inside git's own .git directory")
  })

  it.each([['.github/workflows/ci.yml'], ['.GitHub/Workflows/release.yaml'], ['sub/.github/workflows/x.yml']])(
    'refuses %s as workflow-file',
    path => {
      const [violation] = checkEditPolicy([edit(path)], policy)
      expect(violation.rule).toBe('workflow-file')
      expect(violation.message).toContain('GitHub Actions workflow file, which a fix may not change')
    }
  )

  it('allows other files under .github and files merely named like git', () => {
    expect(rulesFor([edit('.github/dependabot.yml'), edit('.gitignore'), edit('src/gitlib/.gitkeep')])).toEqual([])
  })

  it('keeps the path rules even when test changes are allowed', () => {
    expect(rulesFor([edit('.git/config'), edit('../x.py'), edit('.github/workflows/ci.yml')], { allowTestChanges: true })).toEqual([
      'git-directory .git/config',
      'outside-repository ../x.py',
      'workflow-file .github/workflows/ci.yml'
    ])
  })
})

describe('checkEditPolicy: tests stay as they are unless allow-test-changes', () => {
  it.each([
    ['tests/test_calc.py'],
    ['test_calc.py'],
    ['pkg/calc_test.py'],
    ['conftest.py'],
    ['src/pkg/conftest.py'],
    ['tests/data/expected.json'],
    ['test/helpers.py'],
    ['app/tests.py'],
    ['Tests/Test_Calc.py']
  ])('refuses %s as a test file', path => {
    const [violation] = checkEditPolicy([edit(path)], policy)
    expect(violation.rule).toBe('test-file')
    expect(violation.message).toMatch(
      /a fix may not change tests\. Change the code under test instead \(the input 'allow-test-changes' is off\)\./
    )
  })

  it('does not take files that merely mention test for tests', () => {
    expect(rulesFor([edit('src/pkg/testing_utils.py'), edit('src/attest.py'), edit('src/latest/x.py'), edit('src/contest.py')])).toEqual([])
  })

  it('lets test files through when allowTestChanges, and lists them for the PR', () => {
    const changes = [edit('tests/test_calc.py'), edit('src/calc.py'), edit('pytest.ini')]
    expect(checkEditPolicy(changes, { ...policy, allowTestChanges: true })).toEqual([])
    expect(testFilesChanged(changes)).toEqual(['tests/test_calc.py', 'pytest.ini'])
  })
})

describe('checkEditPolicy: pytest and coverage configuration stays as it is', () => {
  const pyproject = [
    '[build-system]',
    'requires = ["setuptools>=61"]',
    '',
    '[project]',
    'name = "calc"',
    'version = "0.1.0"',
    'dependencies = []',
    '',
    '[tool.pytest.ini_options]',
    'addopts = "-ra --strict-markers"',
    'testpaths = ["tests"]',
    '',
    '[tool.coverage.report]',
    'fail_under = 90',
    ''
  ].join('\n')

  it('refuses a change to [tool.pytest.ini_options] in pyproject.toml', () => {
    const after = pyproject.replace('addopts = "-ra --strict-markers"', 'addopts = "-ra --deselect tests/test_calc.py::test_add"')
    expect(rulesFor([edit('pyproject.toml', pyproject, after)])).toEqual(['test-config pyproject.toml'])
  })

  it('refuses a new [tool.pytest] table and a lowered coverage threshold', () => {
    expect(rulesFor([edit('pyproject.toml', pyproject, pyproject + '\n[tool.pytest]\nminversion = "9.0"\n')])).toEqual([
      'test-config pyproject.toml'
    ])
    expect(rulesFor([edit('pyproject.toml', pyproject, pyproject.replace('fail_under = 90', 'fail_under = 10'))])).toEqual([
      'test-config pyproject.toml'
    ])
  })

  it('refuses pytest settings written as dotted keys', () => {
    const after = pyproject.replace('[project]', '[tool]\npytest.ini_options.addopts = "-k not slow"\n\n[project]')
    expect(rulesFor([edit('pyproject.toml', pyproject, after)])).toEqual(['test-config pyproject.toml'])
  })

  it('allows a change to [project] in pyproject.toml', () => {
    const after = pyproject.replace('dependencies = []', 'dependencies = ["requests>=2"]')
    expect(rulesFor([edit('pyproject.toml', pyproject, after)])).toEqual([])
  })

  it('allows a new pyproject.toml without pytest settings, refuses one with them', () => {
    expect(rulesFor([edit('pyproject.toml', null, '[project]\nname = "x"\n')])).toEqual([])
    expect(rulesFor([edit('pyproject.toml', null, '[tool.pytest.ini_options]\naddopts = "-x"\n')])).toEqual(['test-config pyproject.toml'])
  })

  it('refuses [tool:pytest] and [coverage:*] changes in setup.cfg, allows [metadata]', () => {
    const cfg = '[metadata]\nname = calc\n\n[tool:pytest]\naddopts = -ra\n\n[coverage:report]\nfail_under = 80\n'
    expect(rulesFor([edit('setup.cfg', cfg, cfg.replace('name = calc', 'name = calc2'))])).toEqual([])
    expect(rulesFor([edit('setup.cfg', cfg, cfg.replace('addopts = -ra', 'addopts = -ra -p no:randomly'))])).toEqual([
      'test-config setup.cfg'
    ])
    expect(rulesFor([edit('setup.cfg', cfg, cfg.replace('fail_under = 80', 'fail_under = 0'))])).toEqual(['test-config setup.cfg'])
  })

  it.each([['pytest.ini'], ['.pytest.ini'], ['pytest.toml'], ['.pytest.toml'], ['tox.ini'], ['.coveragerc'], ['sub/pytest.ini']])(
    'refuses any change to %s',
    path => {
      const [violation] = checkEditPolicy([edit(path, '[pytest]\naddopts = -ra\n', '[pytest]\naddopts = -ra -x\n')], policy)
      expect(violation.rule).toBe('test-config')
      expect(violation.message).toContain('touches pytest or coverage configuration')
    }
  )
})

describe('checkEditPolicy: no added skip or xfail, in any file', () => {
  it.each([
    ['@pytest.mark.skip(reason="flaky")'],
    ['@pytest.mark.skipif(sys.platform == "win32", reason="x")'],
    ['@pytest.mark.xfail'],
    ['@mark.xfail(strict=False)'],
    ['pytestmark = pytest.mark.skip'],
    ['    pytest.skip("not supported")'],
    ['    pytest.xfail("known bug")'],
    ['np = pytest.importorskip("numpy")'],
    ['@unittest.skip("later")'],
    ['@unittest.expectedFailure'],
    ['@skipIf(True, "x")'],
    ['        self.skipTest("no network")'],
    ['    raise unittest.SkipTest("x")'],
    ['    __test__ = False'],
    ['collect_ignore = ["test_slow.py"]'],
    ['    pytest.param(1, marks=pytest.mark.xfail),']
  ])('refuses an added `%s`', line => {
    const before = 'import pytest\n\n\ndef helper():\n    return 1\n'
    const violations = checkEditPolicy([edit('src/pkg/helpers.py', before, before + line + '\n')], policy)
    expect(violations.map(violation => violation.rule)).toEqual(['test-weakened'])
    expect(violations[0].message).toContain('A fix may not skip, xfail or hide tests; make them pass.')
    expect(violations[0].message).toContain(line.trim())
  })

  it('reports both the test edit and the skip it adds', () => {
    const before = 'def test_add():\n    assert add(1, 2) == 3\n'
    const after = 'import pytest\n\n\n@pytest.mark.skip\ndef test_add():\n    assert add(1, 2) == 3\n'
    expect(rulesFor([edit('tests/test_calc.py', before, after)])).toEqual([
      'test-file tests/test_calc.py',
      'test-weakened tests/test_calc.py'
    ])
  })

  it('allows skip lines that were already there, moved lines, and comments', () => {
    const before = '@pytest.mark.skipif(not HAS_GPU, reason="gpu")\ndef gpu_helper():\n    pass\n'
    const after =
      'import sys\n\n# pytest.mark.skip is not used here\n@pytest.mark.skipif(not HAS_GPU, reason="gpu")\ndef gpu_helper():\n    return None\n'
    expect(rulesFor([edit('src/gpu.py', before, after)])).toEqual([])
  })

  it('does not take ordinary words for skips', () => {
    const after = 'def skip_whitespace(text):\n    skipped = 0\n    return text.lstrip()\n'
    expect(rulesFor([edit('src/text.py', null, after)])).toEqual([])
  })

  it('allows added skips when allowTestChanges', () => {
    expect(rulesFor([edit('tests/test_x.py', '', '@pytest.mark.xfail\ndef test_x(): pass\n')], { allowTestChanges: true })).toEqual([])
  })
})

describe('checkEditPolicy: bounds the size of a fix', () => {
  const big = (kb: number): string => 'x = "' + 'a'.repeat(1024 * kb) + '"\n'

  it('refuses a file that receives more than 200 KB', () => {
    const [violation] = checkEditPolicy([edit('src/data.py', null, big(201))], policy)
    expect(violation.rule).toBe('too-large')
    expect(violation.message).toMatch(
      /^src\/data\.py: the fix writes 202 KB into this file; at most 200 KB per file are allowed\. Make a smaller, targeted change\.$/
    )
  })

  it('refuses a fix that writes more than 500 KB in all', () => {
    const changes = [edit('a.py', null, big(190)), edit('b.py', null, big(190)), edit('c.py', null, big(190))]
    const violations = checkEditPolicy(changes, policy)
    expect(violations.map(violation => `${violation.rule} ${violation.path}`)).toEqual(['too-large c.py'])
    expect(violations[0].message).toMatch(/^The fix writes 571 KB in all \(with c\.py\); at most 500 KB per fix are allowed\./)
  })

  it('counts what a change writes, not the size of the file it touches', () => {
    const large = big(300)
    expect(rulesFor([edit('src/tables.py', large, large + 'y = 2\n')])).toEqual([])
  })

  it('takes custom bounds', () => {
    expect(rulesFor([edit('a.py', null, big(2))], { maxBytesPerFile: 1024 })).toEqual(['too-large a.py'])
    expect(rulesFor([edit('a.py', null, big(2)), edit('b.py', null, big(2))], { maxBytesTotal: 3 * 1024 })).toEqual(['too-large b.py'])
  })
})
