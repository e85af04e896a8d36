import { afterEach, describe, expect, it, beforeAll } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChatMessage } from '../../src/domain.js'
import { UserError } from '../../src/domain.js'
import { BudgetExceededError, TokenBudget } from '../../src/model/budget.js'
import { createModelClient, type ModelClientOptions } from '../../src/model/client.js'
import { ModelEndpointError } from '../../src/model/endpoint-errors.js'
import { ResponseCache } from '../../src/model/response-cache.js'
import { countMessageTokens as countChatTokens, loadTokenizer } from '../../src/tokens.js'
import { startOpenAIServer, type OpenAIServer, type OpenAIServerOptions } from '../harness/openai-server.mjs'
import { recordingLog, type RecordingLog } from './recording-log.js'

// counting needs the tokenizer's tables, loaded on first use
beforeAll(() => loadTokenizer())

const API_KEY = 'sk-test-0123456789abcdefSECRET'
const messages: ChatMessage[] = [
  { role: 'system', content: 'You fix failing pytest tests with SEARCH/REPLACE blocks.' },
  { role: 'user', content: 'tests/test_calc.py::test_add failed:\nE   assert add(1, 2) == 3\nE   +  where 4 = add(1, 2)' }
]
const EDIT = 'src/calc.py\n<<<<<<< SEARCH\n    return a + b + 1\n=======\n    return a + b\n>>>>>>> REPLACE\n'

const servers: OpenAIServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
})

async function serve(options: OpenAIServerOptions): Promise<OpenAIServer> {
  const server = await startOpenAIServer(options)
  servers.push(server)
  return server
}

function clientFor(
  baseUrl: string,
  overrides: Partial<ModelClientOptions> = {}
): ReturnType<typeof createModelClient> & { log: RecordingLog; budget: TokenBudget } {
  const log = recordingLog()
  const budget = overrides.budget ?? new TokenBudget(200_000)
  const client = createModelClient({ baseUrl, apiKey: API_KEY, model: 'gpt-4.1-mini', budget, log, maxRetries: 1, ...overrides })
  return Object.assign(client, { log, budget })
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the call to fail')
}

