// Candidate excerpts of code, ranked, each with smaller fallbacks for when the budget is tight.
import type { ProjectSources } from './project-sources.js'
import { innermostBlock, type Block } from './python-source.js'

/** Lines first..last of a file, 1-based, inclusive. */
export interface Span {
  start: number
  end: number
}

/** Why code is in the prompt, most relevant first. */
export const Tier = {
  /** where the error was raised; for a collection error, the module that fails to import */
  Error: 1,
  /** lines the change under test touched, in a file on the failing tests' path */
  Changed: 2,
  Test: 3,
  Fixture: 4,
  /** functions the failing code calls: a wrong default or a deleted statement hides there */
  Callee: 5,
  Frame: 6,
  Imported: 7
} as const
export type Tier = (typeof Tier)[keyof typeof Tier]

/** Why code is in the prompt, in the report's words. */
export const tierReason: Record<Tier, string> = {
  [Tier.Error]: 'error',
  [Tier.Changed]: 'changed in the range',
  [Tier.Test]: 'test',
  [Tier.Fixture]: 'fixture',
  [Tier.Callee]: 'callee',
  [Tier.Frame]: 'frame',
  [Tier.Imported]: 'import'
}

export interface CodeRegion {
  file: string
  tier: Tier
  /** the excerpt to show, largest first: the whole small file, the enclosing def, a window */
  spans: Span[]
  /** the lines the note is about */
  focus: Span
  note: string
  /** the failing tests this region is about, when the note names them */
  tests?: string[]
}

/** Files up to this many lines are shown whole: it costs little and SEARCH blocks copy better from them. */
export const smallFileLines = 150
const largestBlockLines = 200
const windowRadius = 15

/** The spans to try for a place in a file: the whole file when small, the enclosing def or class, windows. */
export async function spansAround(sources: ProjectSources, file: string, focus: { line?: number; block?: Block }): Promise<Span[]> {
  const module = await sources.python(file)
  if (!module || module.lines.length === 0) return []
  const total = module.lines.length
  const spans: Span[] = []
  if (total <= smallFileLines) spans.push({ start: 1, end: total })
  const line = focus.line !== undefined ? Math.min(Math.max(1, focus.line), total) : undefined
  const block = focus.block ?? (line !== undefined ? innermostBlock(module, line) : undefined)
  if (block && block.end - block.start + 1 <= largestBlockLines) spans.push({ start: block.start, end: block.end })
  const center = line ?? block?.header
  if (center !== undefined) {
    const lower = block && line !== undefined ? block.start : 1
    const upper = block && line !== undefined ? block.end : total
    for (const radius of [windowRadius, 5]) {
      spans.push({ start: Math.max(lower, center - radius), end: Math.min(upper, center + radius) })
    }
  }
  // each fallback smaller than the one before
  const kept: Span[] = []
  for (const span of spans) {
    const last = kept[kept.length - 1]
    if (span.start <= span.end && (!last || span.end - span.start < last.end - last.start)) kept.push(span)
  }
  return kept
}

/** Collects regions in discovery order; one region per file and first span, at its best tier. */
export class RegionList {
  readonly regions: CodeRegion[] = []

  add(region: CodeRegion): void {
    if (region.spans.length === 0) return
    const same = this.regions.find(
      known =>
        known.file === region.file &&
        known.focus.start === region.focus.start &&
        known.focus.end === region.focus.end &&
        known.spans[0].start === region.spans[0].start &&
        known.spans[0].end === region.spans[0].end
    )
    if (!same) {
      this.regions.push(region)
      return
    }
    if (region.tier < same.tier) same.tier = region.tier
    if (same.note === region.note) {
      for (const test of region.tests ?? []) if (same.tests && !same.tests.includes(test)) same.tests.push(test)
    } else if (!same.note.includes(region.note) && same.note.split('; ').length < 3) {
      same.note = `${same.note}; ${describeRegion(region)}`
    }
  }

  /** Regions by tier, discovery order within a tier. */
  ranked(): CodeRegion[] {
    return this.regions
      .map((region, order) => ({ region, order }))
      .sort((a, b) => a.region.tier - b.region.tier || a.order - b.order)
      .map(entry => entry.region)
  }
}

/** The note with the failing tests it is about: `ZeroDivisionError raised here (test_a, test_b and 3 more)`. */
export function describeRegion(region: CodeRegion): string {
  const tests = region.tests ?? []
  if (tests.length === 0) return region.note
  const named = tests.slice(0, 3).join(', ')
  return `${region.note} (${named}${tests.length > 3 ? ` and ${tests.length - 3} more` : ''})`
}
