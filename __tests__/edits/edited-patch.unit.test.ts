// A patch a person edited by hand becomes changes: counts recounted, comments ignored, files dropped from the
// patch left out, and a clear reason when it does not fit.
import { describe, expect, it } from '@jest/globals'
import { changesFromEditedPatch, recountHunks } from '../../src/edits/edited-patch.js'

const original = 'def low(q, t):\n    return q <= t\n\n\ndef high(q):\n    return q > 10\n'
const files = (name: string): string | null => (name === 'inv/models.py' ? original : null)
const patch = [
  '# a comment the editor left',
  'diff --git a/inv/models.py b/inv/models.py',
  '--- a/inv/models.py',
  '+++ b/inv/models.py',
  '@@ -1,2 +1,2 @@',
  ' def low(q, t):',
  '-    return q <= t',
  '+    return q < t',
  '+    # an exact threshold is not low'
].join('\n')

describe('an edited patch', () => {
  it('applies with its @@ counts wrong: they are recounted', () => {
    expect(recountHunks(patch)).toContain('@@ -1,2 +1,3 @@')
    const result = changesFromEditedPatch(patch, files)
    expect(result).toEqual({
      ok: true,
      changes: [
        {
          path: 'inv/models.py',
          before: original,
          after: original.replace('    return q <= t\n', '    return q < t\n    # an exact threshold is not low\n')
        }
      ]
    })
  })

  it('adds a new file from /dev/null', () => {
    const result = changesFromEditedPatch(['--- /dev/null', '+++ b/inv/notes.py', '@@ -0,0 +1,1 @@', '+X = 1', ''].join('\n'), files)
    expect(result).toEqual({ ok: true, changes: [{ path: 'inv/notes.py', before: null, after: 'X = 1\n' }] })
  })

  it.each([
    ['', /the patch is empty/],
    ['# only comments\n', /the patch is empty/],
    [patch.replace(' def low(q, t):', ' def lower(q, t):'), /a hunk of inv\/models\.py does not fit the file/],
    [patch.replace(/a\/inv|b\/inv/g, 'b/../inv'), /is not a path inside the repository/]
  ])('is refused with a reason: %#', (text, reason) => {
    const result = changesFromEditedPatch(text, files)
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.error).toMatch(reason)
  })
})
