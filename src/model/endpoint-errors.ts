// What went wrong at the model endpoint, told to the user: the cause, and the input that fixes it.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai'
import { Inputs } from '../constants.js'
import { UserError } from '../domain.js'
import { retryAfterMs } from './sdk-fetch.js'

/** Which kind of trouble, so the caller can tell "stop the run" (credentials, URL) from "skip this group". */
export type EndpointProblem =
  'auth' | 'access' | 'not-found' | 'prompt-too-long' | 'bad-request' | 'quota' | 'rate-limit' | 'server' | 'timeout' | 'unreachable'

export class ModelEndpointError extends UserError {
  constructor(
    message: string,
    readonly problem: EndpointProblem,
    readonly status?: number
  ) {
    super(message)
    this.name = 'ModelEndpointError'
  }
}

export interface EndpointContext {
  baseUrl: string
  model: string
  timeoutMs: number
  maxRetries: number
  /** removes secrets from a text, should the endpoint echo them */
  redact: (text: string) => string
}

const BASE_URL = `'${Inputs.BaseUrl}'`
const MODEL = `'${Inputs.Model}'`
const API_KEY = `'${Inputs.ApiKey}'`

/** Turns an error of the openai SDK into a ModelEndpointError; anything else is returned as is. */
export function explainEndpointError(error: unknown, context: EndpointContext): unknown {
  const { baseUrl, model, timeoutMs, maxRetries, redact } = context
  const problem = (message: string, kind: EndpointProblem, status?: number): ModelEndpointError =>
    new ModelEndpointError(redact(message), kind, status)
  const tries = `${maxRetries + 1} ${maxRetries === 0 ? 'try' : 'tries'}`
  if (error instanceof APIConnectionTimeoutError) {
    return problem(
      `The model endpoint at ${BASE_URL} (${baseUrl}) did not answer within ${seconds(timeoutMs)} s (${tries}). ` +
        `Check that the endpoint is up and not overloaded; a local server (Ollama, vLLM) may need a smaller model in ${MODEL}.`,
      'timeout'
    )
  }
  if (error instanceof APIConnectionError) {
    return problem(
      `Cannot reach the model endpoint at ${BASE_URL} (${baseUrl}): ${connectionFailure(error)}. Check the URL in ` +
        `${BASE_URL}, and that the endpoint is running and reachable from the runner.`,
      'unreachable'
    )
  }
  if (!(error instanceof APIError) || error.status === undefined) return error
  const status = error.status
  const said = serverMessage(error)
  const code = typeof error.code === 'string' ? error.code : ''
  if (status === 401) {
    // The server's own words are left out: some endpoints echo (part of) the key back.
    return problem(
      `The model endpoint at ${BASE_URL} (${baseUrl}) rejected the API key (401 Unauthorized). Check ${API_KEY}: it ` +
        `must be a valid key for this endpoint, e.g. api-key: \${{ secrets.OPENAI_API_KEY }}, and that secret must be set.`,
      'auth',
      status
    )
  }
  if (status === 403) {
    return problem(
      `The model endpoint refused access to model '${model}' (403: ${said}). Check that the key in ${API_KEY} may ` +
        `use that model, or set ${MODEL} to one it may use.`,
      'access',
      status
    )
  }
  if (status === 404) {
    return problem(
      `The model endpoint answered 404 for model '${model}' at ${baseUrl}/chat/completions (${said}). Check ${MODEL} ` +
        `(a model this endpoint serves) and ${BASE_URL} (for most providers it ends in /v1, e.g. ` +
        `https://api.openai.com/v1 or http://localhost:11434/v1).`,
      'not-found',
      status
    )
  }
  if (status === 429 && code === 'insufficient_quota') {
    return problem(
      `The account behind ${API_KEY} has no quota left at ${baseUrl} (429: ${said}). Add credit to that account, ` +
        `or set ${API_KEY} to a key that has quota.`,
      'quota',
      status
    )
  }
  if (status === 429) {
    const waitMs = error.headers ? retryAfterMs(error.headers) : undefined
    const asked = waitMs !== undefined && waitMs > 0 ? `; it asked to wait ${seconds(waitMs)} s` : ''
    return problem(
      `The model endpoint kept rate-limiting requests (429, ${tries}${asked}): ${said}. Re-run later, or use a key ` +
        `with a higher rate limit in ${API_KEY}.`,
      'rate-limit',
      status
    )
  }
  if (status >= 500) {
    return problem(
      `The model endpoint at ${BASE_URL} (${baseUrl}) failed with ${status} (${tries}): ${said}. The provider may be ` +
        `down: re-run later, or point ${BASE_URL} at another endpoint.`,
      'server',
      status
    )
  }
  if (code === 'context_length_exceeded' || /context.{0,20}length|context window|too many tokens|prompt is too long/i.test(said)) {
    return problem(
      `The prompt is too long for model '${model}' (${status}: ${said}). Set ${MODEL} to a model with a larger ` + `context window.`,
      'prompt-too-long',
      status
    )
  }
  return problem(
    `The model endpoint rejected the request for model '${model}' (${status}: ${said}). Check ${MODEL} and ` +
      `${BASE_URL} (${baseUrl}): the endpoint must speak the OpenAI chat completions API.`,
    'bad-request',
    status
  )
}

