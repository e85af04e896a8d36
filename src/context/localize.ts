// Localization: from a group's failures to the code that most likely holds the bug, ranked.
// error frame > test function > fixtures > called functions > other frames > imported modules.
import type { Failure, Frame, Group } from '../domain.js'
import { findFixtures, requestedFixtures } from './fixtures.js'
import type { ProjectSources } from './project-sources.js'
import { SymbolResolver, type Definition } from './python-imports.js'
import { blockAtPath, childBlocks, namesUsed, qualifiedName, statementsIn, type Block } from './python-source.js'
import { RegionList, Tier, smallFileLines, spansAround, type CodeRegion } from './regions.js'
import { sourceRoots } from './source-roots.js'
import { frameLabel, readClues, type Clue } from './traceback-clues.js'

export interface Localization {
  regions: CodeRegion[]
  /** frames outside the repository (site-packages, the standard library): named, never shown */
  outside: string[]
}

/** A def whose calls lead to more code. */
interface Unit {
  file: string
  block: Block
  depth: number
  caller: string
}

const maxUnits = 60
const maxCalleeDepth = 3

/** The parts of a node id: the file (relative to rootdir) and the names inside it, parameters dropped. */
export function nodeIdParts(nodeId: string): { path: string; names: string[] } {
  const bracket = nodeId.indexOf('[')
  const [path, ...names] = (bracket >= 0 ? nodeId.slice(0, bracket) : nodeId).split('::')
  // doctest items are named `pkg.mod.func`; the def is the last part
  return { path, names: names.map(name => name.split('.').pop() ?? name) }
}

export async function localizeGroup(group: Group, sources: ProjectSources): Promise<Localization> {
  const failures = group.failures
  const clues = await Promise.all(failures.map(failure => readClues(`${failure.traceback}\n${failure.message}`, sources)))
  const testFiles = await Promise.all(failures.map(failure => testFileOf(failure, sources)))
  const known = [...testFiles, ...failures.flatMap(failure => failure.frames.filter(frame => frame.inRepo).map(frame => frame.file))]
  const resolver = new SymbolResolver(sources, await sourceRoots(sources, known.filter(file => file !== '')))
  const regions = new RegionList()
  const units: Unit[] = []
  const attributesUsed = new Set<string>()

  const place = async (file: string, tier: Tier, note: string, focus: { line?: number; block?: Block }, test?: string): Promise<void> => {
    const spans = await spansAround(sources, file, focus)
    const line = focus.line
    const extent = focus.block ? { start: focus.block.start, end: focus.block.end } : { start: line ?? 1, end: line ?? 1 }
    regions.add({ file, tier, spans, focus: extent, note, tests: test === undefined ? undefined : [test] })
  }
  const defAt = async (file: string, line: number): Promise<Block | undefined> => {
    const module = await sources.python(file)
    return module?.blocks.filter(block => block.kind === 'def' && block.start <= line && line <= block.end).pop()
  }

  for (const [index, failure] of failures.entries()) {
    const testFile = testFiles[index]
    const { clues: found, modules } = clues[index]
    const frames = await projectFrames(failure.frames, found, sources)
    const error = failure.errorFile && failure.line ? { file: failure.errorFile, line: failure.line } : frames[frames.length - 1]
    const collecting = failure.phase === 'collect'
    const shortName = nodeIdParts(failure.nodeId).names.join('::') || failure.nodeId

    for (const clue of found.filter(clue => clue.kind === 'syntax').reverse()) {
      await place(clue.file, Tier.Error, 'the error points here (a syntax error is reported at or just after the broken line)', { line: clue.line })
    }
    for (const target of await importTargets(found, modules, testFile || error?.file || '', resolver)) {
      await placeImportTarget(target, regions, sources)
    }
    if (error && (await sources.exists(error.file))) {
      const what = collecting ? 'error while importing the module' : `${failure.errorType || 'error'} raised here`
      await place(error.file, Tier.Error, what, { line: error.line }, shortName)
      const block = await defAt(error.file, error.line)
      if (block && !collecting) units.push({ file: error.file, block, depth: 0, caller: block.name })
    }
    // the intake may name the module that failed when it is not the test module (a broken conftest.py)
    if (collecting && failure.file && failure.file !== testFile && failure.file !== error?.file) {
      await place(failure.file, Tier.Error, 'the module that failed to import', { line: 1 })
    }

    const test = collecting ? undefined : await testBlock(sources, testFile, failure.nodeId)
    if (test) {
      await place(testFile, Tier.Test, `test ${qualifiedName(test.module, test.block)}`, { block: test.block })
      units.push({ file: testFile, block: test.block, depth: 0, caller: test.block.name })
      const fixtures = await findFixtures(sources, requestedFixtures(test.block, test.classes), testFile, test.classes)
      for (const fixture of fixtures) {
        await place(fixture.file, Tier.Fixture, `fixture ${fixture.name}`, { block: fixture.block })
        units.push({ file: fixture.file, block: fixture.block, depth: 0, caller: `fixture ${fixture.name}` })
      }
    }
    for (const frame of frames) {
      if (frame.file === error?.file && frame.line === error.line) continue
      if (test && frame.file === testFile && test.block.start <= frame.line && frame.line <= test.block.end) continue
      await place(frame.file, Tier.Frame, 'traceback frame', { line: frame.line })
    }
  }

  for (const unit of units) {
    const module = await sources.python(unit.file)
    const code = module ? statementsIn(module, unit.block.start, unit.block.end).map(statement => statement.code).join('\n') : ''
    for (const attribute of namesUsed(code).attributes) attributesUsed.add(attribute)
  }
  for (let next = 0; next < units.length && next < maxUnits; next++) {
    const unit = units[next]
    if (unit.depth >= maxCalleeDepth) continue
    const tier = unit.depth === 0 ? Tier.Callee : Tier.Imported
    for (const definition of await calleesOf(unit, resolver, sources, attributesUsed)) {
      const name = definition.block?.name ?? 'module-level name'
      await place(definition.file, tier, `${name}, used by ${unit.caller}`, definition.block ? { block: definition.block } : { line: definition.start })
      if (definition.block?.kind === 'def' && !units.some(known => known.block === definition.block)) {
        units.push({ file: definition.file, block: definition.block, depth: unit.depth + 1, caller: definition.block.name })
      }
    }
  }

  const importers = [...new Set(testFiles.filter(file => file !== ''))]
  for (const importer of importers) {
    for (const file of await resolver.importedFiles(importer)) {
      const module = await sources.python(file)
      if (module && module.lines.length <= smallFileLines && module.lines.some(line => line.trim() !== '')) {
        regions.add({ file, tier: Tier.Imported, spans: [{ start: 1, end: module.lines.length }], focus: { start: 1, end: module.lines.length }, note: `imported by ${importer}` })
      }
    }
  }

  const outside = new Set<string>()
  for (const failure of failures) for (const frame of failure.frames) if (!frame.inRepo) outside.add(frameLabel(frame))
  return { regions: regions.ranked(), outside: [...outside] }
}

