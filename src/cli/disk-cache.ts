// The engine's cache store on the developer's disk: model answers under .git/pytest-fixer/cache/, never in the
// working tree, one folder per endpoint and model (the key prefix).
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { CacheStore } from '../engine/ports.js'

export function diskCacheStore(stateDir: string): CacheStore {
  const folder = (keyPrefix: string): string => answersFolder(stateDir, keyPrefix)
  return {
    restore: async (dir, keyPrefix) => {
      copyEntries(folder(keyPrefix), dir)
    },
    save: async (dir, keyPrefix) => {
      copyEntries(dir, folder(keyPrefix))
    }
  }
}

/** Best-effort, like every cache store: trouble costs model calls, never the run. */
function copyEntries(from: string, to: string): void {
  try {
    if (!fs.existsSync(from)) return
    fs.mkdirSync(to, { recursive: true })
    for (const name of fs.readdirSync(from)) {
      if (!name.endsWith('.json')) continue
      const target = path.join(to, name)
      if (!fs.existsSync(target)) fs.copyFileSync(path.join(from, name), target)
    }
  } catch {
    // a read-only .git or a full disk: the next run asks the model again
  }
}

/** The answers the model gave so far, kept at once (an interruption cannot wait for a promise). */
export function keepAnswersNow(stateDir: string, dir: string, keyPrefix: string): void {
  copyEntries(dir, answersFolder(stateDir, keyPrefix))
}

function answersFolder(stateDir: string, keyPrefix: string): string {
  return path.join(stateDir, 'cache', keyPrefix.replace(/-+$/, ''))
}
