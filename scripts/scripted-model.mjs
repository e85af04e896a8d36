#!/usr/bin/env node
// The demo's built-in scripted model: an OpenAI-compatible endpoint on loopback that answers every request with
// the edit block in demo/scripted-answer.md. Used by `npm run demo` and by the e2e workflow job.
//   node scripts/scripted-model.mjs --port 8787 [--path-prefix demo/sample/]
// --path-prefix: where demo/sample sits in the repository the action runs on (edit paths are repo-relative).
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startOpenAIServer } from '../__tests__/harness/openai-server.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export function scriptedAnswer(pathPrefix = '') {
  const answer = fs.readFileSync(path.join(root, 'demo', 'scripted-answer.md'), 'utf8')
  return answer.replace(/^shop\//m, `${pathPrefix}shop/`)
}

/** Starts the scripted model; `port` 0 picks a free one. */
export async function startScriptedModel(port = 0, pathPrefix = '') {
  return startOpenAIServer({ script: [{ content: scriptedAnswer(pathPrefix) }], port })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const index = process.argv.indexOf('--port')
  const port = index > 0 ? Number(process.argv[index + 1]) : 8787
  const prefixAt = process.argv.indexOf('--path-prefix')
  const server = await startScriptedModel(port, prefixAt > 0 ? process.argv[prefixAt + 1] : '')
  console.log(`scripted model listening at ${server.baseUrl}`)
}
