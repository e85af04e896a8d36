// Real git repositories made from the fixture projects: a working clone plus a bare `origin`, like the
// checkout a workflow run starts from. Plain ESM on node: built-ins, so `npm run demo` can import it too.
import { execFile, execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, lstatSync, readlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Folder of the fixture Python projects and their bug catalog. */
export const projectsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/projects')

/**
 * @typedef {object} Bug
 * @property {string} id
 * @property {string} project fixture folder name, e.g. 'flat'
 * @property {string} kind e.g. 'off-by-one'
 * @property {string} file path inside the project
 * @property {string} search the correct code, exactly as it is in the file
 * @property {string} replace the buggy code
 * @property {string[]} expectFailing node ids pytest reports as FAILED or ERROR once the bug is in
 * @property {string} [description]
 * @property {BufferEncoding} [encoding] of `file` on disk; default utf8 (e.g. latin1 for a Latin-1 source file)
 */

/** @returns {Bug[]} the bug catalog, `__tests__/fixtures/projects/bugs.json` */
export function readBugCatalog() {
  return JSON.parse(readFileSync(join(projectsDir, 'bugs.json'), 'utf8'))
}

// Deterministic git, whatever the machine's global config says (default branch, hooks, signing).
const gitEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Fixture Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Fixture Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
  LC_ALL: 'C'
}

/**
 * Runs git in `cwd`; resolves with stdout, rejects with git's stderr in the message.
 * @param {string} cwd
 * @param {string[]} args
 * @returns {Promise<string>}
 */
export function runGit(cwd, args) {
  return new Promise((resolvePromise, reject) => {
    execFile('git', args, { cwd, env: gitEnv, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.join(' ')} failed in ${cwd}: ${stderr.trim() || error.message}`))
      else resolvePromise(stdout)
    })
  })
}

/**
 * The synchronous twin of runGit, for the `git` helper tests call inline.
 * @param {string} cwd
 * @param {string[]} args
 * @returns {string}
 */
export function runGitSync(cwd, args) {
  try {
    return execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    const stderr = String(/** @type {{ stderr?: unknown }} */ (error).stderr ?? '').trim()
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${stderr || String(error)}`, { cause: error })
  }
}

/** @param {string} prefix */
function makeTempDir(prefix) {
  return mkdtempSync(join(tmpdir(), `pytest-fixer-${prefix}-`))
}

// Leftovers of a local pytest run in the fixture folder must not become part of the repository.
const ignoredNames = new Set(['__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache'])

/**
 * @typedef {object} ProjectRepo
 * @property {string} dir the working clone (the workspace)
 * @property {string} originDir the bare repository that `origin` points to
 * @property {(args: string[]) => string} git runs git in `dir` (synchronously), returns stdout
 * @property {() => void} cleanup removes both directories
 */

/**
 * Copies a fixture project into a fresh git repository with a bare `origin`, committed and pushed.
 * @param {string} fixtureName folder under `__tests__/fixtures/projects`, or any absolute path
 * @param {{ branch?: string, mutate?: (dir: string) => unknown }} [options]
 *   `mutate` runs after the first commit (e.g. to inject a bug); its changes are committed as
 *   "inject bug" and pushed, like the commit that made a real CI run fail.
 * @returns {Promise<ProjectRepo>}
 */
export async function createProjectRepo(fixtureName, { branch = 'main', mutate } = {}) {
  const source = resolve(projectsDir, fixtureName)
  if (!existsSync(source)) throw new Error(`No fixture project '${fixtureName}' in ${projectsDir}`)
  const label = basename(source)
  const dir = makeTempDir(`${label}-work`)
  const originRoot = makeTempDir(`${label}-origin`)
  const originDir = join(originRoot, 'origin.git')
  const cleanup = () => {
    rmSync(dir, { recursive: true, force: true })
    rmSync(originRoot, { recursive: true, force: true })
  }
  try {
    cpSync(source, dir, {
      recursive: true,
      filter: path => !ignoredNames.has(path.split(/[\\/]/).pop() ?? '') && !path.endsWith('.pyc')
    })
    /** @param {string[]} args */
    const git = args => runGitSync(dir, args)
    git(['init', '-q', '-b', branch])
    git(['config', 'user.name', 'Fixture Author'])
    git(['config', 'user.email', 'author@example.com'])
    git(['add', '-A'])
    git(['commit', '-q', '-m', `Add ${label} project`])
    runGitSync(originRoot, ['init', '-q', '--bare', '-b', branch, originDir])
    git(['remote', 'add', 'origin', originDir])
    git(['push', '-q', '-u', 'origin', branch])
    if (mutate) {
      await mutate(dir)
      git(['add', '-A'])
      git(['commit', '-q', '--allow-empty', '-m', 'inject bug'])
      git(['push', '-q', 'origin', branch])
    }
    return { dir, originDir, git, cleanup }
  } catch (error) {
    cleanup()
    throw error
  }
}

/**
 * The region a catalog bug changes, as whole lines with one line of context: its buggy text (what a SEARCH must
 * copy) and its correct text (what the REPLACE restores), plus the whole buggy file.
 * @param {Pick<Bug, 'project' | 'file' | 'search' | 'replace' | 'encoding'>} bug
 * @returns {{ buggy: string, correct: string, buggyFile: string, changedLines: string[] }}
 */
export function bugRegion(bug) {
  const original = readFileSync(join(projectsDir, bug.project, bug.file), bug.encoding ?? 'utf8')
  const buggyFile = original.replace(bug.search, bug.replace)
  const a = original.split('\n')
  const b = buggyFile.split('\n')
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length - 1
  let endB = b.length - 1
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--
    endB--
  }
  const from = Math.max(0, start - 1)
  const changed = b.slice(start, endB + 1).filter(line => line.trim() !== '')
  return {
    buggy: b.slice(from, endB + 2).join('\n'),
    correct: a.slice(from, endA + 2).join('\n'),
    buggyFile,
    // for a deleted statement: the line before the gap
    changedLines: changed.length > 0 ? changed : [b[from]]
  }
}

