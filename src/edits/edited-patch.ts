// A patch a person edited by hand (the command line's `edit`) back into changes: the hunk headers are recounted
// first, as `git add -p` does, so that changing, adding or dropping lines never needs arithmetic; each file's
// hunks then apply to the file as the proposal found it.
import { applyPatch, parsePatch } from 'diff'
import type { FileChange } from '../domain.js'

export type EditedPatch = { ok: true; changes: FileChange[] } | { ok: false; error: string }

/**
 * `text` is the edited unified diff; `original(path)` the text a file had when the proposal was planned (null: it
 * does not exist). Files the person removed from the patch are left out of the changes.
 */
export function changesFromEditedPatch(text: string, original: (relativePath: string) => string | null): EditedPatch {
  const body = text
    .split('\n')
    .filter(line => !line.startsWith('#'))
    .join('\n')
  if (body.trim() === '') return { ok: false, error: 'the patch is empty: nothing to verify' }
  let patches
  try {
    patches = parsePatch(recountHunks(body))
  } catch (error) {
    return { ok: false, error: `the patch does not parse: ${error instanceof Error ? error.message : String(error)}` }
  }
  const changes: FileChange[] = []
  for (const patch of patches) {
    if (patch.hunks.length === 0) continue
    const name = stripPrefix(patch.newFileName === '/dev/null' ? patch.oldFileName : patch.newFileName)
    if (name === undefined) return { ok: false, error: 'a file of the patch has no name (its ---/+++ lines are missing)' }
    if (name.startsWith('/') || name.split('/').includes('..')) return { ok: false, error: `${name} is not a path inside the repository` }
    const before = original(name)
    const after = applyPatch(before ?? '', patch)
    if (after === false)
      return { ok: false, error: `a hunk of ${name} does not fit the file (its context or removed lines differ from the file)` }
    if (after !== before) changes.push({ path: name, before, after })
  }
  if (changes.length === 0) return { ok: false, error: 'the patch changes nothing' }
  return { ok: true, changes }
}

function stripPrefix(name: string | undefined): string | undefined {
  if (name === undefined || name === '') return undefined
  const clean = name.split('\t')[0]
  return clean.startsWith('a/') || clean.startsWith('b/') ? clean.slice(2) : clean
}

/** Rewrites every `@@ -a,b +c,d @@` with the counts its lines really have. */
export function recountHunks(text: string): string {
  const lines = text.split('\n')
  const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/
  for (let index = 0; index < lines.length; index++) {
    const match = header.exec(lines[index])
    if (match === null) continue
    let removed = 0
    let added = 0
    let end = index + 1
    for (; end < lines.length; end++) {
      const line = lines[end]
      if (line.startsWith('@@') || line.startsWith('diff --git') || line.startsWith('--- ') || line.startsWith('+++ ')) break
      if (line.startsWith('\\')) continue
      if (line.startsWith('-')) removed++
      else if (line.startsWith('+')) added++
      else if (line.startsWith(' ') || line === '') {
        // a blank line at the very end is the file's last newline, not a context line
        if (line === '' && lines.slice(end).every(rest => rest === '')) break
        removed++
        added++
      } else break
    }
    lines[index] = `@@ -${match[1]},${removed} +${match[2]},${added} @@${match[3]}`
  }
  return lines.join('\n')
}
