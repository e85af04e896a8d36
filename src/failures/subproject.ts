// A JUnit report written in a subdirectory of the repository (a monorepo's service) names files relative to that
// subdirectory. Read from the repository root, none of them exists; the fix is the 'working-directory' input, and
// saying so before any model call saves the attempts that could never be verified.
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { TestResult } from '../domain.js'

const SKIPPED_DIRECTORIES = new Set([
  '.git',
  'node_modules',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '__pycache__',
  '.pytest_cache',
  'site-packages'
])
const MAX_DEPTH = 4

/**
 * The repository-relative directory in which the failing tests' files exist when none of them exists under
 * `rootDir`; undefined when they do exist (or no single directory holds them all).
 */
export function subprojectOfReport(results: TestResult[], rootDir: string, repoRoot: string): string | undefined {
  const files = [...new Set(results.filter(r => r.outcome === 'failed' || r.outcome === 'error').map(r => r.nodeId.split('::')[0]))].filter(
    f => f !== ''
  )
  if (files.length === 0 || files.some(file => fs.existsSync(path.join(rootDir, file)))) return undefined
  const holders = directoriesBelow(repoRoot).filter(dir => files.every(file => fs.existsSync(path.join(dir, file))))
  if (holders.length !== 1) return undefined
  return path.relative(repoRoot, holders[0]).split(path.sep).join('/')
}

function directoriesBelow(root: string): string[] {
  const found: string[] = []
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH) return
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || SKIPPED_DIRECTORIES.has(entry.name)) continue
      const child = path.join(dir, entry.name)
      found.push(child)
      walk(child, depth + 1)
    }
  }
  walk(root, 1)
  return found
}
