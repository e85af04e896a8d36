import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { toFailures } from '../../src/failures/failures.js'
import { MaxCapturedChars } from '../../src/failures/junit.js'
import { createNodeIdResolver } from '../../src/failures/nodeid.js'
import { readJUnitReports } from '../../src/failures/read.js'

// A test that prints ~30 MB (with characters XML must escape) under junit_logging=all, run by real pytest.
const noisyTest = `import sys


def test_noisy():
    chunk = "<line & 'quoted' \\"x\\"> " * 40 + "\\n"
    for _ in range(30000):
        sys.stdout.write(chunk)
    sys.stdout.write("last line before the failure\\n")
    assert 1 + 1 == 3, "wrong sum"


def test_noisy_but_passing():
    sys.stdout.write("ok\\n" * 2000000)
`

describe('readJUnitReports: a report with huge captured output', () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'huge-output-'))
  const report = path.join(project, 'junit.xml')

  beforeAll(() => {
    fs.mkdirSync(path.join(project, 'tests'))
    fs.writeFileSync(path.join(project, 'tests', 'test_noisy.py'), noisyTest)
    try {
      execFileSync('python3', ['-m', 'pytest', '-p', 'no:cacheprovider', '-q', '-o', 'junit_logging=all', `--junitxml=${report}`], {
        cwd: project,
        env: { ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' },
        stdio: 'ignore'
      })
    } catch {
      // pytest exits 1: one test fails on purpose
    }
  }, 60_000)

  afterAll(() => fs.rmSync(project, { recursive: true, force: true }))

  it('parses quickly and keeps only the tail of the output', async () => {
    expect(fs.statSync(report).size).toBeGreaterThan(30_000_000)
    const started = performance.now()
    const { results } = await readJUnitReports('junit.xml', project, createNodeIdResolver(project))
    expect(performance.now() - started).toBeLessThan(5000)

    expect(results.map(r => [r.nodeId, r.outcome])).toEqual([
      ['tests/test_noisy.py::test_noisy', 'failed'],
      ['tests/test_noisy.py::test_noisy_but_passing', 'passed']
    ])
    const details = results[0].details ?? ''
    expect(details).toContain('AssertionError: wrong sum')
    expect(details).toContain(`<line & 'quoted' "x">`)
    expect(details).toMatch(/\[\d+ characters omitted\]/)
    expect(details).toContain('last line before the failure')
    expect(details.length).toBeLessThan(MaxCapturedChars * 2)
    expect(results[1].details).toBeUndefined()

    const [failure] = toFailures(results, { repoRoot: project, workDir: project, rootDir: project })
    expect(failure).toMatchObject({ errorType: 'AssertionError', errorFile: 'tests/test_noisy.py', line: 9 })
  }, 30_000)
})
