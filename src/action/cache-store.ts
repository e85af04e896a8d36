// The engine's cache store in the action: the GitHub Actions cache, keyed per run so entries stay immutable.
import * as actionsCache from '@actions/cache'
import type { Logger } from '../domain.js'
import type { CacheStore } from '../engine/ports.js'
import { restoreResponseCache, saveResponseCache, type CacheService } from '../model/actions-cache.js'
import type { RunnerContext } from '../runner-context.js'

export function actionsCacheStore(context: RunnerContext, log: Logger): CacheStore {
  const service: CacheService = {
    isFeatureAvailable: actionsCache.isFeatureAvailable,
    restoreCache: actionsCache.restoreCache,
    saveCache: actionsCache.saveCache
  }
  return {
    restore: async (dir, keyPrefix) => {
      await restoreResponseCache(service, dir, keyPrefix, log)
    },
    save: (dir, keyPrefix) => saveResponseCache(service, dir, keyPrefix, context.runId || 'local', context.runAttempt, log)
  }
}
