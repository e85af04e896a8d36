import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import type { Layout } from '../../src/domain.js'
import { diskFiles, ProjectSources } from '../../src/context/project-sources.js'
import { moduleImports, SymbolResolver } from '../../src/context/python-imports.js'
import { parsePython } from '../../src/context/python-source.js'
import { sourceRoots } from '../../src/context/source-roots.js'
import { fixturesDir } from './pytest-failures.js'

async function resolverFor(project: string, rootSubdir = '', knownFiles: string[] = []) {
  const repoRoot = path.join(fixturesDir, project)
  const rootDir = path.join(repoRoot, rootSubdir)
  const layout: Layout = { repoRoot, workDir: rootDir, rootDir }
  const sources = new ProjectSources(layout, diskFiles)
  const roots = await sourceRoots(sources, knownFiles)
  return { sources, roots, resolver: new SymbolResolver(sources, roots) }
}

describe('reading import statements', () => {
  it('binds every form of import to the name the module uses', () => {
    const module = parsePython(
      [
        'import a.b.c, d as e',
        'from . import sibling, other as alias',
        'from ..pkg.mod import (',
        '    first,',
        '    second as two,  # trailing comment',
        ')',
        'from star import *',
        'def f():',
        '    from lazy import thing',
        ''
      ].join('\n')
    )
    const { bindings, stars } = moduleImports(module)
    const summary = bindings.map(b => `${b.local}<-${b.module}${b.name ? `:${b.name}` : ''}${b.fullModule ? `(${b.fullModule})` : ''}`)
    expect(summary).toEqual([
      'a<-a(a.b.c)',
      'e<-d',
      'sibling<-.:sibling',
      'alias<-.:other',
      'first<-..pkg.mod:first',
      'two<-..pkg.mod:second',
      'thing<-lazy:thing'
    ])
    expect(stars).toEqual(['star'])
  })
})

describe('resolving imports to project files', () => {
  it('finds packages of a src/ layout through pytest pythonpath', async () => {
    const { roots, resolver } = await resolverFor('inventory')
    expect(roots).toContain('src')
    expect(await resolver.resolveModule('inventory.pricing', 'tests/test_pricing.py')).toBe('src/inventory/pricing.py')
    expect(await resolver.resolveModule('inventory', 'tests/test_pricing.py')).toBe('src/inventory/__init__.py')
    expect(await resolver.resolveModule('json', 'tests/test_pricing.py')).toBeNull()
  })

  it('resolves relative imports from the importing file, one dot per level', async () => {
    const { resolver } = await resolverFor('inventory')
    expect(await resolver.resolveModule('..pricing', 'src/inventory/util/text.py')).toBe('src/inventory/pricing.py')
    expect(await resolver.resolveModule('.util.text', 'src/inventory/reports.py')).toBe('src/inventory/util/text.py')
  })

  it('follows a name re-exported by a package __init__.py to its definition', async () => {
    const { resolver } = await resolverFor('inventory')
    const found = await resolver.resolveName('tests/test_stock.py', 'StockError')
    expect(found).toMatchObject({ file: 'src/inventory/stock.py', kind: 'class' })
  })

  it('tells a submodule imported from a package from a name in it', async () => {
    const { resolver } = await resolverFor('inventory')
    const chain = await resolver.resolveChain('tests/test_parsing.py', ['parsing', 'parse_line'])
    expect(chain.map(d => `${d.file}:${d.kind}`)).toEqual(['src/inventory/parsing.py:module', 'src/inventory/parsing.py:def'])
    expect(chain[1].block?.name).toBe('parse_line')
  })

  it('resolves `import pkg.mod` used as pkg.mod.func', async () => {
    const { resolver } = await resolverFor('inventory')
    const chain = await resolver.resolveChain('tests/test_reports.py', ['inventory', 'reports', 'render_table'])
    expect(chain.pop()).toMatchObject({ file: 'src/inventory/reports.py', kind: 'def' })
  })

  it('resolves `import pkg.mod as alias` and absolute imports inside a package whose rootdir is a subfolder', async () => {
    const { resolver } = await resolverFor('service', 'service')
    const rectangle = await resolver.resolveChain('service/tests/test_shapes.py', ['shapes', 'Rectangle'])
    expect(rectangle.pop()).toMatchObject({ file: 'service/geometry/shapes.py', kind: 'class' })
    const vector = await resolver.resolveName('service/geometry/shapes.py', 'Vector')
    expect(vector).toMatchObject({ file: 'service/geometry/vectors.py', kind: 'class' })
  })

  it('finds the base classes a class header names, and the methods a subclass inherits from them', async () => {
    const { resolver } = await resolverFor('../projects/exporters')
    const csv = await resolver.resolveName('tests/test_exporters.py', 'CsvExporter')
    expect(csv).toMatchObject({ file: 'tabular/exporters/csv.py', kind: 'class' })
    if (!csv) return
    const bases = await resolver.baseClasses(csv)
    expect(bases.map(base => `${base.file}:${base.block?.name}`)).toEqual(['tabular/exporters/base.py:Exporter'])
    const quote = await resolver.member(csv, 'quote')
    expect(quote).toMatchObject({ file: 'tabular/exporters/base.py', kind: 'def' })
    expect(quote?.block?.name).toBe('quote')
    // a method the subclass overrides is its own, not the base's
    const markdown = await resolver.resolveName('tests/test_exporters.py', 'MarkdownExporter')
    expect(markdown && (await resolver.member(markdown, 'line'))).toMatchObject({ file: 'tabular/exporters/markdown.py' })
    expect(await resolver.member(csv, 'no_such_method')).toBeNull()
  })

  it('looks through `from module import *`', async () => {
    const { resolver } = await resolverFor('service', 'service')
    const found = await resolver.resolveName('service/geometry/__init__.py', 'load_rectangle')
    expect(found).toMatchObject({ file: 'service/geometry/shapes.py', kind: 'def' })
  })

  it('lists the project files a module imports, not the standard library', async () => {
    const { resolver } = await resolverFor('service', 'service')
    const files = await resolver.importedFiles('service/geometry/shapes.py')
    expect(files.sort()).toEqual(['service/geometry/units.py', 'service/geometry/vectors.py'])
  })

  it('finds the import root of a package from a file known to be in it, without any config', async () => {
    const { roots, resolver } = await resolverFor('service', '', ['service/geometry/shapes.py'])
    expect(roots[0]).toBe('service')
    expect(await resolver.resolveModule('geometry.units', 'service/tests/test_shapes.py')).toBe('service/geometry/units.py')
  })
})
