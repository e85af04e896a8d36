// The response cache carried between runs by the REAL @actions/cache, talking to a loopback cache service.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import * as actionsCache from '@actions/cache'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChatMessage } from '../../src/domain.js'
import { restoreResponseCache, saveResponseCache, type CacheService } from '../../src/model/actions-cache.js'
import { TokenBudget } from '../../src/model/budget.js'
import { createModelClient } from '../../src/model/client.js'
import { ResponseCache } from '../../src/model/response-cache.js'
import { startCacheServer, type CacheServer } from '../harness/cache-server.mjs'
import { startOpenAIServer } from '../harness/openai-server.mjs'
import { recordingLog } from './recording-log.js'

const PREFIX = 'pytest-fixer-llm-v1-Linux-'
const service: CacheService = actionsCache
const ENV_NAMES = ['ACTIONS_CACHE_SERVICE_V2', 'ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN', 'RUNNER_TEMP', 'GITHUB_WORKSPACE'] as const
const savedEnv = Object.fromEntries(ENV_NAMES.map(name => [name, process.env[name]]))

let server: CacheServer
let root: string
let dir: string

beforeAll(async () => {
  server = await startCacheServer()
  root = mkdtempSync(join(tmpdir(), 'pytest-fixer-actions-cache-'))
  mkdirSync(join(root, 'runner-temp'))
  mkdirSync(join(root, 'workspace'))
  // @actions/cache reads these when called, as on a runner.
  process.env.ACTIONS_CACHE_SERVICE_V2 = 'true'
  process.env.ACTIONS_RESULTS_URL = server.url
  process.env.ACTIONS_RUNTIME_TOKEN = server.token
  process.env.RUNNER_TEMP = join(root, 'runner-temp')
  process.env.GITHUB_WORKSPACE = join(root, 'workspace')
  dir = join(root, 'runner-temp', 'pytest-fixer-llm-cache')
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
  server.entries.splice(0)
})

afterAll(async () => {
  await server.close()
  for (const name of ENV_NAMES) {
    if (savedEnv[name] === undefined) delete process.env[name]
    else process.env[name] = savedEnv[name]
  }
})

function writeEntries(names: string[]): void {
  mkdirSync(dir, { recursive: true })
  for (const name of names) writeFileSync(join(dir, `${name}.json`), JSON.stringify({ name }))
}

function entryFiles(): string[] {
  return readdirSync(dir)
    .filter(name => name.endsWith('.json'))
    .sort()
}

function createCalls(): number {
  return server.requests.filter(request => request.path.endsWith('/CreateCacheEntry')).length
}

describe('model answers survive to the next run through the Actions cache', () => {
  it('saves under prefix + content hash + run id + attempt, and restores into an empty folder', async () => {
    writeEntries(['a'.repeat(64), 'b'.repeat(64)])
    const log = recordingLog()
    await saveResponseCache(service, dir, PREFIX, '1234', '1', log)
    expect(server.entries.map(entry => entry.key)).toEqual([expect.stringMatching(/^pytest-fixer-llm-v1-Linux-[0-9a-f]{16}-1234-1$/)])
    expect(server.entries[0].finalized).toBe(true)

    rmSync(dir, { recursive: true })
    await expect(restoreResponseCache(service, dir, PREFIX, log)).resolves.toBe(true)
    expect(entryFiles()).toEqual([`${'a'.repeat(64)}.json`, `${'b'.repeat(64)}.json`])
    expect(log.warnings).toEqual([])
  })

  it('restores the newest entry under the prefix', async () => {
    writeEntries(['old'])
    await saveResponseCache(service, dir, PREFIX, '1', '1', recordingLog())
    writeEntries(['new'])
    await saveResponseCache(service, dir, PREFIX, '2', '1', recordingLog())
    expect(server.entries).toHaveLength(2)

    rmSync(dir, { recursive: true })
    await restoreResponseCache(service, dir, PREFIX, recordingLog())
    expect(entryFiles()).toEqual(['new.json', 'old.json'])
  })

  it('a second run with the same cache dir answers from the restored cache and makes no model request', async () => {
    const model = await startOpenAIServer({ script: [{ content: 'src/a.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE' }] })
    const messages: ChatMessage[] = [{ role: 'user', content: 'tests/test_a.py::test_x failed' }]
    const run = () =>
      createModelClient({
        baseUrl: model.baseUrl,
        apiKey: 'sk-test-key-123456',
        model: 'm',
        budget: new TokenBudget(10_000),
        cache: new ResponseCache(dir),
        log: recordingLog()
      })
    try {
      await run().complete(messages, 0.4)
      await saveResponseCache(service, dir, PREFIX, '77', '1', recordingLog())
      rmSync(dir, { recursive: true })

      await restoreResponseCache(service, dir, PREFIX, recordingLog())
      const answer = await run().complete(messages, 0.4)
      expect(answer.cached).toBe(true)
      expect(model.requests).toHaveLength(1)
    } finally {
      await model.close()
    }
  })
})

