import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { findFixtures, requestedFixtures } from '../../src/context/fixtures.js'
import { diskFiles, ProjectSources } from '../../src/context/project-sources.js'
import { blockAtPath } from '../../src/context/python-source.js'
import { fixturesDir } from './pytest-failures.js'

const repoRoot = path.join(fixturesDir, 'fixture_lookup')
const sources = new ProjectSources({ repoRoot, workDir: repoRoot, rootDir: repoRoot }, diskFiles)
const testFile = 'tests/api/test_api.py'

async function testOfClass() {
  const module = await sources.python(testFile)
  const testClass = blockAtPath(module!, ['TestApi'])!
  const test = blockAtPath(module!, ['TestApi', 'test_get'])!
  return { test, classes: [testClass] }
}

describe('finding the fixtures a test uses, where pytest looks for them', () => {
  it('asks for its parameters and the usefixtures marks of its classes', async () => {
    const { test, classes } = await testOfClass()
    expect(requestedFixtures(test, classes)).toEqual(['client', 'payload', 'token', 'tmp_path', 'audit'])
  })

  it('finds them in the class, the module and the conftest.py files up to the root, nearest first', async () => {
    const { test, classes } = await testOfClass()
    const found = await findFixtures(sources, requestedFixtures(test, classes), testFile, classes)
    const where = Object.fromEntries(found.map(fixture => [fixture.name, `${fixture.file}:${fixture.block.name}`]))
    expect(where).toEqual({
      client: 'tests/conftest.py:client',
      payload: 'tests/api/test_api.py:payload',
      token: 'tests/api/test_api.py:token',
      audit: 'tests/conftest.py:audit',
      // requested by client: the nearer conftest overrides the root one; `name=` renames a fixture
      db: 'tests/conftest.py:db',
      settings: 'conftest.py:settings_fixture'
    })
  })

  it('leaves out fixtures pytest itself provides', async () => {
    const { test, classes } = await testOfClass()
    const found = await findFixtures(sources, requestedFixtures(test, classes), testFile, classes)
    expect(found.map(fixture => fixture.name)).not.toContain('tmp_path')
  })
})
