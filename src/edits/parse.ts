// Reads the model's edit blocks (README, "How it works") out of a free-form answer.
// Tolerant of the shapes models really produce; everything it cannot read becomes feedback for the next attempt.
import type { Edit } from '../domain.js'

const SEARCH_MARKER = /^\s*<{5,9}\s*SEARCH\s*:?\s*$/i
const DIVIDER_MARKER = /^\s*={5,9}\s*$/
const REPLACE_MARKER = /^\s*>{5,9}\s*REPLACE\s*:?\s*$/i
const FENCE = /^\s*(`{3,}|~{3,})(.*)$/
/** How far above `<<<<<<< SEARCH` the path may sit (fence lines and blank lines in between). */
const PATH_LOOKBACK_LINES = 6
/** Extensions that let a path be picked out of a prose line such as "Then update app/models.py:". */
const KNOWN_EXTENSIONS = new Set([
  'py',
  'pyi',
  'pyx',
  'pxd',
  'cfg',
  'ini',
  'toml',
  'txt',
  'json',
  'yaml',
  'yml',
  'md',
  'rst',
  'csv',
  'c',
  'h',
  'cpp',
  'hpp',
  'js',
  'ts',
  'html',
  'css',
  'sql',
  'sh',
  'xml',
  'in',
  'lock'
])

export const BLOCK_FORMAT_HINT =
  'Write each edit as the file path (relative to the repository root) alone on a line, then `<<<<<<< SEARCH`, ' +
  'the exact lines now in the file, `=======`, the lines that replace them, and `>>>>>>> REPLACE`.'

/**
 * Tolerant parsing of the model's answer: blocks inside or outside ``` fences, prose around blocks, CRLF,
 * several blocks for one file, a new-file block (empty SEARCH), the path line variants models produce,
 * marker lengths 5 to 9. `edits[i]` is the (i+1)-th well-formed block; `problems` are messages for the
 * model's next attempt about blocks that could not be read (those blocks are left out of `edits`).
 */
export function parseEditBlocks(answer: string): { edits: Edit[]; problems: string[] } {
  const lines = withoutReasoning(answer).split(/\r?\n/)
  const edits: Edit[] = []
  const problems: string[] = []
  let blockNumber = 0
  let previousPath: string | undefined
  let scannedUpTo = 0 // the path of a block is never looked for inside the block before it

  let i = 0
  while (i < lines.length) {
    if (REPLACE_MARKER.test(lines[i])) {
      problems.push(`Line ${i + 1} of the answer has \`>>>>>>> REPLACE\` without a \`<<<<<<< SEARCH\` before it. ${BLOCK_FORMAT_HINT}`)
      i++
      continue
    }
    if (!SEARCH_MARKER.test(lines[i])) {
      i++
      continue
    }
    blockNumber++
    const path = findPath(lines, i, scannedUpTo) ?? previousPath
    const block = readBlock(lines, i)
    const where = `Block ${blockNumber}${path === undefined ? '' : ` (${path})`}`
    if (block.kind !== 'ok') {
      problems.push(
        block.kind === 'no-divider'
          ? `${where} has no \`=======\` line after \`<<<<<<< SEARCH\`, so it was ignored. ${BLOCK_FORMAT_HINT}`
          : `${where} is not closed by a \`>>>>>>> REPLACE\` line (was the answer cut off?), so it was ignored. ` +
              'Send every block complete, and keep the answer short enough to finish.'
      )
    } else if (path === undefined) {
      problems.push(
        `${where} has no file path, so it was ignored. Put the path of the file, relative to the repository root, ` +
          'alone on the line right before `<<<<<<< SEARCH` (or before the opening ``` fence).'
      )
    } else {
      previousPath = path
      edits.push({ path, search: block.search, replace: block.replace })
    }
    scannedUpTo = block.next
    i = block.next
  }

  if (blockNumber === 0) {
    // no SEARCH/REPLACE block: the other shapes a correct answer comes in, a unified diff or whole files
    const other = readUnifiedDiff(lines) ?? readWholeFiles(lines)
    if (other !== undefined) return other
    problems.push(noBlocksMessage(answer))
  }
  return { edits, problems }
}

const DIFF_OLD_HEADER = /^--- (.*)$/
const DIFF_NEW_HEADER = /^\+\+\+ (.*)$/
const HUNK_HEADER = /^@@.*@@|^@@\s*$/

/**
 * A unified diff (`--- a/x`, `+++ b/x`, `@@` hunks), as git or a model writes it: each hunk becomes an edit whose
 * SEARCH is its context and removed lines and whose REPLACE is its context and added lines, found by context
 * (the line numbers of the header are not trusted). undefined: the answer has no hunk.
 */
function readUnifiedDiff(lines: string[]): { edits: Edit[]; problems: string[] } | undefined {
  const edits: Edit[] = []
  const problems: string[] = []
  let path: string | undefined
  let creates = false
  let hunks = 0
  let i = 0
  const isHeaderAt = (j: number): boolean => DIFF_OLD_HEADER.test(lines[j] ?? '') && DIFF_NEW_HEADER.test(lines[j + 1] ?? '')
  while (i < lines.length) {
    if (isHeaderAt(i)) {
      const oldPath = diffHeaderPath(DIFF_OLD_HEADER.exec(lines[i])?.[1] ?? '')
      const newPath = diffHeaderPath(DIFF_NEW_HEADER.exec(lines[i + 1])?.[1] ?? '')
      creates = oldPath === undefined
      path = newPath ?? oldPath
      if (newPath === undefined && oldPath !== undefined) {
        problems.push(`The diff deletes ${oldPath}, which a fix may not do. Change the code instead, with SEARCH/REPLACE blocks.`)
      }
      i += 2
      continue
    }
    if (!HUNK_HEADER.test(lines[i])) {
      i++
      continue
    }
    hunks++
    const search: string[] = []
    const replace: string[] = []
    let bareBlanks = 0 // empty lines at the end of the hunk: likely the gap before prose, not context
    let j = i + 1
    for (; j < lines.length; j++) {
      const line = lines[j]
      if (HUNK_HEADER.test(line) || isHeaderAt(j) || /^diff --git /.test(line) || FENCE.test(line)) break
      if (line.startsWith('\\')) continue // "\ No newline at end of file"
      if (line === '') {
        search.push('')
        replace.push('')
        bareBlanks++
        continue
      }
      const sign = line[0]
      if (sign !== ' ' && sign !== '+' && sign !== '-') break
      bareBlanks = 0
      if (sign !== '+') search.push(line.slice(1))
      if (sign !== '-') replace.push(line.slice(1))
    }
    search.splice(search.length - bareBlanks, bareBlanks)
    replace.splice(replace.length - bareBlanks, bareBlanks)
    if (path === undefined) {
      problems.push(
        `Diff hunk ${hunks} (line ${i + 1} of the answer) has no \`--- a/path\` and \`+++ b/path\` lines naming its file, so it was ignored. ${BLOCK_FORMAT_HINT}`
      )
    } else if (!(creates && search.length > 0)) {
      edits.push({ path, search: creates ? '' : blockText(search, true), replace: blockText(replace, false), format: 'diff' })
    }
    i = j
  }
  return hunks === 0 ? undefined : { edits, problems }
}

/** `a/src/x.py`, `b/src/x.py\t2024-01-01 ...`, `/dev/null` (undefined) */
function diffHeaderPath(text: string): string | undefined {
  const name = stripDecoration(text.split('\t')[0])
  if (name === '/dev/null' || name === '') return undefined
  return normalizePath(name.replace(/^[ab]\//, ''))
}

/**
 * Whole files in fences that name them (```python path/x.py, or the path alone on the line above): each becomes
 * a whole-file edit, which the planner turns into the diff against the file. undefined: no fence names a file.
 */
function readWholeFiles(lines: string[]): { edits: Edit[]; problems: string[] } | undefined {
  const edits: Edit[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i])
    if (!open) continue
    const marker = open[1]
    let end = i + 1
    while (end < lines.length && !new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).test(lines[end])) end++
    const path = pathFromFenceInfo(open[2]) ?? pathAbove(lines, i)
    if (path !== undefined && end < lines.length) {
      edits.push({ path, search: '', replace: blockText(lines.slice(i + 1, end), false), format: 'whole-file' })
    }
    i = end
  }
  return edits.length === 0 ? undefined : { edits, problems: [] }
}