/** A port with nothing listening: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise(resolve => probe.close(resolve))
  return port
}

describe('asking the model', () => {
  it('posts model, messages and temperature with the key, and returns the answer with its usage', async () => {
    const server = await serve({ script: [{ content: EDIT, usage: { prompt_tokens: 150, completion_tokens: 30 } }] })
    const client = clientFor(server.baseUrl)
    const answer = await client.complete(messages, 0.4)
    expect(answer).toEqual({ content: EDIT, promptTokens: 150, completionTokens: 30, cached: false, temperature: 0.4 })
    expect(server.requests).toHaveLength(1)
    const [request] = server.requests
    expect(request.path).toBe('/v1/chat/completions')
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`)
    expect(request.body).toMatchObject({ model: 'gpt-4.1-mini', messages, temperature: 0.4 })
    expect(client.budget.used).toBe(180)
    expect(client.stats()).toMatchObject({ calls: 1, cachedCalls: 0, promptTokens: 150, completionTokens: 30 })
  })

  it('counts tokens itself when the endpoint reports no usage', async () => {
    const server = await serve({ script: [{ content: EDIT, usage: null }] })
    const client = clientFor(server.baseUrl)
    const answer = await client.complete(messages, 0.4)
    expect(answer.promptTokens).toBe(countChatTokens(messages))
    expect(answer.completionTokens).toBeGreaterThan(10)
    expect(client.budget.used).toBe(answer.promptTokens + answer.completionTokens)
  })

  it('returns an empty answer as empty content instead of failing', async () => {
    const server = await serve({ script: [{ status: 200, body: { id: 'x', object: 'chat.completion', choices: [] } }, { content: '' }] })
    const client = clientFor(server.baseUrl)
    await expect(client.complete(messages, 0.4)).resolves.toMatchObject({ content: '', cached: false })
    await expect(client.complete(messages, 0.5)).resolves.toMatchObject({ content: '' })
  })
})

describe('retries on rate limits and server errors', () => {
  it('waits as long as Retry-After says after a 429, then returns the answer', async () => {
    const server = await serve({ script: [{ status: 429, headers: { 'retry-after': '1' } }, { content: EDIT }] })
    const client = clientFor(server.baseUrl)
    const started = Date.now()
    const answer = await client.complete(messages, 0.4)
    expect(answer.content).toBe(EDIT)
    expect(server.requests).toHaveLength(2)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
  })

  it('gives up at once when Retry-After asks for longer than a job should wait', async () => {
    const body = { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }
    const server = await serve({ script: [{ status: 429, headers: { 'retry-after': '3600' }, body }] })
    const client = clientFor(server.baseUrl, { maxRetries: 4 })
    const started = Date.now()
    const error = await failureOf(client.complete(messages, 0.4))
    expect(Date.now() - started).toBeLessThan(5000)
    expect(server.requests).toHaveLength(1)
    expect(error).toBeInstanceOf(ModelEndpointError)
    expect(error.message).toContain('3600 s')
    expect(error.message).toContain("'api-key'")
  })

  it('does not retry a 429 for an exhausted quota, and says to add credit', async () => {
    const body = { error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', code: 'insufficient_quota' } }
    const server = await serve({ script: [{ status: 429, body }] })
    const error = await failureOf(clientFor(server.baseUrl, { maxRetries: 4 }).complete(messages, 0.4))
    expect(server.requests).toHaveLength(1)
    expect((error as ModelEndpointError).problem).toBe('quota')
    expect(error.message).toMatch(/no quota left.*'api-key'/)
  })

  it('fails with a clear error after the retries when the endpoint keeps answering 500', async () => {
    const server = await serve({
      script: [{ status: 500, body: { error: { message: 'The server had an error while processing your request.' } } }]
    })
    const client = clientFor(server.baseUrl, { maxRetries: 1 })
    const error = await failureOf(client.complete(messages, 0.4))
    expect(server.requests).toHaveLength(2)
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toContain('failed with 500 (2 tries)')
    expect(error.message).toContain('The server had an error')
    expect(error.message).toContain("'base-url'")
    expect(client.stats().calls).toBe(0)
  })

  it('times out a request that gets no answer, and says how long it waited', async () => {
    const server = await serve({ script: [{ hangMs: 10_000 }] })
    const client = clientFor(server.baseUrl, { timeoutMs: 300, maxRetries: 0 })
    const started = Date.now()
    const error = await failureOf(client.complete(messages, 0.4))
    expect(Date.now() - started).toBeLessThan(5000)
    expect((error as ModelEndpointError).problem).toBe('timeout')
    expect(error.message).toContain('did not answer within 0.3 s')
    expect(error.message).toContain("'base-url'")
  })

  it('times out an answer whose body stops half way', async () => {
    const server = await serve({ script: [{ stallBodyMs: 10_000 }] })
    const client = clientFor(server.baseUrl, { timeoutMs: 300, maxRetries: 0 })
    const started = Date.now()
    const error = await failureOf(client.complete(messages, 0.4))
    expect(Date.now() - started).toBeLessThan(5000)
    expect((error as ModelEndpointError).problem).toBe('timeout')
  })
})

describe('endpoint errors name the input to fix', () => {
  it('401: the key is wrong; says to check api-key', async () => {
    const server = await serve({ apiKey: 'sk-the-right-key-000000000000' })
    const error = await failureOf(clientFor(server.baseUrl).complete(messages, 0.4))
    expect(error).toBeInstanceOf(UserError)
    expect((error as ModelEndpointError).problem).toBe('auth')
    expect(error.message).toContain("'api-key'")
    expect(server.requests).toHaveLength(1)
  })

  it('403: the key may not use the model; says to check api-key and model', async () => {
    const body = {
      error: { message: 'Project does not have access to model gpt-4.1-mini', type: 'invalid_request_error', code: 'model_not_found' }
    }
    const server = await serve({ script: [{ status: 403, body }] })
    const error = await failureOf(clientFor(server.baseUrl).complete(messages, 0.4))
    expect(error.message).toContain("'api-key'")
    expect(error.message).toContain("'model'")
    expect(error.message).toContain('does not have access')
  })

  it('404 for an unknown model: says to check model and base-url', async () => {
    const body = { error: { message: 'The model `gpt-9` does not exist or you do not have access to it.', code: 'model_not_found' } }
    const server = await serve({ script: [{ status: 404, body }] })
    const error = await failureOf(clientFor(server.baseUrl, { model: 'gpt-9' }).complete(messages, 0.4))
    expect((error as ModelEndpointError).problem).toBe('not-found')
    expect(error.message).toContain("'model'")
    expect(error.message).toContain("'base-url'")
    expect(error.message).toContain('/v1')
  })

  it('404 for a base-url without /v1: says the base-url usually ends in /v1', async () => {
    const server = await serve({ script: [{ content: EDIT }] })
    const error = await failureOf(clientFor(server.baseUrl.replace(/\/v1$/, '')).complete(messages, 0.4))
    expect(server.requests[0].path).toBe('/chat/completions')
    expect(error.message).toContain("'base-url'")
    expect(error.message).toContain('ends in /v1')
  })

  it('a refused connection: says base-url cannot be reached', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}/v1`
    const error = await failureOf(clientFor(baseUrl, { maxRetries: 0 }).complete(messages, 0.4))
    expect((error as ModelEndpointError).problem).toBe('unreachable')
    expect(error.message).toContain("Cannot reach the model endpoint at 'base-url'")
    expect(error.message).toContain('ECONNREFUSED')
  })

  it('a prompt longer than the context window: says to pick a model with a larger one', async () => {
    const body = {
      error: { message: "This model's maximum context length is 128000 tokens.", code: 'context_length_exceeded', param: 'messages' }
    }
    const server = await serve({ script: [{ status: 400, body }] })
    const error = await failureOf(clientFor(server.baseUrl).complete(messages, 0.4))
    expect((error as ModelEndpointError).problem).toBe('prompt-too-long')
    expect(error.message).toContain("'model'")
  })
})

describe('models that reject temperature still work', () => {
  const rejection = {
    status: 400,
    body: {
      error: {
        message: "Unsupported value: 'temperature' does not support 0.4 with this model. Only the default (1) value is supported.",
        type: 'invalid_request_error',
        param: 'temperature',
        code: 'unsupported_value'
      }
    }
  }

  it('asks again without temperature, remembers it for later calls and warns once', async () => {
    const server = await serve({
      script: request => (request.body.temperature === undefined ? { content: EDIT } : rejection)
    })
    const client = clientFor(server.baseUrl, { model: 'o3-mini' })
    const first = await client.complete(messages, 0.4)
    expect(first).toMatchObject({ content: EDIT, temperature: null })
    expect(server.requests).toHaveLength(2)
    expect(server.requests[0].body.temperature).toBe(0.4)
    expect('temperature' in server.requests[1].body).toBe(false)

    const second = await client.complete(messages, 0.5)
    expect(second.temperature).toBeNull()
    expect(server.requests).toHaveLength(3)
    expect('temperature' in server.requests[2].body).toBe(false)
    expect(client.log.warnings).toEqual(['Model o3-mini does not accept temperature; attempts vary by feedback only.'])
  })

  it('recognises a refusal that only mentions temperature in its message', async () => {
    const body = { error: { message: 'temperature is not supported with this model', type: 'invalid_request_error' } }
    const server = await serve({ script: request => (request.body.temperature === undefined ? { content: EDIT } : { status: 400, body }) })
    await expect(clientFor(server.baseUrl).complete(messages, 0.4)).resolves.toMatchObject({ content: EDIT, temperature: null })
  })

  it('reports the real error when the request fails without temperature too', async () => {
    const server = await serve({ script: [rejection, { status: 404, body: { error: { message: 'model not found' } } }] })
    const error = await failureOf(clientFor(server.baseUrl).complete(messages, 0.4))
    expect(server.requests).toHaveLength(2)
    expect((error as ModelEndpointError).problem).toBe('not-found')
  })
})

describe('the token budget is checked before the call', () => {
  it('makes no request when the prompt would pass max-tokens-total', async () => {
    const server = await serve({ script: [{ content: EDIT }] })
    const budget = new TokenBudget(1000)
    budget.record(990, 0)
    const error = await failureOf(clientFor(server.baseUrl, { budget }).complete(messages, 0.4))
    expect(error).toBeInstanceOf(BudgetExceededError)
    expect(error.message).toContain("'max-tokens-total'")
    expect(server.requests).toHaveLength(0)
  })

  it('uses the estimate it is given', async () => {
    const server = await serve({ script: [{ content: EDIT }] })
    const client = clientFor(server.baseUrl, { budget: new TokenBudget(5000), estimateTokens: () => 5001 })
    await expect(client.complete(messages, 0.4)).rejects.toBeInstanceOf(BudgetExceededError)
    expect(server.requests).toHaveLength(0)
  })
})

describe('cached answers cost no request and no tokens', () => {
  it('keys answers by the key messages: hints that change between runs (commit ids) do not make a miss; fresh skips the cache', async () => {
    const server = await serve({ script: [{ content: EDIT }, { content: EDIT }] })
    const dir = join(mkdtempSync(join(tmpdir(), 'pytest-fixer-client-')), 'pytest-fixer-llm-cache')
    const question: ChatMessage[] = [{ role: 'user', content: 'Fix the failure.' }]
    const withHint = (commit: string): ChatMessage[] => [{ role: 'user', content: `Fix the failure.\n\nRecent changes: commit ${commit}` }]
    await clientFor(server.baseUrl, { cache: new ResponseCache(dir) }).complete(withHint('1a2b3c4'), 0.4, { keyMessages: question })
    const later = clientFor(server.baseUrl, { cache: new ResponseCache(dir) })
    await expect(later.complete(withHint('9f8e7d6'), 0.4, { keyMessages: question })).resolves.toMatchObject({ cached: true })
    expect(server.requests).toHaveLength(1)
    await expect(later.complete(withHint('9f8e7d6'), 0.4, { keyMessages: question, fresh: true })).resolves.toMatchObject({ cached: false })
    expect(server.requests).toHaveLength(2)
  })

  it('answers a repeated prompt from the cache, also in a later run', async () => {
    const server = await serve({ script: [{ content: EDIT, usage: { prompt_tokens: 100, completion_tokens: 20 } }] })
    const dir = join(mkdtempSync(join(tmpdir(), 'pytest-fixer-client-')), 'pytest-fixer-llm-cache')
    await clientFor(server.baseUrl, { cache: new ResponseCache(dir) }).complete(messages, 0.4)
    expect(server.requests).toHaveLength(1)

    const laterRun = clientFor(server.baseUrl, { cache: new ResponseCache(dir) })
    const answer = await laterRun.complete(messages, 0.4)
    expect(answer).toEqual({
      content: EDIT,
      promptTokens: 100,
      completionTokens: 20,
      cached: true,
      temperature: 0.4,
      cacheKey: expect.any(String)
    })
    expect(server.requests).toHaveLength(1)
    expect(laterRun.budget.used).toBe(0)
    expect(laterRun.stats()).toMatchObject({ calls: 0, cachedCalls: 1 })
  })

  it('does not cache an empty answer, so a later run asks again', async () => {
    const server = await serve({ script: [{ content: '' }, { content: EDIT }] })
    const cache = new ResponseCache(join(mkdtempSync(join(tmpdir(), 'pytest-fixer-client-')), 'c'))
    const client = clientFor(server.baseUrl, { cache })
    await client.complete(messages, 0.4)
    await expect(client.complete(messages, 0.4)).resolves.toMatchObject({ content: EDIT, cached: false })
    expect(cache.size).toBe(1)
  })
})

describe('the api key never shows in errors or logs', () => {
  it('redacts the key even when the endpoint echoes it back', async () => {
    const echo = `Invalid request from key ${API_KEY}`
    const scenarios: OpenAIServerOptions[] = [
      { apiKey: 'sk-another-key-000000000000' },
      { script: [{ status: 400, body: { error: { message: echo } } }] },
      { script: [{ status: 403, body: { error: { message: echo } } }] },
      { script: [{ status: 404, body: { error: { message: echo } } }] },
      { script: [{ status: 500, body: { error: { message: echo } } }] },
      { script: [{ status: 429, body: { error: { message: echo, code: 'insufficient_quota' } } }] }
    ]
    const seen: string[] = []
    for (const scenario of scenarios) {
      const server = await serve(scenario)
      const client = clientFor(server.baseUrl, { maxRetries: 0 })
      const error = await failureOf(client.complete(messages, 0.4))
      seen.push(error.message, String(error.stack), ...client.log.lines)
    }
    expect(seen.filter(text => text.includes(API_KEY))).toEqual([])
    expect(seen.some(text => text.includes('Invalid request from key ***'))).toBe(true)
  })
})

describe('max-tokens-total is a hard cap', () => {
  it('each request caps its answer at what the prompt leaves of the budget', async () => {
    const server = await serve({ script: [{ content: EDIT, usage: { prompt_tokens: 1000, completion_tokens: 500 } }, { content: EDIT }] })
    const budget = new TokenBudget(5000)
    const client = clientFor(server.baseUrl, { budget, estimateTokens: () => 1000 })
    await client.complete(messages, 0.4)
    expect(server.requests[0].body.max_tokens).toBe(4000)
    await client.complete(messages, 0.4)
    expect(server.requests[1].body.max_tokens).toBe(5000 - 1500 - 1000)
  })

  it('a call that would leave no room for an answer is not made', async () => {
    const server = await serve({ script: [{ content: EDIT }] })
    const client = clientFor(server.baseUrl, { budget: new TokenBudget(1100), estimateTokens: () => 1000 })
    await expect(client.complete(messages, 0.4)).rejects.toThrow(/token budget is spent.*max-tokens-total/s)
    expect(server.requests).toHaveLength(0)
  })

  it('a model that takes max_completion_tokens is asked again with it, and keeps it', async () => {
    const refusal = {
      status: 400,
      body: {
        error: {
          message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
          type: 'invalid_request_error',
          param: 'max_tokens',
          code: 'unsupported_parameter'
        }
      }
    }
    const server = await serve({ script: request => (request.body.max_tokens !== undefined ? refusal : { content: EDIT }) })
    const client = clientFor(server.baseUrl, { budget: new TokenBudget(9000), estimateTokens: () => 1000 })
    await expect(client.complete(messages, 0.4)).resolves.toMatchObject({ content: EDIT, temperature: 0.4 })
    await client.complete([{ role: 'user', content: 'another question' }], 0.4)
    expect(server.requests.map(request => [request.body.max_tokens, request.body.max_completion_tokens])).toEqual([
      [8000, undefined],
      [undefined, 8000],
      [undefined, expect.any(Number)]
    ])
  })

  it('a model with a lower output limit is asked again within it (its own number from the refusal)', async () => {
    const tooLarge = {
      status: 400,
      body: {
        error: {
          message: 'max_tokens is too large: 16384. This model supports at most 4096 completion tokens, whereas you provided 16384.',
          type: 'invalid_request_error',
          param: 'max_tokens',
          code: 'invalid_value'
        }
      }
    }
    const server = await serve({ script: request => (request.body.max_tokens > 4096 ? tooLarge : { content: EDIT }) })
    const client = clientFor(server.baseUrl)
    await expect(client.complete(messages, 0.4)).resolves.toMatchObject({ content: EDIT })
    expect(server.requests.map(request => request.body.max_tokens)).toEqual([16384, 4096])
  })
})

describe('several candidates per call', () => {
  const answers = ['one', 'two', 'three'].map(word => ({ content: `${EDIT}# ${word}\n` }))

  it('asks once with n where the endpoint honours it; each answer is its own cache entry, replayed on the next run', async () => {
    const server = await serve({ script: answers, honourN: true })
    const cache = new ResponseCache(mkdtempSync(join(tmpdir(), 'pytest-fixer-n-')))
    const client = clientFor(server.baseUrl, { cache })
    const results = await client.completeCandidates(messages, 0.4, 3)
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0].body.n).toBe(3)
    expect(results.map(result => ('answer' in result ? result.answer.content : 'error'))).toEqual(answers.map(answer => answer.content))
    expect(results.every(result => 'answer' in result && result.answer.sameRequest === true)).toBe(true)
    expect(client.stats().calls).toBe(1)

    const again = clientFor(server.baseUrl, { cache })
    const replayed = await again.completeCandidates(messages, 0.4, 3)
    expect(server.requests).toHaveLength(1)
    expect(replayed.map(result => ('answer' in result ? result.answer.cached : false))).toEqual([true, true, true])
  })

  it('an endpoint that refuses n (400 naming it) gets parallel calls, and is not asked with n again', async () => {
    let plain = 0
    const server = await serve({
      script: request =>
        request.body.n !== undefined
          ? {
              status: 400,
              body: { error: { message: "Unsupported parameter: 'n'", type: 'invalid_request_error', param: 'n', code: null } }
            }
          : answers[plain++ % 3]
    })
    const client = clientFor(server.baseUrl)
    const first = await client.completeCandidates(messages, 0.4, 3)
    expect(first.filter(result => 'answer' in result)).toHaveLength(3)
    expect(server.requests.map(request => request.body.n)).toEqual([3, undefined, undefined, undefined])
    await client.completeCandidates(messages, 0.7, 2)
    expect(server.requests.slice(4).map(request => request.body.n)).toEqual([undefined, undefined])
    expect(client.log.lines.join('\n')).toContain('The endpoint refused n')
  })
})
