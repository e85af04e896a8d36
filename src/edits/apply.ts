// Plans the new content of each file from the model's edits. Pure: the caller reads and writes files.
// Strict first (exact lines), tolerant second (trailing whitespace, shifted indentation, tabs for spaces, stray
// blank lines, a BOM copied from the prompt, `...` for unchanged lines, one misremembered context line); never
// guesses between two places. Lines the edit leaves unchanged keep the file's bytes (trailing spaces, line ends,
// final newline), so the diff shows only what the fix changes. Every refusal is worded as feedback for the model.
import { diffArrays } from 'diff'
import type { Edit, FileChange } from '../domain.js'
import { findClosestLines, lineSimilarity } from './closest-lines.js'

export type EditPlan = { ok: true; changes: FileChange[]; notes: string[] } | { ok: false; error: string }

/** What the prompt showed, so that edits can be read the way the model meant them. */
export interface PlanContext {
  /** repository paths whose code the prompt showed: a path that names no file may mean one of them */
  shownFiles?: string[]
  /** repository paths the prompt showed whole: only these may be rewritten whole */
  wholeFiles?: string[]
}

/** Lines of the SEARCH and of the closest file lines quoted back to the model, at most. */
const MAX_QUOTED_LINES = 40
/** Differences between SEARCH and the closest lines listed in the feedback, at most. */
const MAX_LISTED_DIFFERENCES = 8
/** A misremembered context line must still look like the file's line this much (or sit at an end of SEARCH). */
const MISREMEMBERED_SIMILARITY = 0.5
/** A line that stands for unchanged lines left out: `...`, `# ...`, `# ... existing code ...`. */
const ELISION_LINE = /^\s*(?:#\s*)?(?:\.{3}|\u2026)(?:\s.*)?$/

/**
 * Plans the new content of each file. `readFile` gives a file's current text, or null when it does not exist.
 * Edits apply in order, on the content earlier edits produced. Any failing block fails the whole plan, with a
 * message naming the file, the block (1-based) and the closest existing lines. `notes` say what was read
 * tolerantly (a path taken for a shown file, a misremembered line) and which blocks change nothing.
 */
export function planEdits(edits: Edit[], readFile: (path: string) => string | null, context: PlanContext = {}): EditPlan {
  const files = new Map<string, { before: string | null; current: string | null }>()
  const errors: string[] = []
  const notes: string[] = []
  const fileFor = (path: string) => {
    let file = files.get(path)
    if (file === undefined) {
      const before = readFile(path)
      file = { before, current: before }
      files.set(path, file)
    }
    return file
  }

  edits.forEach((edit, index) => {
    const target = resolvePath(edit, index, fileFor, context.shownFiles ?? [])
    if ('error' in target) {
      errors.push(target.error)
      return
    }
    if (target.note !== undefined) notes.push(target.note)
    const resolved = { ...edit, path: target.path }
    const block = `Block ${index + 1} (${target.path})`
    const file = fileFor(target.path)
    if (edit.format !== 'whole-file' && edit.search === edit.replace) {
      notes.push(`${block}: SEARCH and REPLACE are identical, so the block changes nothing.`)
      return
    }
    const result =
      edit.format === 'whole-file'
        ? rewriteWhole(file.current, resolved, block, file.current !== file.before, context.wholeFiles ?? [])
        : applyEdit(file.current, resolved, block, file.current !== file.before)
    if (typeof result === 'string') file.current = result
    else if ('error' in result) errors.push(result.error)
    else {
      file.current = result.text
      notes.push(...result.notes)
    }
  })

  if (errors.length > 0) {
    return { ok: false, error: [...errors, 'None of the blocks were applied. Answer again with all blocks, corrected.'].join('\n\n') }
  }
  const changes: FileChange[] = []
  for (const [path, file] of files) {
    if (file.current !== null && file.current !== file.before) changes.push({ path, before: file.before, after: file.current })
  }
  if (changes.length === 0) {
    const why = notes.length > 0 ? notes.join('\n') : 'The blocks leave every file as it was.'
    return { ok: false, error: `The edit blocks change no file.\n${why}\nAnswer with blocks that change the code to fix the failure.` }
  }
  return { ok: true, changes, notes }
}

/**
 * The file an edit means. A path that names no file but matches exactly one file the prompt showed (by a suffix
 * of its path, or its name) is that file; several matches are listed back. Creating a file keeps the path.
 */
function resolvePath(
  edit: Edit,
  index: number,
  fileFor: (path: string) => { current: string | null },
  shownFiles: string[]
): { path: string; note?: string } | { error: string } {
  const creates = edit.format !== 'whole-file' && edit.search.trim() === ''
  if (creates || fileFor(edit.path).current !== null) return { path: edit.path }
  const wanted = edit.path.replace(/^(\.\/)+/, '')
  const shown = [...new Set(shownFiles)]
  const bySuffix = shown.filter(file => file === wanted || file.endsWith(`/${wanted}`) || wanted.endsWith(`/${file}`))
  const name = wanted.split('/').pop() ?? wanted
  const candidates = bySuffix.length > 0 ? bySuffix : shown.filter(file => (file.split('/').pop() ?? file) === name)
  const block = `Block ${index + 1} (${edit.path})`
  if (candidates.length === 1 && fileFor(candidates[0]).current !== null) {
    return {
      path: candidates[0],
      note: `${block}: ${edit.path} names no file; it was taken as ${candidates[0]}, the one file of the prompt it matches.`
    }
  }
  if (candidates.length > 1) {
    return {
      error:
        `${block}: ${edit.path} names no file, and it matches several files the prompt showed: ${candidates.join(', ')}. ` +
        'Write the full path relative to the repository root, as the "### path" heading shows it.'
    }
  }
  return { path: edit.path }
}

type Applied = string | { text: string; notes: string[] } | { error: string }

/** `shifted`: earlier blocks changed this file, so line numbers differ from the file the model saw. */
function applyEdit(current: string | null, edit: Edit, block: string, shifted: boolean): Applied {
  if (edit.search.trim() === '') {
    if (current === null || current.trim() === '') return withoutBom(edit.replace)
    return {
      error:
        `${block}: the SEARCH part is empty, which creates a new file, but ${edit.path} already exists. ` +
        'To change it, put the exact lines to replace in SEARCH.'
    }
  }
  if (current === null) return { error: missingFileMessage(block, edit.path) }
  const text = splitText(current)
  const fileLines = text.lines.map(line => line.text)
  const search = splitBlock(edit.search)
  const replace = splitBlock(edit.replace)
  const style = detectStyle(fileLines)
  const counting = shifted ? ', counting the changes of the blocks before' : ''

  let placed = locate(fileLines, style, search, replace)
  if (placed.kind === 'none') {
    const elided = locateElided(fileLines, style, search, replace)
    if (elided !== undefined) placed = elided
  }
  if (placed.kind === 'ambiguous') {
    return {
      error:
        `${block}: the SEARCH part matches ${placed.lines.length} places in ${edit.path} ` +
        `(lines ${placed.lines.join(', ')}${counting}). Add neighbouring lines (such as the enclosing def or class line) ` +
        'to SEARCH so that it matches exactly one place.'
    }
  }
  if (placed.kind === 'unpaired') return { error: `${block}: ${placed.why}` }
  if (placed.kind === 'none') {
    const missing = placed.piece ?? { search, replace }
    return { error: noMatchMessage(block, edit, fileLines, style, missing.search, missing.replace, counting, placed.piece !== undefined) }
  }
  const notes = placed.misremembered.map(
    line => `${block}: line ${line + 1} of ${edit.path} was taken as the SEARCH line it resembles and kept as it is in the file.`
  )
  return { text: splice(text, placed.placements), notes }
}

/** A whole-file rewrite becomes the line diff against the file, so lines it leaves alone keep their bytes. */
function rewriteWhole(current: string | null, edit: Edit, block: string, shifted: boolean, wholeFiles: string[]): Applied {
  if (current === null) {
    return {
      error:
        `${block}: the answer rewrites ${edit.path} whole, but no such file exists. Change existing files with ` +
        'SEARCH/REPLACE blocks; create a new file with an empty SEARCH part.'
    }
  }
  if (!wholeFiles.includes(edit.path) || shifted) {
    return {
      error:
        `${block}: the answer rewrites ${edit.path} whole, but the prompt did not show the whole file, so the lines it ` +
        'left out would be lost. Answer with SEARCH/REPLACE blocks that change only the lines to fix.'
    }
  }
  const text = splitText(current)
  const fileLines = text.lines.map(line => line.text)
  const newLines = splitBlock(edit.replace)
  const fileStyle = detectStyle(fileLines)
  const answerStyle = detectStyle(newLines, fileStyle)
  const key = (line: string, style: Style): string => {
    if (line.trim() === '') return ''
    const measured = measure(line, style)
    return `${measured.level}|${measured.rem}|${measured.rest}`
  }
  const output: OutLine[] = []
  let fileIndex = 0
  let newIndex = 0
  let deletedOnly = 0 // file lines of code removed with nothing in their place: what an excerpt leaves out
  const parts = diffArrays(
    fileLines.map(line => key(line, fileStyle)),
    newLines.map(line => key(line, answerStyle))
  )
  parts.forEach((part, p) => {
    const count = part.value.length
    if (part.removed) {
      const replaced = parts[p - 1]?.added === true || parts[p + 1]?.added === true
      if (!replaced) deletedOnly += fileLines.slice(fileIndex, fileIndex + count).filter(line => line.trim() !== '').length
      fileIndex += count
    } else if (part.added) {
      for (let n = 0; n < count; n++) {
        const line = newLines[newIndex++]
        const measured = measure(line, answerStyle)
        output.push({ text: line.trim() === '' ? '' : indentation(measured.level, measured.rem, fileStyle) + measured.rest })
      }
    } else {
      for (let n = 0; n < count; n++, newIndex++) output.push({ keep: fileIndex++ })
    }
  })
  const keptText = output.filter(line => 'keep' in line && fileLines[line.keep].trim() !== '').length
  const fileText = fileLines.filter(line => line.trim() !== '').length
  if (keptText * 2 < fileText || deletedOnly > Math.max(5, fileText / 5)) {
    return {
      error:
        `${block}: the fence named ${edit.path} holds ${newLines.length} lines and keeps only ${keptText} of the file's ` +
        `${fileText} lines of code, so it looks like an excerpt, not the whole file; taken as the whole file it would ` +
        'delete the rest. Answer with SEARCH/REPLACE blocks that change only the lines to fix.'
    }
  }
  return splice(text, [{ start: 0, end: fileLines.length, output }])
}

// ---------------------------------------------------------------------------------------------------------------
// Locating SEARCH in the file

/** One line of a replaced window: a file line kept as it is (its index), or a new line's text. */
type OutLine = { keep: number } | { text: string }

interface Placement {
  start: number
  end: number
  output: OutLine[]
}

type Located =
  | { kind: 'found'; placements: Placement[]; misremembered: number[] }
  | { kind: 'ambiguous'; lines: number[] }
  | { kind: 'unpaired'; why: string }
  | { kind: 'none'; piece?: Sides }

interface Sides {
  search: string[]
  replace: string[]
}

/** A window of the file matches SEARCH: how to write REPLACE lines there, and which lines were taken loosely. */
interface WindowMatch {
  render: (line: string) => string
  misremembered: number[]
}

/** A way of comparing SEARCH with the window of the file starting at `start`. */
type Matcher = (fileLines: string[], start: number) => WindowMatch | undefined

interface Candidate {
  start: number
  length: number
  match: WindowMatch
  sides: Sides
}

function locate(fileLines: string[], style: Style, search: string[], replace: string[]): Located {
  const candidates = candidatesOf(fileLines, style, search, replace)
  if (candidates.length === 0) return { kind: 'none' }
  if (candidates.length > 1) return { kind: 'ambiguous', lines: candidates.map(candidate => candidate.start + 1) }
  const [only] = candidates
  return { kind: 'found', placements: [placementOf(only)], misremembered: only.match.misremembered.map(k => only.start + k) }
}

/** Every place of the first (strictest) comparison that matches anywhere. */
function candidatesOf(fileLines: string[], style: Style, search: string[], replace: string[]): Candidate[] {
  const variants: Sides[] = [{ search, replace }]
  const trimmed = withoutStrayBlankLines(search, replace)
  if (trimmed.search.length !== search.length) variants.push(trimmed)

  const present = trimmedLines(fileLines)
  for (const tier of [0, 1]) {
    for (const sides of variants) {
      // every comparison needs each SEARCH line somewhere in the file (one context line aside): skip hopeless scans
      const absent = sides.search.filter(line => line.trim() !== '' && !present.has(line.trim())).length
      if (absent > tier) continue
      const matchers = tier === 0 ? strictMatchers(sides, style) : [misrememberedMatcher(sides, style)]
      for (const matcher of matchers) {
        const found: Candidate[] = []
        for (let start = 0; start + sides.search.length <= fileLines.length; start++) {
          const match = matcher(fileLines, start)
          if (match !== undefined) found.push({ start, length: sides.search.length, match, sides })
        }
        if (found.length > 0) return found
      }
    }
  }
  return []
}

const trimmedCache = new WeakMap<string[], Set<string>>()

function trimmedLines(fileLines: string[]): Set<string> {
  let set = trimmedCache.get(fileLines)
  if (set === undefined) {
    set = new Set(fileLines.map(line => line.trim()))
    trimmedCache.set(fileLines, set)
  }
  return set
}

/** The window's new lines: lines SEARCH and REPLACE share stay the file's own, the others are written anew. */
function placementOf(candidate: Candidate): Placement {
  const { search, replace } = candidate.sides
  const output: OutLine[] = []
  let k = 0
  let r = 0
  for (const part of diffArrays(search.map(comparable), replace.map(comparable))) {
    const count = part.value.length
    if (part.removed) k += count
    else if (part.added) for (let n = 0; n < count; n++) output.push({ text: candidate.match.render(replace[r++]) })
    else {
      for (let n = 0; n < count; n++, r++) output.push({ keep: candidate.start + k++ })
    }
  }
  return { start: candidate.start, end: candidate.start + candidate.length, output }
}

/** How SEARCH and REPLACE lines are compared with each other: the same line, trailing whitespace aside. */
function comparable(line: string): string {
  return line.trimEnd()
}

function strictMatchers(sides: Sides, style: Style): Matcher[] {
  return [exactly(sides), ignoringTrailingSpace(sides), ignoringIndentShift(sides), byIndentLevel(sides, style, 0)]
}

function exactly({ search }: Sides): Matcher {
  return (fileLines, start) =>
    search.every((line, k) => fileLines[start + k] === line) ? { render: line => line, misremembered: [] } : undefined
}

function ignoringTrailingSpace({ search }: Sides): Matcher {
  return (fileLines, start) =>
    search.every((line, k) => fileLines[start + k].trimEnd() === line.trimEnd())
      ? { render: line => line.trimEnd(), misremembered: [] }
      : undefined
}

/** The model shifted all of SEARCH and REPLACE by the same indentation; the replacement gets the file's. */
function ignoringIndentShift({ search, replace }: Sides): Matcher {
  const indents = [...search, ...replace].filter(line => line.trim() !== '').map(line => indentOf(line).length)
  const common = indents.length > 0 ? Math.min(...indents) : 0
  const outdent = (line: string): string => (line.trim() === '' ? '' : line.slice(common).trimEnd())
  const searchOutdented = search.map(outdent)
  return (fileLines, start) => {
    let prefix: string | undefined
    for (let k = 0; k < search.length; k++) {
      const fileLine = fileLines[start + k].trimEnd()
      const wanted = searchOutdented[k]
      if (wanted === '') {
        if (fileLine !== '') return undefined
        continue
      }
      if (!fileLine.endsWith(wanted)) return undefined
      const added = fileLine.slice(0, fileLine.length - wanted.length)
      if (added.trim() !== '' || (prefix !== undefined && added !== prefix)) return undefined
      prefix = added
    }
    return { render: line => (line.trim() === '' ? '' : (prefix ?? '') + outdent(line)), misremembered: [] }
  }
}

/**
 * Indentation compared by level, not by characters: tabs for spaces, four spaces for two, shifted as a whole.
 * `allowMisremembered`: how many lines that SEARCH and REPLACE share (context) may differ from the file's.
 */
function byIndentLevel({ search, replace }: Sides, fileStyle: Style, allowMisremembered: number): Matcher {
  const answerStyle = detectStyle([...search, ...replace], fileStyle)
  const measuredSearch = search.map(line => (line.trim() === '' ? undefined : measure(line, answerStyle)))
  const nonBlank = [...search, ...replace].filter(line => line.trim() !== '').map(line => measure(line, answerStyle).level)
  const base = nonBlank.length > 0 ? Math.min(...nonBlank) : 0
  const context = contextLines(search, replace)
  return (fileLines, start) => {
    const measuredFile = measuredLines(fileLines, fileStyle)
    let shift: number | undefined
    const misremembered: number[] = []
    const loose: number[] = []
    for (let k = 0; k < search.length; k++) {
      const fileLine = fileLines[start + k]
      const wanted = measuredSearch[k]
      if (wanted === undefined) {
        if (fileLine.trim() !== '') return undefined
        continue
      }
      const found = measuredFile[start + k]
      const levelShift = found === undefined ? undefined : found.level - (wanted.level - base)
      const same =
        found !== undefined && found.rest === wanted.rest && found.rem === wanted.rem && levelShift !== undefined && levelShift >= 0
      if (same && (shift === undefined || levelShift === shift)) {
        shift = levelShift
        continue
      }
      if (!context[k] || found === undefined) return undefined
      loose.push(k)
      misremembered.push(k)
      if (misremembered.length > allowMisremembered) return undefined
    }
    if (shift === undefined) return undefined
    for (const k of loose) {
      const atEnd = k === 0 || k === search.length - 1
      if (!atEnd && lineSimilarity(fileLines[start + k], search[k]) < MISREMEMBERED_SIMILARITY) return undefined
    }
    const level = shift
    return {
      render: line => {
        if (line.trim() === '') return ''
        const measured = measure(line, answerStyle)
        return indentation(measured.level - base + level, measured.rem, fileStyle) + measured.rest
      },
      misremembered
    }
  }
}

/** One context line (shared by SEARCH and REPLACE) may be misremembered, when enough other lines pin the place. */
function misrememberedMatcher(sides: Sides, style: Style): Matcher {
  const pinning = sides.search.filter(line => line.trim() !== '').length
  if (sides.search.length < 3 || pinning < 3) return () => undefined
  return byIndentLevel(sides, style, 1)
}

/** For each SEARCH line: does REPLACE keep it (a context line)? */
function contextLines(search: string[], replace: string[]): boolean[] {
  const context: boolean[] = []
  for (const part of diffArrays(search.map(comparable), replace.map(comparable))) {
    if (part.added) continue
    for (let n = 0; n < part.value.length; n++) context.push(!part.removed)
  }
  return context
}

/** Models sometimes add blank lines around SEARCH; drop them, and as many blank lines around REPLACE. */
function withoutStrayBlankLines(search: string[], replace: string[]): Sides {
  const leading = countBlank(search)
  const trailing = countBlank([...search].reverse())
  if (leading === search.length) return { search, replace }
  const replaceLeading = Math.min(leading, countBlank(replace))
  const replaceTrailing = Math.min(trailing, countBlank([...replace].reverse()), replace.length - replaceLeading)
  return {
    search: search.slice(leading, search.length - trailing),
    replace: replace.slice(replaceLeading, replace.length - replaceTrailing)
  }
}

function countBlank(lines: string[]): number {
  const first = lines.findIndex(line => line.trim() !== '')
  return first < 0 ? lines.length : first
}

/**
 * SEARCH and REPLACE that both leave out the same unchanged stretch with a `...` line: each piece must be found,
 * in order, and the pieces together in exactly one way. undefined: the block has no `...` lines.
 */
function locateElided(fileLines: string[], style: Style, search: string[], replace: string[]): Located | undefined {
  const searchPieces = splitAtElisions(search)
  const replacePieces = splitAtElisions(replace)
  if (searchPieces.length === 1 && replacePieces.length === 1) return undefined
  if (searchPieces.length !== replacePieces.length) {
    return {
      kind: 'unpaired',
      why:
        `SEARCH has ${searchPieces.length - 1} \`...\` line(s) and REPLACE has ${replacePieces.length - 1}. ` +
        'Where lines are left out with `...`, leave out the same unchanged stretch in both parts, or better, copy the lines.'
    }
  }
  const pieces: Array<{ sides: Sides; candidates: Candidate[] }> = []
  for (let i = 0; i < searchPieces.length; i++) {
    const sides = { search: searchPieces[i], replace: replacePieces[i] }
    const searchBlank = sides.search.every(line => line.trim() === '')
    if (searchBlank) {
      if (sides.replace.some(line => line.trim() !== '')) {
        return {
          kind: 'unpaired',
          why: 'REPLACE adds lines next to a `...` line that SEARCH gives nothing to anchor them to. Put the lines around them into SEARCH.'
        }
      }
      continue
    }
    const candidates = candidatesOf(fileLines, style, sides.search, sides.replace)
    if (candidates.length === 0) return { kind: 'none', piece: sides }
    pieces.push({ sides, candidates })
  }
  // count the in-order, non-overlapping choices, up to two
  const ways = pieces.map(piece => piece.candidates.map(() => 0))
  const next: number[][] = pieces.map(piece => piece.candidates.map(() => -1))
  for (let i = pieces.length - 1; i >= 0; i--) {
    pieces[i].candidates.forEach((candidate, c) => {
      if (i === pieces.length - 1) {
        ways[i][c] = 1
        return
      }
      let total = 0
      pieces[i + 1].candidates.forEach((later, l) => {
        if (later.start >= candidate.start + candidate.length && ways[i + 1][l] > 0) {
          total += ways[i + 1][l]
          if (next[i][c] < 0) next[i][c] = l
        }
      })
      ways[i][c] = Math.min(2, total)
    })
  }
  const total = ways[0].reduce((sum, value) => sum + value, 0)
  if (total === 0) return { kind: 'none', piece: { search, replace } }
  if (total > 1) {
    const starts = pieces[0].candidates.filter((_candidate, c) => ways[0][c] > 0).map(candidate => candidate.start + 1)
    return {
      kind: 'ambiguous',
      lines: starts.length > 1 ? starts : pieces.flatMap(piece => piece.candidates.map(candidate => candidate.start + 1))
    }
  }
  const chosen: Candidate[] = []
  let c = ways[0].findIndex(value => value > 0)
  for (let i = 0; i < pieces.length; i++) {
    chosen.push(pieces[i].candidates[c])
    c = next[i][c]
  }
  return {
    kind: 'found',
    placements: chosen.map(placementOf),
    misremembered: chosen.flatMap(candidate => candidate.match.misremembered.map(k => candidate.start + k))
  }
}

function splitAtElisions(lines: string[]): string[][] {
  const pieces: string[][] = [[]]
  for (const line of lines) {
    if (ELISION_LINE.test(line)) pieces.push([])
    else pieces[pieces.length - 1].push(line)
  }
  return pieces
}

// ---------------------------------------------------------------------------------------------------------------
// Indentation

interface Style {
  tabs: boolean
  /** spaces per level */
  width: number
}

/** How lines indent: with tabs, or with how many spaces per level (the most common step between lines). */
function detectStyle(lines: string[], fallback: Style = { tabs: false, width: 4 }): Style {
  const indented = lines.filter(line => line.trim() !== '' && /^[ \t]/.test(line))
  const tabbed = indented.filter(line => line.startsWith('\t')).length
  if (indented.length === 0) return fallback
  if (tabbed * 2 > indented.length) return { tabs: true, width: 4 }
  const steps = new Map<number, number>()
  let previous: number | undefined
  for (const line of lines) {
    if (line.trim() === '') continue
    const width = indentOf(line).replace(/\t/g, '    ').length
    if (previous !== undefined && width > previous && width - previous <= 8)
      steps.set(width - previous, (steps.get(width - previous) ?? 0) + 1)
    previous = width
  }
  let best = 0
  let bestCount = 0
  for (const [step, count] of steps) {
    if (count > bestCount || (count === bestCount && step > best)) {
      best = step
      bestCount = count
    }
  }
  return { tabs: false, width: best > 0 ? best : fallback.tabs ? 4 : fallback.width }
}

const measuredCache = new WeakMap<string[], { style: Style; lines: Array<Measured | undefined> }>()

/** Every line of the file measured once (undefined: blank), not once per window compared. */
function measuredLines(fileLines: string[], style: Style): Array<Measured | undefined> {
  const cached = measuredCache.get(fileLines)
  if (cached !== undefined && cached.style.tabs === style.tabs && cached.style.width === style.width) return cached.lines
  const lines = fileLines.map(line => (line.trim() === '' ? undefined : measure(line, style)))
  measuredCache.set(fileLines, { style, lines })
  return lines
}

interface Measured {
  level: number
  rem: number
  rest: string
}

/** A line as indentation level, leftover alignment spaces, and text (trailing whitespace dropped). */
function measure(line: string, style: Style): Measured {
  const indent = indentOf(line)
  const rest = line.slice(indent.length).trimEnd()
  if (style.tabs) {
    const tabs = (indent.match(/\t/g) ?? []).length
    const spaces = indent.length - tabs
    return { level: tabs + Math.floor(spaces / style.width), rem: spaces % style.width, rest }
  }
  const columns = indent.replace(/\t/g, ' '.repeat(style.width)).length
  return { level: Math.floor(columns / style.width), rem: columns % style.width, rest }
}

function indentation(level: number, rem: number, style: Style): string {
  return (style.tabs ? '\t'.repeat(level) : ' '.repeat(level * style.width)) + ' '.repeat(rem)
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? ''
}

// ---------------------------------------------------------------------------------------------------------------
// Feedback

function missingFileMessage(block: string, path: string): string {
  return `${block}: ${path} does not exist. Use a path shown in the prompt, relative to the repository root; to create a new file, leave SEARCH empty.`
}

function noMatchMessage(
  block: string,
  edit: Edit,
  fileLines: string[],
  style: Style,
  search: string[],
  replace: string[],
  counting: string,
  isPiece: boolean
): string {
  const what = isPiece ? 'a part of SEARCH between `...` lines' : 'the SEARCH part'
  const parts = [`${block}: ${what} matches no lines of ${edit.path}. SEARCH was:`, quote(search)]
  const closest = findClosestLines(fileLines, search)
  if (closest !== undefined) {
    const span = closest.firstLine === closest.lastLine ? `line ${closest.firstLine}` : `lines ${closest.firstLine}-${closest.lastLine}`
    parts.push(`The most similar lines in ${edit.path} are ${span}${counting} (numbered here; the numbers are not part of the file):`)
    parts.push(quote(numbered(closest.lines, closest.firstLine)))
    const differences = describeDifferences(search, closest.lines, closest.firstLine)
    if (differences.length > 0) parts.push(`How SEARCH differs from them:\n${differences.map(line => `- ${line}`).join('\n')}`)
  } else {
    parts.push(`Nothing in ${edit.path} resembles it: check that the block targets the right file.`)
  }
  const replaceBody = replace.filter(line => line.trim() !== '')
  if (replaceBody.length > 0 && locate(fileLines, style, replace, replace).kind !== 'none') {
    parts.push(`The REPLACE lines are already in ${edit.path}: if this change is already made, leave the block out.`)
  }
  parts.push(
    'Copy the lines into SEARCH exactly as they are in the file, without the line numbers, with their whitespace, ' +
      'comments and blank lines.'
  )
  return parts.join('\n')
}

/** What differs, line by line: indentation, a changed line, a line SEARCH has that the file has not, or the reverse. */
function describeDifferences(search: string[], region: string[], firstLine: number): string[] {
  const differences: string[] = []
  let s = 0
  let f = 0
  const parts = diffArrays(
    search.map(line => line.trim()),
    region.map(line => line.trim())
  )
  for (let p = 0; p < parts.length && differences.length < MAX_LISTED_DIFFERENCES; p++) {
    const part = parts[p]
    const count = part.value.length
    if (!part.added && !part.removed) {
      for (let n = 0; n < count; n++, s++, f++) {
        const mine = indentOf(search[s])
        const theirs = indentOf(region[f])
        if (mine !== theirs && search[s].trim() !== '') {
          differences.push(
            `line ${firstLine + f}: indentation differs: the file has ${describeIndent(theirs)}, SEARCH has ${describeIndent(mine)}`
          )
        } else if (search[s] !== region[f] && search[s].trim() !== '') {
          differences.push(`line ${firstLine + f}: trailing whitespace differs`)
        }
      }
      continue
    }
    // a run of SEARCH lines and file lines that differ: pair the alike ones, the rest are extra or missing
    const following = parts[p + 1]
    const searchRun = part.removed ? search.slice(s, s + count) : []
    const fileCount = part.added ? count : following?.added ? following.value.length : 0
    if (part.removed && following?.added) p++
    const fileRun = region.slice(f, f + fileCount)
    for (const step of alignRuns(searchRun, fileRun)) {
      const fileLine = step.file === undefined ? '' : `line ${firstLine + f + step.file}`
      if (step.search !== undefined && step.file !== undefined) {
        differences.push(
          `${fileLine} differs: the file has \`${fileRun[step.file].trim()}\`, SEARCH has \`${searchRun[step.search].trim()}\``
        )
      } else if (step.search !== undefined) {
        const line = searchRun[step.search].trim()
        differences.push(
          line === '' ? 'SEARCH has a blank line that the file has not here' : `SEARCH has \`${line}\`, which is not in the file here`
        )
      } else if (step.file !== undefined) {
        const line = fileRun[step.file].trim()
        differences.push(
          line === '' ? `${fileLine} (a blank line) is missing from SEARCH` : `${fileLine} (\`${line}\`) is missing from SEARCH`
        )
      }
    }
    s += searchRun.length
    f += fileRun.length
  }
  return differences.slice(0, MAX_LISTED_DIFFERENCES)
}

/** Pairs alike lines of two runs in order (most total likeness); unpaired lines come out alone. */
function alignRuns(searchRun: string[], fileRun: string[]): Array<{ search?: number; file?: number }> {
  const rows = searchRun.length
  const cols = fileRun.length
  const score: number[][] = Array.from({ length: rows + 1 }, () => new Array<number>(cols + 1).fill(0))
  const alike = (i: number, j: number): number => {
    const value = lineSimilarity(searchRun[i], fileRun[j])
    return value >= MISREMEMBERED_SIMILARITY ? value : -1
  }
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = cols - 1; j >= 0; j--) {
      const pair = alike(i, j)
      score[i][j] = Math.max(score[i + 1][j], score[i][j + 1], pair >= 0 ? pair + score[i + 1][j + 1] : -1)
    }
  }
  const steps: Array<{ search?: number; file?: number }> = []
  let i = 0
  let j = 0
  while (i < rows || j < cols) {
    if (i < rows && j < cols) {
      const pair = alike(i, j)
      if (pair >= 0 && score[i][j] === pair + score[i + 1][j + 1]) steps.push({ search: i++, file: j++ })
      else if (score[i][j] === score[i + 1][j]) steps.push({ search: i++ })
      else steps.push({ file: j++ })
    } else if (i < rows) steps.push({ search: i++ })
    else steps.push({ file: j++ })
  }
  return steps
}

