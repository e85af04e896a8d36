// Types for cache-server.mjs, so TypeScript tests import it typed.

export interface CacheEntry {
  key: string
  version: string
  sizeBytes: number
  finalized: boolean
  /** a counter: larger is newer */
  createdAt: number
  name: string
  blob: Buffer | undefined
}

export interface UploadedArtifact {
  name: string
  size: number
  /** sha256:<hex> as the client sent it */
  hash: string
  finalized: boolean
  /** the zip the client uploaded */
  blob: Buffer | undefined
}

export interface CacheServer {
  /** the value for ACTIONS_RESULTS_URL: http://127.0.0.1:PORT/ */
  url: string
  /** the value for ACTIONS_RUNTIME_TOKEN */
  token: string
  entries: CacheEntry[]
  artifacts: UploadedArtifact[]
  requests: Array<{ method: string; path: string; query: Record<string, string> }>
  close(): Promise<void>
}

export function startCacheServer(options?: { token?: string }): Promise<CacheServer>
