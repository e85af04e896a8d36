// The tolerance corpus: a catalog bug's fix written in each shape real models answer in (issue 13), the same
// shapes carrying a subtly wrong fix, and SEARCH parts that match two places. Plain ESM on node: built-ins and
// the `diff` package, so the tests and `npm run bench` share it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { structuredPatch } from 'diff'
import { projectsDir } from './git-repo.mjs'

/** @typedef {import('./git-repo.mjs').Bug} Bug */

/**
 * @typedef {object} Shape
 * @property {string} name
 * @property {(text: FixText) => string} answer the model's answer for this shape
 */

/**
 * @typedef {object} FixText
 * @property {Bug} bug
 * @property {string} buggyFile the file as the bug left it (what the model sees)
 * @property {string} fixedFile the file as the fix leaves it
 * @property {string[]} search the lines of the buggy file the fix changes, with context around them
 * @property {string[]} replace the same region fixed
 * @property {number} start 0-based line of the buggy file where `search` begins
 * @property {{ first: number, last: number }} changed 0-based lines of the buggy file the fix changes
 */

const fence = '```'

/** The bug's region with at least `context` non-blank lines around the change on each side, where the file has them. */
function region(buggyFile, fixedFile, context = 1) {
  const a = buggyFile.split('\n')
  const b = fixedFile.split('\n')
  let first = 0
  while (first < a.length && first < b.length && a[first] === b[first]) first++
  let endA = a.length - 1
  let endB = b.length - 1
  while (endA >= first && endB >= first && a[endA] === b[endB]) {
    endA--
    endB--
  }
  let start = first
  for (let seen = 0; start > 0 && seen < context;) if (a[--start].trim() !== '') seen++
  let stopA = endA
  let stopB = endB
  for (let seen = 0; stopA < a.length - 2 && seen < context;) {
    stopA++
    stopB++
    if (a[stopA].trim() !== '') seen++
  }
  return { start, search: a.slice(start, stopA + 1), replace: b.slice(start, stopB + 1) }
}

/**
 * The fix of a catalog bug as text: the buggy file, the fixed file and the region between them.
 * `wrong`: the fix is subtly wrong: the buggy lines stay, only a comment claiming the fix is added.
 * @param {Bug} bug
 * @param {{ wrong?: boolean }} [options]
 * @returns {FixText}
 */
export function fixText(bug, options = {}) {
  const original = readFileSync(join(projectsDir, bug.project, bug.file), 'utf8')
  const buggyFile = original.replace(bug.search, () => bug.replace)
  let fixedFile = original
  if (options.wrong) {
    const found = region(buggyFile, original, 0)
    const lines = buggyFile.split('\n')
    // the first changed line of the bug (or the line before a deleted statement) gets a comment, nothing else
    const changed = found.search.findIndex((line, k) => line !== found.replace[k] && line.trim() !== '')
    const at = found.start + Math.max(0, changed)
    lines[at] = `${lines[at]}  # fixed`
    fixedFile = lines.join('\n')
  }
  const change = region(buggyFile, fixedFile, 0)
  const changed = change.search.length === 0 ? [change.start] : [change.start, change.start + change.search.length - 1]
  return {
    bug,
    buggyFile,
    fixedFile,
    ...region(buggyFile, fixedFile, 2),
    changed: { first: changed[0], last: changed[changed.length - 1] }
  }
}

const block = (path, search, replace, marker = 7) =>
  [path, `${'<'.repeat(marker)} SEARCH`, ...search, '='.repeat(marker), ...replace, `${'>'.repeat(marker)} REPLACE`].join('\n')

const prose = body => `The failing tests point at this code. Here is the fix:\n\n${body}\n`
const fenced = body => `${fence}python\n${body}\n${fence}`

function indentWidth(line) {
  return /^ */.exec(line)[0].length
}

/** Both parts shifted left by the indentation they share, as a model drops it. */
function dedent(lines, alongWith = lines) {
  const widths = [...lines, ...alongWith].filter(line => line.trim() !== '').map(indentWidth)
  const common = widths.length > 0 ? Math.min(...widths) : 0
  return lines.map(line => line.slice(Math.min(common, indentWidth(line))))
}

/** Four spaces per level become tabs (and tabs would become spaces). */
function swapIndentation(lines) {
  return lines.map(line => {
    const width = indentWidth(line)
    return '\t'.repeat(Math.floor(width / 4)) + ' '.repeat(width % 4) + line.slice(width)
  })
}

/** The enclosing `def` (or `class`) of line `at`: its first line and one past its last. */
function enclosingFunction(lines, at) {
  const own = lines[at].trim() === '' ? 0 : indentWidth(lines[at])
  let first = at
  while (first >= 0 && !(/^\s*(async\s+def|def|class)\s/.test(lines[first]) && (indentWidth(lines[first]) < own || first === at))) first--
  if (first < 0) return undefined
  const bodyIndent = indentWidth(lines[first])
  let end = first + 1
  while (end < lines.length && (lines[end].trim() === '' || indentWidth(lines[end]) > bodyIndent)) end++
  while (end > first + 1 && lines[end - 1].trim() === '') end--
  return { first, end }
}

/** A line of the region that SEARCH and REPLACE share, misremembered the way models do: one word changed. */
function misremember(text) {
  const shared = text.search.map((line, k) => line === text.replace[k] && /[A-Za-z_]{3,}/.test(line))
  const k = shared.findIndex(Boolean)
  if (k < 0) return undefined
  const changed = text.search[k].replace(/([A-Za-z_]{3,})/, '$1s')
  const swap = lines => lines.map((line, n) => (n === k ? changed : line))
  return { search: swap(text.search), replace: swap(text.replace) }
}

