// The only writer of the user's working tree. It remembers every file's original bytes the first time the run
// touches it, so that whatever happens (a rejected attempt, an exception, SIGTERM) the tree can be put back
// exactly as it was. Untracked files of the user are never written: an edit that would overwrite one is refused
// by the policy before it gets here, and files the run creates are removed on restore.
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { FileChange } from './domain.js'

export class Workspace {
  /** repo-relative path → original bytes (null: the file did not exist) */
  private readonly originals = new Map<string, Buffer | null>()

  private readonly realRoot: string

  constructor(readonly repoRoot: string) {
    this.realRoot = realLocation(path.resolve(repoRoot)) ?? path.resolve(repoRoot)
  }

  absolute(relativePath: string): string {
    return path.join(this.repoRoot, ...relativePath.split('/'))
  }

  /**
   * Current text of a repo-relative file, null when it does not exist or is not inside the repository (a path
   * with '..', an absolute path, a symbolic link that leads out). A model's answer may name any path: what lies
   * outside must never be read, or it would be quoted back to the model as the "closest lines".
   */
  read(relativePath: string): string | null {
    if (!this.isInside(relativePath)) return null
    try {
      return fs.readFileSync(this.absolute(relativePath), 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  }

  /** Whether a repo-relative path really lies inside the repository, symbolic links followed. */
  isInside(relativePath: string): boolean {
    if (relativePath.includes('\0') || path.posix.isAbsolute(relativePath) || path.win32.isAbsolute(relativePath)) return false
    const file = this.absolute(relativePath)
    if (!isWithin(path.resolve(this.repoRoot), file)) return false
    const real = realLocation(file)
    return real !== undefined && isWithin(this.realRoot, real)
  }

  /** Writes each change's `after`, remembering originals first. The edit policy keeps paths inside; this holds too. */
  apply(changes: FileChange[]): void {
    const outside = changes.find(change => !this.isInside(change.path))
    if (outside !== undefined) throw new Error(`Refusing to write ${outside.path}: it is not inside the repository (${this.repoRoot})`)
    for (const change of changes) this.remember(change.path)
    for (const change of changes) {
      const file = this.absolute(change.path)
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, change.after, 'utf8')
    }
  }

  /** Puts the files of `changes` back to their `before` state (exactly, bytes included). */
  revert(changes: FileChange[]): void {
    for (const change of [...changes].reverse()) {
      const file = this.absolute(change.path)
      if (change.before === null) removeFileAndEmptyParents(file, this.repoRoot)
      else fs.writeFileSync(file, change.before, 'utf8')
    }
  }

  /** Every file the run touched, back to its original bytes. Safe to call more than once. */
  restoreAll(): string[] {
    const restored: string[] = []
    for (const [relativePath, original] of this.originals) {
      const file = this.absolute(relativePath)
      try {
        if (original === null) removeFileAndEmptyParents(file, this.repoRoot)
        else if (!sameBytes(file, original)) fs.writeFileSync(file, original)
        restored.push(relativePath)
      } catch {
        // keep going: restore as much as possible
      }
    }
    return restored
  }

  /** Paths whose current content differs from the original. */
  changedPaths(): string[] {
    return [...this.originals.keys()].filter(relativePath => {
      const original = this.originals.get(relativePath) ?? null
      const file = this.absolute(relativePath)
      if (original === null) return fs.existsSync(file)
      return !sameBytes(file, original)
    })
  }

  /** The net change of the run: every changed file from its original text to its current text. */
  finalChanges(): FileChange[] {
    return this.changedPaths().map(relativePath => {
      const original = this.originals.get(relativePath) ?? null
      return { path: relativePath, before: original === null ? null : original.toString('utf8'), after: this.read(relativePath) ?? '' }
    })
  }

  private remember(relativePath: string): void {
    if (this.originals.has(relativePath)) return
    const file = this.absolute(relativePath)
    this.originals.set(relativePath, fs.existsSync(file) ? fs.readFileSync(file) : null)
  }
}

/** `file` is `root` or below it (both absolute). */
function isWithin(root: string, file: string): boolean {
  const relative = path.relative(root, file)
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
}

/** Like the kernel's limit on symbolic links followed while resolving one path. */
const MAX_SYMLINK_HOPS = 40

/**
 * Where a path really is, symbolic links followed, also a dangling one (a write creates its target); for a
 * missing file, its real parent plus its name. undefined on a link loop or an unreadable path.
 */
function realLocation(file: string, hops = 0): string | undefined {
  try {
    return fs.realpathSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || hops > MAX_SYMLINK_HOPS) return undefined
  }
  let target: string | undefined
  try {
    if (fs.lstatSync(file).isSymbolicLink()) target = fs.readlinkSync(file)
  } catch {
    // missing: its parent decides
  }
  if (target !== undefined) return realLocation(path.resolve(path.dirname(file), target), hops + 1)
  const parent = path.dirname(file)
  if (parent === file) return undefined
  const realParent = realLocation(parent, hops)
  return realParent === undefined ? undefined : path.join(realParent, path.basename(file))
}

function sameBytes(file: string, original: Buffer): boolean {
  try {
    return fs.readFileSync(file).equals(original)
  } catch {
    return false
  }
}

function removeFileAndEmptyParents(file: string, stopAt: string): void {
  fs.rmSync(file, { force: true })
  let dir = path.dirname(file)
  while (dir.startsWith(stopAt) && dir !== stopAt) {
    try {
      fs.rmdirSync(dir) // only succeeds when empty
    } catch {
      return
    }
    dir = path.dirname(dir)
  }
}
