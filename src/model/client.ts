// The model behind any OpenAI-compatible endpoint: cache first, then the budget, then the call.
import OpenAI, { APIConnectionTimeoutError } from 'openai'
import type { ChatMessage, CompleteOptions, Logger, ModelAnswer, ModelClient } from '../domain.js'
import type { TokenBudget } from './budget.js'
import { explainEndpointError, limitRefusal, rejectsTemperature } from './endpoint-errors.js'
import type { ResponseCache } from './response-cache.js'
import { MAX_RETRY_WAIT_MS, boundRetries, sameRealmErrors } from './sdk-fetch.js'
import { countMessageTokens as countChatTokens, countTokens as countTextTokens, loadTokenizer } from '../tokens.js'

export interface LlmStats {
  /** calls answered by the endpoint */
  calls: number
  /** calls answered from the response cache (no HTTP request) */
  cachedCalls: number
  promptTokens: number
  completionTokens: number
  /** time spent waiting for the endpoint, retries included */
  durationMs: number
  /** the same, for each call the endpoint answered */
  callsMs?: number[]
}

export interface ModelClientOptions {
  baseUrl: string
  apiKey: string
  model: string
  budget: TokenBudget
  cache?: ResponseCache
  log: Logger
  /** per request, default 120_000 */
  timeoutMs?: number
  /** default 4 */
  maxRetries?: number
  /** default: gpt-tokenizer count */
  estimateTokens?: (messages: ChatMessage[]) => number
}

/** The longest answer asked for when the budget leaves more: above most models' own output limits it is refused. */
const DEFAULT_OUTPUT_CEILING = 16_384

interface Reply {
  content: string
  promptTokens?: number
  completionTokens?: number
  temperature: number | null
}