/** The repository path of the failure's test file: the node id's file, relative to rootdir. */
async function testFileOf(failure: Failure, sources: ProjectSources): Promise<string> {
  const fromNodeId = sources.repoPath(nodeIdParts(failure.nodeId).path, sources.layout.rootDir)
  if (fromNodeId && fromNodeId.endsWith('.py') && (await sources.exists(fromNodeId))) return fromNodeId
  return failure.phase === 'collect' ? '' : failure.file
}

async function testBlock(sources: ProjectSources, testFile: string, nodeId: string) {
  const module = testFile ? await sources.python(testFile) : null
  const names = nodeIdParts(nodeId).names
  const block = module && names.length > 0 ? blockAtPath(module, names) : undefined
  if (!module || !block) return undefined
  const classes: Block[] = []
  for (let parent = block.parent; parent >= 0; parent = module.blocks[parent].parent) classes.unshift(module.blocks[parent])
  return { module, block, classes }
}

/** In-repository frames of the failure, outermost first: the intake's frames, else the traceback's. */
async function projectFrames(frames: Frame[], clues: Clue[], sources: ProjectSources): Promise<Array<{ file: string; line: number }>> {
  const fromIntake = frames.filter(frame => frame.inRepo && !sources.isInstalledCode(frame.file)).map(frame => ({ file: frame.file, line: frame.line }))
  const fromText = clues.filter(clue => clue.kind === 'frame' && clue.line !== undefined).map(clue => ({ file: clue.file, line: clue.line as number }))
  const all = fromIntake.length > 0 ? [...fromIntake, ...fromText.filter(frame => !fromIntake.some(known => known.file === frame.file && known.line === frame.line))] : fromText
  const existing: Array<{ file: string; line: number }> = []
  for (const frame of all) if (await sources.exists(frame.file)) existing.push(frame)
  return existing
}

