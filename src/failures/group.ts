// Failures with one root cause form one group, so that one fix is asked for once.
import { createHash } from 'node:crypto'
import { Failure, Group } from '../domain.js'
import { innermostProjectFrame } from './traceback.js'

const MaxMessageChars = 500

/**
 * The message with what varies between runs and parameters removed: temporary paths, addresses, quoted
 * values, numbers and parameter ids, so `invalid literal for int(): 'a'` and `...: 'b'` read the same.
 */
export function normalizeMessage(message: string): string {
  return message
    .replace(
      /(?:[A-Za-z]:)?[\\/](?:tmp|var[\\/]folders|private[\\/]var|Users[\\/][^\\/\s]+[\\/]AppData[\\/]Local[\\/]Temp)[\\/][^\s'"),\]]*/g,
      '<tmp>'
    )
    .replace(/\bpytest-of-[^\s'"),\]]*/g, '<tmp>')
    .replace(/\b0x[0-9a-fA-F]+\b/g, '<addr>')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, '<str>')
    .replace(/\[[^\]\n]*\]/g, '[]')
    .replace(/(?<![\w.])[-+]?\d+(?:\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MaxMessageChars)
}

function fingerprintOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12)
}

/** What makes two failures one root cause. */
function rootCauseOf(failure: Failure): string {
  const frame = innermostProjectFrame(failure.frames)
  const place = frame ? `${frame.file}:${frame.func ?? ''}` : failure.file
  return [failure.errorType, place, normalizeMessage(failure.message)].join('\n')
}

/**
 * Failures sharing a root cause (same error type, same innermost project frame file+function, normalized
 * message) form one Group. Fingerprint: 12 hex chars of sha256. Sets failure.group. Groups sorted by size
 * desc then fingerprint.
 */
export function groupFailures(failures: Failure[]): Group[] {
  const groups = new Map<string, Group>()
  for (const failure of failures) {
    const fingerprint = fingerprintOf(rootCauseOf(failure))
    failure.group = fingerprint
    const group = groups.get(fingerprint)
    if (group) group.failures.push(failure)
    else groups.set(fingerprint, { fingerprint, failures: [failure] })
  }
  return [...groups.values()].sort(
    (a, b) => b.failures.length - a.failures.length || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)
  )
}

/** The fingerprint of a whole run's set of groups (order-independent): names the fix branch. */
export function runFingerprint(groups: Group[]): string {
  return fingerprintOf([...new Set(groups.map(group => group.fingerprint))].sort().join('\n'))
}
