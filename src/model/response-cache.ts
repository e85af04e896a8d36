// Model answers kept on disk, so a re-run of the same failure asks the model nothing it was asked before.
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ChatMessage, ModelAnswer } from '../domain.js'

/** Bumped when the key recipe or the entry shape changes, so old entries simply stop matching. */
const FORMAT = 'pytest-fixer-llm-cache/1'
const ENTRY_NAME = /^[0-9a-f]{64}\.json$/

interface StoredAnswer {
  format: typeof FORMAT
  content: string
  promptTokens: number
  completionTokens: number
  temperature: number | null
  /** verification rejected this answer, and why: a re-run gets it as history, not as an answer */
  rejected?: string
}

/** Content-addressed by (base-url, model, messages, temperature): sha256 of a canonical JSON. On disk, one JSON
 *  file per answer under `dir` (the caller passes $RUNNER_TEMP/pytest-fixer-llm-cache). Written atomically
 *  (tmp + rename) so a cancelled run never leaves a torn entry; a corrupt entry is ignored. */
export class ResponseCache {
  constructor(private readonly dir: string) {}

  keyFor(baseUrl: string, model: string, messages: ChatMessage[], temperature: number | null): string {
    // Arrays, not objects: their order is fixed, so the JSON is canonical without sorting keys.
    const canonical = JSON.stringify([
      FORMAT,
      baseUrl.replace(/\/+$/, ''),
      model,
      messages.map(message => [message.role, withoutRunNoise(message.content)]),
      temperature
    ])
    return createHash('sha256').update(canonical).digest('hex')
  }

  get(key: string): ModelAnswer | undefined {
    if (!ENTRY_NAME.test(`${key}.json`)) return undefined
    let stored: unknown
    try {
      stored = JSON.parse(readFileSync(this.pathOf(key), 'utf8'))
    } catch {
      return undefined // missing or torn: a miss, never an error
    }
    if (!isStoredAnswer(stored)) return undefined
    const { content, promptTokens, completionTokens, temperature, rejected } = stored
    return {
      content,
      promptTokens,
      completionTokens,
      temperature,
      cached: true,
      cacheKey: key,
      ...(rejected !== undefined ? { rejectedBefore: rejected } : {})
    }
  }

  /** Keeps the answer, marked rejected with the reason: a re-run shows it to the model as an earlier attempt. */
  markRejected(key: string, reason: string): void {
    const entry = this.get(key)
    if (entry === undefined) return
    this.put(key, entry, reason)
  }

  put(key: string, answer: ModelAnswer, rejected?: string): void {
    if (!ENTRY_NAME.test(`${key}.json`)) throw new Error(`Not a response cache key: '${key}'.`)
    mkdirSync(this.dir, { recursive: true })
    const stored: StoredAnswer = {
      format: FORMAT,
      content: answer.content,
      promptTokens: answer.promptTokens,
      completionTokens: answer.completionTokens,
      temperature: answer.temperature,
      ...(rejected !== undefined ? { rejected } : {})
    }
    // Same directory as the entry, so the rename is atomic; the name never matches ENTRY_NAME.
    const partial = join(this.dir, `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.partial`)
    try {
      writeFileSync(partial, JSON.stringify(stored))
      renameSync(partial, this.pathOf(key))
    } catch (error) {
      rmSync(partial, { force: true })
      throw error
    }
  }

  get size(): number {
    try {
      return readdirSync(this.dir).filter(name => ENTRY_NAME.test(name)).length
    } catch {
      return 0
    }
  }

  private pathOf(key: string): string {
    return join(this.dir, `${key}.json`)
  }
}

function isStoredAnswer(value: unknown): value is StoredAnswer {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Record<string, unknown>
  return (
    entry.format === FORMAT &&
    typeof entry.content === 'string' &&
    isCount(entry.promptTokens) &&
    isCount(entry.completionTokens) &&
    (entry.temperature === null || typeof entry.temperature === 'number') &&
    (entry.rejected === undefined || typeof entry.rejected === 'string')
  )
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
}

/**
 * What changes from one run of the same failure to the next without changing the question: object addresses
 * in reprs, timings, pytest's numbered tmp dirs. Left out of the key so a re-run finds its answers.
 */
export function withoutRunNoise(text: string): string {
  return text
    .replace(/\b0x[0-9a-fA-F]{6,16}\b/g, '0x?')
    .replace(/\b\d+(\.\d+)?s\b(?=[\s)=]|$)/g, '?s')
    .replace(/\/pytest-of-[^/\s]+\/pytest-\d+\//g, '/pytest-of-?/pytest-?/')
}
