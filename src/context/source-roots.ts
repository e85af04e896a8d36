// The folders Python imports project code from, as pytest runs it: rootdir, src/ layouts, pytest's
// `pythonpath` setting, and the folder above each top-level package that a known file sits in.
import type { ProjectSources } from './project-sources.js'
import { joinRepoPath, repoDirname } from './project-sources.js'

const configFiles = ['pytest.ini', '.pytest.ini', 'pyproject.toml', 'tox.ini', 'setup.cfg']

/** Repository-relative import roots, most likely first; '' is the repository root. */
export async function sourceRoots(sources: ProjectSources, knownFiles: string[]): Promise<string[]> {
  const roots: string[] = []
  const add = (root: string | null): void => {
    if (root !== null && !roots.includes(root) && !sources.isInstalledCode(root)) roots.push(root)
  }
  for (const file of knownFiles) add(await packageBase(sources, file))
  const rootDir = sources.rootDirPath
  for (const entry of await configuredPythonPath(sources, rootDir)) add(sources.repoPath(entry, sources.layout.rootDir))
  for (const base of [rootDir, sources.repoPath(sources.layout.workDir) ?? '', '']) {
    add(base)
    add(joinRepoPath(base, 'src'))
  }
  return roots
}

/** The folder above the outermost package holding the file (pytest's rootdir-less `prepend` import root). */
async function packageBase(sources: ProjectSources, file: string): Promise<string> {
  let dir = repoDirname(file)
  while (dir !== '' && (await sources.exists(joinRepoPath(dir, '__init__.py')))) dir = repoDirname(dir)
  return dir
}

/** Entries of pytest's `pythonpath` ini option in the rootdir's config file. */
async function configuredPythonPath(sources: ProjectSources, rootDir: string): Promise<string[]> {
  for (const name of configFiles) {
    const text = await sources.text(joinRepoPath(rootDir, name))
    if (text === null) continue
    const match = /^[ \t]*pythonpath[ \t]*=[ \t]*(\[[^\]]*\]|.*(?:\n[ \t]+\S.*)*)/m.exec(text)
    if (!match) continue
    const value = match[1]
    return /["']/.test(value)
      ? [...value.matchAll(/["']([^"']*)["']/g)].map(entry => entry[1])
      : value.split(/\s+/).filter(entry => entry !== '')
  }
  return []
}