/** A model that takes no temperature (OpenAI's reasoning models o1, o3, gpt-5 and their kin) answers like this. */
export function rejectsTemperature(error: unknown): boolean {
  if (!(error instanceof APIError) || (error.status !== 400 && error.status !== 422)) return false
  const param = typeof error.param === 'string' ? error.param : ''
  if (param === 'temperature') return true
  if (/temperature/i.test(serverMessage(error))) return true
  const code = typeof error.code === 'string' ? error.code : ''
  return (code === 'unsupported_value' || code === 'unsupported_parameter') && param === ''
}

/** An endpoint that takes no `n` (several choices per request) says so with a 400 that names it. */
export function refusesN(error: unknown): boolean {
  if (!(error instanceof APIError) || (error.status !== 400 && error.status !== 422)) return false
  return error.param === 'n' || /\bn\b/.test(serverMessage(error))
}

/**
 * A refusal of the answer-length cap: 'max_completion_tokens' when the model wants that parameter instead
 * (OpenAI's reasoning models), or the model's own maximum when the value was too large ("at most 4096").
 */
export function limitRefusal(error: unknown): 'max_completion_tokens' | number | undefined {
  if (!(error instanceof APIError) || (error.status !== 400 && error.status !== 422)) return undefined
  const param = typeof error.param === 'string' ? error.param : ''
  const message = serverMessage(error)
  if (param !== 'max_tokens' && param !== 'max_completion_tokens' && !/max_(completion_)?tokens/.test(message)) return undefined
  if (/max_completion_tokens/.test(message) && /max_tokens/.test(message.replace(/max_completion_tokens/g, '')))
    return 'max_completion_tokens'
  const most = /at most (\d+)|maximum (?:of |is )?(\d+)|<= ?(\d+)/i.exec(message)
  const value = most === null ? NaN : Number(most[1] ?? most[2] ?? most[3])
  return Number.isInteger(value) && value > 0 ? value : undefined
}

/** The endpoint's own explanation, on one line and short: enough to act on, never a page of HTML. */
function serverMessage(error: APIError): string {
  const body: unknown = error.error
  const fromBody =
    typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : ''
  const text = (fromBody || error.message.replace(/^\d{3}\s*/, '')).replace(/\s+/g, ' ').trim()
  if (text === '') return 'no details given'
  return text.length > 300 ? `${text.slice(0, 300)}...` : text
}

/** The system's reason for a failed connection (refused, name not found, TLS), from the error's causes. */
function connectionFailure(error: APIConnectionError): string {
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'host name lookup failed',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    UND_ERR_SOCKET: 'connection closed by the server',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
    SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is not trusted',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate is not trusted',
    CERT_HAS_EXPIRED: 'TLS certificate has expired',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name'
  }
  // Duck-typed: the causes come from fetch, which may belong to another realm than this code's Error.
  let cause: unknown = error.cause
  let innermost = ''
  for (let depth = 0; depth < 5 && typeof cause === 'object' && cause !== null; depth++) {
    const { code, message, cause: next } = cause as { code?: unknown; message?: unknown; cause?: unknown }
    if (typeof code === 'string') return `${reasons[code] ?? code} (${code})`
    if (typeof message === 'string' && message !== '') innermost = message
    cause = next
  }
  return innermost === '' || innermost === 'fetch failed' ? 'connection failed' : `connection failed (${innermost})`
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10)
}
