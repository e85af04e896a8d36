// Token counts with a real tokenizer, so budgets hold for the models we talk to.
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base'
import type { ChatMessage } from '../domain.js'

// Test output may carry text like <|endoftext|>; count it as plain text instead of throwing.
const plainText = { disallowedSpecial: new Set<string>() }

/** Real tokenizer count (o200k_base, the encoding of GPT-4o, GPT-4.1, GPT-5 and the o-series). */
export function countTokens(text: string): number {
  return text === '' ? 0 : countO200k(text, plainText)
}

/** Tokens of a chat request as OpenAI counts them: 3 per message, its role and content, 3 to prime the reply. */
export function countMessageTokens(messages: ChatMessage[]): number {
  let total = 3
  for (const message of messages) total += 3 + countTokens(message.role) + countTokens(message.content)
  return total
}

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
