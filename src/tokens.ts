// Token counts with a real tokenizer, for the prompt budget and max-tokens-total alike.
import type { ChatMessage } from './domain.js'

// Code and test output may carry text like <|endoftext|>; count it as plain text instead of throwing.
const plainText = { disallowedSpecial: new Set<string>() }

type Counter = (text: string, options: typeof plainText) => number
let counter: Counter | undefined

/** Loads the tokenizer's tables (about 150 ms) once, before the first count: a run that asks no model never pays it. */
export async function loadTokenizer(): Promise<void> {
  counter ??= (await import('gpt-tokenizer/encoding/o200k_base')).countTokens
}

/** Loads the tokenizer and runs it once, in the background (while a test run waits): never throws. */
export async function prefetchTokenizer(): Promise<void> {
  try {
    await loadTokenizer()
    countTokens('def warm_up(): pass')
  } catch {
    // the first prompt loads it again and says what went wrong
  }
}

/** Real tokenizer count (o200k_base, the encoding of GPT-4o, GPT-4.1, GPT-5 and the o-series; close for others). */
export function countTokens(text: string): number {
  if (text === '') return 0
  if (counter === undefined) throw new Error('The tokenizer is not loaded: await loadTokenizer() before counting tokens.')
  return counter(text, plainText)
}

/** Tokens of a chat request as OpenAI counts them: 3 per message, its role and content, 3 to prime the reply. */
export function countMessageTokens(messages: ChatMessage[]): number {
  let total = 3
  for (const message of messages) total += 3 + countTokens(message.role) + countTokens(message.content)
  return total
}
