// Maps JUnit testcases back to exact pytest node ids.
//
// pytest writes `classname` by turning the node id's path into a dotted name and dropping `.py`
// (tests/test_x.py::TestA::test_y[p] -> classname "tests.test_x.TestA", name "test_y[p]"), so where the path
// ends and the classes begin is lost. xunit1 reports keep a `file` attribute that settles it; for xunit2 (the
// default) the repository's files under rootDir settle it, then the collected node ids, then the file a
// failure's traceback starts in, then whether the file defines the classes and function.
// When a testcase still reads two ways (tests/test_x.py::TestA::t and tests/test_x/TestA.py::t both exist),
// the resolver takes the first reading (the shortest module path) and records a warning instead of guessing
// silently; a testcase that matches no file gets a best guess and a warning too.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { toPosix } from './paths.js'

export interface JUnitTestcase {
  classname: string
  name: string
  /** xunit1 only: the file of the test, relative to rootDir */
  file?: string
  /** xunit1 only: line of the test */
  line?: number
  /** for failures: the file of the first traceback frame as printed, which settles a classname that reads two ways */
  tracebackFile?: string
}

/** Maps a JUnit testcase to its exact pytest node id (relative to rootDir). */
export type NodeIdResolver = (testcase: JUnitTestcase) => string

/** A resolver that also lists what it could not settle (ambiguous or unknown testcases), for the log. */
export type NodeIdResolverWithWarnings = NodeIdResolver & { readonly warnings: string[] }

/** One way to read a dotted classname: a file or directory under rootDir, then the classes inside it. */
interface Reading {
  path: string
  classes: string[]
}

export function createNodeIdResolver(rootDir: string, options: { collectedNodeIds?: string[] } = {}): NodeIdResolverWithWarnings {
  const tree = new SourceTree(rootDir)
  const collected = new Set(options.collectedNodeIds ?? [])
  const warnings: string[] = []
  const cache = new Map<string, string>()
  const prefixes = new Map<string, string | null>()

  const warn = (message: string): void => {
    if (!warnings.includes(message)) warnings.push(message)
  }

  const resolveUncached = (testcase: JUnitTestcase): string => {
    const isCollector = testcase.classname === ''
    const dotted = isCollector ? testcase.name : testcase.classname
    const nodeIdOf = (reading: Reading): string =>
      isCollector ? reading.path : [reading.path, ...reading.classes, testcase.name].join('::')

    const declared = readingFromFileAttribute(dotted, testcase.file)
    if (declared) return nodeIdOf(declared)

    const readings = tree.readings(dotted.split('.'), isCollector)
    if (readings.length === 1) return nodeIdOf(readings[0])
    const described = `JUnit testcase classname="${testcase.classname}" name="${testcase.name}"`
    if (readings.length === 0) {
      const guess = nodeIdOf(guessReading(dotted, isCollector))
      warn(
        `${described} matches no file under ${rootDir}; using the guess ${guess}. ` +
          `Check that the report comes from this checkout and that pytest's rootdir is ${rootDir}.`
      )
      return guess
    }

    let candidates = readings
    const inCollection = candidates.filter(r => collected.has(nodeIdOf(r)))
    if (inCollection.length > 0) candidates = inCollection
    const traced = testcase.tracebackFile
    if (candidates.length > 1 && traced !== undefined) {
      const inTraceback = candidates.filter(r => samePath(r.path, toPosix(traced)))
      if (inTraceback.length > 0) candidates = inTraceback
    }
    if (candidates.length > 1 && !isCollector) {
      const defined = candidates.filter(r => tree.defines(r, testcase.name))
      if (defined.length > 0) candidates = defined
    }
    const chosen = nodeIdOf(candidates[0])
    if (candidates.length > 1) {
      warn(
        `${described} matches ${candidates.map(nodeIdOf).join(' and ')}; using ${chosen}. ` +
          `Write the report with -o junit_family=xunit1 so that it names each test's file.`
      )
    }
    return chosen
  }

  const resolve = (testcase: JUnitTestcase): string => {
    // most classnames read one way only: then the node id is that reading plus the name
    const classKey = `${testcase.classname}\u0000${testcase.file ?? ''}`
    let prefix = prefixes.get(classKey)
    if (prefix === undefined) {
      const readings = testcase.classname === '' ? [] : tree.readings(testcase.classname.split('.'), false)
      const declared = readingFromFileAttribute(testcase.classname, testcase.file)
      const only = declared ?? (readings.length === 1 ? readings[0] : undefined)
      prefix = only ? [only.path, ...only.classes].join('::') : null
      prefixes.set(classKey, prefix)
    }
    if (prefix !== null) return `${prefix}::${testcase.name}`
    const key = [testcase.classname, testcase.name, testcase.file, testcase.tracebackFile].join('\u0000')
    let nodeId = cache.get(key)
    if (nodeId === undefined) {
      nodeId = resolveUncached(testcase)
      cache.set(key, nodeId)
    }
    return nodeId
  }
  return Object.assign(resolve, { warnings })
}

