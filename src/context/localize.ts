// Localization: from a group's failures to the code that most likely holds the bug, ranked.
// error frame > test function > fixtures > called functions > other frames > imported modules.
import type { Failure, Frame, Group } from '../domain.js'
import { attributesUsedBy, calleesOf, type Unit } from './callees.js'
import { findFixtures, requestedFixtures } from './fixtures.js'
import { importTargets, placeImportTarget } from './import-targets.js'
import type { ProjectSources } from './project-sources.js'
import { SymbolResolver } from './python-imports.js'
import { blockAtPath, childBlocks, qualifiedName, type Block, type PythonModule } from './python-source.js'
import { RegionList, Tier, smallFileLines, spansAround, type CodeRegion } from './regions.js'
import { sourceRoots } from './source-roots.js'
import { frameLabel, readClues, type Clues } from './traceback-clues.js'

export interface Localization {
  regions: CodeRegion[]
  /** frames outside the repository (site-packages, the standard library): named, never shown */
  outside: string[]
  /** every project file on the failing tests' path: the regions' files and what the test modules import, transitively */
  reached: Set<string>
}

const maxUnits = 60
const maxCalleeDepth = 3
const maxImportDepth = 4
const maxReachedFiles = 300
const classSetups = new Set(['setUp', 'asyncSetUp', 'setUpClass', 'setup_method', 'setup_class', 'setup'])

/** The parts of a node id: the file (relative to rootdir) and the names inside it, parameters dropped. */
export function nodeIdParts(nodeId: string): { path: string; names: string[] } {
  const bracket = nodeId.indexOf('[')
  const [path, ...names] = (bracket >= 0 ? nodeId.slice(0, bracket) : nodeId).split('::')
  // doctest items are named `pkg.mod.func`; the def is the last part
  return { path, names: names.map(name => name.split('.').pop() ?? name) }
}

export async function localizeGroup(group: Group, sources: ProjectSources): Promise<Localization> {
  const localizer = await Localizer.create(group.failures, sources)
  for (const failure of group.failures) await localizer.placeFailure(failure)
  await localizer.placeCallees()
  await localizer.placeImportedModules()
  const regions = localizer.regions.ranked()
  return { regions, outside: outsideFrames(group.failures), reached: await localizer.reachedFiles(regions) }
}

interface Place {
  file: string
  line: number
}

interface TestDefinition {
  module: PythonModule
  block: Block
  classes: Block[]
}

class Localizer {
  readonly regions = new RegionList()
  private readonly units: Unit[] = []

  private constructor(
    private readonly sources: ProjectSources,
    private readonly resolver: SymbolResolver,
    private readonly testFiles: Map<Failure, string>,
    private readonly clues: Map<Failure, Clues>
  ) {}

  static async create(failures: Failure[], sources: ProjectSources): Promise<Localizer> {
    const testFiles = new Map<Failure, string>()
    const clues = new Map<Failure, Clues>()
    for (const failure of failures) {
      testFiles.set(failure, await testFileOf(failure, sources))
      clues.set(failure, await readClues(`${failure.traceback}\n${failure.message}`, sources))
    }
    const frameFiles = failures.flatMap(failure => failure.frames.filter(frame => frame.inRepo).map(frame => frame.file))
    const known = [...testFiles.values(), ...frameFiles].filter(file => file !== '')
    const resolver = new SymbolResolver(sources, await sourceRoots(sources, known))
    return new Localizer(sources, resolver, testFiles, clues)
  }