describe('saving is skipped when there is nothing new', () => {
  it('does not save an empty or missing folder', async () => {
    await saveResponseCache(service, dir, PREFIX, '5', '1', recordingLog())
    mkdirSync(dir, { recursive: true })
    await saveResponseCache(service, dir, PREFIX, '5', '1', recordingLog())
    expect(server.entries).toHaveLength(0)
  })

  it('does not save again what was just restored, but saves once something was added', async () => {
    writeEntries(['first'])
    await saveResponseCache(service, dir, PREFIX, '10', '1', recordingLog())
    rmSync(dir, { recursive: true })
    await restoreResponseCache(service, dir, PREFIX, recordingLog())

    const before = createCalls()
    const log = recordingLog()
    await saveResponseCache(service, dir, PREFIX, '11', '1', log)
    expect(createCalls()).toBe(before)
    expect(log.lines.join('\n')).toContain('unchanged since restore')

    writeEntries(['second'])
    await saveResponseCache(service, dir, PREFIX, '11', '1', recordingLog())
    expect(server.entries.map(entry => entry.key.endsWith('-11-1'))).toEqual([false, true])
  })
})

describe('cache trouble never fails the run', () => {
  it('a re-run of the same attempt with the same content is refused by the service and only logged', async () => {
    writeEntries(['same'])
    await saveResponseCache(service, dir, PREFIX, '20', '1', recordingLog())
    rmSync(join(dir, '.restored-content-hash'), { force: true })
    await expect(saveResponseCache(service, dir, PREFIX, '20', '1', recordingLog())).resolves.toBeUndefined()
    expect(server.entries).toHaveLength(1)
  })

  it('a key with a comma is not sent to @actions/cache (which would throw)', async () => {
    writeEntries(['x'])
    const log = recordingLog()
    await expect(saveResponseCache(service, dir, 'bad,prefix-', '1', '1', log)).resolves.toBeUndefined()
    expect(log.warnings.join('\n')).toContain('comma')
    expect(server.entries).toHaveLength(0)
  })

  it('nothing to restore yet: returns false quietly', async () => {
    const log = recordingLog()
    await expect(restoreResponseCache(service, dir, PREFIX, log)).resolves.toBe(false)
    expect(log.warnings).toEqual([])
  })

  it('no cache service configured: restore returns false, save does nothing', async () => {
    const url = process.env.ACTIONS_RESULTS_URL
    delete process.env.ACTIONS_RESULTS_URL
    try {
      writeEntries(['y'])
      const log = recordingLog()
      await expect(restoreResponseCache(service, dir, PREFIX, log)).resolves.toBe(false)
      await saveResponseCache(service, dir, PREFIX, '1', '1', log)
      expect(server.entries).toHaveLength(0)
      expect(log.lines.join('\n')).toContain('not available')
    } finally {
      process.env.ACTIONS_RESULTS_URL = url
    }
  })

  it('an unreachable cache service: restore returns false and save returns, neither throws', async () => {
    const down = await startCacheServer()
    await down.close()
    const url = process.env.ACTIONS_RESULTS_URL
    process.env.ACTIONS_RESULTS_URL = down.url
    try {
      writeEntries(['z'])
      await expect(restoreResponseCache(service, dir, PREFIX, recordingLog())).resolves.toBe(false)
      await expect(saveResponseCache(service, dir, PREFIX, '1', '1', recordingLog())).resolves.toBeUndefined()
    } finally {
      process.env.ACTIONS_RESULTS_URL = url
    }
  })

  it('a service that throws: logged as a warning, never rethrown', async () => {
    const broken: CacheService = {
      isFeatureAvailable: () => true,
      restoreCache: async () => {
        throw new Error('Key Validation Error: too long')
      },
      saveCache: async () => {
        throw new Error('Path Validation Error')
      }
    }
    writeEntries(['w'])
    const log = recordingLog()
    await expect(restoreResponseCache(broken, dir, PREFIX, log)).resolves.toBe(false)
    await expect(saveResponseCache(broken, dir, PREFIX, '1', '1', log)).resolves.toBeUndefined()
    expect(log.warnings).toHaveLength(2)
  })
})
