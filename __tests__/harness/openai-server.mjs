// A loopback stand-in for an OpenAI-compatible endpoint (chat completions), scripted per request.
// Plain JS on node:http so the lead's end-to-end tests and `npm run demo` can use it as is.
import { createServer } from 'node:http'
import * as os from 'node:os'

/**
 * Starts the stand-in on 127.0.0.1, at options.port (default 0: a free port).
 *
 * options.script: an array of steps, one per request to /v1/chat/completions (after the end the last step
 *   repeats), or a function (request, index) => step (may return a promise). Steps:
 *   { content, usage?, finishReason? }  a normal completion; usage defaults to rough counts of the text,
 *                                       `usage: null` leaves it out as some local servers do
 *   { status, body?, headers? }         that HTTP status with that JSON body
 *   { hangMs }                          no answer for that long (or until close), then the connection drops
 *   { stallBodyMs }                     200 and the first bytes of the body, then nothing for that long, then a drop
 * options.apiKey: when set, requests without `Authorization: Bearer <apiKey>` get a 401 as OpenAI answers it.
 * options.models: model ids listed by GET /v1/models (default ['stand-in-model']).
 * options.honourN: a request with `n` > 1 gets that many choices, one script step each (in order); by default
 *   `n` is ignored and one choice comes back, as many OpenAI-compatible servers do.
 *
 * Returns { baseUrl (ends with /v1), requests, close() }; requests holds { method, path, headers, body }.
 */
export async function startOpenAIServer(options = {}) {
  const script = options.script ?? [{ content: 'OK' }]
  const requests = []
  const promptProblems = []
  const hanging = new Set()
  let completions = 0

  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', chunk => chunks.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body = text
      try {
        body = text === '' ? undefined : JSON.parse(text)
      } catch {
        // keep the raw text: a test may send something that is not JSON
      }
      const path = (req.url ?? '/').split('?')[0]
      const request = { method: req.method, path, headers: req.headers, body }
      requests.push(request)
      promptProblems.push(...auditPrompt(body))
      answer(request, res).catch(error => sendJson(res, 500, openAIError(String(error), 'server_error')))
    })
  })

  async function answer(request, res) {
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      const given = String(request.headers.authorization ?? '').replace(/^Bearer /, '')
      const message = `Incorrect API key provided: ${maskKey(given)}. You can find your API key at https://platform.openai.com/account/api-keys.`
      sendJson(res, 401, { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } })
      return
    }
    if (request.method === 'GET' && request.path === '/v1/models') {
      const ids = options.models ?? ['stand-in-model']
      sendJson(res, 200, { object: 'list', data: ids.map(id => ({ id, object: 'model', created: 0, owned_by: 'stand-in' })) })
      return
    }
    if (request.method !== 'POST' || request.path !== '/v1/chat/completions') {
      const message = `Invalid URL (${request.method} ${request.path})`
      sendJson(res, 404, openAIError(message, 'invalid_request_error'))
      return
    }
    const stepAt = async index => (typeof script === 'function' ? await script(request, index) : script[Math.min(index, script.length - 1)])
    const step = await stepAt(completions++)
    const n = Number(request.body?.n ?? 1)
    if (options.honourN === true && Number.isInteger(n) && n > 1 && step?.content !== undefined) {
      const more = []
      for (let choice = 1; choice < n; choice++) more.push((await stepAt(completions++))?.content ?? '')
      await perform({ ...step, moreContents: more }, request, res)
      return
    }
    await perform(step ?? { content: '' }, request, res)
  }

  async function perform(step, request, res) {
    if (step.hangMs !== undefined || step.stallBodyMs !== undefined) {
      hanging.add(res)
      if (step.stallBodyMs !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"id":"chatcmpl-stalled","object":"chat.completion","choices":[')
      }
      await new Promise(resolve => {
        const timer = setTimeout(resolve, step.hangMs ?? step.stallBodyMs)
        res.on('close', () => {
          clearTimeout(timer)
          resolve()
        })
      })
      hanging.delete(res)
      res.destroy()
      return
    }
    if (step.status !== undefined) {
      sendJson(res, step.status, step.body ?? openAIError(`stand-in status ${step.status}`, 'server_error'), step.headers)
      return
    }
    const content = step.content ?? ''
    const contents = [content, ...(step.moreContents ?? [])]
    const messages = Array.isArray(request.body?.messages) ? request.body.messages : []
    const usage =
      step.usage === null
        ? undefined
        : (step.usage ?? {
            prompt_tokens: roughTokens(messages.map(message => String(message.content ?? '')).join('\n')),
            completion_tokens: contents.reduce((total, text) => total + roughTokens(text), 0)
          })
    sendJson(
      res,
      200,
      {
        id: `chatcmpl-standin-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.body?.model ?? 'stand-in-model',
        choices: contents.map((text, index) => ({
          index,
          message: { role: 'assistant', content: text, refusal: null },
          logprobs: null,
          finish_reason: step.finishReason ?? 'stop'
        })),
        ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {})
      },
      step.headers
    )
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', resolve)
  })
  const { port } = server.address()

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    /** what no prompt may hold, found in the prompts so far: a temp-dir absolute path, an ANSI escape, an address */
    promptProblems,
    async close() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise(resolve => server.close(() => resolve()))
      if (promptProblems.length > 0 && options.auditPrompts !== false) {
        throw new Error(`The model was sent what a prompt must never hold:\n${[...new Set(promptProblems)].slice(0, 10).join('\n')}`)
      }
    }
  }
}

const TEMP = os.tmpdir().replace(/\/+$/, '')

/**
 * Every prompt of every test is checked for what normalization must remove: the test workspaces live under the
 * temp dir, so its absolute path in a prompt is a runner path that leaked; ANSI escapes; object addresses.
 */
function auditPrompt(body) {
  const messages = body && typeof body === 'object' && Array.isArray(body.messages) ? body.messages : []
  const problems = []
  const textOf = message => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? ''))
  // the model's own earlier answers are as it wrote them, and feedback may quote a path it wrote
  const answers = messages.filter(message => message.role === 'assistant').map(textOf)
  for (const message of messages) {
    if (message.role === 'assistant') continue
    const text = textOf(message)
    const at = (index, length) => JSON.stringify(text.slice(Math.max(0, index - 40), index + length + 40))
    for (const found of text.matchAll(new RegExp(`${TEMP.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[^\\s'"\`]*`, 'g'))) {
      if (!answers.some(answer => answer.includes(found[0])))
        problems.push(`an absolute path under ${TEMP}: ${at(found.index, found[0].length)}`)
    }
    const ansiAt = text.indexOf('\u001b[')
    if (ansiAt >= 0) problems.push(`an ANSI escape: ${at(ansiAt, 4)}`)
    // an object repr (`at 0x7f...`) or an address-sized lowercase hex; a constant in code such as 0xFFFFFFFF is no address
    const address = /\bat 0x[0-9a-fA-F]{6,}\b|\b0x[0-9a-f]{9,16}\b/.exec(text)
    if (address) problems.push(`an object address: ${at(address.index, address[0].length)}`)
  }
  return problems
}

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

function openAIError(message, type) {
  return { error: { message, type, param: null, code: null } }
}

/** About four characters a token, as OpenAI's rule of thumb; enough for a stand-in. */
function roughTokens(text) {
  return Math.max(1, Math.ceil(text.length / 4))
}

/** As OpenAI echoes a wrong key: the start and the last four characters. */
function maskKey(key) {
  if (key.length <= 8) return '*'.repeat(key.length)
  return `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`
}
