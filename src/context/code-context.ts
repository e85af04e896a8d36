// Fits ranked code regions into a token budget and renders them as the prompt's code section.
// Code is shown WITHOUT line numbers: SEARCH blocks must copy lines exactly, and numbers in a gutter end up
// copied into them. Headings say which lines an excerpt holds and which lines matter.
import type { HeldCode } from '../domain.js'
import { fence } from './fence.js'
import type { ProjectSources } from './project-sources.js'
import { describeRegion, tierReason, type CodeRegion, type Span, type Tier } from './regions.js'
import { countTokens, loadTokenizer } from './tokens.js'

export type { HeldCode }

export interface CodeContext {
  text: string
  /** repository paths whose code is shown, most relevant first */
  files: string[]
  tokens: number
  /** repository paths that were relevant but did not fit the budget */
  notShown: string[]
  /** those of `files` shown whole */
  wholeFiles?: string[]
  /** what the code section holds, file by file, and why */
  held: HeldCode[]
}

interface Selection {
  spans: Span[]
  notes: Array<{ focus: Span; note: string; tier: Tier }>
}

const maxNotesPerFile = 6

export async function fitCodeContext(regions: CodeRegion[], sources: ProjectSources, budget: number): Promise<CodeContext> {
  await loadTokenizer()
  const lines = new Map<string, string[]>()
  for (const region of regions) {
    if (!lines.has(region.file)) lines.set(region.file, (await sources.python(region.file))?.lines ?? [])
  }
  let limit = budget
  for (let round = 0; round < 4; round++) {
    const context = fit(regions, lines, limit)
    if (context.tokens <= budget) return context
    // pieces tokenize a little differently once joined: shrink and refit
    limit -= context.tokens - budget + 16
  }
  return { text: '', files: [], tokens: 0, notShown: [...new Set(regions.map(region => region.file))], held: [] }
}

function fit(regions: CodeRegion[], lines: Map<string, string[]>, budget: number): CodeContext {
  const chosen = new Map<string, Selection>()
  const costs = new Map<string, number>()
  let used = 0
  for (const region of regions) {
    const fileLines = lines.get(region.file) ?? []
    if (fileLines.length === 0) continue
    const current = chosen.get(region.file) ?? { spans: [], notes: [] }
    const before = costs.get(region.file) ?? 0
    for (const span of region.spans) {
      const trial = {
        spans: mergeSpans([...current.spans, span]),
        notes: [...current.notes, { focus: region.focus, note: describeRegion(region), tier: region.tier }]
      }
      const after = countTokens(renderFile(region.file, fileLines, trial)) + 1
      if (used - before + after <= budget) {
        chosen.set(region.file, trial)
        costs.set(region.file, after)
        used += after - before
        break
      }
    }
  }
  const files = [...chosen.keys()]
  const text = files.map(file => renderFile(file, lines.get(file) ?? [], chosen.get(file) as Selection)).join('\n')
  const notShown = [...new Set(regions.map(region => region.file))].filter(file => !chosen.has(file) && (lines.get(file) ?? []).length > 0)
  const wholeFiles = files.filter(file => isWhole(chosen.get(file) as Selection, (lines.get(file) ?? []).length))
  const held = files.map(file => {
    const selection = chosen.get(file) as Selection
    const why = [...new Set([...selection.notes].sort((a, b) => a.tier - b.tier).map(note => tierReason[note.tier]))]
    return { file, lines: selection.spans.map(span => `${span.start}-${span.end}`).join(', '), why }
  })
  return { text, files, tokens: countTokens(text), notShown, wholeFiles, held }
}

/** Sorted spans with overlapping or nearly touching ones joined. */
export function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start)
  const merged: Span[] = []
  for (const span of sorted) {
    const last = merged[merged.length - 1]
    if (last && span.start <= last.end + 4) last.end = Math.max(last.end, span.end)
    else merged.push({ ...span })
  }
  return merged
}

function renderFile(file: string, fileLines: string[], selection: Selection): string {
  const total = fileLines.length
  const whole = isWhole(selection, total)
  const where = whole
    ? `whole file, ${total} line${total === 1 ? '' : 's'}`
    : `${selection.spans.map(span => range(span)).join(', ')} of ${total}`
  const shown = (line: number): boolean => selection.spans.some(span => span.start <= line && line <= span.end)
  const notes: string[] = []
  for (const { focus, note } of selection.notes) {
    if (!shown(focus.start) || notes.length >= maxNotesPerFile) continue
    const single = focus.start === focus.end ? (fileLines[focus.start - 1]?.trim() ?? '') : ''
    const quoted = single !== '' && !single.includes('`') ? ` \`${single.slice(0, 100)}\`` : ''
    const entry = `- ${range(focus)}${quoted}: ${note}`
    if (!notes.includes(entry)) notes.push(entry)
  }
  const language = file.endsWith('.py') ? 'python' : ''
  const chunks = selection.spans.map(span => {
    const code = fileLines.slice(span.start - 1, span.end).join('\n')
    return whole ? fence(code, language) : `${range(span)}:\n${fence(code, language)}`
  })
  return [`### ${file} (${where})`, ...notes, ...chunks].join('\n') + '\n'
}

function isWhole(selection: Selection, total: number): boolean {
  return selection.spans.length === 1 && selection.spans[0].start === 1 && selection.spans[0].end === total
}

function range(span: Span): string {
  return span.start === span.end ? `line ${span.start}` : `lines ${span.start}-${span.end}`
}
