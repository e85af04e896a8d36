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

  constructor(readonly repoRoot: string) {}

  absolute(relativePath: string): string {
    return path.join(this.repoRoot, ...relativePath.split('/'))
  }

  /** Current text of a repo-relative file, null when it does not exist. */
  read(relativePath: string): string | null {
    try {
      return fs.readFileSync(this.absolute(relativePath), 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  }

  /** Writes each change's `after`, remembering originals first. */
  apply(changes: FileChange[]): void {
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
