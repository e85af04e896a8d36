// The failing tests as the model reads them: a few in full, the rest by node id, all fenced as untrusted.
import type { Failure, Group } from '../domain.js'
import { untrusted } from './fence.js'
import { nodeIdParts } from './localize.js'
import { logBeyondJUnit, normalizeOutput, type OutputPaths } from './normalize.js'
import { countTokens, trimToTokens } from './tokens.js'

const shownInFull = 3
/** when the failures all look alike, a second full one still shows what varies (parameters, files) */
const shownWhenAlike = 2
const tracebackTokens = 1500
const messageTokens = 300
const listedAtMost = 60
const logTokens = 1500

/** The failures a reader learns most from: distinct tests and errors first. */
export function failuresToShow(group: Group): Failure[] {
  const chosen: Failure[] = []
  // failures that differ only in their parameters or test module have the same key
  const key = (failure: Failure): string =>
    [nodeIdParts(failure.nodeId).names.join('::'), failure.errorType, failure.errorFile, failure.line].join('|')
  for (const failure of group.failures) {
    if (chosen.length < shownInFull && !chosen.some(known => key(known) === key(failure))) chosen.push(failure)
  }
  for (const failure of group.failures) {
    if (chosen.length < shownWhenAlike && !chosen.includes(failure)) chosen.push(failure)
  }
  return chosen
}

/** A traceback this long that mostly repeats one shown before is shown by its differing lines only. */
const repeatAfterLines = 12
const repeatShare = 0.7

function describeFailure(
  failure: Failure,
  paths: OutputPaths | undefined,
  earlier: Array<{ index: number; lines: string[] }>
): { text: string; lines: string[] } {
  const clean = (text: string): string => (paths === undefined ? text : normalizeOutput(text, paths))
  const message = trimToTokens(clean(failure.message).trim(), messageTokens, 'head')
  const full = clean(failure.traceback).trim()
  const lines = full.split('\n')
  let traceback = trimToTokens(full, tracebackTokens, 'middle')
  if (paths !== undefined && lines.length > repeatAfterLines) {
    for (const seen of earlier) {
      const known = new Set(seen.lines)
      const repeated = lines.filter(line => known.has(line)).length
      if (repeated / lines.length < repeatShare) continue
      const differing = lines.filter(line => !known.has(line))
      traceback =
        differing.length === 0
          ? `(the same traceback as failure ${seen.index + 1})`
          : `(the traceback of failure ${seen.index + 1} except these lines:)\n${trimToTokens(differing.join('\n'), tracebackTokens, 'middle')}`
      break
    }
  }
  const parts = [
    `test: ${failure.nodeId}`,
    `phase: ${failure.phase}`,
    `error: ${failure.errorType || '(unknown)'}${message ? `: ${message}` : ''}`
  ]
  if (failure.errorFile) parts.push(`raised at: ${failure.errorFile}${failure.line ? `:${failure.line}` : ''}`)
  if (traceback) parts.push('', traceback)
  return { text: parts.join('\n'), lines }
}

/** The failures part of the user message. */
/** `paths` undefined: output exactly as pytest wrote it (the bench's figure of what normalizing saves). */
export function renderFailures(group: Group, rootDirPath: string, log: string, paths?: OutputPaths): string {
  const failures = group.failures
  const shown = failuresToShow(group)
  const rest = failures.filter(failure => !shown.includes(failure))
  const collecting = failures.every(failure => failure.phase === 'collect')
  const intro = [
    `## Failing tests`,
    `${failures.length} failing test${failures.length === 1 ? '' : 's'} with one root cause (group ${group.fingerprint}).`
  ]
  if (rootDirPath !== '') {
    intro.push(
      `Node ids are relative to pytest's rootdir \`${rootDirPath}/\`; file paths everywhere else are relative to the repository root.`
    )
  }
  if (collecting) {
    intro.push(
      'pytest could not collect these tests: a module fails to import. The fix belongs in the module the error ' +
        'points at (a syntax error, a missing or renamed name), not in the tests.'
    )
  }
  const sections = [intro.join('\n')]
  const earlier: Array<{ index: number; lines: string[] }> = []
  shown.forEach((failure, index) => {
    const described = describeFailure(failure, paths, earlier)
    earlier.push({ index, lines: described.lines })
    sections.push(untrusted(`test output, failure ${index + 1} of ${failures.length}`, described.text))
  })
  if (rest.length > 0) {
    const listed = rest.slice(0, listedAtMost).map(failure => {
      const message = paths === undefined ? failure.message : normalizeOutput(failure.message, paths)
      const firstLine = message.trim().split('\n')[0].slice(0, 120)
      return `${failure.nodeId} - ${failure.errorType}${firstLine ? `: ${firstLine}` : ''}`
    })
    if (rest.length > listedAtMost) listed.push(`... and ${rest.length - listedAtMost} more`)
    sections.push(untrusted(`list of the other ${rest.length} failing tests of this group`, listed.join('\n')))
  }
  const logShown = paths === undefined ? log : logBeyondJUnit(normalizeOutput(log, paths))
  if (logShown.trim() !== '' && countTokens(logShown) > 0) {
    const label =
      paths === undefined
        ? 'console log of the failing run (end)'
        : 'console log of the failing run: what the JUnit report does not say (end)'
    sections.push(untrusted(label, trimToTokens(logShown.trim(), logTokens, 'tail')))
  }
  return sections.join('\n\n')
}
