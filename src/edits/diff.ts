// The changes as one unified diff, the way git writes it, so `git apply` takes it and reviewers read it.
import { formatPatch, structuredPatch } from 'diff'
import type { FileChange } from '../domain.js'

const CONTEXT_LINES = 3

/** Unified diff with git headers (`diff --git a/x b/x`, /dev/null for a new file); unchanged files left out. */
export function unifiedDiff(changes: FileChange[]): string {
  return changes
    .filter(change => change.before !== change.after)
    .map(change => {
      const created = change.before === null
      const oldName = created ? '/dev/null' : `a/${change.path}`
      const patch = structuredPatch(oldName, `b/${change.path}`, change.before ?? '', change.after, '', '', { context: CONTEXT_LINES })
      const text = formatPatch({ ...patch, isGit: true, isCreate: created })
      return text.endsWith('\n') ? text : `${text}\n`
    })
    .join('')
}
