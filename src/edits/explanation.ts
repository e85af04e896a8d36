// The model's own short account of the root cause, taken from its answer for the reviewer: one or two sentences,
// length-capped, with nothing that could ping a person, open a link or render as HTML in a pull request.

const maxLength = 300

/** The "Root cause: …" line of an answer (or, without one, its short opening prose); '' when it has neither. */
export function explanationOf(answer: string): string {
  const lines = answer.replace(/\r\n?/g, '\n').split('\n')
  const labelled = lines.findIndex(line => /^\s*[*_#>\s-]*root cause[*_\s]*:/i.test(line))
  let text: string
  if (labelled >= 0) {
    text = [lines[labelled].replace(/^\s*[*_#>\s-]*root cause[*_\s]*:[*_\s]*/i, ''), ...proseAfter(lines, labelled + 1)].join(' ')
  } else {
    // before the first edit block, fence or path line: a model that opens with a sentence or two
    const end = lines.findIndex(line => isEditStart(line))
    text = (end < 0 ? [] : lines.slice(0, end)).join(' ')
    if (text.length > 2 * maxLength) return ''
  }
  return clean(text)
}

/** Up to two more lines of the same paragraph. */
function proseAfter(lines: string[], from: number): string[] {
  const more: string[] = []
  for (let index = from; index < lines.length && more.length < 2; index++) {
    if (lines[index].trim() === '' || isEditStart(lines[index])) break
    more.push(lines[index])
  }
  return more
}

function isEditStart(line: string): boolean {
  const trimmed = line.trim()
  return (
    trimmed.startsWith('```') ||
    trimmed.startsWith('<<<<<<<') ||
    trimmed.startsWith('--- ') ||
    trimmed.startsWith('@@') ||
    /^[\w./-]+\.[A-Za-z]{1,5}$/.test(trimmed)
  )
}

function clean(text: string): string {
  let value = text
    .replace(/<[^>]*>/g, '') // HTML tags
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // markdown links and images: their text only
    .replace(/https?:\/\/\S+/g, '(link removed)')
    .replace(/[*_~]{1,3}([^*_~]+)[*_~]{1,3}/g, '$1') // emphasis
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200b') // no @mentions
    .replace(/[<>]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  if (value.length > maxLength) {
    const cut = value.slice(0, maxLength)
    const space = cut.lastIndexOf(' ')
    value = `${(space > maxLength / 2 ? cut.slice(0, space) : cut).replace(/[,;:.]$/, '')}…`
  }
  return value
}
