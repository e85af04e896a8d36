// Token counts for when the endpoint gives none, and for checking the budget before a call.
import { countTokens } from 'gpt-tokenizer'
import type { ChatMessage } from '../domain.js'

// Code under repair may contain '<|endoftext|>' and the like; count it as text instead of throwing.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() }

/** Tokens in one text (o200k_base, the encoding of current OpenAI models; close enough for others). */
export function countTextTokens(text: string): number {
  return countTokens(text, PLAIN_TEXT)
}

/** Tokens a chat prompt takes: its texts plus the few tokens of framing per message that OpenAI documents. */
export function countChatTokens(messages: ChatMessage[]): number {
  const perMessage = 4
  const replyPriming = 3
  return messages.reduce((total, message) => total + perMessage + countTextTokens(message.content), replyPriming)
}
