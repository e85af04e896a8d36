// pytest's short test summary (`FAILED tests/test_x.py::test_a - assert 1 == 2`) and verbose status lines.
//
// Node ids here are printed relative to the directory pytest ran in. Messages are cut to the terminal width
// (ending in '...') except on CI or with -vv, where a message may run over several lines.

export type SummaryStatus = 'FAILED' | 'ERROR' | 'SUBFAILED'

export interface SummaryEntry {
  status: SummaryStatus
  nodeId: string
  message?: string
  /** subtests only: the `[msg] (k=v)` description pytest prints after SUBFAILED */
  subtest?: string
}

// SUBFAILED: pytest 9 subtests; SUBFAIL: the pytest-subtests plugin; RERUN: pytest-rerunfailures (-rR)
const statusWord =
  /^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS|RERUN|SUBPASS(?:ED)?|SUBFAIL(?:ED)?|SUBSKIP(?:PED)?|SUBXFAIL|SUBXPASS)(?=[\s[(]|$)/
/** `26 failed, 8 passed in 1.26s` (bare with -q, or between '=' rules) */
export const statsLine =
  /^=*\s*(?:\d+ (?:failed|passed|errors?|skipped|xfailed|xpassed|warnings?|deselected|rerun|subtests? \w+)(?:, |\s))+.*\bin [\d.]+s\b.*$/
/** `tests/test_x.py::test_a FAILED   [ 50%]` with -v, `[gw0] [ 50%] FAILED tests/test_x.py::test_a` with xdist */
const verboseLine = /^(\S.*?::.*?) (FAILED|ERROR)(?: +\[ *\d+%\])?$/
const verboseXdistLine = /^\[gw\d+\] \[ *\d+%\] (FAILED|ERROR) (\S.*)$/

/** Splits `nodeid - message` where both may contain ' - ' (a parametrized id `test_x[a - b]`). */
export function splitNodeIdAndMessage(rest: string): { nodeId: string; message?: string } {
  let from = 0
  for (;;) {
    const at = rest.indexOf(' - ', from)
    if (at < 0) return { nodeId: rest.trim() }
    const nodeId = rest.slice(0, at)
    // an id with parameters ends at its closing bracket
    if (!nodeId.includes('[') || nodeId.endsWith(']')) return { nodeId, message: rest.slice(at + 3) }
    from = at + 1
  }
}

/** Summary lines of one 'short test summary info' section. */
export function parseSummary(lines: string[]): SummaryEntry[] {
  const entries: SummaryEntry[] = []
  let current: SummaryEntry | undefined
  for (const line of lines) {
    if (/^!{3,} .* !{3,}$/.test(line)) {
      // `!!! Interrupted: 2 errors during collection !!!` closes the last message
      current = undefined
      continue
    }
    const word = statusWord.exec(line)
    if (!word) {
      // on CI a message keeps its line breaks
      if (current?.message !== undefined) current.message += `\n${line}`
      continue
    }
    current = undefined
    const status = word[1]
    if (status === 'FAILED' || status === 'ERROR') {
      current = { status, ...splitNodeIdAndMessage(line.slice(status.length + 1)) }
    } else if (status.startsWith('SUBFAIL')) {
      const rest = line.slice(status.length)
      const idStart = rest.lastIndexOf(' ', rest.indexOf('::')) + 1
      current = { status: 'SUBFAILED', subtest: rest.slice(0, idStart).trim(), ...splitNodeIdAndMessage(rest.slice(idStart)) }
    }
    if (current) entries.push(current)
  }
  for (const entry of entries) if (entry.message !== undefined) entry.message = entry.message.trimEnd()
  return entries
}

/** FAILED/ERROR status lines that -v prints as tests run; used only when there is no short summary. */
export function parseVerboseStatus(lines: string[]): SummaryEntry[] {
  const entries: SummaryEntry[] = []
  for (const raw of lines) {
    const line = raw.trimEnd()
    const plain = verboseLine.exec(line)
    if (plain) entries.push({ status: plain[2] as SummaryStatus, nodeId: plain[1] })
    const xdist = verboseXdistLine.exec(line)
    if (xdist) entries.push({ status: xdist[1] as SummaryStatus, nodeId: xdist[2] })
  }
  return entries
}

/**
 * The headline pytest prints over a test's traceback: the node id without its path, classes joined by dots
 * (`tests/test_x.py::TestA::test_b[p]` -> `TestA.test_b[p]`); subtests add their description.
 */
export function headlineOf(entry: SummaryEntry): string {
  let headline = headlines.get(entry)
  if (headline === undefined) {
    headline = computeHeadline(entry)
    headlines.set(entry, headline)
  }
  return headline
}

const headlines = new WeakMap<SummaryEntry, string>()

function computeHeadline(entry: SummaryEntry): string {
  const at = entry.nodeId.indexOf('::')
  if (at < 0) return entry.nodeId
  const rest = entry.nodeId.slice(at + 2)
  const bracket = rest.indexOf('[')
  const names = bracket < 0 ? rest : rest.slice(0, bracket)
  const domain = names.replace(/::/g, '.') + (bracket < 0 ? '' : rest.slice(bracket))
  return entry.subtest ? `${domain} ${entry.subtest}` : domain
}

/** The node id a headline stands for when no summary names it: `TestA.test_b[p]` in `tests/test_x.py`. */
export function nodeIdFromHeadline(file: string, headline: string): string {
  if (headline.startsWith(doctestPrefix)) return `${file}::${headline.slice(doctestPrefix.length)}`
  const space = headline.indexOf(' ')
  const bracket = headline.indexOf('[')
  // a subtest's description follows its test after a space: `test_x [msg] (i=1)`
  const domain = space >= 0 && (bracket < 0 || space < bracket) ? headline.slice(0, space) : headline
  const at = domain.indexOf('[')
  const names = at < 0 ? domain : domain.slice(0, at)
  return `${file}::${names.replace(/\./g, '::')}${at < 0 ? '' : domain.slice(at)}`
}

/** pytest heads a doctest's report with `[doctest] pkg.mod.func`. */
export const doctestPrefix = '[doctest] '
