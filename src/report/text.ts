// How an error reads in one line, wherever the action tells it: the log, the annotations, the summary, the PR.

/** "AssertionError: x", not "AssertionError: AssertionError: x"; the type alone for an empty message. */
export function withType(errorType: string, message: string): string {
  if (message === '') return errorType
  return message.startsWith(errorType) ? message : `${errorType}: ${message}`
}

/** The first non-empty line, cut at `max` characters. */
export function firstLine(text: string, max = 200): string {
  const line = text.split('\n').find(item => item.trim() !== '') ?? ''
  return line.length > max ? `${line.slice(0, max)}…` : line
}
