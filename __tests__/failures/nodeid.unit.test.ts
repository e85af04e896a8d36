import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import type { TestResult } from '../../src/domain.js'
import { parseJUnitXml } from '../../src/failures/junit.js'
import { createNodeIdResolver } from '../../src/failures/nodeid.js'
import { intakeDir, recordedRun } from './reports.js'

const basic = path.join(intakeDir, 'basic')
const ambiguous = path.join(intakeDir, 'ambiguous')
const failingIds = (results: TestResult[]): string[] => results.filter(r => r.outcome === 'failed').map(r => r.nodeId)

describe('createNodeIdResolver: classnames read against the files under rootDir', () => {
  it('splits module path from classes where the files say so', () => {
    const resolve = createNodeIdResolver(basic)
    expect(resolve({ classname: 'tests.test_classes.TestAdd.TestNested', name: 'test_deep' })).toBe(
      'tests/test_classes.py::TestAdd::TestNested::test_deep'
    )
    expect(resolve({ classname: 'tests.v1.2.test_versioned', name: 'test_in_dotted_directory' })).toBe(
      'tests/v1.2/test_versioned.py::test_in_dotted_directory'
    )
    expect(resolve({ classname: 'docs.guide.txt', name: 'guide.txt' })).toBe('docs/guide.txt::guide.txt')
    expect(resolve.warnings).toEqual([])
  })

  it('maps a collection error (empty classname) to its module or directory', () => {
    const resolve = createNodeIdResolver(path.join(intakeDir, 'collect_errors'))
    expect(resolve({ classname: '', name: 'tests.test_imports_missing' })).toBe('tests/test_imports_missing.py')
    expect(resolve({ classname: '', name: 'tests.sub' })).toBe('tests/sub')
  })

  it('trusts the xunit1 file attribute, even for files it cannot see', () => {
    const resolve = createNodeIdResolver(os.tmpdir())
    expect(resolve({ classname: 'pkg.test_mod.TestX', name: 'test_y[1]', file: 'pkg/test_mod.py', line: 3 })).toBe(
      'pkg/test_mod.py::TestX::test_y[1]'
    )
    expect(resolve({ classname: '', name: 'pkg.test_mod', file: 'pkg/test_mod.py' })).toBe('pkg/test_mod.py')
    expect(resolve.warnings).toEqual([])
  })

  it('looks past a file attribute that names a base class in another module', () => {
    const resolve = createNodeIdResolver(basic)
    expect(resolve({ classname: 'tests.test_classes.TestAdd', name: 'test_positive', file: 'tests/base.py' })).toBe(
      'tests/test_classes.py::TestAdd::test_positive'
    )
  })
})

describe('createNodeIdResolver: a classname that reads two ways is settled, or reported', () => {
  it('drops a reading whose file does not define the class', () => {
    const resolve = createNodeIdResolver(ambiguous)
    expect(resolve({ classname: 'tests.test_api.TestClient', name: 'test_get' })).toBe('tests/test_api/TestClient.py::test_get')
    expect(resolve({ classname: 'tests.test_api', name: 'test_get' })).toBe('tests/test_api.py::test_get')
    expect(resolve.warnings).toEqual([])
  })

  it('uses the collected node ids (pytest --collect-only -q)', () => {
    const run = recordedRun('ambiguous')
    const resolve = run.resolver({ collected: true })
    expect(resolve({ classname: 'tests.test_gen.TestGen', name: 'test_x' })).toBe('tests/test_gen/TestGen.py::test_x')
    expect(resolve.warnings).toEqual([])
  })

  it('uses the file a failure traceback starts in', () => {
    const run = recordedRun('ambiguous')
    const results = parseJUnitXml(run.xml, 'junit.xml', run.resolver())
    expect(failingIds(results).sort()).toEqual([...run.collected].sort())
  })

  it('takes the first reading and says so when nothing settles it', () => {
    const resolve = createNodeIdResolver(ambiguous)
    expect(resolve({ classname: 'tests.test_amb.TestA', name: 'test_one' })).toBe('tests/test_amb.py::TestA::test_one')
    expect(resolve.warnings).toHaveLength(1)
    expect(resolve.warnings[0]).toContain('tests/test_amb.py::TestA::test_one and tests/test_amb/TestA.py::test_one')
    expect(resolve.warnings[0]).toContain('junit_family=xunit1')
  })

  it('guesses Test* classes when no file matches, and says so', () => {
    const resolve = createNodeIdResolver(basic)
    expect(resolve({ classname: 'gone.test_old.TestLegacy', name: 'test_z' })).toBe('gone/test_old.py::TestLegacy::test_z')
    expect(resolve({ classname: '', name: 'gone.test_old' })).toBe('gone/test_old.py')
    expect(resolve.warnings).toHaveLength(2)
    expect(resolve.warnings[0]).toContain('matches no file')
  })

  it('warns once per testcase however often it is resolved', () => {
    const resolve = createNodeIdResolver(ambiguous)
    for (let i = 0; i < 3; i++) resolve({ classname: 'tests.test_amb.TestA', name: 'test_one' })
    expect(resolve.warnings).toHaveLength(1)
  })
})

describe('createNodeIdResolver: stays fast on large suites', () => {
  it('looks each file up once', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeid-'))
    fs.mkdirSync(path.join(root, 'tests'))
    fs.writeFileSync(path.join(root, 'tests', 'test_many.py'), 'class TestMany:\n    pass\n')
    const resolve = createNodeIdResolver(root)
    const started = performance.now()
    for (let i = 0; i < 20_000; i++) resolve({ classname: 'tests.test_many.TestMany', name: `test_${i}[p${i}]` })
    expect(performance.now() - started).toBeLessThan(2000)
    expect(resolve({ classname: 'tests.test_many.TestMany', name: 'test_1[p1]' })).toBe('tests/test_many.py::TestMany::test_1[p1]')
    fs.rmSync(root, { recursive: true, force: true })
  })
})
