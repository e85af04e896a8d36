// A targeted run (a group's tests, a rerun) must run only those node ids. pytest runs the union of every path it
// is given, so `python -m pytest tests` plus node ids would run all of tests/ again: the paths the command names
// are taken out of a targeted run's command (selections such as -k and -m stay, and intersect with the ids).
// Only commands that are plain words are rewritten; anything with shell syntax runs as written.
import * as fs from 'node:fs'
import * as path from 'node:path'

/** Options of pytest and its common plugins whose value is the next word. */
const TAKES_VALUE = new Set([
  '-k',
  '-m',
  '-p',
  '-o',
  '-c',
  '-n',
  '-W',
  '-r',
  '--rootdir',
  '--maxfail',
  '--tb',
  '--deselect',
  '--ignore',
  '--ignore-glob',
  '--cov',
  '--cov-report',
  '--cov-config',
  '--cov-fail-under',
  '--junitxml',
  '--junit-xml',
  '--basetemp',
  '--confcutdir',
  '--import-mode',
  '--durations',
  '--durations-min',
  '--log-level',
  '--log-cli-level',
  '--log-file',
  '--timeout',
  '--dist',
  '--capture',
  '--override-ini',
  '--config-file',
  '--pyargs-root',
  '--html',
  '--reruns',
  '--count',
  '--random-order-seed',
  '--numprocesses',
  '--maxprocesses',
  '--tx',
  '--color',
  '--code-highlight',
  '--doctest-glob',
  '--ds',
  '--hypothesis-seed'
])

/** The command without the test paths it names, when it is plain enough to rewrite; else the command as is. */
export function withoutTestPaths(testCommand: string, workDir: string): string {
  const words = plainWords(testCommand)
  if (words === undefined) return testCommand
  const start = pytestStart(words)
  if (start === undefined) return testCommand
  const kept = words.slice(0, start)
  let removed = false
  for (let i = start; i < words.length; i++) {
    const word = words[i]
    const previous = words[i - 1]
    const valueOfPrevious =
      i > start &&
      previous.startsWith('-') &&
      !previous.includes('=') &&
      (TAKES_VALUE.has(previous) || (previous.startsWith('--') && !knownFlag(previous)))
    if (!word.startsWith('-') && !valueOfPrevious && namesTestPath(word, workDir)) {
      removed = true
      continue
    }
    kept.push(word)
  }
  return removed ? kept.map(quote).join(' ') : testCommand
}

/** The index after the word that starts pytest (`pytest`, `py.test`, `-m pytest`), or undefined. */
function pytestStart(words: string[]): number | undefined {
  for (let i = 0; i < words.length; i++) {
    const base = path.posix.basename(words[i])
    if (base === 'pytest' || base === 'py.test') return i + 1
    if (words[i] === '-m' && words[i + 1] === 'pytest') return i + 2
  }
  return undefined
}

/** Long options that take no value (so the word after them may be a path). */
function knownFlag(option: string): boolean {
  return /^--(sw|stepwise|stepwise-skip|lf|last-failed|ff|failed-first|nf|new-first|doctest-modules|strict-markers|strict-config|strict|exitfirst|verbose|quiet|showlocals|runxfail|no-header|no-summary|cache-clear|disable-warnings|pdb|trace|setup-show|setup-only|setup-plan|collect-only|co|lf-fail|continue-on-collection-errors|no-cov|cov-append|cov-branch|pyargs|fulltrace|full-trace|force-sugar|lsof|last-failed-no-failures=.*)$/.test(
    option
  )
}

function namesTestPath(word: string, workDir: string): boolean {
  const file = word.split('::')[0]
  if (file === '') return false
  try {
    fs.statSync(path.resolve(workDir, file))
    return true
  } catch {
    return false
  }
}

/** Words of a command made of plain and quoted words only; undefined for pipes, variables, redirections... */
export function plainWords(command: string): string[] | undefined {
  const words: string[] = []
  let current = ''
  let inWord = false
  for (let i = 0; i < command.length; i++) {
    const c = command[i]
    if (c === "'") {
      const end = command.indexOf("'", i + 1)
      if (end < 0) return undefined
      current += command.slice(i + 1, end)
      inWord = true
      i = end
    } else if (c === '"') {
      const end = command.indexOf('"', i + 1)
      if (end < 0) return undefined
      const inner = command.slice(i + 1, end)
      if (/[$`\\]/.test(inner)) return undefined
      current += inner
      inWord = true
      i = end
    } else if (/\s/.test(c)) {
      if (inWord) words.push(current)
      current = ''
      inWord = false
    } else if (/[|&;<>()$`\\*?[\]{}~#!]/.test(c)) {
      return undefined
    } else {
      current += c
      inWord = true
    }
  }
  if (inWord) words.push(current)
  return words
}

function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}
