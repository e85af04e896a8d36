// Failing results become failures: one per node id, with where the error happened and why.
import { Failure, Layout, Phase, TestResult } from '../domain.js'
import { LogEntry } from './log.js'
import { rebase, relativeTo, resolveFrom } from './paths.js'
import { innermostProjectFrame, parseTraceback } from './traceback.js'

export { parseTraceback } from './traceback.js'

const phaseOrder: Record<Phase, number> = { collect: 0, setup: 1, call: 2, teardown: 3 }

/** pytest's closing line for a test whose subtests failed; the subtest's own failure says more. */
const subtestTally = /^contains \d+ failed subtests?$/

/**
 * Failing results (outcome failed/error, and failed XPASS(strict)) become Failures; file/line/errorFile from
 * the traceback (innermost frame inside the repository); enriched by log entries when given; a log alone
 * (results empty) is enough to list failures. Setup+call or call+teardown duplicates of one node id merge.
 */
export function toFailures(results: TestResult[], layout: Layout, log?: LogEntry[]): Failure[] {
  const logged = groupByNode((log ?? []).map(entry => resultFromLog(entry, layout)))
  const failing = results.length === 0 ? logged : groupByNode(results.filter(r => r.outcome === 'failed' || r.outcome === 'error'))
  return [...failing].map(([nodeId, ofNode]) => failureOf(nodeId, ofNode, results.length === 0 ? [] : (logged.get(nodeId) ?? []), layout))
}

/** A log entry in a test result's shape, its node id made relative to pytest's rootdir. */
function resultFromLog(entry: LogEntry, layout: Layout): TestResult {
  const at = entry.nodeId.indexOf('::')
  const printedPath = at < 0 ? entry.nodeId : entry.nodeId.slice(0, at)
  const nodeId = rebase(printedPath, layout.workDir, layout.rootDir) + (at < 0 ? '' : entry.nodeId.slice(at))
  return {
    nodeId,
    outcome: entry.phase === 'call' ? 'failed' : 'error',
    phase: entry.phase,
    message: entry.message ?? '',
    details: entry.traceback ?? '',
    ...(entry.errorType !== undefined ? { errorType: entry.errorType } : {})
  }
}

function groupByNode(results: TestResult[]): Map<string, TestResult[]> {
  const byNode = new Map<string, TestResult[]>()
  for (const result of results) {
    const list = byNode.get(result.nodeId)
    if (list) list.push(result)
    else byNode.set(result.nodeId, [result])
  }
  return byNode
}

/** The result that explains the failure: the earliest phase, a subtest's failure over the tally. */
function primaryOf(results: TestResult[]): TestResult {
  const ordered = [...results].sort((a, b) => phaseOrder[a.phase ?? 'call'] - phaseOrder[b.phase ?? 'call'])
  return ordered.find(r => !subtestTally.test(r.message ?? '')) ?? ordered[0]
}

function failureOf(nodeId: string, results: TestResult[], logged: TestResult[], layout: Layout): Failure {
  const primary = primaryOf(results)
  const phase = primary.phase ?? 'call'
  const fromLog = logged.find(r => r.phase === phase) ?? logged[0]
  // the console log also holds captured output, which pytest leaves out of the XML by default
  const primaryText = longer(primary.details ?? '', fromLog?.details ?? '')
  const otherTexts = results.filter(r => r !== primary).map(r => r.details ?? '')
  const traceback = [...new Set([primaryText, ...otherTexts])].filter(t => t.trim() !== '').join('\n\n')
  const frames = parseTraceback(primaryText, layout)
  const innermost = innermostProjectFrame(frames)
  const file = fileOf(nodeId, layout, frames)
  const line = innermost?.line ?? primary.line ?? fromLog?.line
  const errorFile = innermost?.file ?? (line !== undefined ? file : undefined)
  return {
    nodeId,
    file,
    ...(errorFile !== undefined ? { errorFile } : {}),
    ...(line !== undefined ? { line } : {}),
    errorType: primary.errorType ?? fromLog?.errorType ?? (phase === 'call' ? 'Failed' : 'Error'),
    message: primary.message || fromLog?.message || '',
    traceback,
    phase,
    frames
  }
}

function longer(a: string, b: string): string {
  return b.length > a.length ? b : a
}

/**
 * The repository-relative file of a node id. A directory's collection error (a broken conftest.py or
 * __init__.py below it) is put on the file of the traceback inside that directory.
 */
function fileOf(nodeId: string, layout: Layout, frames: Failure['frames']): string {
  const at = nodeId.indexOf('::')
  const nodePath = at < 0 ? nodeId : nodeId.slice(0, at)
  const file = relativeTo(layout.repoRoot, resolveFrom(layout.rootDir, nodePath))
  if (at >= 0 || /\.\w+$/.test(nodePath)) return file
  return frames.find(frame => frame.inRepo && frame.file.startsWith(`${file}/`))?.file ?? file
}
