// The failing tests as the model reads them: a few in full, the rest by node id, all fenced as untrusted.
import type { Failure, Group } from '../domain.js'
import { untrusted } from './fence.js'
import { nodeIdParts } from './localize.js'
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

function describeFailure(failure: Failure): string {
  const message = trimToTokens(failure.message.trim(), messageTokens, 'head')
  const traceback = trimToTokens(failure.traceback.trim(), tracebackTokens, 'middle')
  const parts = [
    `test: ${failure.nodeId}`,
    `phase: ${failure.phase}`,
    `error: ${failure.errorType || '(unknown)'}${message ? `: ${message}` : ''}`
  ]
  if (failure.errorFile) parts.push(`raised at: ${failure.errorFile}${failure.line ? `:${failure.line}` : ''}`)
  if (traceback) parts.push('', traceback)
  return parts.join('\n')
}

/** The failures part of the user message. */
export function renderFailures(group: Group, rootDirPath: string, log: string): string {
  const failures = group.failures
  const shown = failuresToShow(group)
  const rest = failures.filter(failure => !shown.includes(failure))
  const collecting = failures.every(failure => failure.phase === 'collect')
  const intro = [
    `## Failing tests`,
    `${failures.length} failing test${failures.length === 1 ? '' : 's'} with one root cause (group ${group.fingerprint}).`
  ]
  if (rootDirPath !== '') {
    intro.push(`Node ids are relative to pytest's rootdir \`${rootDirPath}/\`; file paths everywhere else are relative to the repository root.`)
  }
  if (collecting) {
    intro.push(
      'pytest could not collect these tests: a module fails to import. The fix belongs in the module the error ' +
        'points at (a syntax error, a missing or renamed name), not in the tests.'
    )
  }
  const sections = [intro.join('\n')]
  shown.forEach((failure, index) => {
    sections.push(untrusted(`test output, failure ${index + 1} of ${failures.length}`, describeFailure(failure)))
  })
  if (rest.length > 0) {
    const listed = rest.slice(0, listedAtMost).map(failure => {
      const firstLine = failure.message.trim().split('\n')[0].slice(0, 120)
      return `${failure.nodeId} - ${failure.errorType}${firstLine ? `: ${firstLine}` : ''}`
    })
    if (rest.length > listedAtMost) listed.push(`... and ${rest.length - listedAtMost} more`)
    sections.push(untrusted(`list of the other ${rest.length} failing tests of this group`, listed.join('\n')))
  }
  if (log.trim() !== '' && countTokens(log) > 0) {
    sections.push(untrusted('console log of the failing run (end)', trimToTokens(log.trim(), logTokens, 'tail')))
  }
  return sections.join('\n\n')
}
