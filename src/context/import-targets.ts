// Where an ImportError or AttributeError points: the module that should define a name it cannot find.
import type { ProjectSources } from './project-sources.js'
import type { SymbolResolver } from './python-imports.js'
import { childBlocks } from './python-source.js'
import { Tier, smallFileLines, type RegionList } from './regions.js'
import type { Clue } from './traceback-clues.js'

export interface ImportTarget {
  file: string
  /** the name the module lacks */
  symbol?: string
}

/** The project modules the error names, resolved from the module that imported them. */
export async function importTargets(
  clues: Clue[],
  modules: Array<{ module: string; symbol?: string }>,
  importer: string,
  resolver: SymbolResolver
): Promise<ImportTarget[]> {
  const targets: ImportTarget[] = clues
    .filter(clue => clue.kind === 'import-target')
    .map(clue => ({ file: clue.file, symbol: clue.symbol }))
  for (const { module, symbol } of modules) {
    const file = importer ? await resolver.resolveModule(module, importer) : null
    if (file) targets.push({ file, symbol })
  }
  return targets
}

/** The module lacking a name: the whole file when small, else its top; and the defs named like the name. */
export async function placeImportTarget(target: ImportTarget, regions: RegionList, sources: ProjectSources): Promise<void> {
  const module = await sources.python(target.file)
  if (!module || module.lines.length === 0) return
  const total = module.lines.length
  const symbol = target.symbol ?? ''
  const topLevel = childBlocks(module)
  const names =
    topLevel
      .map(block => block.name)
      .slice(0, 40)
      .join(', ') || 'no functions or classes'
  const note = `${symbol ? `the module that should define ${symbol}` : 'the module that failed to import'}; it defines: ${names}`
  const spans = [{ start: 1, end: total <= smallFileLines ? total : Math.min(total, 40) }]
  regions.add({ file: target.file, tier: Tier.Error, spans, focus: { start: 1, end: 1 }, note })
  for (const block of topLevel.filter(candidate => symbol !== '' && isSimilarName(candidate.name, symbol))) {
    const extent = { start: block.start, end: block.end }
    regions.add({ file: target.file, tier: Tier.Error, spans: [extent], focus: extent, note: `${block.name}, named like ${symbol}` })
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
