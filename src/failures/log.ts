// Reads a pytest console log: the tracebacks of the FAILURES and ERRORS sections, tied to node ids through the
// short test summary; conftest.py import failures, after which pytest writes no XML at all.
import { Failure, Layout, Phase } from '../domain.js'
import { crashOf, errorTypeOf, reportMessage } from './crash.js'
import { relativeTo, resolveFrom, toPosix } from './paths.js'
import { doctestPrefix, headlineOf, nodeIdFromHeadline, parseSummary, parseVerboseStatus, statsLine, SummaryEntry } from './summary.js'
import { innermostProjectFrame, parseTraceback, printedFrames } from './traceback.js'

/**
 * One failing test as a console log shows it. `nodeId` is printed relative to the directory pytest ran in
 * (the same as the rootdir-relative node id when pytest runs from its rootdir); toFailures re-bases it.
 */
export interface LogEntry {
  nodeId: string
  phase: Phase
  errorType?: string
  message?: string
  traceback?: string
}

/** One `____ headline ____` report under FAILURES or ERRORS, or a bare crash line of --tb=line. */
interface Section {
  kind: 'FAILURES' | 'ERRORS'
  headline?: string
  body: string[]
}

const sectionRule = /^=+ (.+?) =+$/
const entryRule = /^_+ (.+?) _+$/
const xmlNotice = /^-+ generated xml file: .* -+$/

/** Plain text: no colours, no CRLF, no GitHub Actions timestamps (logs downloaded from a run have them). */
export function cleanLog(text: string): string[] {
  return text
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .split(/\r?\n/)
    .map(line => line.replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/, ''))
}

export function parsePytestLog(text: string): LogEntry[] {
  const lines = cleanLog(text)
  const sections: Section[] = []
  const summaryLines: string[] = []
  let where: 'FAILURES' | 'ERRORS' | 'SUMMARY' | undefined
  for (const line of lines) {
    const rule = sectionRule.exec(line)
    if (rule || statsLine.test(line)) {
      const title = rule?.[1]
      where = title === 'FAILURES' || title === 'ERRORS' ? title : title === 'short test summary info' ? 'SUMMARY' : undefined
      continue
    }
    if (where === 'SUMMARY') summaryLines.push(line)
    if (where !== 'FAILURES' && where !== 'ERRORS') continue
    if (xmlNotice.test(line)) continue
    const entry = entryRule.exec(line)
    if (entry && !/^[_ ]+$/.test(entry[1])) {
      sections.push({ kind: where, headline: entry[1], body: [] })
      continue
    }
    const last = sections[sections.length - 1]
    if (last && last.kind === where && (last.headline !== undefined || !endsCrashLine(last))) last.body.push(line)
    else if (line.trim() !== '') sections.push({ kind: where, body: [line] })
  }

  let summary = parseSummary(summaryLines)
  if (summary.length === 0) summary = parseVerboseStatus(lines)
  return entriesOf(sections, summary)
}

/** --tb=line writes `E   ...` lines then `path:12: message`, with no headline, once per failure. */
function endsCrashLine(section: Section): boolean {
  const last = section.body[section.body.length - 1] ?? ''
  return /^\S+:\d+: /.test(last) && !/^E\s/.test(last)
}

function entriesOf(sections: Section[], summary: SummaryEntry[]): LogEntry[] {
  const used = new Set<SummaryEntry>()
  let next = 0
  // sections come in summary order, so the search starts after the last match: linear for thousands of failures
  const claim = (test: (entry: SummaryEntry) => boolean): SummaryEntry | undefined => {
    for (let step = 0; step < summary.length; step++) {
      const at = (next + step) % summary.length
      const entry = summary[at]
      if (used.has(entry) || !test(entry)) continue
      used.add(entry)
      next = at + 1
      return entry
    }
    return undefined
  }
  const entries: LogEntry[] = []
  for (const section of sections) {
    const traceback = section.body.join('\n').trim()
    const { phase, match, fallbackId } = locate(section, traceback)
    const found = claim(match)
    const nodeId = found?.nodeId ?? fallbackId
    if (nodeId === undefined) continue
    entries.push(entryOf(nodeId, phase, found?.message, traceback))
  }
  for (const entry of summary) {
    if (used.has(entry)) continue
    const phase: Phase = entry.status !== 'ERROR' ? 'call' : entry.nodeId.includes('::') ? 'setup' : 'collect'
    entries.push(entryOf(entry.nodeId, phase, entry.message, ''))
  }
  return unique(entries)
}