/** The path on the nearest non-blank line above `fence`, if that line names one. */
function pathAbove(lines: string[], fence: number): string | undefined {
  for (let j = fence - 1; j >= Math.max(0, fence - 2); j--) {
    if (lines[j].trim() === '') continue
    return pathFromLine(lines[j].trim())
  }
  return undefined
}

type Block = { kind: 'ok'; search: string; replace: string; next: number } | { kind: 'no-divider' | 'no-end'; next: number }

/** Reads the block whose `<<<<<<< SEARCH` is at `start`; `next` is where scanning resumes. */
function readBlock(lines: string[], start: number): Block {
  let divider = start + 1
  while (divider < lines.length && !DIVIDER_MARKER.test(lines[divider])) {
    // a new block or a stray end marker before the divider: this block is broken, rescan from there
    if (SEARCH_MARKER.test(lines[divider])) return { kind: 'no-divider', next: divider }
    if (REPLACE_MARKER.test(lines[divider])) return { kind: 'no-divider', next: divider + 1 }
    divider++
  }
  if (divider >= lines.length) return { kind: 'no-divider', next: divider }
  let end = divider + 1
  while (end < lines.length && !REPLACE_MARKER.test(lines[end])) {
    if (SEARCH_MARKER.test(lines[end])) return { kind: 'no-end', next: end }
    end++
  }
  if (end >= lines.length) return { kind: 'no-end', next: end }
  return {
    kind: 'ok',
    search: blockText(lines.slice(start + 1, divider), true),
    replace: blockText(lines.slice(divider + 1, end), false),
    next: end + 1
  }
}

