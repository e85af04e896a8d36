// The change under test: what the push, the pull request or the user's last commit changed, read with git. When
// a change breaks the tests, the lines it touched are the first place to look; the prompt shows them first.
import { parsePatch } from 'diff'
import type { Git, PushAuth } from '../publish/git.js'
import { authEnvironment } from '../publish/git.js'
import { firstLine } from '../report/text.js'

/** Where the change starts, as the edge knows it. The change ends at the working tree: the code that was tested. */
export interface ChangeRange {
  /** a commit or ref the tests passed on; 'parent': the parent of HEAD */
  base: string
  /** for the prompt and the report: "push 1a2b3c4..5d6e7f8", "known-good-ref v1.2" */
  why: string
  /** to fetch a commit a shallow clone lacks */
  auth?: PushAuth
}

export interface ChangedFile {
  /** repository-relative */
  path: string
  /** the file's unified diff, headers dropped */
  diff: string
  /** line numbers, in the file as it is now, of the lines the change added or replaced; for a pure deletion the line after it */
  lines: number[]
}

export interface ChangeUnderTest {
  why: string
  /** the resolved base commit */
  base: string
  /** changed non-test files, in git's order */
  files: ChangedFile[]
  /** changed test files, named only */
  testFiles: string[]
}

export type ChangeReading = { change: ChangeUnderTest } | { unavailable: string }

const maxDiffBytes = 400_000

/** Reads the change from `range.base` to the working tree; a clear reason when it cannot be known. */
export async function readChangeUnderTest(git: Git, range: ChangeRange): Promise<ChangeReading> {
  const base = await resolveBase(git, range)
  if ('unavailable' in base) return base
  const result = await git.exec(
    ['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '--find-renames', '-U3', base.sha, '--'],
    { allowFailure: true }
  )
  if (result.code !== 0) return { unavailable: `git diff ${short(base.sha)} failed: ${firstError(result.stderr)}` }
  const files: ChangedFile[] = []
  const testFiles: string[] = []
  for (const patch of parsePatch(result.stdout.slice(0, maxDiffBytes))) {
    const path = stripPrefix(patch.newFileName ?? '')
    if (path === '' || path === '/dev/null' || patch.hunks.length === 0) continue
    if (isTestPath(path)) {
      testFiles.push(path)
      continue
    }
    const lines: number[] = []
    const diff: string[] = []
    for (const hunk of patch.hunks) {
      diff.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines)
      let line = hunk.newStart
      for (const text of hunk.lines) {
        if (text.startsWith('+')) lines.push(line++)
        else if (text.startsWith('-')) {
          if (!lines.includes(line)) lines.push(line)
        } else if (!text.startsWith('\\')) line++
      }
    }
    files.push({ path, diff: diff.join('\n'), lines: [...new Set(lines)].sort((a, b) => a - b) })
  }
  return { change: { why: range.why, base: base.sha, files, testFiles } }
}

/** Test code (the test files, conftest.py): the change to the code under test is what the prompt shows. */
export function isTestPath(path: string): boolean {
  const name = path.split('/').pop() ?? ''
  if (name === 'conftest.py' || /^test_.*\.py$/.test(name) || /_test\.py$/.test(name)) return true
  return path
    .split('/')
    .slice(0, -1)
    .some(dir => dir === 'tests' || dir === 'test' || dir === 'testing')
}

async function resolveBase(git: Git, range: ChangeRange): Promise<{ sha: string } | { unavailable: string }> {
  if (range.base === 'parent') {
    const head = await git.exec(['cat-file', 'commit', 'HEAD'], { allowFailure: true })
    if (head.code !== 0) return { unavailable: 'the repository has no commit yet' }
    const parent = /^parent ([0-9a-f]{40})$/m.exec(head.stdout)?.[1]
    if (parent === undefined) return { unavailable: 'HEAD is the first commit: there is no earlier commit to compare with' }
    return present(git, parent, range)
  }
  const local = await revParse(git, range.base)
  if (local !== null) return { sha: local }
  if (/^[0-9a-f]{40}$/i.test(range.base)) return present(git, range.base.toLowerCase(), range)
  // a branch or tag name the clone does not have (actions/checkout fetches one branch): fetch it, one commit deep
  const fetched = await fetch(git, range.base, range.auth)
  if (fetched.code === 0) {
    const sha = await revParse(git, 'FETCH_HEAD')
    if (sha !== null) return { sha }
  }
  return { unavailable: `'${range.base}' is no commit, branch or tag of this clone or of origin (${firstError(fetched.stderr)})` }
}

/** The commit, fetched one deep when a shallow clone lacks it. */
async function present(git: Git, sha: string, range: ChangeRange): Promise<{ sha: string } | { unavailable: string }> {
  if ((await git.exec(['cat-file', '-e', `${sha}^{commit}`], { allowFailure: true })).code === 0) return { sha }
  const fetched = await fetch(git, sha, range.auth)
  if (fetched.code === 0 && (await git.exec(['cat-file', '-e', `${sha}^{commit}`], { allowFailure: true })).code === 0) return { sha }
  return {
    unavailable:
      `commit ${short(sha)} is not in this shallow clone and could not be fetched (${firstError(fetched.stderr)}); ` +
      'give actions/checkout `fetch-depth: 0` (or 2) so the change under test can be shown'
  }
}

function fetch(git: Git, what: string, auth: PushAuth | undefined): ReturnType<Git['exec']> {
  return git.exec(['fetch', '--no-tags', '--depth=1', 'origin', what], {
    env: auth ? authEnvironment(auth) : {},
    allowFailure: true
  })
}

async function revParse(git: Git, ref: string): Promise<string | null> {
  if (ref.startsWith('-')) return null
  const result = await git.exec(['rev-parse', '--verify', '-q', `${ref}^{commit}`], { allowFailure: true })
  return result.code === 0 ? result.stdout.trim() : null
}

function stripPrefix(name: string): string {
  return name.replace(/^[ab]\//, '')
}

function short(sha: string): string {
  return sha.slice(0, 7)
}

function firstError(text: string): string {
  return firstLine(text.trim()) || 'git gave no reason'
}