/** Which summary entry a section belongs to, and the node id to use when the summary has none. */
function locate(
  section: Section,
  traceback: string
): {
  phase: Phase
  match: (entry: SummaryEntry) => boolean
  fallbackId?: string
} {
  const headline = section.headline
  if (headline === undefined) {
    // --tb=line: no headline; failures come in summary order
    return { phase: 'call', match: entry => entry.status === 'FAILED' }
  }
  const collecting = /^ERROR collecting (.+)$/.exec(headline)
  if (collecting) {
    // printed relative to the rootdir, while the summary is relative to where pytest ran
    const target = toPosix(collecting[1])
    const samePath = (id: string): boolean => id === target || id.endsWith(`/${target}`) || target.endsWith(`/${id}`)
    return {
      phase: 'collect',
      match: entry => entry.status === 'ERROR' && !entry.nodeId.includes('::') && samePath(toPosix(entry.nodeId)),
      fallbackId: target
    }
  }
  const atPhase = /^ERROR at (setup|teardown) of (.+)$/.exec(headline)
  const phase: Phase = atPhase ? (atPhase[1] as Phase) : 'call'
  const title = atPhase ? atPhase[2] : headline
  const domain = title.startsWith(doctestPrefix) ? title.slice(doctestPrefix.length) : title
  const status = atPhase ? ['ERROR'] : ['FAILED', 'SUBFAILED']
  const file = printedFrames(traceback)[0]?.path
  return {
    phase,
    match: entry => status.includes(entry.status) && headlineOf(entry) === domain,
    fallbackId: file !== undefined && !file.startsWith('<') ? nodeIdFromHeadline(toPosix(file), title) : undefined
  }
}

function entryOf(nodeId: string, phase: Phase, summaryMessage: string | undefined, traceback: string): LogEntry {
  const fromTraceback = traceback === '' ? undefined : reportMessage(traceback)
  const truncated = summaryMessage !== undefined && !summaryMessage.includes('\n') && summaryMessage.endsWith('...')
  const firstLine = traceback.split('\n').find(line => line.trim() !== '')
  const message = fromTraceback ?? (truncated ? (firstLine ?? summaryMessage) : (summaryMessage ?? firstLine))
  const errorType = errorTypeOf(message ?? '', traceback)
  return {
    nodeId,
    phase,
    ...(errorType !== undefined ? { errorType } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(traceback !== '' ? { traceback } : {})
  }
}

/** pytest-xdist prints a collection error once per worker. */
function unique(entries: LogEntry[]): LogEntry[] {
  const seen = new Set<string>()
  return entries.filter(entry => {
    const key = [entry.nodeId, entry.phase, entry.message, entry.traceback].join('\u0000')
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * pytest writes no XML when conftest.py fails to import (exit code 4, 'ImportError while loading conftest').
 * Detect that from exit code + output and return it as one collection failure of that conftest.
 */
export function detectConftestFailure(exitCode: number | null, output: string, layout: Layout): Failure | undefined {
  // pytest's ExitCode.USAGE_ERROR
  if (exitCode !== 4) return undefined
  const lines = cleanLog(output)
  const start = lines.findIndex(line => /^ImportError while loading conftest '.+'\.$/.test(line))
  if (start < 0) return undefined
  const printed = /^ImportError while loading conftest '(.+)'\.$/.exec(lines[start])?.[1] ?? ''
  let end = start + 1
  while (end < lines.length && lines[end].trim() !== '') end++
  const traceback = lines.slice(start, end).join('\n')
  const conftest = resolveFrom(layout.workDir, printed)
  const frames = parseTraceback(traceback, layout)
  const innermost = innermostProjectFrame(frames)
  const crash = crashOf(traceback)
  return {
    nodeId: relativeTo(layout.rootDir, conftest),
    file: relativeTo(layout.repoRoot, conftest),
    ...(innermost ? { errorFile: innermost.file, line: innermost.line } : {}),
    errorType: crash?.errorType ?? 'ImportError',
    message: crash?.message ?? lines[start],
    traceback,
    phase: 'collect',
    frames
  }
}
