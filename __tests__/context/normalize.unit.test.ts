// What the model reads of test output: the same for the same failure on any runner, path or run.
import { describe, expect, it } from '@jest/globals'
import { logBeyondJUnit, normalizeOutput } from '../../src/context/normalize.js'

const repoFiles = new Set(['pkg/mod.py', 'tests/test_mod.py'])
const paths = { repoRoot: '/home/me/work/repo', isRepoFile: (file: string) => repoFiles.has(file) }

describe('normalizeOutput', () => {
  it('makes paths of this checkout relative to the repository root', () => {
    expect(normalizeOutput('/home/me/work/repo/pkg/mod.py:12: in f', paths)).toBe('pkg/mod.py:12: in f')
    expect(normalizeOutput('File "/home/me/work/repo/tests/test_mod.py", line 3', paths)).toBe('File "tests/test_mod.py", line 3')
  })

  it('places paths of another runner by the files of this repository, and leaves unknown paths alone', () => {
    expect(normalizeOutput('/home/runner/work/repo/repo/pkg/mod.py:12: ValueError', paths)).toBe('pkg/mod.py:12: ValueError')
    expect(normalizeOutput('see /etc/passwd', paths)).toBe('see /etc/passwd')
  })

  it('names installed packages and the standard library by a short prefix', () => {
    expect(normalizeOutput('/opt/venv/lib/python3.11/site-packages/requests/api.py:59: in get', paths)).toBe(
      '<site-packages>/requests/api.py:59: in get'
    )
    expect(normalizeOutput('/usr/lib/python3.11/json/decoder.py:355: JSONDecodeError', paths)).toBe(
      '<stdlib>/json/decoder.py:355: JSONDecodeError'
    )
    expect(normalizeOutput('/tmp/pytest-of-runner/pytest-7/test_write0/out.txt', paths)).toBe('<tmp>/test_write0/out.txt')
  })

  it('strips ANSI codes and masks addresses, durations, timestamps and commit ids', () => {
    const text = '\u001b[31mE   assert <function f at 0x7f3a2b1c9d30> is None\u001b[0m\n\u001b[1m1 failed in 0.85s\u001b[0m (12ms)'
    expect(normalizeOutput(text, paths)).toBe('E   assert <function f at 0x?> is None\n1 failed in ?s (?ms)')
    expect(normalizeOutput('at 2026-12-02T19:45:30.123Z on 0123456789abcdef0123456789abcdef01234567', paths)).toBe('at <time> on <commit>')
    expect(normalizeOutput('mask = 0xFF; slow 12.50s (0:00:12)', paths)).toBe('mask = 0xFF; slow ?s')
  })

  it("drops pytest's echo of the action's own arguments: its cache dir and JUnit file in the runner's temp dir", () => {
    const output = [
      'rootdir: /home/me/work/repo',
      'cachedir: /home/runner/work/_temp/pytest-fixer-run/cache-3',
      'FAILED tests/test_a.py::test_one - AssertionError',
      '- generated xml file: /home/runner/work/_temp/pytest-fixer-run/pytest-3-group.xml -'
    ].join('\n')
    expect(normalizeOutput(output, paths)).toBe('rootdir: .\nFAILED tests/test_a.py::test_one - AssertionError\n')
  })

  it('reads the same for the same failure at two workspace paths', () => {
    const at = (root: string) =>
      `${root}/pkg/mod.py:3: in f\nE   ValueError: <Foo object at 0x10a4b2c90>\n== 1 failed in ${root.length / 10}s ==`
    expect(normalizeOutput(at('/a/x'), { ...paths, repoRoot: '/a/x' })).toBe(
      normalizeOutput(at('/home/runner/work/r/r'), { ...paths, repoRoot: '/home/runner/work/r/r' })
    )
  })
})

describe('logBeyondJUnit', () => {
  const log = [
    'Run pytest',
    '============================= test session starts ==============================',
    'platform linux -- Python 3.11.2, pytest-9.0.0',
    'rootdir: /home/me/work/repo',
    'collected 3 items',
    '',
    'tests/test_mod.py .F.                                                    [100%]',
    '',
    '=================================== FAILURES ===================================',
    '___________________________________ test_b ____________________________________',
    '',
    '    def test_b():',
    '>       assert f() == 2',
    'E       assert 1 == 2',
    '',
    'tests/test_mod.py:7: AssertionError',
    '----------------------------- Captured stdout call -----------------------------',
    'computing f',
    '=============================== warnings summary ===============================',
    'tests/test_mod.py::test_b',
    '  DeprecationWarning: old api',
    '=========================== short test summary info ============================',
    'FAILED tests/test_mod.py::test_b - assert 1 == 2',
    '========================= 1 failed, 2 passed in 0.12s =========================='
  ].join('\n')

  it('keeps captured output with its test, the warnings and the short summary; drops the tracebacks JUnit holds', () => {
    const kept = logBeyondJUnit(log)
    expect(kept).toContain('Run pytest')
    expect(kept).toContain('___ test_b ___')
    expect(kept).toContain('computing f')
    expect(kept).toContain('DeprecationWarning: old api')
    expect(kept).toContain('FAILED tests/test_mod.py::test_b - assert 1 == 2')
    expect(kept).toContain('1 failed, 2 passed')
    expect(kept).not.toContain('>       assert f() == 2')
    expect(kept).not.toContain('platform linux')
    expect(kept).not.toContain('[100%]')
  })

  it("keeps a log that is not pytest's whole", () => {
    expect(logBeyondJUnit('ERROR: could not install\nline 2')).toBe('ERROR: could not install\nline 2')
  })
})
