// Which planned changes a fix may make. Path rules always hold; the test-integrity guard holds unless the
// user allowed test changes. Every message is feedback for the model: what is not allowed, what to do instead.
import { lstatSync, readlinkSync } from 'node:fs'
import * as path from 'node:path'
import type { FileChange } from '../domain.js'
import { addedLines, addedWeakeningLines, changesTestConfig, isTestFile } from './test-integrity.js'

export interface EditPolicy {
  repoRoot: string
  allowTestChanges: boolean
  /** bytes one file may receive (added or rewritten lines); default 200 KB */
  maxBytesPerFile?: number
  /** bytes the whole fix may write; default 500 KB */
  maxBytesTotal?: number
}

export interface PolicyViolation {
  path: string
  rule: 'outside-repository' | 'git-directory' | 'workflow-file' | 'test-file' | 'test-config' | 'test-weakened' | 'too-large'
  message: string
}

export const DEFAULT_MAX_BYTES_PER_FILE = 200 * 1024
export const DEFAULT_MAX_BYTES_TOTAL = 500 * 1024
/** Like the kernel's limit on symbolic links followed while resolving one path. */
const MAX_SYMLINK_HOPS = 40

const TEST_GUARD_HINT = "Change the code under test instead (the input 'allow-test-changes' is off)."

/** The rules each change breaks; empty when the fix may be applied. */
export function checkEditPolicy(changes: FileChange[], policy: EditPolicy): PolicyViolation[] {
  const violations: PolicyViolation[] = []
  const maxPerFile = policy.maxBytesPerFile ?? DEFAULT_MAX_BYTES_PER_FILE
  const maxTotal = policy.maxBytesTotal ?? DEFAULT_MAX_BYTES_TOTAL
  let total = 0
  let totalReported = false

  for (const change of changes) {
    const where = locateInRepository(change.path, policy.repoRoot)
    if ('rule' in where) {
      violations.push(where)
      continue
    }
    const written = bytesWritten(change)
    total += written
    if (written > maxPerFile) {
      violations.push({
        path: change.path,
        rule: 'too-large',
        message:
          `${change.path}: the fix writes ${kilobytes(written)} into this file; ` +
          `at most ${kilobytes(maxPerFile)} per file are allowed. Make a smaller, targeted change.`
      })
    } else if (total > maxTotal && !totalReported) {
      totalReported = true
      violations.push({
        path: change.path,
        rule: 'too-large',
        message:
          `The fix writes ${kilobytes(total)} in all (with ${change.path}); ` +
          `at most ${kilobytes(maxTotal)} per fix are allowed. Make a smaller, targeted change.`
      })
    }
    if (!policy.allowTestChanges) violations.push(...testIntegrityViolations(change, where.realPath))
  }
  return violations
}

/** Test files and test configuration the changes touch, for a plain statement in the PR. */
export function testFilesChanged(changes: FileChange[]): string[] {
  return changes.filter(change => isTestFile(change.path) || changesTestConfig(change)).map(change => change.path)
}

/** `realPath`: where the change lands after symbolic links, so a link cannot smuggle in a test edit. */
function testIntegrityViolations(change: FileChange, realPath: string): PolicyViolation[] {
  const violations: PolicyViolation[] = []
  if (isTestFile(change.path) || isTestFile(realPath)) {
    violations.push({
      path: change.path,
      rule: 'test-file',
      message: `${change.path} is a test file (or conftest.py), and a fix may not change tests. ${TEST_GUARD_HINT}`
    })
  } else if (changesTestConfig(change) || changesTestConfig({ ...change, path: realPath })) {
    violations.push({
      path: change.path,
      rule: 'test-config',
      message:
        `${change.path}: the change touches pytest or coverage configuration, which decides which tests run ` +
        `and how. Leave those settings as they are. ${TEST_GUARD_HINT}`
    })
  }
  const weakening = addedWeakeningLines(change)
  if (weakening.length > 0) {
    violations.push({
      path: change.path,
      rule: 'test-weakened',
      message:
        `${change.path}: the change adds ${weakening.join('; ')}. ` +
        `A fix may not skip, xfail or hide tests; make them pass. ${TEST_GUARD_HINT}`
    })
  }
  return violations
}

