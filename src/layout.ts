// Where the repository, the test command's directory and pytest's rootdir are. Node ids are relative to the
// rootdir, prompt paths to the repository root; both are needed to move between them.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { UserError, type Layout } from './domain.js'
import { isWithin } from './workspace.js'

export function discoverLayout(repoRoot: string, workingDirectory: string, testCommand: string): Layout {
  const workDir = path.resolve(repoRoot, workingDirectory)
  if (!isInsideRepository(repoRoot, workDir)) {
    throw new UserError(
      `Input 'working-directory' is '${workingDirectory}': it leads outside the repository (${workDir} is not under ${repoRoot}). ` +
        `Set it to a directory inside the repository, relative to its root (e.g. 'backend'), or leave it '.'.`
    )
  }
  if (!fs.existsSync(workDir) || !fs.statSync(workDir).isDirectory()) {
    throw new UserError(
      `Input 'working-directory' is '${workingDirectory}': no such directory in the repository (${workDir}). ` +
        `Set it to the directory your tests run from, relative to the repository root.`
    )
  }
  const explicit = /--rootdir[= ](?:"([^"]+)"|'([^']+)'|(\S+))/.exec(testCommand)
  const rootDir = explicit ? path.resolve(workDir, explicit[1] ?? explicit[2] ?? explicit[3]) : findPytestRootDir(workDir)
  return { repoRoot, workDir, rootDir }
}

/** Whether `target` is `root` or under it, symbolic links resolved where they exist. */
function isInsideRepository(root: string, target: string): boolean {
  const real = (file: string): string => {
    try {
      return fs.realpathSync(file)
    } catch {
      return path.resolve(file)
    }
  }
  return isWithin(real(root), real(target))
}

/** pytest's own rule (docs: "Initialization: determining rootdir and configfile"), from the invocation dir up. */
export function findPytestRootDir(startDir: string): string {
  for (const dir of ancestors(startDir)) {
    if (isFile(path.join(dir, 'pytest.ini')) || isFile(path.join(dir, '.pytest.ini'))) return dir
    if (fileHasSection(path.join(dir, 'pyproject.toml'), /^\[tool\.pytest(\.ini_options)?\]/m)) return dir
    if (fileHasSection(path.join(dir, 'tox.ini'), /^\[pytest\]/m)) return dir
    if (fileHasSection(path.join(dir, 'setup.cfg'), /^\[tool:pytest\]/m)) return dir
  }
  for (const dir of ancestors(startDir)) {
    if (isFile(path.join(dir, 'pyproject.toml')) || isFile(path.join(dir, 'setup.py'))) return dir
  }
  return startDir
}

/** A rootdir-relative node id's file part as a repo-relative path. */
export function nodeIdFile(nodeId: string, layout: Layout): string {
  const filePart = nodeId.split('::')[0]
  return toRepoRelative(path.join(layout.rootDir, filePart), layout)
}

export function toRepoRelative(absolutePath: string, layout: Layout): string {
  return path.relative(layout.repoRoot, absolutePath).split(path.sep).join('/')
}

function* ancestors(start: string): Generator<string> {
  let dir = path.resolve(start)
  for (;;) {
    yield dir
    const parent = path.dirname(dir)
    if (parent === dir) return
    dir = parent
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

function fileHasSection(file: string, section: RegExp): boolean {
  if (!isFile(file)) return false
  try {
    return section.test(fs.readFileSync(file, 'utf8'))
  } catch {
    return false
  }
}