/** Lines back to text ending in a newline; a whitespace-only SEARCH is an empty one (a new file). */
function blockText(lines: string[], isSearch: boolean): string {
  if (lines.length === 0) return ''
  const text = lines.join('\n') + '\n'
  return isSearch && text.trim() === '' ? '' : text
}

/** The path written above the block at `head`: skips blank and fence lines, stops at prose without a path. */
function findPath(lines: string[], head: number, floor: number): string | undefined {
  for (let j = head - 1; j >= Math.max(floor, head - PATH_LOOKBACK_LINES); j--) {
    const line = lines[j].trim()
    if (line === '') continue
    const fence = FENCE.exec(line)
    if (fence) {
      const fromInfo = pathFromFenceInfo(fence[2])
      if (fromInfo !== undefined) return fromInfo
      continue
    }
    return pathFromLine(line)
  }
  return undefined
}

/** ```python src/app.py, ```src/app.py, ```python:src/app.py, ```py title="src/app.py" */
function pathFromFenceInfo(info: string): string | undefined {
  for (const token of info.split(/[\s:=]+/)) {
    const candidate = stripDecoration(token)
    if (looksLikePath(candidate)) return normalizePath(candidate)
  }
  return undefined
}

/** `path/x.py`, **path/x.py**, # path/x.py, File: path/x.py, 1. path/x.py, or one path named in a prose line. */
function pathFromLine(line: string): string | undefined {
  const whole = stripDecoration(
    line
      .replace(/^(\d+[.)]|[-*+])\s+/, '')
      .replace(/^#+\s*/, '')
      .replace(/^(file ?name|file|path)\s*:\s*/i, '')
  )
  if (looksLikePath(whole)) return normalizePath(whole)

  const spans = [...line.matchAll(/`([^`]+)`|\*\*([^*]+)\*\*/g)].map(match => stripDecoration(match[1] ?? match[2]))
  const fromSpans = distinct(spans.filter(looksLikePath))
  if (fromSpans.length === 1) return normalizePath(fromSpans[0])
  if (fromSpans.length > 1) return undefined

  const words = line.split(/\s+/).map(word => stripDecoration(word.replace(/[,;:.!?)]+$/, '').replace(/^\(/, '')))
  const fromWords = distinct(words.filter(word => looksLikePath(word) && KNOWN_EXTENSIONS.has(extensionOf(word))))
  return fromWords.length === 1 ? normalizePath(fromWords[0]) : undefined
}

function stripDecoration(text: string): string {
  let value = text.trim().replace(/\\_/g, '_')
  let previous = ''
  while (value !== previous) {
    previous = value
    value = value
      .replace(/^[`*"']+|[`*"']+$/g, '')
      .replace(/:$/, '')
      .trim()
  }
  return value
}

function looksLikePath(text: string): boolean {
  if (text === '' || /[\s`*"'<>|?]/.test(text) || text.includes('://')) return false
  if (/^[.\\/]+$/.test(text) || text.endsWith('/')) return false
  return /[/\\]/.test(text) || /\.[A-Za-z][\w-]*$/.test(text)
}

function extensionOf(path: string): string {
  const match = /\.([A-Za-z][\w-]*)$/.exec(path)
  return match ? match[1].toLowerCase() : ''
}

function distinct(values: string[]): string[] {
  return [...new Set(values.map(normalizePath))]
}

/** Posix separators, no leading ./ or doubled slashes. `..` and absolute paths stay visible for the policy. */
export function normalizePath(path: string): string {
  let value = path
    .trim()
    .replace(/\\/g, '/')
    .replace(/\/{2,}/g, '/')
  while (value.startsWith('./')) value = value.slice(2)
  return value
}

/** Reasoning models (DeepSeek-R1, Qwen) may put drafts in <think> sections; blank them, keeping line numbers. */
function withoutReasoning(answer: string): string {
  return answer.replace(/<think>[\s\S]*?<\/think>/gi, section => section.replace(/[^\n]/g, ''))
}

function noBlocksMessage(answer: string): string {
  const looksLikeDiff = /^(---|\+\+\+) (a\/|b\/|\/dev\/null)/m.test(answer) || /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/m.test(answer)
  const cause = looksLikeDiff
    ? 'The answer looks like a unified diff, but it has no `@@` hunk that could be read.'
    : answer.trim() === ''
      ? 'The answer was empty.'
      : 'The answer contains no SEARCH/REPLACE edit block.'
  return `${cause} ${BLOCK_FORMAT_HINT}`
}
