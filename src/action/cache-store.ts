// The engine's cache store in the action: the GitHub Actions cache, keyed per run so entries stay immutable.
import * as actionsCache from '@actions/cache'
import * as path from 'node:path'
import type { Logger } from '../domain.js'
import type { CacheStore } from '../engine/ports.js'
import { restoreResponseCache, saveResponseCache, type CacheService } from '../model/actions-cache.js'
import type { RunnerContext } from '../runner-context.js'

export function actionsCacheStore(context: RunnerContext, log: Logger): CacheStore {
  const service: CacheService = {
    isFeatureAvailable: actionsCache.isFeatureAvailable,
    restoreCache: (paths, primaryKey, restoreKeys) => fromParent(paths, () => actionsCache.restoreCache(paths, primaryKey, restoreKeys)),
    saveCache: (paths, key) => fromParent(paths, () => actionsCache.saveCache(paths, key))
  }
  return {
    restore: async (dir, keyPrefix) => {
      await restoreResponseCache(service, dir, keyPrefix, log)
    },
    save: (dir, keyPrefix) => saveResponseCache(service, dir, keyPrefix, context.runId || 'local', context.runAttempt, log)
  }
}

/**
 * @actions/cache archives paths relative to GITHUB_WORKSPACE and hashes them into the entry's version, so an
 * answer saved from /home/runner/work/repo/repo would not be found (or be unpacked elsewhere) from a checkout at
 * another path. The cache dir lives in RUNNER_TEMP, outside the checkout: the archive is made relative to the
 * dir's parent instead, the same on every runner.
 */
async function fromParent<T>(paths: string[], call: () => Promise<T>): Promise<T> {
  const previous = process.env.GITHUB_WORKSPACE
  process.env.GITHUB_WORKSPACE = path.dirname(path.resolve(paths[0]))
  try {
    return await call()
  } finally {
    if (previous === undefined) delete process.env.GITHUB_WORKSPACE
    else process.env.GITHUB_WORKSPACE = previous
  }
}
