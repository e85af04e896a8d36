// Reading the repository's files, with the paths the prompt shows (repository-relative, forward slashes).
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Layout } from '../domain.js'
import { decodeFileText } from '../file-text.js'
import { parsePython, type PythonModule } from './python-source.js'

/** Where source text comes from. The disk in the action; anything in tests. */
export interface SourceFiles {
  /** the text of a file by absolute path; null when it is missing, not a regular file or too large */
  read(absolutePath: string): Promise<string | null>
}

// A file this large is generated or data, not code to show.
const largestSourceBytes = 2_000_000

export const diskFiles: SourceFiles = {
  async read(absolutePath) {
    try {
      const info = await stat(absolutePath)
      if (!info.isFile() || info.size > largestSourceBytes) return null
      // In the file's own encoding (a Latin-1 module shows its é, as the edits will match it); else as UTF-8
      const bytes = await readFile(absolutePath)
      const decoded = decodeFileText(bytes)
      const text = decoded.ok ? decoded.text : bytes.toString('utf8')
      return text.includes('\u0000') ? null : text
    } catch {
      return null
    }
  }
}

/** Folders that hold installed packages, not project code, even when they sit inside the checkout. */
const installedCode = /(^|\/)(site-packages|dist-packages|\.venv|venv|\.tox|\.nox|node_modules|__pypackages__)(\/|$)/

export function toPosix(text: string): string {
  return text.replace(/\\/g, '/')
}

/** The repository's files as the prompt sees them: cached, parsed, repository-relative. */
export class ProjectSources {
  private readonly texts = new Map<string, Promise<string | null>>()
  private readonly modules = new Map<string, Promise<PythonModule | null>>()

  constructor(
    readonly layout: Layout,
    private readonly files: SourceFiles
  ) {}

  /** A repository-relative path for an absolute or relative one; null outside the repository or in .git. */
  repoPath(printed: string, base: string = this.layout.workDir): string | null {
    const absolute = path.resolve(base, toPosix(printed))
    const relative = toPosix(path.relative(this.layout.repoRoot, absolute))
    if (relative === '' || relative.startsWith('../') || relative === '..' || path.isAbsolute(relative)) return null
    if (relative === '.git' || relative.startsWith('.git/')) return null
    return relative
  }

  /** True for a repository path that holds installed packages rather than project code. */
  isInstalledCode(repoPath: string): boolean {
    return installedCode.test(repoPath)
  }

  absolute(repoPath: string): string {
    return path.join(this.layout.repoRoot, repoPath)
  }

  /** Repository path of pytest's rootdir ('' when it is the repository root). */
  get rootDirPath(): string {
    return this.repoPath(this.layout.rootDir) ?? ''
  }

  text(repoPath: string): Promise<string | null> {
    let text = this.texts.get(repoPath)
    if (!text) {
      // only normalized paths inside the repository are read: nothing outside it ever reaches the prompt
      const inside = this.repoPath(repoPath, this.layout.repoRoot) === repoPath
      text = inside ? this.files.read(this.absolute(repoPath)) : Promise.resolve(null)
      this.texts.set(repoPath, text)
    }
    return text
  }

  async exists(repoPath: string): Promise<boolean> {
    return (await this.text(repoPath)) !== null
  }

  python(repoPath: string): Promise<PythonModule | null> {
    let module = this.modules.get(repoPath)
    if (!module) {
      module = this.text(repoPath).then(text => (text === null ? null : parsePython(text)))
      this.modules.set(repoPath, module)
    }
    return module
  }
}

/** Joins repository-relative path parts, '' being the repository root. */
export function joinRepoPath(...parts: string[]): string {
  return path.posix.normalize(parts.filter(part => part !== '' && part !== '.').join('/') || '.').replace(/^\.$/, '')
}

export function repoDirname(repoPath: string): string {
  const dir = path.posix.dirname(repoPath)
  return dir === '.' ? '' : dir
}