/**
 * The edit block that undoes a catalog bug, as a good model would answer it.
 * @param {Pick<Bug, 'project' | 'file' | 'search' | 'replace' | 'encoding'>} bug
 */
export function correctAnswer(bug) {
  const region = bugRegion(bug)
  return `I found it.\n\n${bug.file}\n\`\`\`python\n<<<<<<< SEARCH\n${region.buggy}\n=======\n${region.correct}\n>>>>>>> REPLACE\n\`\`\`\n`
}

/**
 * An answer that applies and fixes nothing, as a wrong model would answer: the buggy lines with a comment added.
 * @param {Pick<Bug, 'project' | 'file' | 'search' | 'replace' | 'encoding'>} bug
 */
export function applyingWrongAnswer(bug) {
  const buggy = bugRegion(bug).buggy
  const lines = buggy.split('\n')
  const last = lines.length - 1
  lines[last] = lines[last].trim() === '' ? '# reviewed' : `${lines[last]}  # reviewed`
  return `${bug.file}\n<<<<<<< SEARCH\n${buggy}\n=======\n${lines.join('\n')}\n>>>>>>> REPLACE\n`
}

/**
 * Applies a catalog bug to a project checkout: one exact search → replace in `bug.file`, in its encoding.
 * @param {string} dir the project root
 * @param {Pick<Bug, 'id' | 'file' | 'search' | 'replace' | 'encoding'>} bug
 */
export function injectBug(dir, bug) {
  const path = join(dir, bug.file)
  const encoding = bug.encoding ?? 'utf8'
  const text = readFileSync(path, encoding)
  const count = text.split(bug.search).length - 1
  if (count !== 1) {
    throw new Error(`Bug '${bug.id}': search text found ${count} times in ${bug.file}, expected exactly once`)
  }
  writeFileSync(
    path,
    text.replace(bug.search, () => bug.replace),
    encoding
  )
}

/**
 * @param {string} originDir a bare repository
 * @returns {Promise<string[]>} its branch names, sorted
 */
export async function listRemoteBranches(originDir) {
  const out = await runGit(originDir, ['for-each-ref', '--format=%(refname:short)', 'refs/heads'])
  return out.split('\n').filter(Boolean).sort()
}

/**
 * @param {string} originDir
 * @param {string} ref a branch, tag or sha
 * @param {string} path repository-relative
 * @returns {Promise<string>} the file's content at `ref`
 */
export function readRemoteFile(originDir, ref, path) {
  return runGit(originDir, ['show', `${ref}:${path}`])
}

/**
 * Clones one branch of `originDir` into a fresh temporary directory (caller removes it).
 * @param {string} originDir
 * @param {string} branch
 * @returns {Promise<string>} the clone's directory
 */
export async function cloneBranch(originDir, branch) {
  const dir = makeTempDir('clone')
  await runGit(dir, ['clone', '-q', '--branch', branch, originDir, dir])
  return dir
}

/**
 * @param {string} dir
 * @returns {Promise<string>} `git status --porcelain --untracked-files=all`; '' for a clean tree
 */
export function trackedStatus(dir) {
  return runGit(dir, ['status', '--porcelain', '--untracked-files=all'])
}

/**
 * The working-tree content of every tracked file, as blob ids of the raw bytes (what `git hash-object
 * --no-filters` prints); null for a tracked file that is gone.
 * Compare two snapshots with toEqual to prove a tree is exactly as before.
 * @param {string} dir
 * @returns {Promise<Record<string, string | null>>}
 */
export async function snapshotTracked(dir) {
  const paths = (await runGit(dir, ['ls-files', '-z'])).split('\0').filter(Boolean)
  /** @type {Record<string, string | null>} */
  const snapshot = {}
  for (const path of paths) snapshot[path] = blobId(join(dir, path))
  return snapshot
}

/** Same id as `git hash-object`, computed here to avoid one process per file. @param {string} path */
function blobId(path) {
  let content
  try {
    content = lstatSync(path).isSymbolicLink() ? Buffer.from(readlinkSync(path)) : readFileSync(path)
  } catch {
    return null
  }
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex')
}
