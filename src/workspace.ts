// The only writer of the user's working tree. It remembers every file's original bytes the first time the run
// touches it, so that whatever happens (a rejected attempt, an exception, SIGTERM) the tree can be put back
// exactly as it was. Untracked files of the user are never written: an edit that would overwrite one is refused
// by the policy before it gets here, and files the run creates are removed on restore.
//
// Files are read and written as bytes. A file is text to edit only when its bytes decode and encode back exactly
// (src/file-text.ts); other files are refused for editing, never rewritten. The fix that is published is the
// composition of the accepted attempts' changes on the original bytes (verifiedFix), never "whatever differs in
// the tree".
import * as fs from 'node:fs'
import * as path from 'node:path'
import { UserError, type FileChange, type FixFile } from './domain.js'
import { decodeFileText, encodeFileText, Utf8 } from './file-text.js'

export class Workspace {
  /** repo-relative path → original bytes (null: the file did not exist) */
  private readonly originals = new Map<string, Buffer | null>()

  /** each applied change → the bytes its file had just before (null: absent); what revert writes back */
  private readonly overwritten = new WeakMap<FileChange, Buffer | null>()

  /** the changes of the accepted attempts, in the order they were accepted */
  private readonly accepted: FileChange[] = []
  private sealed = false

  /** files that did not hold an accepted change's bytes after its verification (something else wrote them) */
  private readonly changedDuringVerification = new Set<string>()

  private readonly realRoot: string

  constructor(readonly repoRoot: string) {
    this.realRoot = realLocation(path.resolve(repoRoot)) ?? path.resolve(repoRoot)
  }

  absolute(relativePath: string): string {
    return path.join(this.repoRoot, ...relativePath.split('/'))
  }

  /**
   * Current text of a repo-relative file, null when it does not exist, is not inside the repository (a path
   * with '..', an absolute path, a symbolic link that leads out) or cannot be edited as text (see editRefusal).
   * A model's answer may name any path: what lies outside must never be read, or it would be quoted back to the
   * model as the "closest lines".
   */
  read(relativePath: string): string | null {
    if (!this.isInside(relativePath)) return null
    const bytes = readBytes(this.absolute(relativePath))
    if (bytes === null) return null
    const decoded = decodeFileText(bytes)
    return decoded.ok ? decoded.text : null
  }

  /** Why an existing file inside the repository cannot be edited as text (binary, not valid in its encoding), if so. */
  editRefusal(relativePath: string): string | undefined {
    if (!this.isInside(relativePath)) return undefined
    const bytes = readBytes(this.absolute(relativePath))
    if (bytes === null) return undefined
    const decoded = decodeFileText(bytes)
    return decoded.ok ? undefined : `${relativePath} cannot be edited: ${decoded.reason}. Fix the failure without changing this file.`
  }

  /** Why planned changes cannot be written byte-exactly (characters the file's encoding lacks, a changed coding line). */
  writeRefusals(changes: FileChange[]): string[] {
    const refusals: string[] = []
    for (const change of changes) {
      const encoded = encodeFileText(change.after, this.currentEncoding(change.path), change.before)
      if (!encoded.ok) refusals.push(`${change.path}: ${encoded.reason}.`)
    }
    return refusals
  }

  /** Whether a repo-relative path really lies inside the repository, symbolic links followed. */
  isInside(relativePath: string): boolean {
    if (relativePath.includes('\0') || path.posix.isAbsolute(relativePath) || path.win32.isAbsolute(relativePath)) return false
    const file = this.absolute(relativePath)
    if (!isWithin(path.resolve(this.repoRoot), file)) return false
    const real = realLocation(file)
    return real !== undefined && isWithin(this.realRoot, real)
  }

  /**
   * Writes each change's `after` in its file's own encoding, remembering originals first. A change is written only
   * onto the content it was planned on, and only when its text encodes back exactly; else nothing is written.
   */
  /** After an interruption: the tree is being put back, and nothing may write to it again. */
  seal(): void {
    this.sealed = true
  }

  apply(changes: FileChange[]): void {
    if (this.sealed) throw new Error('The run was interrupted: no more edits are written')
    const outside = changes.find(change => !this.isInside(change.path))
    if (outside !== undefined) throw new Error(`Refusing to write ${outside.path}: it is not inside the repository (${this.repoRoot})`)
    const writes = changes.map(change => {
      const file = this.absolute(change.path)
      const current = readBytes(file)
      const decoded = current === null ? null : decodeFileText(current)
      const plannedOn = decoded === null ? null : decoded.ok ? decoded.text : undefined
      if (plannedOn !== change.before)
        throw new Error(`Refusing to write ${change.path}: it no longer holds the content the edit was planned on`)
      const encoded = encodeFileText(change.after, decoded?.ok ? decoded.encoding : Utf8, change.before)
      if (!encoded.ok) throw new Error(`Refusing to write ${change.path}: ${encoded.reason}`)
      return { change, file, current, bytes: encoded.bytes }
    })
    for (const change of changes) this.remember(change.path)
    for (const write of writes) {
      this.overwritten.set(write.change, write.current)
      fs.mkdirSync(path.dirname(write.file), { recursive: true })
      fs.writeFileSync(write.file, write.bytes)
    }
  }