/** The same file, one path maybe printed relative to another directory than the other. */
function samePath(a: string, b: string): boolean {
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`)
}

/** pytest's own mangling of a node id path: `tests/test_x.py` -> `tests.test_x`. */
function dottedPath(file: string): string {
  return toPosix(file).replace(/\//g, '.').replace(/\.py$/, '')
}

/** xunit1 names the file; it holds the test unless the test was inherited from a class in another file. */
function readingFromFileAttribute(dotted: string, file: string | undefined): Reading | undefined {
  if (!file) return undefined
  const prefix = dottedPath(file)
  if (dotted === prefix) return { path: toPosix(file), classes: [] }
  if (dotted.startsWith(`${prefix}.`)) return { path: toPosix(file), classes: dotted.slice(prefix.length + 1).split('.') }
  return undefined
}

/** Without files to look at: classes are the trailing capitalised names (pytest's default `Test*`). */
function guessReading(dotted: string, isCollector: boolean): Reading {
  const tokens = dotted.split('.')
  if (isCollector) return { path: `${tokens.join('/')}.py`, classes: [] }
  let moduleEnd = tokens.length
  while (moduleEnd > 1 && /^[A-Z]/.test(tokens[moduleEnd - 1])) moduleEnd--
  return { path: `${tokens.slice(0, moduleEnd).join('/')}.py`, classes: tokens.slice(moduleEnd) }
}

/** The repository's files under rootDir, looked up lazily and remembered. */
class SourceTree {
  private readonly listings = new Map<string, Map<string, 'file' | 'dir'>>()
  private readonly texts = new Map<string, string>()
  private readonly known = new Map<string, Reading[]>()

  constructor(private readonly rootDir: string) {}

  /** Every way `tokens` can be a path under rootDir followed by class names. */
  readings(tokens: string[], isCollector: boolean): Reading[] {
    const key = `${isCollector}:${tokens.join('.')}`
    let found = this.known.get(key)
    if (found === undefined) {
      found = []
      this.walk('', tokens, 0, isCollector, found)
      this.known.set(key, found)
    }
    return found
  }

  /** Does the file define the classes (and, at module level, the function) a reading needs? */
  defines(reading: Reading, name: string): boolean {
    if (!reading.path.endsWith('.py')) return true
    const source = this.text(reading.path)
    if (reading.classes.length > 0) {
      return reading.classes.every(cls => new RegExp(`^\\s*class\\s+${escapeRegExp(cls)}\\b`, 'm').test(source))
    }
    const func = escapeRegExp(name.split('[')[0])
    return new RegExp(`^(?:async\\s+)?def\\s+${func}\\b|^${func}\\s*=`, 'm').test(source)
  }

  private walk(dir: string, tokens: string[], start: number, isCollector: boolean, found: Reading[]): void {
    // A path segment may itself hold dots (tests/v1.2/, docs/guide.txt), so try every run of tokens.
    for (let end = start + 1; end <= tokens.length; end++) {
      const segment = tokens.slice(start, end).join('.')
      const rel = dir === '' ? segment : `${dir}/${segment}`
      const rest = tokens.slice(end)
      if (!isCollector || rest.length === 0) {
        if (this.kind(`${rel}.py`) === 'file') found.push({ path: `${rel}.py`, classes: rest })
        // non-Python collectors: doctest text files, YAML test files...
        if (segment.includes('.') && !segment.endsWith('.py') && this.kind(rel) === 'file') {
          found.push({ path: rel, classes: rest })
        }
      }
      if (this.kind(rel) === 'dir') {
        if (rest.length > 0) this.walk(rel, tokens, end, isCollector, found)
        else if (isCollector) found.push({ path: rel, classes: [] })
      }
    }
  }

  private kind(rel: string): 'file' | 'dir' | 'none' {
    const slash = rel.lastIndexOf('/')
    const entries = this.entries(slash < 0 ? '' : rel.slice(0, slash))
    return entries.get(rel.slice(slash + 1)) ?? 'none'
  }

  /** A directory listed once: one readdir instead of a stat per candidate path. */
  private entries(dir: string): Map<string, 'file' | 'dir'> {
    let entries = this.listings.get(dir)
    if (entries === undefined) {
      entries = new Map()
      const absolute = path.join(this.rootDir, dir)
      let dirents: fs.Dirent[] = []
      try {
        dirents = fs.readdirSync(absolute, { withFileTypes: true })
      } catch {
        // not a directory, or unreadable: nothing below it
      }
      for (const dirent of dirents) {
        const stat = dirent.isSymbolicLink() ? fs.statSync(path.join(absolute, dirent.name), { throwIfNoEntry: false }) : dirent
        if (stat?.isFile()) entries.set(dirent.name, 'file')
        else if (stat?.isDirectory()) entries.set(dirent.name, 'dir')
      }
      this.listings.set(dir, entries)
    }
    return entries
  }

  private text(rel: string): string {
    let text = this.texts.get(rel)
    if (text === undefined) {
      try {
        text = fs.readFileSync(path.join(this.rootDir, rel), 'utf8')
      } catch {
        text = ''
      }
      this.texts.set(rel, text)
    }
    return text
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
