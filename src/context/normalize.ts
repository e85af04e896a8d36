// What the model reads of test output and logs, with what differs from run to run without changing the question
// taken out: paths relative to the repository root, installed packages and the standard library named by a short
// prefix, ANSI color codes gone, object addresses, durations, pytest's numbered tmp dirs and commit ids masked.
// The same failure on another runner, at another workspace path or after an unrelated commit reads the same, so
// the model sees less noise and the response cache hits. Code shown as code is never touched (SEARCH copies it).
import * as path from 'node:path'

export interface OutputPaths {
  /** absolute path of the repository root on this machine */
  repoRoot: string
  /** whether a repository-relative path names a file of the repository (to place paths of another runner) */
  isRepoFile?: (relativePath: string) => boolean
}

// CSI sequences (colors, cursor moves), OSC sequences (hyperlinks, titles) and lone escapes
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g
// an absolute POSIX path or a Windows drive path, up to a character that ends paths in tracebacks
const ABSOLUTE_PATH = /(?<![\w.~/\\-])(?:\/|[A-Za-z]:[\\/])(?:[^\s:"'()[\]<>,;=|*?]+[\\/])*[^\s:"'()[\]<>,;=|*?]+/g
const SITE_PACKAGES = /[\\/](?:site|dist)-packages[\\/](.*)$/
const STDLIB = /[\\/](?:lib[\\/]python\d+(?:\.\d+)?|Lib)[\\/](.*)$/
const PYTEST_TMP = /^.*[\\/]pytest-of-[^\\/]+[\\/]pytest-\d+[\\/]?/

/** Test output or a log as the model should read it (and as the response cache keys it). */
export function normalizeOutput(text: string, paths: OutputPaths): string {
  if (text === '') return text
  const root = paths.repoRoot.replace(/[\\/]+$/, '')
  let result = text.replace(ANSI, '').replace(/\r\n?/g, '\n')
  // the action's own arguments echoed by pytest: its cache dir and JUnit file, in the runner's temp dir
  result = result.replace(/^cachedir: .*\n?/gm, '').replace(/^-+ generated xml file: .*\n?/gm, '')
  result = result.replace(ABSOLUTE_PATH, found => shortPath(found, root, paths.isRepoFile))
  return maskRunNoise(result)
}

/** Masks what changes between runs of the same code: addresses, durations, timestamps, commit ids. */
export function maskRunNoise(text: string): string {
  return (
    text
      // object reprs: `<function f at 0x7f3a...>`, `<Foo object at 0x10a...>`; and any address-sized hex
      .replace(/\bat 0x[0-9a-fA-F]+\b/g, 'at 0x?')
      .replace(/\b0x[0-9a-f]{9,16}\b/g, '0x?')
      // pytest's `in 0.85s`, `in 12.01s (0:00:12)`, `(0.12s)`, `--durations` lines `0.50s call ...`
      .replace(/\b\d+(?:\.\d+)?s(?: \(\d+:\d\d:\d\d(?:\.\d+)?\))?(?=[\s)\],=]|$)/g, '?s')
      .replace(/\b\d+(?:\.\d+)? ?(?:ms|µs|us|ns)\b/g, '?ms')
      // ISO timestamps (log records, captured logging)
      .replace(/\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, '<time>')
      // full commit ids
      .replace(/\b[0-9a-f]{40}\b/g, '<commit>')
  )
}

function shortPath(found: string, root: string, isRepoFile?: (relativePath: string) => boolean): string {
  // keep a trailing period or such out of the path
  if (found === '/' || found.startsWith('//')) return found
  const normalized = found.replace(/\\/g, '/')
  const rootSlashed = root.replace(/\\/g, '/')
  if (rootSlashed !== '' && (normalized === rootSlashed || normalized.startsWith(`${rootSlashed}/`))) {
    const relative = normalized.slice(rootSlashed.length + 1)
    return relative === '' ? '.' : relative
  }
  const tmp = PYTEST_TMP.exec(normalized)
  if (tmp) return `<tmp>/${normalized.slice(tmp[0].length)}`
  const site = SITE_PACKAGES.exec(normalized)
  if (site) return `<site-packages>/${site[1]}`
  const stdlib = STDLIB.exec(normalized)
  if (stdlib) return `<stdlib>/${stdlib[1]}`
  // a path of another runner's checkout: the longest tail that names a file of this repository
  if (isRepoFile !== undefined) {
    const parts = normalized.split('/').filter(part => part !== '')
    for (let start = 0; start < parts.length; start++) {
      const tail = parts.slice(start).join('/')
      if (tail.includes('/') || start === parts.length - 1) {
        if (isRepoFile(tail) && !path.isAbsolute(tail)) return tail
      }
    }
  }
  return found
}

/** Sections of a pytest console log that the JUnit report does not already give. */
const KEPT_SECTION = /warnings summary|short test summary info|^captured |^(?:stdout|stderr|log) /i

/**
 * The console log less what the JUnit report already holds: tracebacks of FAILURES and ERRORS, the progress
 * lines. Kept: captured output (with the test it belongs to), the warnings summary, the short test summary,
 * and whatever lies outside pytest's sections (a setup step's error, a usage error). A log that is not
 * pytest's keeps all its lines.
 */
export function logBeyondJUnit(log: string): string {
  const lines = log.split('\n')
  const heading = (line: string): { level: number; title: string } | undefined => {
    const major = /^={3,} (.+?) ={3,}$/.exec(line)
    if (major) return { level: 1, title: major[1] }
    const test = /^_{3,} (.+?) _{3,}$/.exec(line)
    if (test) return { level: 2, title: test[1] }
    const minor = /^-{3,} (.+?) -{3,}$/.exec(line)
    if (minor) return { level: 3, title: minor[1] }
    return undefined
  }
  if (!lines.some(line => heading(line)?.level === 1)) return log
  const kept: string[] = []
  let inPytest = false
  let keep = true
  let testHeading = ''
  for (const line of lines) {
    const found = heading(line)
    if (found?.level === 1) {
      inPytest = !/\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|warnings?|deselected)\b|no tests ran/.test(found.title)
      keep = !inPytest || KEPT_SECTION.test(found.title)
      testHeading = ''
      if (keep || !inPytest) kept.push(line)
      continue
    }
    if (found?.level === 2 && inPytest) {
      testHeading = line
      keep = false
      continue
    }
    if (found?.level === 3 && inPytest && testHeading !== '') {
      keep = KEPT_SECTION.test(found.title)
      if (keep) {
        if (testHeading !== '-') kept.push(testHeading)
        testHeading = '-'
        kept.push(line)
      }
      continue
    }
    if (!inPytest && /^(?:platform |cachedir:|rootdir:|configfile:|plugins:|collect|collected \d+)/.test(line)) continue
    if (!inPytest && /^\S+\.py [.FEsxX]+(?:\s+\[\s*\d+%\])?$/.test(line)) continue
    if (keep) kept.push(line)
  }
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
