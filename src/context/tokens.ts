// Cutting text to a token budget; the counting itself is shared with the model client (src/tokens.ts).
import { countMessageTokens, countTokens, loadTokenizer } from '../tokens.js'

export { countMessageTokens, countTokens, loadTokenizer }

/**
 * Cuts text to at most maxTokens by dropping whole lines, marking the cut.
 * 'head' keeps the start (newest first, like git log), 'tail' the end (pytest puts the error last),
 * 'middle' both ends (the call site and the error of a long traceback).
 */
export function trimToTokens(text: string, maxTokens: number, keep: 'head' | 'tail' | 'middle'): string {
  if (countTokens(text) <= maxTokens) return text
  const budget = Math.max(0, maxTokens - 12)
  // one huge line (a repr of a large list) must not swallow the whole budget
  const lines = text.split('\n').map(line => (countTokens(line) > budget / 2 ? cutLine(line, Math.floor(budget / 2)) : line))
  const costs = lines.map(line => countTokens(line) + 1)
  let head = 0
  let tail = 0
  let used = 0
  const takeHead = (): boolean => {
    if (head + tail >= lines.length || used + costs[head] > budget) return false
    used += costs[head++]
    return true
  }
  const takeTail = (): boolean => {
    const index = lines.length - 1 - tail
    if (head + tail >= lines.length || used + costs[index] > budget) return false
    used += costs[index]
    tail++
    return true
  }
  if (keep === 'head') while (takeHead());
  else if (keep === 'tail') while (takeTail());
  else {
    // a third for the start, the rest for the end
    while (used < budget / 3 && takeHead());
    while (takeTail());
  }
  const omitted = lines.length - head - tail
  const marker = `[... ${omitted} line${omitted === 1 ? '' : 's'} cut ...]`
  return [...lines.slice(0, head), marker, ...lines.slice(lines.length - tail)].join('\n')
}

function cutLine(line: string, maxTokens: number): string {
  let length = Math.min(line.length, maxTokens * 4)
  while (length > 0 && countTokens(line.slice(0, length)) + 6 > maxTokens) length = Math.floor(length * 0.8)
  return `${line.slice(0, length)} [... cut]`
}
