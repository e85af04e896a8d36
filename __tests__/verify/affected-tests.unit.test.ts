// The import map behind the middle run: the test files that reach a changed module directly, through other
// project modules or through a conftest.py; nothing when every test file reaches it (that run is the suite).
import { describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { ImportMap } from '../../src/verify/affected-tests.js'

const flat = path.resolve('__tests__', 'fixtures', 'projects', 'flat')
const mapOf = (root: string): ImportMap => new ImportMap({ repoRoot: root, workDir: root, rootDir: root })

describe('the tests that import the changed code', () => {
  it('follows imports through project modules: pricing.py reaches its tests and the reports tests', async () => {
    expect((await mapOf(flat).testsImporting(['inventory/pricing.py']))?.sort()).toEqual(['tests/test_pricing.py', 'tests/test_reports.py'])
    expect(await mapOf(flat).testsImporting(['inventory/reports.py'])).toEqual(['tests/test_reports.py'])
  })

  it('says nothing when every test file reaches the change (tests/conftest.py imports the store), or a non-Python file changed', async () => {
    expect(await mapOf(flat).testsImporting(['inventory/store.py'])).toBeUndefined()
    expect(await mapOf(flat).testsImporting(['inventory/pricing.py', 'README.md'])).toBeUndefined()
  })
})
