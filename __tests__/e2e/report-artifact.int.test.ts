// The report outlives the job: uploaded as a workflow artifact through the real @actions/artifact against the
// loopback results service; and the outputs a later step reads: commit-sha, model, tokens.
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import { unzipSync, strFromU8 } from 'fflate'
import { startCacheServer, type CacheServer } from '../harness/cache-server.mjs'
import { bug, correctAnswer, setUpScenario, uselessAnswer } from './scenario.js'

type Scenario = Awaited<ReturnType<typeof setUpScenario>>
let scenario: Scenario | undefined
let service: CacheServer | undefined
afterEach(async () => {
  await scenario?.close()
  await service?.close()
  scenario = undefined
  service = undefined
})

const item = bug('flat-restock-not-recorded')

function runnerEnv(server: CacheServer): Record<string, string> {
  return {
    ACTIONS_RESULTS_URL: server.url,
    ACTIONS_RUNTIME_TOKEN: server.token,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_JOB: 'tests',
    GITHUB_RUN_ATTEMPT: '2'
  }
}

describe('the report as a workflow artifact', () => {
  it('a fixed run uploads its report; the outputs name the fix commit, the model and the tokens', async () => {
    scenario = await setUpScenario(item, [{ content: correctAnswer(item), usage: { prompt_tokens: 1200, completion_tokens: 80 } }])
    service = await startCacheServer()
    const result = await scenario.run({}, runnerEnv(service))
    expect(result.outputs.result).toBe('fixed')

    const [artifact] = service.artifacts
    expect(service.artifacts).toHaveLength(1)
    expect(artifact).toMatchObject({
      name: 'pytest-fixer-report-tests-2',
      finalized: true,
      hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/)
    })
    const files = unzipSync(new Uint8Array(artifact.blob!))
    expect(Object.keys(files)).toEqual(['pytest-fixer-report.json'])
    const uploaded = JSON.parse(strFromU8(files['pytest-fixer-report.json']))
    expect(uploaded).toEqual(JSON.parse(fs.readFileSync(result.outputs.report, 'utf8')))
    expect(uploaded.result).toBe('fixed')

    const tip = execFileSync('git', ['rev-parse', `refs/heads/${result.outputs.branch}`], { cwd: scenario.project.originDir })
      .toString()
      .trim()
    expect(result.outputs['commit-sha']).toBe(tip)
    expect(uploaded.commitSha).toBe(tip)
    expect(result.outputs.model).toBe('stand-in-model')
    expect(result.outputs.tokens).toBe('1280')
  })

  it('a not-fixed run uploads its report too, with no commit', async () => {
    scenario = await setUpScenario(item, [{ content: uselessAnswer(item) }])
    service = await startCacheServer()
    const result = await scenario.run({ 'max-attempts': '1' }, runnerEnv(service))
    expect(result.outputs.result).toBe('not-fixed')
    expect(service.artifacts.map(artifact => [artifact.name, artifact.finalized])).toEqual([['pytest-fixer-report-tests-2', true]])
    expect(result.outputs['commit-sha']).toBe('')
  })

  it('upload-report false uploads nothing; a refused upload is a warning, and the run still succeeds', async () => {
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }, { content: correctAnswer(item) }])
    service = await startCacheServer()
    const off = await scenario.run({ 'upload-report': 'false' }, runnerEnv(service))
    expect(off.outputs.result).toBe('fixed')
    expect(service.artifacts).toHaveLength(0)

    const refused = await scenario.run({}, { ...runnerEnv(service), ACTIONS_RUNTIME_TOKEN: 'not-a-jwt' })
    expect(refused.exitCode).toBe(0)
    expect(refused.outputs.result).toBe('fixed')
    expect(refused.commands.some(command => command.command === 'warning' && /Could not upload the report/.test(command.message))).toBe(
      true
    )
  })
})
