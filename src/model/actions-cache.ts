// Carries the response cache from run to run through the GitHub Actions cache. Best-effort on every path:
// a cache that cannot be read or written costs model calls, never the run.
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../domain.js'

/** The slice of @actions/cache used, injected so tests can pass the real package pointed at a loopback stand-in. */
export interface CacheService {
  isFeatureAvailable(): boolean
  restoreCache(paths: string[], primaryKey: string, restoreKeys?: string[]): Promise<string | undefined>
  saveCache(paths: string[], key: string): Promise<number>
}

/** Remembers what was restored, so an unchanged cache is not saved again under a new key. Not an entry. */
const RESTORED_MARKER = '.restored-content-hash'
const ENTRY_NAME = /\.json$/
/** The limits @actions/cache puts on keys; past them it throws instead of warning. */
const MAX_KEY_LENGTH = 512

/** Best-effort, never throws: logs a warning and returns false on any trouble. Restores the newest entry
 *  under `keyPrefix` (restore keys by prefix). */
export async function restoreResponseCache(service: CacheService, dir: string, keyPrefix: string, log: Logger): Promise<boolean> {
  try {
    if (!service.isFeatureAvailable()) {
      log.info('The GitHub Actions cache is not available here; model answers start from an empty cache.')
      return false
    }
    const matchedKey = await service.restoreCache([dir], keyPrefix, [keyPrefix])
    if (matchedKey === undefined) {
      log.info(`No cached model answers under '${keyPrefix}' yet.`)
      return false
    }
    const hash = contentHash(dir)
    if (hash === undefined) {
      log.warning(`The cache entry '${matchedKey}' held no model answers; continuing without them.`)
      return false
    }
    writeFileSync(join(dir, RESTORED_MARKER), hash)
    log.info(`Restored ${entryNames(dir).length} cached model answer(s) from '${matchedKey}'.`)
    return true
  } catch (error) {
    log.warning(`Could not restore cached model answers: ${messageOf(error)}. Continuing without them.`)
    return false
  }
}

/** Saves `dir` under key `${keyPrefix}${contentHash}-${runId}-${runAttempt}` (keys are immutable: hash + run id);
 *  skips when the dir is empty or unchanged since restore; never throws. Keys must be valid (no commas, ≤512). */
export async function saveResponseCache(
  service: CacheService,
  dir: string,
  keyPrefix: string,
  runId: string,
  runAttempt: string,
  log: Logger
): Promise<void> {
  try {
    const hash = contentHash(dir)
    if (hash === undefined) {
      log.debug('No model answers to cache.')
      return
    }
    if (readMarker(dir) === hash) {
      log.info('Cached model answers are unchanged since restore; not saving them again.')
      return
    }
    if (!service.isFeatureAvailable()) {
      log.info('The GitHub Actions cache is not available here; model answers are not saved for the next run.')
      return
    }
    const key = `${keyPrefix}${hash}-${runId}-${runAttempt}`
    if (key.includes(',') || key.length > MAX_KEY_LENGTH) {
      log.warning(`Not saving model answers: cache key '${key}' has a comma or is longer than ${MAX_KEY_LENGTH} characters.`)
      return
    }
    const id = await service.saveCache([dir], key)
    // @actions/cache reports its own trouble (and returns -1) instead of throwing.
    if (id === -1) log.info(`Model answers were not saved to the cache under '${key}' (see the message above).`)
    else log.info(`Saved ${entryNames(dir).length} model answer(s) to the cache as '${key}'.`)
  } catch (error) {
    log.warning(`Could not save model answers to the cache: ${messageOf(error)}.`)
  }
}

/** A short hash of the entries (names and contents); undefined when there are none. */
function contentHash(dir: string): string | undefined {
  const names = entryNames(dir)
  if (names.length === 0) return undefined
  const hash = createHash('sha256')
  for (const name of names) {
    hash.update(`${name}\0`)
    hash.update(readFileSync(join(dir, name)))
    hash.update('\0')
  }
  return hash.digest('hex').slice(0, 16)
}

function entryNames(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter(name => ENTRY_NAME.test(name) && !name.startsWith('.'))
      .sort()
  } catch {
    return []
  }
}

function readMarker(dir: string): string | undefined {
  try {
    return readFileSync(join(dir, RESTORED_MARKER), 'utf8').trim()
  } catch {
    return undefined
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
