// Token counts with a real tokenizer, for the prompt budget and max-tokens-total alike.
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base'
import type { ChatMessage } from './domain.js'

// Code and test output may carry text like <|endoftext|>; count it as plain text instead of throwing.
const plainText = { disallowedSpecial: new Set<string>() }

/** Real tokenizer count (o200k_base, the encoding of GPT-4o, GPT-4.1, GPT-5 and the o-series; close for others). */
export function countTokens(text: string): number {
  return text === '' ? 0 : countO200k(text, plainText)
}

/** Tokens of a chat request as OpenAI counts them: 3 per message, its role and content, 3 to prime the reply. */
export function countMessageTokens(messages: ChatMessage[]): number {
  let total = 3
  for (const message of messages) total += 3 + countTokens(message.role) + countTokens(message.content)
  return total
}
