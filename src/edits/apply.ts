// Plans the new content of each file from the model's edit blocks. Pure: the caller reads and writes files.
// Strict first (exact lines), tolerant second (trailing whitespace, uniformly shifted indentation, stray blank
// lines around SEARCH); never guesses between two places. Every refusal is worded as feedback for the model.
import type { Edit, FileChange } from '../domain.js'
import { findClosestLines } from './closest-lines.js'

export type EditPlan = { ok: true; changes: FileChange[]; notes: string[] } | { ok: false; error: string }

/** Lines of the SEARCH and of the closest file lines quoted back to the model, at most. */
const MAX_QUOTED_LINES = 40

/**
 * Plans the new content of each file. `readFile` gives a file's current text, or null when it does not exist.
 * Edits apply in order, on the content earlier edits produced. Any failing block fails the whole plan, with a
 * message naming the file, the block (1-based) and the closest existing lines. `notes` mention no-op blocks.
 */
export function planEdits(edits: Edit[], readFile: (path: string) => string | null): EditPlan {
  const files = new Map<string, { before: string | null; current: string | null }>()
  const errors: string[] = []
  const notes: string[] = []

  edits.forEach((edit, index) => {
    const block = `Block ${index + 1} (${edit.path})`
    let file = files.get(edit.path)
    if (file === undefined) {
      const before = readFile(edit.path)
      file = { before, current: before }
      files.set(edit.path, file)
    }
    if (edit.search === edit.replace) {
      notes.push(`${block}: SEARCH and REPLACE are identical, so the block changes nothing.`)
      return
    }
    const result = applyEdit(file.current, edit, block, file.current !== file.before)
    if (typeof result === 'string') file.current = result
    else errors.push(result.error)
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

/** `shifted`: earlier blocks changed this file, so line numbers differ from the file the model saw. */
function applyEdit(current: string | null, edit: Edit, block: string, shifted: boolean): string | { error: string } {
  if (edit.search.trim() === '') {
    if (current === null || current.trim() === '') return edit.replace
    return {
      error:
        `${block}: the SEARCH part is empty, which creates a new file, but ${edit.path} already exists. ` +
        'To change it, put the exact lines to replace in SEARCH.'
    }
  }
  if (current === null) {
    return {
      error:
        `${block}: ${edit.path} does not exist. Use a path shown in the prompt, relative to the repository root; ` +
        'to create a new file, leave SEARCH empty.'
    }
  }
  const text = splitText(current)
  const search = splitBlock(edit.search)
  const replace = splitBlock(edit.replace)
  const found = locate(text.lines.map(line => line.text), search, replace)
  const counting = shifted ? ', counting the changes of the blocks before' : ''
  if (found.kind === 'ambiguous') {
    return {
      error:
        `${block}: the SEARCH part matches ${found.lines.length} places in ${edit.path} ` +
        `(lines ${found.lines.join(', ')}${counting}). Add neighbouring lines (such as the enclosing def or class line) ` +
        'to SEARCH so that it matches exactly one place.'
    }
  }
  if (found.kind === 'none') {
    return { error: noMatchMessage(block, edit, text.lines.map(line => line.text), search, replace, counting) }
  }

  const lastEol = text.lines[found.start + found.length - 1].eol
  const inserted = found.replacement.map((line, k) => ({
    text: line,
    eol: k === found.replacement.length - 1 ? lastEol : text.eol
  }))
  text.lines.splice(found.start, found.length, ...inserted)
  return joinText(text)
}

type Located =
  | { kind: 'found'; start: number; length: number; replacement: string[] }
  | { kind: 'ambiguous'; lines: number[] }
  | { kind: 'none' }

/** A way of comparing SEARCH with a window of the file; gives the replacement lines when the window matches. */
type Matcher = (window: string[]) => string[] | undefined

function locate(fileLines: string[], search: string[], replace: string[]): Located {
  const variants = [{ search, replace }]
  const trimmed = withoutStrayBlankLines(search, replace)
  if (trimmed.search.length !== search.length) variants.push(trimmed)

  for (const variant of variants) {
    const matchers = [exactly(variant), ignoringTrailingSpace(variant), ignoringIndentShift(variant)]
    for (const matcher of matchers) {
      const matches: Array<{ start: number; replacement: string[] }> = []
      for (let start = 0; start + variant.search.length <= fileLines.length; start++) {
        const replacement = matcher(fileLines.slice(start, start + variant.search.length))
        if (replacement !== undefined) matches.push({ start, replacement })
      }
      if (matches.length === 1) return { kind: 'found', length: variant.search.length, ...matches[0] }
      if (matches.length > 1) return { kind: 'ambiguous', lines: matches.map(match => match.start + 1) }
    }
  }
  return { kind: 'none' }
}

interface Sides {
  search: string[]
  replace: string[]
}

function exactly({ search, replace }: Sides): Matcher {
  return window => (window.every((line, k) => line === search[k]) ? replace : undefined)
}

function ignoringTrailingSpace({ search, replace }: Sides): Matcher {
  return window => (window.every((line, k) => line.trimEnd() === search[k].trimEnd()) ? replace : undefined)
}

/** The model shifted all of SEARCH and REPLACE by the same indentation; the replacement gets the file's. */
function ignoringIndentShift({ search, replace }: Sides): Matcher {
  const indents = [...search, ...replace].filter(line => line.trim() !== '').map(line => indentOf(line).length)
  const common = indents.length > 0 ? Math.min(...indents) : 0
  const outdent = (line: string): string => (line.trim() === '' ? '' : line.slice(common).trimEnd())
  const searchOutdented = search.map(outdent)
  const replaceOutdented = replace.map(outdent)
  return window => {
    let prefix: string | undefined
    for (let k = 0; k < window.length; k++) {
      const fileLine = window[k].trimEnd()
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
    return replaceOutdented.map(line => (line === '' ? '' : (prefix ?? '') + line))
  }
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

function noMatchMessage(block: string, edit: Edit, fileLines: string[], search: string[], replace: string[], counting: string): string {
  const parts = [`${block}: the SEARCH part matches no lines of ${edit.path}. SEARCH was:`, quote(search)]
  const closest = findClosestLines(fileLines, search)
  if (closest !== undefined) {
    const span = closest.firstLine === closest.lastLine ? `line ${closest.firstLine}` : `lines ${closest.firstLine}-${closest.lastLine}`
    parts.push(`The most similar lines in ${edit.path} are ${span}${counting}:`, quote(closest.lines))
  } else {
    parts.push(`Nothing in ${edit.path} resembles it: check that the block targets the right file.`)
  }
  const replaceBody = replace.filter(line => line.trim() !== '')
  if (replaceBody.length > 0 && locate(fileLines, replace, replace).kind !== 'none') {
    parts.push(`The REPLACE lines are already in ${edit.path}: if this change is already made, leave the block out.`)
  }
  parts.push(
    'Copy the lines into SEARCH exactly as they are in the file, with their whitespace, comments and blank lines; ' +
      "do not add line numbers or leave lines out with '...'."
  )
  return parts.join('\n')
}

function quote(lines: string[]): string {
  const hidden = lines.length - MAX_QUOTED_LINES
  const shown = hidden > 0 ? [...lines.slice(0, MAX_QUOTED_LINES), `[... ${hidden} more lines]`] : lines
  const text = shown.join('\n')
  const longestRun = Math.max(2, ...[...text.matchAll(/`+/g)].map(match => match[0].length))
  const fence = '`'.repeat(longestRun + 1)
  return `${fence}\n${text}\n${fence}`
}

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

function joinText(text: SplitText): string {
  return text.bom + text.lines.map(line => line.text + line.eol).join('')
}

/** A SEARCH or REPLACE part as lines; its final newline ends the last line, it does not add an empty one. */
function splitBlock(part: string): string[] {
  if (part === '') return []
  const lines = part.replace(/\r\n/g, '\n').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? ''
}
