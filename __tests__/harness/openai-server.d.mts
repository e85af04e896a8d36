// Types for openai-server.mjs, so TypeScript tests import it typed.
import type { IncomingHttpHeaders } from 'node:http'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** parsed JSON; the raw text when it was not JSON; undefined when empty */
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

export type Step =
  | {
      content: string
      usage?: { prompt_tokens: number; completion_tokens: number } | null
      finishReason?: string
      headers?: Record<string, string>
    }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hangMs: number }
  | { stallBodyMs: number }

export interface OpenAIServerOptions {
  script?: Step[] | ((request: RecordedRequest, index: number) => Step | Promise<Step>)
  apiKey?: string
  models?: string[]
  /** default 0: a free port */
  port?: number
  /** a request with `n` > 1 gets that many choices, one script step each; default false (one choice, as many servers) */
  honourN?: boolean
  /** default true: close() fails when a prompt held a temp-dir absolute path, an ANSI escape or an object address */
  auditPrompts?: boolean
}

export interface OpenAIServer {
  /** http://127.0.0.1:PORT/v1 */
  baseUrl: string
  requests: RecordedRequest[]
  /** what no prompt may hold, found so far */
  promptProblems: string[]
  close(): Promise<void>
}

export function startOpenAIServer(options?: OpenAIServerOptions): Promise<OpenAIServer>