function describeIndent(indent: string): string {
  if (indent === '') return 'no indentation'
  const tabs = (indent.match(/\t/g) ?? []).length
  const spaces = indent.length - tabs
  const named = [tabs > 0 ? `${tabs} tab${tabs === 1 ? '' : 's'}` : '', spaces > 0 ? `${spaces} space${spaces === 1 ? '' : 's'}` : '']
  return named.filter(Boolean).join(' and ')
}

function numbered(lines: string[], first: number): string[] {
  const width = String(first + lines.length - 1).length
  return lines.map((line, k) => `${String(first + k).padStart(width)} | ${line}`)
}

function quote(lines: string[]): string {
  const hidden = lines.length - MAX_QUOTED_LINES
  const shown = hidden > 0 ? [...lines.slice(0, MAX_QUOTED_LINES), `[... ${hidden} more lines]`] : lines
  const text = shown.join('\n')
  const longestRun = Math.max(2, ...[...text.matchAll(/`+/g)].map(match => match[0].length))
  const fence = '`'.repeat(longestRun + 1)
  return `${fence}\n${text}\n${fence}`
}

// ---------------------------------------------------------------------------------------------------------------
// Text as lines with their own line ends

interface Line {
  text: string
  /** '\n', '\r\n', or '' for a last line without newline */
  eol: string
}

interface SplitText {
  bom: string
  lines: Line[]
  /** the file's usual line ending, given to lines the edit adds */
  eol: string
}

function splitText(content: string): SplitText {
  const bom = content.startsWith('\uFEFF') ? '\uFEFF' : ''
  const body = content.slice(bom.length)
  const lines: Line[] = []
  let crlf = 0
  let position = 0
  while (position < body.length) {
    const newline = body.indexOf('\n', position)
    if (newline < 0) {
      lines.push({ text: body.slice(position), eol: '' })
      break
    }
    const isCrlf = newline > position && body[newline - 1] === '\r'
    if (isCrlf) crlf++
    lines.push({ text: body.slice(position, isCrlf ? newline - 1 : newline), eol: isCrlf ? '\r\n' : '\n' })
    position = newline + 1
  }
  const withEol = lines.filter(line => line.eol !== '').length
  return { bom, lines, eol: crlf > 0 && crlf * 2 >= withEol ? '\r\n' : '\n' }
}

/** Replaces each placement's window (placements do not overlap), keeping the file's final-newline state. */
function splice(text: SplitText, placements: Placement[]): string {
  const original = text.lines
  const endsWithoutNewline = original.length > 0 && original[original.length - 1].eol === ''
  const result: Line[] = []
  let position = 0
  for (const placement of [...placements].sort((a, b) => a.start - b.start)) {
    result.push(...original.slice(position, placement.start))
    for (const line of placement.output) result.push('keep' in line ? { ...original[line.keep] } : { text: line.text, eol: text.eol })
    position = placement.end
  }
  result.push(...original.slice(position))
  result.forEach((line, k) => {
    if (k < result.length - 1 && line.eol === '') line.eol = text.eol
  })
  if (result.length > 0) {
    const last = result[result.length - 1]
    if (endsWithoutNewline) last.eol = ''
    else if (last.eol === '') last.eol = text.eol
  }
  return text.bom + result.map(line => line.text + line.eol).join('')
}

/** A SEARCH or REPLACE part as lines; its final newline ends the last line, it does not add an empty one. */
function splitBlock(part: string): string[] {
  if (part === '') return []
  const lines = withoutBom(part)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map(line => line.replace(/^\uFEFF/, ''))
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** A byte order mark the model copied from the prompt: the file keeps its own. */
function withoutBom(text: string): string {
  return text.replace(/^\uFEFF/, '')
}