/** The module an ImportError or AttributeError names, with the name it could not find. */
async function importTargets(
  clues: Clue[],
  modules: Array<{ module: string; symbol?: string }>,
  importer: string,
  resolver: SymbolResolver
): Promise<Array<{ file: string; symbol?: string }>> {
  const targets = clues.filter(clue => clue.kind === 'import-target').map(clue => ({ file: clue.file, symbol: clue.symbol }))
  for (const { module, symbol } of modules) {
    const file = importer ? await resolver.resolveModule(module, importer) : null
    if (file) targets.push({ file, symbol })
  }
  return targets
}

/** A module that lacks a name: the whole file when small, else the defs whose names are close to it. */
async function placeImportTarget(target: { file: string; symbol?: string }, regions: RegionList, sources: ProjectSources): Promise<void> {
  const module = await sources.python(target.file)
  if (!module || module.lines.length === 0) return
  const total = module.lines.length
  const symbol = target.symbol ?? ''
  const note = symbol ? `the module that should define ${symbol}` : 'the module that failed to import'
  const topLevel = childBlocks(module)
  const similar = topLevel.filter(block => symbol !== '' && isSimilarName(block.name, symbol))
  const names = topLevel.map(block => block.name).slice(0, 40).join(', ')
  const spans = total <= smallFileLines ? [{ start: 1, end: total }] : [{ start: 1, end: Math.min(total, 40) }]
  regions.add({ file: target.file, tier: Tier.Error, spans, focus: { start: 1, end: 1 }, note: `${note}; it defines: ${names || 'no functions or classes'}` })
  for (const block of similar) {
    regions.add({ file: target.file, tier: Tier.Error, spans: [{ start: block.start, end: block.end }], focus: { start: block.start, end: block.end }, note: `${block.name}, named like ${symbol}` })
  }
}

/** Names a rename or a typo could turn into each other. */
export function isSimilarName(a: string, b: string): boolean {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  if (x === y || x.includes(y) || y.includes(x)) return true
  const words = (name: string): string[] => name.split('_').filter(word => word.length >= 4)
  if (words(x).some(word => words(y).includes(word))) return true
  return editDistance(x, y) <= Math.max(2, Math.floor(Math.min(x.length, y.length) / 3))
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}

/** What a def uses that the project defines: functions, classes (their used methods), module constants. */
async function calleesOf(unit: Unit, resolver: SymbolResolver, sources: ProjectSources, attributesUsed: Set<string>): Promise<Definition[]> {
  const module = await sources.python(unit.file)
  if (!module) return []
  const body = statementsIn(module, unit.block.start, unit.block.end)
  const used = namesUsed(body.map(statement => statement.code).join('\n'))
  const owner = unit.block.parent >= 0 ? module.blocks[unit.block.parent] : undefined
  const found: Definition[] = []
  const add = (definition: Definition): void => {
    const isSelf = definition.file === unit.file && definition.block === unit.block
    if (!isSelf && !found.some(known => known.file === definition.file && known.start === definition.start)) found.push(definition)
  }
  for (const chain of used.chains.slice(0, 120)) {
    let definitions: Definition[]
    if ((chain[0] === 'self' || chain[0] === 'cls') && owner?.kind === 'class' && chain.length > 1) {
      const member = await resolver.member({ file: unit.file, kind: 'class', start: owner.start, end: owner.end, block: owner }, chain[1])
      definitions = member ? [member] : []
    } else definitions = await resolver.resolveChain(unit.file, chain)
    for (const definition of definitions) {
      if (definition.kind === 'module') continue
      if (definition.kind !== 'class' || !definition.block) {
        add(definition)
        continue
      }
      const classModule = await sources.python(definition.file)
      const members = classModule ? childBlocks(classModule, definition.block) : []
      // a class is shown through the methods the failing code uses, plus its constructor
      if (definition.end - definition.start + 1 <= smallFileLines) add(definition)
      for (const member of members) {
        if (member.kind === 'def' && (attributesUsed.has(member.name) || member.name === '__init__' || member.name === '__post_init__')) {
          add({ file: definition.file, kind: 'def', start: member.start, end: member.end, block: member })
        }
      }
    }
  }
  return found
}