export function createModelClient(options: ModelClientOptions): ModelClient & { stats(): LlmStats } {
  const { baseUrl, apiKey, model, budget, cache, log } = options
  const timeoutMs = options.timeoutMs ?? 120_000
  const maxRetries = options.maxRetries ?? 4
  const estimateTokens = options.estimateTokens ?? countChatTokens
  const redact = redactorOf(apiKey)
  const safeLog: Logger = {
    info: message => log.info(redact(message)),
    warning: message => log.warning(redact(message)),
    debug: message => log.debug(redact(message))
  }
  const openai = new OpenAI({
    apiKey,
    baseURL: baseUrl,
    timeout: Math.max(1, Math.round(timeoutMs)),
    maxRetries,
    fetch: boundRetries(sameRealmErrors(fetch)),
    logLevel: 'info',
    logger: sdkLogger(safeLog)
  })
  const stats: LlmStats = { calls: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 }
  let temperatureRejected = false
  /** how the answer's length is capped: newer OpenAI models take only max_completion_tokens */
  let limitParam: 'max_tokens' | 'max_completion_tokens' = 'max_tokens'
  /** the model's own output limit, once it names one */
  let outputCeiling = DEFAULT_OUTPUT_CEILING

  function noteTemperatureRejected(): void {
    if (temperatureRejected) return
    temperatureRejected = true
    safeLog.warning(`Model ${model} does not accept temperature; attempts vary by feedback only.`)
  }

  async function ask(messages: ChatMessage[], temperature: number | null, limit: number): Promise<Reply> {
    // The SDK's timeout ends once headers arrive; a body that stalls after them is cut by this deadline.
    const deadline = AbortSignal.timeout(timeoutMs * (maxRetries + 1) + MAX_RETRY_WAIT_MS * maxRetries)
    let completion: OpenAI.Chat.Completions.ChatCompletion
    try {
      completion = await openai.chat.completions.create(
        {
          model,
          messages: messages.map(({ role, content }) => ({ role, content })),
          ...(temperature === null ? {} : { temperature }),
          [limitParam]: Math.min(limit, outputCeiling)
        },
        { signal: deadline }
      )
    } catch (error) {
      throw deadline.aborted ? new APIConnectionTimeoutError() : error
    }
    // Some servers answer 200 with no choices, or with content null (a refusal, or only reasoning).
    const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined
    const content = typeof choice?.message?.content === 'string' ? choice.message.content : ''
    if (choice?.finish_reason === 'length') {
      safeLog.warning(`The answer of model ${model} was cut off at its output limit; it may be incomplete.`)
    }
    if (content === '') safeLog.debug(`Model ${model} answered with no content (finish reason: ${choice?.finish_reason ?? 'none'}).`)
    return {
      content,
      promptTokens: completion.usage?.prompt_tokens,
      completionTokens: completion.usage?.completion_tokens,
      temperature
    }
  }

  /** Asks with temperature unless the model is known to reject it; learns that from its first refusal. */
  async function askAnyModel(messages: ChatMessage[], temperature: number, limit: number): Promise<Reply> {
    if (temperatureRejected) return askWithinLimit(messages, null, limit)
    try {
      return await askWithinLimit(messages, temperature, limit)
    } catch (error) {
      if (!rejectsTemperature(error)) throw error
      safeLog.debug(`Model ${model} refused temperature ${temperature}; asking again without it.`)
    }
    const reply = await askWithinLimit(messages, null, limit)
    noteTemperatureRejected()
    return reply
  }

  /** Learns from a refusal how this model caps its answer (the parameter's name, its own maximum), once each. */
  async function askWithinLimit(messages: ChatMessage[], temperature: number | null, limit: number): Promise<Reply> {
    for (let tries = 0; ; tries++) {
      try {
        return await ask(messages, temperature, limit)
      } catch (error) {
        const refusal = tries < 2 ? limitRefusal(error) : undefined
        if (refusal === undefined) throw error
        if (refusal === 'max_completion_tokens' && limitParam !== 'max_completion_tokens') {
          limitParam = 'max_completion_tokens'
          safeLog.debug(`Model ${model} takes max_completion_tokens, not max_tokens; asking again.`)
        } else if (typeof refusal === 'number' && refusal < outputCeiling) {
          outputCeiling = refusal
          safeLog.debug(`Model ${model} answers with at most ${refusal} tokens; asking again with that cap.`)
        } else throw error
      }
    }
  }

  async function complete(messages: ChatMessage[], temperature: number, options: CompleteOptions = {}): Promise<ModelAnswer> {
    // candidate 1 is the answer a run without candidates asks for: the same cache entry
    const keyModel = (options.candidate ?? 1) > 1 ? `${model}\u0000candidate ${options.candidate}` : model
    const key = cache?.keyFor(baseUrl, keyModel, options.keyMessages ?? messages, temperature)
    const hit = key === undefined || options.fresh === true ? undefined : cache?.get(key)
    if (hit) {
      // A rejected answer costs no call and no tokens; the caller turns it into history.
      if (hit.rejectedBefore !== undefined) {
        safeLog.debug(`The cached answer for this prompt was rejected in an earlier run (${key}); it goes to the model as history.`)
        return hit
      }
      stats.cachedCalls++
      if (hit.temperature === null) noteTemperatureRejected()
      safeLog.debug(`Answer for this prompt found in the response cache (${key}).`)
      return { ...hit, cached: true }
    }

    await loadTokenizer()
    const estimate = estimateTokens(messages)
    // max-tokens-total is a hard cap: the answer may use what the prompt leaves, and a call that leaves too
    // little for any answer is not made
    const limit = budget.answerRoom(estimate, options.share)
    const started = Date.now()
    let reply: Reply
    try {
      reply = await askAnyModel(messages, temperature, limit)
    } catch (error) {
      throw explainEndpointError(error, { baseUrl, model, timeoutMs, maxRetries, redact })
    } finally {
      stats.durationMs += Date.now() - started
    }
    stats.callsMs = [...(stats.callsMs ?? []), Date.now() - started]

    // Endpoints that omit usage (some local servers) get counted here instead.
    const promptTokens = isCount(reply.promptTokens) && reply.promptTokens > 0 ? reply.promptTokens : estimate
    const completionTokens = isCount(reply.completionTokens) ? reply.completionTokens : countTextTokens(reply.content)
    budget.record(promptTokens, completionTokens)
    stats.calls++
    stats.promptTokens += promptTokens
    stats.completionTokens += completionTokens
    safeLog.debug(`Model ${model}: ${promptTokens} prompt + ${completionTokens} completion tokens, ${budget.used} used in this run.`)

    const answer: ModelAnswer = {
      content: reply.content,
      promptTokens,
      completionTokens,
      cached: false,
      temperature: reply.temperature,
      ...(key !== undefined ? { cacheKey: key } : {})
    }
    if (key !== undefined && cache && answer.content !== '') {
      try {
        cache.put(key, answer)
      } catch (error) {
        safeLog.warning(`Could not store the model answer in the response cache: ${(error as Error).message}`)
      }
    }
    return answer
  }

  function rejected(answer: ModelAnswer, reason: string): void {
    if (cache === undefined || answer.cacheKey === undefined) return
    try {
      cache.markRejected(answer.cacheKey, reason)
    } catch (error) {
      safeLog.warning(`Could not mark a rejected answer in the response cache: ${(error as Error).message}`)
    }
  }

  return { complete, rejected, stats: () => ({ ...stats }) }
}

/** The SDK's own log lines: retries and failures shown, the rest kept for debug. */
function sdkLogger(log: Logger): NonNullable<ConstructorParameters<typeof OpenAI>[0]>['logger'] {
  const text = (message: string): string => `Model endpoint: ${message.replace(/^\[log_[0-9a-f]+[^\]]*\]\s*/, '')}`
  return {
    error: message => log.warning(text(message)),
    warn: message => log.warning(text(message)),
    info: message => (/retrying|no more retries/.test(message) ? log.info(text(message)) : log.debug(text(message))),
    debug: message => log.debug(text(message))
  }
}

/** Removes the API key from a text, should an endpoint echo it back. Short placeholders are no secret. */
function redactorOf(apiKey: string): (text: string) => string {
  if (apiKey.length < 8) return text => text
  return text => text.split(apiKey).join('***')
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
}
