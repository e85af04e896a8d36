// Following calls: what a def uses that the project defines. A wrong default or a deleted statement is often
// in a function the failing code calls, not on any traceback line.
import type { ProjectSources } from './project-sources.js'
import type { Definition, SymbolResolver } from './python-imports.js'
import { childBlocks, namesUsed, statementsIn, type Block } from './python-source.js'
import { smallFileLines } from './regions.js'

/** A def whose calls lead to more code. */
export interface Unit {
  file: string
  block: Block
  /** 0 for the failing code itself (error frame, test, fixtures), +1 per call followed */
  depth: number
  /** who uses it, for the prompt's note */
  caller: string
}

const constructors = new Set(['__init__', '__post_init__'])
const maxBaseClasses = 6

/** Attribute names the units use (`cart.total()` gives total): the methods worth showing of a class. */
export async function attributesUsedBy(units: Unit[], sources: ProjectSources): Promise<Set<string>> {
  const attributes = new Set<string>()
  for (const unit of units) {
    const module = await sources.python(unit.file)
    const code = module
      ? statementsIn(module, unit.block.start, unit.block.end)
          .map(statement => statement.code)
          .join('\n')
      : ''
    for (const attribute of namesUsed(code).attributes) attributes.add(attribute)
  }
  return attributes
}

/** The functions, classes (through their used methods) and module constants a def uses. */
export async function calleesOf(
  unit: Unit,
  resolver: SymbolResolver,
  sources: ProjectSources,
  attributesUsed: Set<string>
): Promise<Definition[]> {
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
      for (const related of await withBaseClasses(definition, resolver)) await addClass(related, add, sources, attributesUsed)
    }
  }
  return found
}

/** The class and the project classes it derives from, nearest first (a method a test calls may be inherited). */
async function withBaseClasses(definition: Definition, resolver: SymbolResolver): Promise<Definition[]> {
  const classes = [definition]
  for (let next = 0; next < classes.length && classes.length < maxBaseClasses; next++) {
    for (const base of await resolver.baseClasses(classes[next])) {
      if (!classes.some(known => known.file === base.file && known.start === base.start)) classes.push(base)
    }
  }
  return classes
}

/** A class is shown whole when it is small, and always through the methods the failing code uses. */
async function addClass(
  definition: Definition,
  add: (definition: Definition) => void,
  sources: ProjectSources,
  attributesUsed: Set<string>
): Promise<void> {
  if (!definition.block) return
  if (definition.end - definition.start + 1 <= smallFileLines) add(definition)
  const classModule = await sources.python(definition.file)
  for (const member of classModule ? childBlocks(classModule, definition.block) : []) {
    if (member.kind === 'def' && (attributesUsed.has(member.name) || constructors.has(member.name))) {
      add({ file: definition.file, kind: 'def', start: member.start, end: member.end, block: member })
    }
  }
}
