// The fetch the openai SDK is given. The SDK retries 408/409/429/5xx, timeouts and dropped connections,
// honouring Retry-After; this adjusts the two places where it would go wrong for us.

/** The fetch shape the openai SDK takes (its `fetch` option). */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/** Longest Retry-After worth waiting for: beyond it the job would sit idle for little chance of success. */
export const MAX_RETRY_WAIT_MS = 60_000

/** Wraps `fetch` so the SDK stops retrying when waiting cannot help inside a CI job: a Retry-After beyond what
 *  a job should sleep, or an exhausted quota. It tells the SDK so by the header it obeys, `x-should-retry`. */
export function boundRetries(base: Fetch, maxWaitMs: number = MAX_RETRY_WAIT_MS): Fetch {
  return async (input, init) => {
    const response = await base(input, init)
    if (response.status !== 429 && response.status < 500) return response
    const waitMs = retryAfterMs(response.headers)
    const tooLong = waitMs !== undefined && waitMs > maxWaitMs
    if (!tooLong && !(response.status === 429 && (await isQuotaExhausted(response)))) return response
    const headers = new Headers(response.headers)
    headers.set('x-should-retry', 'false')
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}

/** The wait the endpoint asks for, as the SDK reads it: retry-after-ms, else Retry-After in seconds or a date. */
export function retryAfterMs(headers: Headers): number | undefined {
  const millis = parseFloat(headers.get('retry-after-ms') ?? '')
  if (!Number.isNaN(millis)) return millis
  const value = headers.get('retry-after')
  if (value === null) return undefined
  const seconds = parseFloat(value)
  if (!Number.isNaN(seconds)) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : date - Date.now()
}

/** OpenAI answers 429 `insufficient_quota` when the account has no credit: no retry will change that. */
async function isQuotaExhausted(response: Response): Promise<boolean> {
  try {
    return (await response.clone().text()).includes('insufficient_quota')
  } catch {
    return false
  }
}

/** Wraps `fetch` so its errors are Errors of this realm. The SDK tells a timeout (an AbortError) from other
 *  failures only for `instanceof Error`; a fetch from another realm (a vm sandbox, a test runner) fails that. */
export function sameRealmErrors(base: Fetch): Fetch {
  return async (input, init) => {
    try {
      return await base(input, init)
    } catch (error) {
      if (error instanceof Error || typeof error !== 'object' || error === null) throw error
      const { name, message, cause } = error as { name?: unknown; message?: unknown; cause?: unknown }
      const local = new Error(String(message ?? ''), { cause })
      if (typeof name === 'string') local.name = name
      throw local
    }
  }
}
