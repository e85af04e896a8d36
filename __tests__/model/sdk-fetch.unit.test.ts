import { describe, expect, it } from '@jest/globals'
import { boundRetries, retryAfterMs, sameRealmErrors, type Fetch } from '../../src/model/sdk-fetch.js'

const answering =
  (status: number, headers: Record<string, string>, body = '{}'): Fetch =>
  async () =>
    new Response(body, { status, headers })

describe('the SDK retries only where waiting can help', () => {
  it('leaves a short Retry-After to the SDK', async () => {
    const response = await boundRetries(answering(429, { 'retry-after': '2' }), 60_000)('http://x')
    expect(response.headers.get('x-should-retry')).toBeNull()
  })

  it('stops retries when the wait asked for is longer than a job should sleep (seconds or a date)', async () => {
    const later = new Date(Date.now() + 3_600_000).toUTCString()
    const asks: Array<Record<string, string>> = [{ 'retry-after': '3600' }, { 'retry-after': later }, { 'retry-after-ms': '90000' }]
    for (const headers of asks) {
      const response = await boundRetries(answering(503, headers), 60_000)('http://x')
      expect(response.headers.get('x-should-retry')).toBe('false')
      expect(response.status).toBe(503)
    }
  })

  it('stops retries of a 429 for an exhausted quota, keeping the body for the error message', async () => {
    const body = JSON.stringify({ error: { code: 'insufficient_quota', message: 'You exceeded your current quota.' } })
    const response = await boundRetries(answering(429, {}, body), 60_000)('http://x')
    expect(response.headers.get('x-should-retry')).toBe('false')
    expect(await response.text()).toBe(body)
  })

  it('passes success and client errors through untouched', async () => {
    for (const status of [200, 400, 404]) {
      const response = await boundRetries(answering(status, { 'retry-after': '3600' }), 60_000)('http://x')
      expect(response.headers.get('x-should-retry')).toBeNull()
    }
  })
})

describe('Retry-After is read as the SDK reads it', () => {
  it('takes retry-after-ms first, then seconds, then an HTTP date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250)
    expect(retryAfterMs(new Headers({ 'retry-after': '1.5' }))).toBe(1500)
    const inAMinute = retryAfterMs(new Headers({ 'retry-after': new Date(Date.now() + 60_000).toUTCString() }))
    expect(inAMinute).toBeGreaterThan(55_000)
    expect(retryAfterMs(new Headers())).toBeUndefined()
  })
})

describe('fetch errors reach the SDK as Errors of its own realm', () => {
  it('turns an error-like object into an Error with the same name, message and cause', async () => {
    const foreign = { name: 'AbortError', message: 'This operation was aborted', cause: { code: 'ECONNRESET' } }
    const failing: Fetch = async () => {
      throw foreign
    }
    const error = await sameRealmErrors(failing)('http://x').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ name: 'AbortError', message: 'This operation was aborted', cause: { code: 'ECONNRESET' } })
  })
})