/**
 * The path rules: inside the repository (symbolic links followed), not git's directory, not a workflow.
 * Gives the broken rule, or where the file really is (repository-relative, posix).
 */
function locateInRepository(rawPath: string, repoRoot: string): PolicyViolation | { realPath: string } {
  const outside = (why: string): PolicyViolation => ({
    path: rawPath,
    rule: 'outside-repository',
    message: `${rawPath} ${why}. Edit only files inside the repository, with paths relative to its root as the prompt shows them.`
  })
  const posixPath = rawPath.replace(/\\/g, '/')
  if (rawPath.trim() === '' || rawPath.includes('\0')) return outside('is not a file path')
  if (path.posix.isAbsolute(posixPath) || path.win32.isAbsolute(rawPath) || /^[A-Za-z]:/.test(rawPath)) {
    return outside('is an absolute path')
  }
  const relative = path.posix.normalize(posixPath)
  if (relative === '..' || relative.startsWith('../')) return outside('is outside the repository')
  if (relative === '.' || relative === './' || relative.endsWith('/')) return outside('is not a file path')

  const lexical = insideRules(rawPath, relative)
  if (lexical !== undefined) return lexical

  const realRoot = resolveForWrite(path.resolve(repoRoot))
  const target = resolveForWrite(path.join(path.resolve(repoRoot), ...relative.split('/')))
  if (realRoot === undefined || target === undefined) return outside('goes through a loop of symbolic links')
  const realRelative = path.relative(realRoot, target)
  if (realRelative === '' || realRelative === '..' || realRelative.startsWith(`..${path.sep}`) || path.isAbsolute(realRelative)) {
    return outside('leads outside the repository through a symbolic link')
  }
  // a link inside the repository may still point into .git/ or the workflows
  const realPath = realRelative.split(path.sep).join('/')
  return insideRules(rawPath, realPath) ?? { realPath }
}

function insideRules(rawPath: string, relative: string): PolicyViolation | undefined {
  // Windows and macOS ignore case and trailing dots or spaces in names: `.GIT`, `.git.` are `.git` there
  const segments = relative.split('/').map(segment => segment.toLowerCase().replace(/[. ]+$/, '') || segment)
  if (segments.some(segment => segment === '.git')) {
    return {
      path: rawPath,
      rule: 'git-directory',
      message: `${rawPath} is inside git's own .git directory, which a fix may not change. Change the project's files instead.`
    }
  }
  if (segments.some((segment, index) => segment === '.github' && segments[index + 1] === 'workflows')) {
    return {
      path: rawPath,
      rule: 'workflow-file',
      message:
        `${rawPath} is a GitHub Actions workflow file, which a fix may not change. ` +
        'Fix the code so the tests pass under the existing workflow.'
    }
  }
  return undefined
}

/**
 * Where a write to `absolute` would land: each existing symbolic link on the way is followed (also a dangling
 * one, whose target a write would create); missing parts are taken as they are. undefined on a link loop.
 */
function resolveForWrite(absolute: string): string | undefined {
  let current = path.parse(absolute).root
  let pending = segmentsOf(absolute)
  let hops = 0
  while (pending.length > 0) {
    const [segment, ...rest] = pending
    pending = rest
    if (segment === '.') continue
    if (segment === '..') {
      current = path.dirname(current)
      continue
    }
    const next = path.join(current, segment)
    if (!isSymbolicLink(next)) {
      current = next
      continue
    }
    if (++hops > MAX_SYMLINK_HOPS) return undefined
    const target = readlinkSync(next)
    if (path.isAbsolute(target)) current = path.parse(target).root
    pending = [...segmentsOf(target), ...pending]
  }
  return current
}

/** The names in a path after its root. */
function segmentsOf(file: string): string[] {
  return file
    .slice(path.parse(file).root.length)
    .split(/[\\/]+/)
    .filter(part => part !== '')
}

function isSymbolicLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false // missing (or unreadable): a write creates it as a plain file or directory
  }
}

/** Bytes of the lines the change adds or rewrites; all of a new file. */
function bytesWritten(change: FileChange): number {
  if (change.before === null) return Buffer.byteLength(change.after, 'utf8')
  return addedLines(change.before, change.after).reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0)
}

function kilobytes(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KB`
}
