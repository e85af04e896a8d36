// The key under which a run's model answers are kept between runs: one family per endpoint and model, so that
// answers of one model are never replayed for another.
import { createHash } from 'node:crypto'
import { join } from 'node:path'

export function responseCacheKeyPrefix(settings: { baseUrl: string; model: string }): string {
  return `pytest-fixer-llm-v1-${createHash('sha256').update(`${settings.baseUrl}\n${settings.model}`).digest('hex').slice(0, 12)}-`
}

/** Where a run keeps its model answers (and, in the action, its checkpoint) under its scratch folder. */
export function responseCacheDir(tempDir: string): string {
  return join(tempDir, 'pytest-fixer-llm-cache')
}
