import { describe, expect, it } from '@jest/globals'
import { ProjectSources, type SourceFiles } from '../../src/context/project-sources.js'
import { locatePrinted } from '../../src/context/traceback-clues.js'

const repoRoot = '/work/repo'
const layout = { repoRoot, workDir: `${repoRoot}/service`, rootDir: `${repoRoot}/service` }

function memoryFiles(files: Record<string, string>): SourceFiles & { asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    async read(absolutePath) {
      asked.push(absolutePath)
      return files[absolutePath] ?? null
    }
  }
}

describe('only files inside the repository are read', () => {
  it('maps printed paths to repository paths and refuses anything outside or in .git', () => {
    const sources = new ProjectSources(layout, memoryFiles({}))
    expect(sources.repoPath('tests/test_a.py')).toBe('service/tests/test_a.py')
    expect(sources.repoPath('/work/repo/src/a.py')).toBe('src/a.py')
    expect(sources.repoPath('../../etc/passwd')).toBeNull()
    expect(sources.repoPath('/usr/lib/python3.11/json/decoder.py')).toBeNull()
    expect(sources.repoPath('../.git/config')).toBeNull()
  })

  it('never reads a path that escapes the repository, however it is spelled', async () => {
    const files = memoryFiles({ '/etc/passwd': 'root:x:0:0' })
    const sources = new ProjectSources(layout, files)
    expect(await sources.text('../../etc/passwd')).toBeNull()
    expect(await sources.text('/etc/passwd')).toBeNull()
    expect(await sources.text('.git/config')).toBeNull()
    expect(files.asked).toEqual([])
  })

  it('tells installed packages inside the checkout from project code', () => {
    const sources = new ProjectSources(layout, memoryFiles({}))
    expect(sources.isInstalledCode('.venv/lib/python3.12/site-packages/requests/api.py')).toBe(true)
    expect(sources.isInstalledCode('src/venvtools/core.py')).toBe(false)
  })
})

describe('placing paths pytest printed', () => {
  const files = memoryFiles({
    '/work/repo/service/tests/test_a.py': 'def test_a(): pass\n',
    '/work/repo/service/geometry/shapes.py': 'class Rectangle: pass\n'
  })
  const sources = new ProjectSources(layout, files)

  it('resolves relative paths from where pytest ran', async () => {
    expect(await locatePrinted('tests/test_a.py', sources)).toBe('service/tests/test_a.py')
  })

  it('finds a file from a report written on another machine by its path suffix', async () => {
    expect(await locatePrinted('/home/runner/work/repo/repo/service/geometry/shapes.py', sources)).toBe('service/geometry/shapes.py')
    expect(await locatePrinted('D:\\a\\repo\\repo\\service\\geometry\\shapes.py', sources)).toBe('service/geometry/shapes.py')
  })

  it('leaves the standard library, site-packages and frozen modules outside', async () => {
    expect(await locatePrinted('/usr/lib/python3.11/json/decoder.py', sources)).toBeNull()
    expect(await locatePrinted('/opt/venv/lib/python3.11/site-packages/geometry/shapes.py', sources)).toBeNull()
    expect(await locatePrinted('<frozen importlib._bootstrap>', sources)).toBeNull()
  })
})