  /** Puts the files of applied `changes` back to the bytes they had just before (exactly). */
  revert(changes: FileChange[]): void {
    for (const change of [...changes].reverse()) {
      const file = this.absolute(change.path)
      const previous = this.overwritten.has(change) ? (this.overwritten.get(change) ?? null) : this.bytesOf(change.before, change.path)
      if (previous === null) removeFileAndEmptyParents(file, this.repoRoot)
      else if (!sameBytes(file, previous)) fs.writeFileSync(file, previous)
    }
  }

  /** Records the changes of an accepted attempt (applied and verified): they are part of the fix. */
  recordAccepted(changes: FileChange[]): void {
    for (const change of changes) {
      const expected = this.bytesOf(change.after, change.path)
      if (expected === null || !sameBytes(this.absolute(change.path), expected)) this.changedDuringVerification.add(change.path)
      this.accepted.push(change)
    }
  }

  /** Takes back accepted changes: the files as they were before them, and the changes no part of the fix. */
  withdraw(changes: FileChange[]): void {
    this.revert(changes)
    for (const change of changes) {
      const index = this.accepted.indexOf(change)
      if (index >= 0) this.accepted.splice(index, 1)
    }
  }

  /**
   * The fix: the accepted changes composed file by file on the original bytes, with the exact bytes to publish.
   * Empty when no attempt was accepted, whatever the tree holds. Throws a UserError when the accepted changes do
   * not compose (something other than the fix wrote a file they change): then nothing may be published.
   */
  verifiedFix(): FixFile[] {
    if (this.changedDuringVerification.size > 0) {
      throw new UserError(
        `Not publishing: ${[...this.changedDuringVerification].join(', ')} changed while the tests ran (a test that writes ` +
          'into the repository?), so the verified tree is not the accepted edits. Make the tests write outside the repository (e.g. tmp_path).'
      )
    }
    const composed = new Map<string, { before: string | null; after: string | null }>()
    for (const change of this.accepted) {
      const entry = composed.get(change.path) ?? { before: this.originalText(change.path), after: this.originalText(change.path) }
      if (entry.after !== change.before) {
        throw new UserError(
          `Not publishing: ${change.path} changed between two accepted attempts by something other than the fix (a test that writes ` +
            'into the repository?), so the accepted edits do not compose on its original bytes.'
        )
      }
      entry.after = change.after
      composed.set(change.path, entry)
    }
    const files: FixFile[] = []
    for (const [relativePath, { before, after }] of composed) {
      if (after === null || after === before) continue
      const bytes = this.bytesOf(after, relativePath)
      if (bytes === null) continue
      files.push({ path: relativePath, before, after, bytes, beforeBytes: this.originals.get(relativePath) ?? null })
    }
    return files
  }

  /** Every file the run touched, back to its original bytes. Safe to call more than once. */
  restoreAll(): string[] {
    return this.settle(new Map())
  }

  /** Every file the run touched holds its original bytes, except the fix's files, which hold the fix's bytes. */
  keepOnly(fix: FixFile[]): string[] {
    return this.settle(new Map(fix.map(file => [file.path, file.bytes])))
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

  private settle(wanted: Map<string, Buffer>): string[] {
    const settled: string[] = []
    for (const [relativePath, original] of this.originals) {
      const file = this.absolute(relativePath)
      const bytes = wanted.get(relativePath) ?? original
      try {
        if (bytes === null) removeFileAndEmptyParents(file, this.repoRoot)
        else if (!sameBytes(file, bytes)) {
          fs.mkdirSync(path.dirname(file), { recursive: true })
          fs.writeFileSync(file, bytes)
        }
        settled.push(relativePath)
      } catch {
        // keep going: restore as much as possible
      }
    }
    return settled
  }

  /** The original text of a file the run changed (null: it did not exist). */
  private originalText(relativePath: string): string | null {
    const original = this.originals.get(relativePath) ?? null
    if (original === null) return null
    const decoded = decodeFileText(original)
    if (!decoded.ok) throw new Error(`${relativePath} was changed although it cannot be edited: ${decoded.reason}`)
    return decoded.text
  }

  /** The encoding a file is edited in: its original's (the coding line may not change), UTF-8 for a new file. */
  private currentEncoding(relativePath: string): string {
    const original = this.originals.has(relativePath) ? (this.originals.get(relativePath) ?? null) : readBytes(this.absolute(relativePath))
    if (original === null) return Utf8
    const decoded = decodeFileText(original)
    return decoded.ok ? decoded.encoding : Utf8
  }

  /** `text` as the bytes of the file at `relativePath` in its encoding; null for null (no file). */
  private bytesOf(text: string | null, relativePath: string): Buffer | null {
    if (text === null) return null
    const encoded = encodeFileText(text, this.currentEncoding(relativePath))
    if (!encoded.ok) throw new Error(`${relativePath}: ${encoded.reason}`)
    return encoded.bytes
  }

  private remember(relativePath: string): void {
    if (this.originals.has(relativePath)) return
    this.originals.set(relativePath, readBytes(this.absolute(relativePath)))
  }
}

/** A file's bytes, null when it does not exist. */
function readBytes(file: string): Buffer | null {
  try {
    return fs.readFileSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** `file` is `root` or below it (both absolute). */
export function isWithin(root: string, file: string): boolean {
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
