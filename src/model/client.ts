// The model behind any OpenAI-compatible endpoint: cache first, then the budget, then the call.
import OpenAI, { APIConnectionTimeoutError } from 'openai'
import type { CandidateResult, ChatMessage, CompleteOptions, Logger, ModelAnswer, ModelClient } from '../domain.js'
import type { TokenBudget } from './budget.js'
import { explainEndpointError, limitRefusal, refusesN, rejectsTemperature } from './endpoint-errors.js'
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
  /** every choice's content, `content` first: more than one when `n` was asked and honoured */
  contents: string[]
  promptTokens?: number
  completionTokens?: number
  temperature: number | null
}

export function createModelClient(
  options: ModelClientOptions
): ModelClient & Required<Pick<ModelClient, 'completeCandidates'>> & { stats(): LlmStats } {
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

  async function ask(messages: ChatMessage[], temperature: number | null, limit: number, n = 1): Promise<Reply> {
    // The SDK's timeout ends once headers arrive; a body that stalls after them is cut by this deadline.
    const deadline = AbortSignal.timeout(timeoutMs * (maxRetries + 1) + MAX_RETRY_WAIT_MS * maxRetries)
    let completion: OpenAI.Chat.Completions.ChatCompletion
    try {
      completion = await openai.chat.completions.create(
        {
          model,
          messages: messages.map(({ role, content }) => ({ role, content })),
          ...(temperature === null ? {} : { temperature }),
          ...(n > 1 ? { n } : {}),
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
    const others = (Array.isArray(completion.choices) ? completion.choices.slice(1, n) : [])
      .map(other => (typeof other?.message?.content === 'string' ? other.message.content : ''))
      .filter(text => text !== '')
    return {
      content,
      contents: [content, ...others],
      promptTokens: completion.usage?.prompt_tokens,
      completionTokens: completion.usage?.completion_tokens,
      temperature
    }
  }

  /** Asks with temperature unless the model is known to reject it; learns that from its first refusal. */
  async function askAnyModel(messages: ChatMessage[], temperature: number, limit: number, n = 1): Promise<Reply> {
    if (temperatureRejected) return askWithinLimit(messages, null, limit, n)
    try {
      return await askWithinLimit(messages, temperature, limit, n)
    } catch (error) {
      if (!rejectsTemperature(error)) throw error
      safeLog.debug(`Model ${model} refused temperature ${temperature}; asking again without it.`)
    }
    const reply = await askWithinLimit(messages, null, limit, n)
    noteTemperatureRejected()
    return reply
  }

  /** Learns from a refusal how this model caps its answer (the parameter's name, its own maximum), once each. */
  async function askWithinLimit(messages: ChatMessage[], temperature: number | null, limit: number, n = 1): Promise<Reply> {
    for (let tries = 0; ; tries++) {
      try {
        return await ask(messages, temperature, limit, n)
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

  /** candidate 1 is the answer a run without candidates asks for: the same cache entry */
  function keyOf(messages: ChatMessage[], temperature: number, options: CompleteOptions): string | undefined {
    const keyModel = (options.candidate ?? 1) > 1 ? `${model}\u0000candidate ${options.candidate}` : model
    return cache?.keyFor(baseUrl, keyModel, options.keyMessages ?? messages, temperature)
  }

  function cachedAnswer(key: string | undefined, options: CompleteOptions): ModelAnswer | undefined {
    const hit = key === undefined || options.fresh === true ? undefined : cache?.get(key)
    if (!hit) return undefined
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

  function keep(key: string | undefined, answer: ModelAnswer): ModelAnswer {
    if (key === undefined) return answer
    const kept = { ...answer, cacheKey: key }
    if (cache && answer.content !== '') {
      try {
        cache.put(key, kept)
      } catch (error) {
        safeLog.warning(`Could not store the model answer in the response cache: ${(error as Error).message}`)
      }
    }
    return kept
  }

  /** One request to the endpoint, timed and counted against the budget; `n` > 1 asks for that many choices. Its
   *  errors are the SDK's: the callers explain them. */
  async function call(
    messages: ChatMessage[],
    temperature: number,
    estimate: number,
    limit: number,
    n: number
  ): Promise<Reply & { promptTokens: number; completionTokens: number }> {
    const started = Date.now()
    let reply: Reply
    try {
      reply = await askAnyModel(messages, temperature, limit, n)
    } finally {
      stats.durationMs += Date.now() - started
    }
    stats.callsMs = [...(stats.callsMs ?? []), Date.now() - started]
    // Endpoints that omit usage (some local servers) get counted here instead.
    const promptTokens = isCount(reply.promptTokens) && reply.promptTokens > 0 ? reply.promptTokens : estimate
    const completionTokens = isCount(reply.completionTokens)
      ? reply.completionTokens
      : reply.contents.reduce((total, text) => total + countTextTokens(text), 0)
    budget.record(promptTokens, completionTokens)
    stats.calls++
    stats.promptTokens += promptTokens
    stats.completionTokens += completionTokens
    safeLog.debug(`Model ${model}: ${promptTokens} prompt + ${completionTokens} completion tokens, ${budget.used} used in this run.`)
    return { ...reply, promptTokens, completionTokens }
  }

  function explainedError(error: unknown): unknown {
    return explainEndpointError(error, { baseUrl, model, timeoutMs, maxRetries, redact })
  }

  /** whether the endpoint answers `n` with that many choices: unknown until asked once */
  let honoursN: boolean | undefined

  /**
   * `count` answers to one prompt: from the cache where it has them, the rest in one request with `n` where the
   * endpoint honours it, else (or for what it did not give) in parallel calls. Each answer is its own cache entry.
   */
  async function completeCandidates(
    messages: ChatMessage[],
    temperature: number,
    count: number,
    options: CompleteOptions = {}
  ): Promise<CandidateResult[]> {
    const results: CandidateResult[] = []
    const missing: number[] = []
    for (let candidate = 1; candidate <= count; candidate++) {
      const hit = cachedAnswer(keyOf(messages, temperature, { ...options, candidate }), options)
      if (hit !== undefined) results[candidate - 1] = { answer: hit }
      else missing.push(candidate)
    }
    let rest = missing
    if (missing.length > 1 && honoursN !== false) {
      try {
        await loadTokenizer()
        const estimate = estimateTokens(messages)
        const reply = await call(messages, temperature, estimate, budget.answerRoomEach(estimate, missing.length), missing.length)
        honoursN = reply.contents.length >= missing.length
        if (!honoursN)
          safeLog.info(
            `The endpoint gave ${reply.contents.length} answer(s) for n=${missing.length}; the other candidates are asked in parallel calls`
          )
        reply.contents.slice(0, missing.length).forEach((content, index) => {
          const candidate = missing[index]
          const key = keyOf(messages, temperature, { ...options, candidate })
          const answer: ModelAnswer = {
            content,
            // the prompt was sent once: the first answer carries it
            promptTokens: index === 0 ? reply.promptTokens : 0,
            completionTokens: reply.contents.length === 1 ? reply.completionTokens : countTextTokens(content),
            cached: false,
            temperature: reply.temperature,
            sameRequest: reply.contents.length > 1
          }
          results[candidate - 1] = { answer: keep(key, answer) }
        })
        rest = missing.slice(reply.contents.length)
      } catch (error) {
        if (!refusesN(error)) {
          const explained = explainedError(error)
          for (const candidate of missing) results[candidate - 1] = { error: explained }
          return results
        }
        honoursN = false
        safeLog.info('The endpoint refused n; the candidates are asked in parallel calls')
      }
    }
    const asked = await Promise.all(
      rest.map(async candidate => {
        try {
          return { answer: await complete(messages, temperature, { ...options, candidate, share: rest.length }) }
        } catch (error) {
          return { error }
        }
      })
    )
    rest.forEach((candidate, index) => (results[candidate - 1] = asked[index]))
    return results
  }

  async function complete(messages: ChatMessage[], temperature: number, options: CompleteOptions = {}): Promise<ModelAnswer> {
    const key = keyOf(messages, temperature, options)
    const hit = cachedAnswer(key, options)
    if (hit !== undefined) return hit

    await loadTokenizer()
    const estimate = estimateTokens(messages)
    // max-tokens-total is a hard cap: the answer may use what the prompt leaves, and a call that leaves too
    // little for any answer is not made
    const limit = budget.answerRoom(estimate, options.share)
    let reply: Awaited<ReturnType<typeof call>>
    try {
      reply = await call(messages, temperature, estimate, limit, 1)
    } catch (error) {
      throw explainedError(error)
    }
    return keep(key, {
      content: reply.content,
      promptTokens: reply.promptTokens,
      completionTokens: reply.completionTokens,
      cached: false,
      temperature: reply.temperature
    })
  }

  function rejected(answer: ModelAnswer, reason: string): void {
    if (cache === undefined || answer.cacheKey === undefined) return
    try {
      cache.markRejected(answer.cacheKey, reason)
    } catch (error) {
      safeLog.warning(`Could not mark a rejected answer in the response cache: ${(error as Error).message}`)
    }
  }

  return { complete, completeCandidates, rejected, stats: () => ({ ...stats }) }
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