/** The shapes a correct (or wrong) fix is written in; each gives the whole answer. @type {Shape[]} */
export const shapes = [
  { name: 'exact', answer: t => prose(`${t.bug.file}\n${fenced(block('', t.search, t.replace).slice(1))}`) },
  { name: 'dedented', answer: t => prose(fenced(block(t.bug.file, dedent(t.search, t.replace), dedent(t.replace, t.search)))) },
  {
    name: 'trailing spaces',
    answer: t =>
      prose(
        fenced(
          block(
            t.bug.file,
            t.search.map(line => `${line}   `),
            t.replace.map(line => `${line}  `)
          )
        )
      )
  },
  { name: 'basename path', answer: t => prose(fenced(block(t.bug.file.split('/').pop(), t.search, t.replace))) },
  { name: './path', answer: t => prose(fenced(block(`./${t.bug.file}`, t.search, t.replace))) },
  { name: 'path inside the fence', answer: t => prose(`${fence}python\n${block(t.bug.file, t.search, t.replace)}\n${fence}`) },
  { name: '8-character markers', answer: t => prose(fenced(block(t.bug.file, t.search, t.replace, 8))) },
  { name: 'CRLF', answer: t => prose(fenced(block(t.bug.file, t.search, t.replace))).replace(/\n/g, '\r\n') },
  {
    name: 'elided',
    answer: t => {
      const lines = t.buggyFile.split('\n')
      const fixed = t.fixedFile.split('\n')
      // SEARCH: a line that occurs once (the enclosing def if it can), `...` for the unchanged lines after it,
      // then the region from the line before the change; REPLACE leaves out the same lines
      const prefix = Math.max(
        0,
        t.search.findIndex((line, k) => line !== t.replace[k])
      )
      const from = t.start + Math.max(0, prefix - 1)
      const unique = k => lines[k].trim() !== '' && lines.filter(line => line === lines[k]).length === 1
      const fn = enclosingFunction(lines, t.changed.first)
      let anchor = fn !== undefined && fn.first < from - 1 && unique(fn.first) ? fn.first : from - 2
      while (anchor >= 0 && !unique(anchor)) anchor--
      if (anchor < 0) return prose(fenced(block(t.bug.file, t.search, t.replace)))
      const indent = /^\s*/.exec(lines[anchor + 1])[0]
      const search = [lines[anchor], `${indent}...`, ...t.search.slice(from - t.start)]
      const replace = [fixed[anchor], `${indent}...`, ...t.replace.slice(from - t.start)]
      return prose(fenced(block(t.bug.file, search, replace)))
    }
  },
  {
    name: 'unified diff',
    answer: t => {
      const patch = structuredPatch(`a/${t.bug.file}`, `b/${t.bug.file}`, t.buggyFile, t.fixedFile, '', '', { context: 3 })
      // line numbers as a model writes them: off by a few
      const hunks = patch.hunks.map(hunk =>
        [`@@ -${hunk.oldStart + 4},${hunk.oldLines} +${hunk.newStart + 4},${hunk.newLines} @@`, ...hunk.lines].join('\n')
      )
      return prose(`${fence}diff\n--- a/${t.bug.file}\n+++ b/${t.bug.file}\n${hunks.join('\n')}\n${fence}`)
    }
  },
  {
    name: 'whole function',
    answer: t => {
      const lines = t.buggyFile.split('\n')
      const fixed = t.fixedFile.split('\n')
      const fn = enclosingFunction(lines, t.changed.first)
      if (fn === undefined || fn.end <= t.changed.last) return prose(fenced(block(t.bug.file, t.search, t.replace)))
      const grown = fixed.length - lines.length
      return prose(fenced(block(t.bug.file, lines.slice(fn.first, fn.end), fixed.slice(fn.first, fn.end + grown))))
    }
  },
  {
    name: 'whole file',
    answer: t => `Here is the corrected file.\n\n${fence}python ${t.bug.file}\n${t.fixedFile.replace(/\n$/, '')}\n${fence}\n`
  },
  { name: 'tabs for spaces', answer: t => prose(fenced(block(t.bug.file, swapIndentation(t.search), swapIndentation(t.replace)))) },
  {
    name: 'one context line misremembered',
    answer: t => {
      const wrong = misremember(t)
      return prose(fenced(block(t.bug.file, wrong?.search ?? t.search, wrong?.replace ?? t.replace)))
    }
  },
  {
    name: 'BOM copied',
    answer: t =>
      prose(fenced(block(t.bug.file, [`\uFEFF${t.search[0]}`, ...t.search.slice(1)], [`\uFEFF${t.replace[0]}`, ...t.replace.slice(1)])))
  }
]

/**
 * The buggy file with a second copy of the bug's surroundings (the enclosing function and three lines around the
 * region) appended inside a string literal, so that every SEARCH of the region matches two places and must be
 * refused, while the module still imports.
 * @param {FixText} text
 */
export function withDuplicatedRegion(text) {
  const lines = text.buggyFile.split('\n')
  const fn = enclosingFunction(lines, text.changed.first)
  const from = Math.max(0, Math.min(fn?.first ?? text.start, text.start - 3))
  const to = Math.min(lines.length, Math.max(fn?.end ?? 0, text.start + text.search.length + 3))
  return `${text.buggyFile.replace(/\n*$/, '\n')}\n\n_COPY_OF_THE_REGION = r'''\n${lines.slice(from, to).join('\n')}\n'''\n`
}
