// The middle run of the three-run plan: the test files that import a changed module, directly or through other
// project modules (the import map), so that an attempt which breaks its neighbours is rejected before the whole
// suite runs. Only a narrowing: the full suite still has the last word before anything is accepted.
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Layout } from '../domain.js'
import { diskFiles, ProjectSources, toPosix, type SourceFiles } from '../context/project-sources.js'
import { moduleImports, SymbolResolver } from '../context/python-imports.js'
import { sourceRoots } from '../context/source-roots.js'

/** Past this many Python files the map costs more than the run it saves: no middle run. */
const maxFiles = 4000
const skipped = /^(\.|__pycache__$|node_modules$|site-packages$|venv$|build$|dist$|.*\.egg-info$)/
const testFile = /(^|\/)(test_[^/]*|[^/]*_test)\.py$/

export class ImportMap {
  private importersOf: Map<string, Set<string>> | undefined
  private testFiles = 0

  constructor(
    private readonly layout: Layout,
    private readonly files: SourceFiles = diskFiles
  ) {}

  /**
   * Test files (relative to pytest's rootdir, as node ids are) that import one of `changed` (repository-relative),
   * nearest first; undefined when the map cannot tell (too many files, nothing Python changed).
   */
  async testsImporting(changed: string[]): Promise<string[] | undefined> {
    const python = changed.filter(file => file.endsWith('.py'))
    if (python.length === 0 || python.length < changed.length) return undefined
    const importers = await this.graph()
    if (importers === undefined) return undefined
    const reached = new Set<string>(python)
    const queue = [...python]
    while (queue.length > 0) {
      const file = queue.shift() as string
      for (const importer of importers.get(file) ?? []) {
        if (reached.has(importer)) continue
        reached.add(importer)
        queue.push(importer)
      }
    }
    const rootDir = toPosix(path.relative(this.layout.repoRoot, this.layout.rootDir))
    const underRoot = (file: string): boolean => testFile.test(file) && (rootDir === '' || file.startsWith(`${rootDir}/`))
    const tests = [...reached].filter(underRoot)
    // every test file reaches it: that run would be the suite itself, which runs next anyway
    if (tests.length === 0 || tests.length >= this.testFiles) return undefined
    return tests.map(file => toPosix(path.relative(this.layout.rootDir, path.join(this.layout.repoRoot, file))))
  }

  /** For each project file, the project files that import it (built once, on first use). */
  private async graph(): Promise<Map<string, Set<string>> | undefined> {
    if (this.importersOf !== undefined) return this.importersOf
    const all = listPython(this.layout.rootDir, this.layout.repoRoot)
    if (all === undefined) return undefined
    const sources = new ProjectSources(this.layout, this.files)
    const resolver = new SymbolResolver(sources, await sourceRoots(sources, all.filter(file => testFile.test(file)).slice(0, 50)))
    this.testFiles = all.filter(file => testFile.test(file)).length
    const importers = new Map<string, Set<string>>()
    const edge = (from: string, to: string | null): void => {
      if (to === null || to === from) return
      let set = importers.get(to)
      if (set === undefined) importers.set(to, (set = new Set()))
      set.add(from)
    }
    for (const file of all) {
      const module = await sources.python(file)
      if (module === null) continue
      const { bindings, stars } = moduleImports(module)
      for (const binding of bindings) {
        const target = binding.fullModule ?? binding.module
        edge(file, await resolver.resolveModule(target, file))
        // `from pkg import mod` imports the submodule; `import a.b` runs a/__init__.py too
        if (binding.name !== undefined) {
          const separator = binding.module.endsWith('.') ? '' : '.'
          edge(file, await resolver.resolveModule(`${binding.module}${separator}${binding.name}`, file))
        }
        if (binding.fullModule !== undefined) edge(file, await resolver.resolveModule(binding.module, file))
      }
      for (const star of stars) edge(file, await resolver.resolveModule(star, file))
      // conftest.py files are imported by pytest for every test below them
      if (/(^|\/)conftest\.py$/.test(file)) {
        const dir = path.posix.dirname(file)
        for (const test of all) if (testFile.test(test) && (dir === '.' || test.startsWith(`${dir}/`))) edge(test, file)
      }
    }
    this.importersOf = importers
    return importers
  }
}

/** Repository-relative Python files under `dir`; undefined past `maxFiles`. */
function listPython(dir: string, repoRoot: string): string[] | undefined {
  const found: string[] = []
  const walk = (current: string): boolean => {
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(current, { withFileTypes: true })
    } catch {
      return true
    }
    for (const entry of entries) {
      if (skipped.test(entry.name)) continue
      const full = path.join(current, entry.name)
      if (entry.isDirectory()) {
        if (!walk(full)) return false
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        found.push(toPosix(path.relative(repoRoot, full)))
        if (found.length > maxFiles) return false
      }
    }
    return true
  }
  return walk(dir) ? found : undefined
}
