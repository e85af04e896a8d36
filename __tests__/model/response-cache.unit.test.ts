import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChatMessage, ModelAnswer } from '../../src/domain.js'
import { ResponseCache } from '../../src/model/response-cache.js'

const messages: ChatMessage[] = [
  { role: 'system', content: 'You fix failing pytest tests.' },
  { role: 'user', content: 'tests/test_math.py::test_add failed: assert 3 == 4' }
]
const answer: ModelAnswer = {
  content: 'src/calc.py\n<<<<<<< SEARCH\n...',
  promptTokens: 120,
  completionTokens: 40,
  cached: false,
  temperature: 0.4
}

function freshCache(): { cache: ResponseCache; dir: string } {
  const dir = join(mkdtempSync(join(tmpdir(), 'pytest-fixer-cache-')), 'pytest-fixer-llm-cache')
  return { cache: new ResponseCache(dir), dir }
}

describe('answers are keyed by everything that shapes them', () => {
  const { cache } = freshCache()
  const key = cache.keyFor('https://api.openai.com/v1', 'gpt-4.1-mini', messages, 0.4)

  it('gives the same key for the same request, whatever trailing slash the base URL has', () => {
    expect(cache.keyFor('https://api.openai.com/v1/', 'gpt-4.1-mini', structuredClone(messages), 0.4)).toBe(key)
    expect(key).toMatch(/^[0-9a-f]{64}$/)
  })

  it('gives another key when the endpoint, model, messages or temperature differ', () => {
    const others = [
      cache.keyFor('http://localhost:11434/v1', 'gpt-4.1-mini', messages, 0.4),
      cache.keyFor('https://api.openai.com/v1', 'gpt-4.1', messages, 0.4),
      cache.keyFor('https://api.openai.com/v1', 'gpt-4.1-mini', [...messages, { role: 'user', content: 'again' }], 0.4),
      cache.keyFor('https://api.openai.com/v1', 'gpt-4.1-mini', [{ ...messages[0], role: 'user' }, messages[1]], 0.4),
      cache.keyFor('https://api.openai.com/v1', 'gpt-4.1-mini', messages, 0.5),
      cache.keyFor('https://api.openai.com/v1', 'gpt-4.1-mini', messages, null)
    ]
    expect(new Set([key, ...others]).size).toBe(others.length + 1)
  })
})

describe('a stored answer comes back as cached', () => {
  it('returns what was put, marked cached, from a new cache on the same folder', () => {
    const { cache, dir } = freshCache()
    const key = cache.keyFor('https://api.openai.com/v1', 'm', messages, 0.4)
    expect(cache.get(key)).toBeUndefined()
    cache.put(key, answer)
    expect(new ResponseCache(dir).get(key)).toEqual({ ...answer, cached: true, cacheKey: key })
    expect(cache.size).toBe(1)
  })

  it('keeps a null temperature (a model that rejects temperature)', () => {
    const { cache } = freshCache()
    const key = cache.keyFor('u', 'o3', messages, 0.4)
    cache.put(key, { ...answer, temperature: null })
    expect(cache.get(key)?.temperature).toBeNull()
  })
})

describe('the cache folder never holds a torn entry', () => {
  it('writes one file per answer and leaves no temporary files behind', () => {
    const { cache, dir } = freshCache()
    for (const temperature of [0.1, 0.2, 0.3]) cache.put(cache.keyFor('u', 'm', messages, temperature), answer)
    const names = readdirSync(dir)
    expect(names).toHaveLength(3)
    expect(names.every(name => /^[0-9a-f]{64}\.json$/.test(name))).toBe(true)
    expect(cache.size).toBe(3)
  })

  it('treats a corrupt or foreign entry as a miss', () => {
    const { cache, dir } = freshCache()
    const torn = cache.keyFor('u', 'm', messages, 0.1)
    const foreign = cache.keyFor('u', 'm', messages, 0.2)
    cache.put(torn, answer)
    writeFileSync(join(dir, `${torn}.json`), '{"format":"pytest-fixer-llm-cache/1","content":"half')
    writeFileSync(join(dir, `${foreign}.json`), JSON.stringify({ content: 'x', promptTokens: 'many' }))
    expect(cache.get(torn)).toBeUndefined()
    expect(cache.get(foreign)).toBeUndefined()
  })

  it('reads nothing for a key that is not a hash (no path outside the folder)', () => {
    const { cache } = freshCache()
    expect(cache.get('../../etc/passwd')).toBeUndefined()
    expect(() => cache.put('../escape', answer)).toThrow()
  })

  it('counts zero entries before the folder exists', () => {
    expect(freshCache().cache.size).toBe(0)
  })
})

describe('the cache key ignores what changes between runs of the same failure', () => {
  it('matches prompts that differ only in object addresses, timings and pytest tmp dirs', async () => {
    const { ResponseCache, withoutRunNoise } = await import('../../src/model/response-cache.js')
    const cache = new ResponseCache('/nonexistent-dir-for-keys')
    const one = 'self = <T object at 0x7fef21152fd0>\n1 failed in 0.53s\n/tmp/pytest-of-runner/pytest-12/test_a0/x'
    const two = 'self = <T object at 0x7f23b23a3bd0>\n1 failed in 1.20s\n/tmp/pytest-of-runner/pytest-13/test_a0/x'
    const key = (content: string) => cache.keyFor('http://x/v1', 'm', [{ role: 'user', content }], 0.4)
    expect(key(one)).toBe(key(two))
    expect(key(one)).not.toBe(key(one.replace('test_a0', 'test_b0')))
    expect(withoutRunNoise('assert 0x10 == 16')).toBe('assert 0x10 == 16')
  })
})
