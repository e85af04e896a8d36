// What went wrong, read from the text pytest wrote for a failure: the exception type and its message.
// pytest's JUnit XML has no `type` attribute, and its logs print the exception several ways
// (`E   ValueError: x` in long/short/line styles, a bare `ValueError: x` after a native traceback,
// `path:12: ValueError` under a long traceback), so each form is tried in turn.

export interface Crash {
  errorType?: string
  message: string
}

/** A Python exception class name, possibly module-qualified: `ValueError`, `calc.errors.AmountError`. */
function isExceptionName(name: string): boolean {
  const last = name.slice(name.lastIndexOf('.') + 1)
  return /^[A-Z][A-Za-z0-9_]*$/.test(last) && /^[A-Za-z_][\w.]*$/.test(name)
}

/** `Type: message` or a bare `Type`; the type when the line starts with an exception name. */
function exceptionAt(line: string): string | undefined {
  const match = /^([A-Za-z_][\w.]*)(?::(?:\s|$)|$)/.exec(line)
  return match && isExceptionName(match[1]) ? match[1] : undefined
}

/** The text up to pytest's captured-output sections, which can hold anything. */
export function withoutCapturedOutput(text: string): string {
  const match = /^-{3,} Captured .* -{3,}$/m.exec(text)
  return match ? text.slice(0, match.index) : text
}

/** The last `E   ...` block of a pytest traceback: the exception pytest reported. */
function lastErrorBlock(lines: string[]): string[] | undefined {
  let end = -1
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^E(?: |$)/.test(lines[i])) {
      end = i
      break
    }
  }
  if (end < 0) return undefined
  let start = end
  while (start > 0 && /^E(?: |$)/.test(lines[start - 1])) start--
  const block = lines.slice(start, end + 1).map(line => line.slice(1))
  const indent = Math.min(...block.filter(l => l.trim() !== '').map(l => l.length - l.trimStart().length))
  return block.map(line => line.slice(Number.isFinite(indent) ? indent : 0).trimEnd())
}

/** The exception a traceback ends with, as pytest would print it in the short test summary. */
export function crashOf(details: string): Crash | undefined {
  const lines = withoutCapturedOutput(details).replace(/\r\n/g, '\n').split('\n')
  const block = lastErrorBlock(lines)
  if (block) {
    const at = block.findIndex(line => exceptionAt(line) !== undefined)
    if (at >= 0) return { errorType: exceptionAt(block[at]), message: block.slice(at).join('\n').trim() }
    const text = block.join('\n').trim()
    if (/^assert\b/.test(text)) return { errorType: 'AssertionError', message: text }
    return { message: text }
  }
  // --tb=native: the traceback ends with the exception line(s) at column 0
  const tracebackAt = lines.lastIndexOf('Traceback (most recent call last):')
  if (tracebackAt >= 0) {
    for (let i = tracebackAt + 1; i < lines.length; i++) {
      const type = /^\S/.test(lines[i]) ? exceptionAt(lines[i]) : undefined
      if (!type) continue
      // the message runs to the end, or to the `path:12: ` location line pytest adds after it (doctests)
      const end = lines.findIndex((line, j) => j > i && /^\S+:\d+: /.test(line))
      return {
        errorType: type,
        message: lines
          .slice(i, end < 0 ? undefined : end)
          .join('\n')
          .trim()
      }
    }
  }
  return undefined
}

/** The exception type of a failure from its message and text; undefined when nothing names one. */
export function errorTypeOf(message: string, details: string): string | undefined {
  if (message.startsWith('[XPASS(strict)]')) return 'XPASS(strict)'
  const doctest = /UNEXPECTED EXCEPTION: ([A-Za-z_][\w.]*)\(/.exec(details)
  if (doctest) return doctest[1]
  if (/^E\s+fixture '[^']*' not found$/m.test(details)) return 'FixtureLookupError'
  const crash = crashOf(details)
  if (crash?.errorType) return crash.errorType
  // the location line that closes a long traceback: `calc/ops.py:19: ZeroDivisionError`
  const locations = [...withoutCapturedOutput(details).matchAll(/^\S.*:\d+: ([A-Za-z_][\w.]*)$/gm)]
  const located = locations
    .map(m => m[1])
    .filter(isExceptionName)
    .pop()
  if (located) return located
  const firstLine = message.split('\n')[0]
  if (/^assert\b/.test(firstLine)) return 'AssertionError'
  if (firstLine.endsWith('...')) {
    // cut to the terminal width: only a name followed by its colon is whole
    const named = /^([A-Za-z_][\w.]*):/.exec(firstLine)
    return named && isExceptionName(named[1]) ? named[1] : undefined
  }
  return exceptionAt(firstLine)
}

/** The message of a report: its crash, or for a doctest whose output differed, `Expected: ... Got: ...`. */
export function reportMessage(details: string): string | undefined {
  const crash = crashOf(details)
  if (crash) return crash.message
  const mismatch = /^Expected:\n([\s\S]*?)\nGot:\n([\s\S]*?)(?:\n\S+:\d+: DocTestFailure)?$/m.exec(details)
  return mismatch ? `Expected:\n${mismatch[1]}\nGot:\n${mismatch[2]}` : undefined
}
