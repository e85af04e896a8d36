// Path arithmetic for what pytest prints: posix or Windows, relative or absolute, always compared as posix.
import * as path from 'node:path'

const posix = path.posix

/** Backslashes to slashes, so Windows paths compare like posix ones. */
export function toPosix(p: string): string {
  return p.replace(/\\/g, '/')
}

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)
}

/** `p` as an absolute posix path, relative paths taken from `base`. */
export function resolveFrom(base: string, p: string): string {
  const target = toPosix(p)
  return isAbsolutePath(target) ? posix.normalize(target) : posix.join(toPosix(base), target)
}

/** True when the absolute path `p` is `root` or lies below it. */
export function isInside(root: string, p: string): boolean {
  const rel = posix.relative(toPosix(root), toPosix(p))
  return rel === '' || (!rel.startsWith('..') && !isAbsolutePath(rel))
}

/** `p` relative to `root`, posix separators; '.' for the root itself. */
export function relativeTo(root: string, p: string): string {
  return posix.relative(toPosix(root), toPosix(p)) || '.'
}

/** Re-bases a path printed relative to `from` so that it is relative to `to` (both absolute). */
export function rebase(printed: string, from: string, to: string): string {
  return relativeTo(to, resolveFrom(from, printed))
}