  async placeFailure(failure: Failure): Promise<void> {
    const testFile = this.testFiles.get(failure) ?? ''
    const clues = this.clues.get(failure) ?? { clues: [], modules: [] }
    const frames = await projectFrames(failure.frames, clues, this.sources)
    const error: Place | undefined =
      failure.errorFile && failure.line ? { file: failure.errorFile, line: failure.line } : frames[frames.length - 1]
    const collecting = failure.phase === 'collect'

    for (const clue of clues.clues.filter(clue => clue.kind === 'syntax').reverse()) {
      await this.place(clue.file, Tier.Error, 'the error points here (a syntax error is reported at or just after the broken line)', {
        line: clue.line
      })
    }
    for (const target of await importTargets(clues.clues, clues.modules, testFile || error?.file || '', this.resolver)) {
      await placeImportTarget(target, this.regions, this.sources)
    }
    if (error && (await this.sources.exists(error.file))) {
      const what = collecting ? 'error while importing the module' : `${failure.errorType || 'error'} raised here`
      const name = nodeIdParts(failure.nodeId).names.join('::') || failure.nodeId
      await this.place(error.file, Tier.Error, what, { line: error.line }, name)
      const module = await this.sources.python(error.file)
      const block = module?.blocks.filter(block => block.kind === 'def' && block.start <= error.line && error.line <= block.end).pop()
      if (block && !collecting) this.units.push({ file: error.file, block, depth: 0, caller: block.name })
    }
    // the intake may name the module that failed when it is not the test module (a broken conftest.py)
    if (collecting && failure.file && failure.file !== testFile && failure.file !== error?.file) {
      await this.place(failure.file, Tier.Error, 'the module that failed to import', { line: 1 })
    }
    const test = collecting ? undefined : await testDefinition(this.sources, testFile, failure.nodeId)
    if (test) await this.placeTest(testFile, test)
    for (const frame of frames) {
      if (frame.file === error?.file && frame.line === error.line) continue
      if (test && frame.file === testFile && test.block.start <= frame.line && frame.line <= test.block.end) continue
      await this.place(frame.file, Tier.Frame, 'traceback frame', { line: frame.line })
    }
  }

  /** The test function, its fixtures, and the setUp of its classes. */
  private async placeTest(testFile: string, test: TestDefinition): Promise<void> {
    await this.place(testFile, Tier.Test, `test ${qualifiedName(test.module, test.block)}`, { block: test.block })
    this.units.push({ file: testFile, block: test.block, depth: 0, caller: test.block.name })
    for (const fixture of await findFixtures(this.sources, requestedFixtures(test.block, test.classes), testFile, test.classes)) {
      await this.place(fixture.file, Tier.Fixture, `fixture ${fixture.name}`, { block: fixture.block })
      this.units.push({ file: fixture.file, block: fixture.block, depth: 0, caller: `fixture ${fixture.name}` })
    }
    // unittest and xunit-style classes prepare their tests in setUp / setup_method instead of fixtures
    for (const owner of test.classes) {
      for (const setup of childBlocks(test.module, owner).filter(block => classSetups.has(block.name))) {
        await this.place(testFile, Tier.Fixture, `${owner.name}.${setup.name}`, { block: setup })
        this.units.push({ file: testFile, block: setup, depth: 0, caller: `${owner.name}.${setup.name}` })
      }
    }
  }

  /** What the failing code calls, breadth first: direct calls rank above deeper ones. */
  async placeCallees(): Promise<void> {
    const attributesUsed = await attributesUsedBy(this.units, this.sources)
    for (let next = 0; next < this.units.length && next < maxUnits; next++) {
      const unit = this.units[next]
      if (unit.depth >= maxCalleeDepth) continue
      const tier = unit.depth === 0 ? Tier.Callee : Tier.Imported
      for (const definition of await calleesOf(unit, this.resolver, this.sources, attributesUsed)) {
        const name = definition.block?.name ?? 'module-level name'
        await this.place(
          definition.file,
          tier,
          `${name}, used by ${unit.caller}`,
          definition.block ? { block: definition.block } : { line: definition.start }
        )
        if (definition.block?.kind === 'def' && !this.units.some(known => known.block === definition.block)) {
          this.units.push({ file: definition.file, block: definition.block, depth: unit.depth + 1, caller: definition.block.name })
        }
      }
    }
  }

  /** The small project modules the test modules import, whole. */
  async placeImportedModules(): Promise<void> {
    for (const importer of new Set([...this.testFiles.values()].filter(file => file !== ''))) {
      for (const file of await this.resolver.importedFiles(importer)) {
        const module = await this.sources.python(file)
        if (!module || module.lines.length > smallFileLines || module.lines.every(line => line.trim() === '')) continue
        const whole = { start: 1, end: module.lines.length }
        this.regions.add({ file, tier: Tier.Imported, spans: [whole], focus: whole, note: `imported by ${importer}` })
      }
    }
  }

  /** The regions' files and the project modules the test modules import, followed `maxImportDepth` deep. */
  async reachedFiles(regions: CodeRegion[]): Promise<Set<string>> {
    const reached = new Set(regions.map(region => region.file))
    let layer = [...new Set([...this.testFiles.values()].filter(file => file !== ''))]
    const followed = new Set(layer)
    for (let depth = 0; depth < maxImportDepth && layer.length > 0 && reached.size < maxReachedFiles; depth++) {
      const next: string[] = []
      for (const file of layer) {
        for (const imported of await this.resolver.importedFiles(file)) {
          reached.add(imported)
          if (!followed.has(imported)) next.push(imported)
          followed.add(imported)
        }
      }
      layer = next
    }
    return reached
  }

  private async place(file: string, tier: Tier, note: string, focus: { line?: number; block?: Block }, test?: string): Promise<void> {
    const spans = await spansAround(this.sources, file, focus)
    const line = focus.line ?? 1
    const extent = focus.block ? { start: focus.block.start, end: focus.block.end } : { start: line, end: line }
    this.regions.add({ file, tier, spans, focus: extent, note, tests: test === undefined ? undefined : [test] })
  }
}

/** The repository path of the failure's test file: the node id's file, relative to rootdir. */
async function testFileOf(failure: Failure, sources: ProjectSources): Promise<string> {
  const fromNodeId = sources.repoPath(nodeIdParts(failure.nodeId).path, sources.layout.rootDir)
  if (fromNodeId && fromNodeId.endsWith('.py') && (await sources.exists(fromNodeId))) return fromNodeId
  return failure.phase === 'collect' ? '' : failure.file
}

async function testDefinition(sources: ProjectSources, testFile: string, nodeId: string): Promise<TestDefinition | undefined> {
  const module = testFile ? await sources.python(testFile) : null
  const names = nodeIdParts(nodeId).names
  const block = module && names.length > 0 ? blockAtPath(module, names) : undefined
  if (!module || !block) return undefined
  const classes: Block[] = []
  for (let parent = block.parent; parent >= 0; parent = module.blocks[parent].parent) classes.unshift(module.blocks[parent])
  return { module, block, classes }
}

/** In-repository frames of the failure, outermost first: the intake's frames, plus any only the text shows. */
async function projectFrames(frames: Frame[], clues: Clues, sources: ProjectSources): Promise<Place[]> {
  const fromIntake = frames
    .filter(frame => frame.inRepo && !sources.isInstalledCode(frame.file))
    .map(frame => ({ file: frame.file, line: frame.line }))
  const fromText = clues.clues
    .filter(clue => clue.kind === 'frame' && clue.line !== undefined)
    .map(clue => ({ file: clue.file, line: clue.line as number }))
  const all = [
    ...fromIntake,
    ...fromText.filter(frame => !fromIntake.some(known => known.file === frame.file && known.line === frame.line))
  ]
  const existing: Place[] = []
  for (const frame of all) if (await sources.exists(frame.file)) existing.push(frame)
  return existing
}

function outsideFrames(failures: Failure[]): string[] {
  const outside = new Set<string>()
  for (const failure of failures) for (const frame of failure.frames) if (!frame.inRepo) outside.add(frameLabel(frame))
  return [...outside]
}
