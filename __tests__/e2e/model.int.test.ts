// The conversation with the model as the bundled action has it: the response cache through the real
// @actions/cache against the loopback cache service, and models that reject temperature.
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { startCacheServer, type CacheServer } from '../harness/cache-server.mjs'
import { applyingWrongAnswer } from '../harness/git-repo.mjs'
import { bug, correctAnswer, setUpScenario, uselessAnswer } from './scenario.js'

type Scenario = Awaited<ReturnType<typeof setUpScenario>>
let scenario: Scenario | undefined
let cache: CacheServer | undefined
const cleanups: Array<() => void> = []
afterEach(async () => {
  await scenario?.close()
  await cache?.close()
  scenario = undefined
  cache = undefined
  for (const cleanup of cleanups.splice(0)) cleanup()
})

const report = (outputs: Record<string, string>) => JSON.parse(fs.readFileSync(outputs.report, 'utf8'))

/**
 * The cache service and a runner's temp dir, as consecutive jobs see them. @actions/cache takes any server but
 * github.com / ghe.com for GHES and then uses the v1 service. Runners keep RUNNER_TEMP at one path (the cache
 * version hashes the path) but empty between runs: `runEnv` empties it and names the run.
 */
async function cacheRunner() {
  const service = await startCacheServer()
  cache = service
  const cacheEnv = {
    ACTIONS_CACHE_SERVICE_V2: 'true',
    ACTIONS_RESULTS_URL: service.url,
    ACTIONS_RUNTIME_TOKEN: service.token,
    GITHUB_SERVER_URL: 'https://github.com'
  }
  const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-temp-'))
  cleanups.push(() => fs.rmSync(runnerTemp, { recursive: true, force: true }))
  return {
    service,
    runEnv(runId: string): Record<string, string> {
      fs.rmSync(runnerTemp, { recursive: true, force: true })
      fs.mkdirSync(runnerTemp)
      return { ...cacheEnv, GITHUB_RUN_ID: runId, RUNNER_TEMP: runnerTemp }
    }
  }
}

describe('a re-run of the same failure is answered from the cache', () => {
  it('makes zero model calls on the second run and says so in the summary and the report', async () => {
    const item = bug('flat-restock-not-recorded')
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    const runner = await cacheRunner()
    const first = await scenario.run({ cache: 'true' }, runner.runEnv('1001'))
    expect(first.outputs.result).toBe('fixed')
    expect(scenario.model.requests).toHaveLength(1)
    expect(runner.service.entries.filter(entry => entry.finalized).map(entry => entry.key)).toEqual([
      expect.stringMatching(/^pytest-fixer-llm-v1-[0-9a-f]{12}-.*-1001-1$/)
    ])

    // A fresh runner for the re-run: only the cache service carries the answer over.
    const report1 = report(first.outputs)
    const second = await scenario.run({ cache: 'true' }, runner.runEnv('1002'))
    expect(second.outputs.result).toBe('fixed')
    expect(scenario.model.requests).toHaveLength(1)
    const llm = report(second.outputs).llm
    expect(llm.calls).toBe(0)
    expect(llm.cachedCalls).toBe(1)
    expect(second.summary).toContain('Model calls: 0 (1 from cache)')
    expect(report(second.outputs).groups[0].attempts[0].cached).toBe(true)
    expect(report1.llm.cachedCalls).toBe(0)
  })

  it('the same failure in another workspace, after an unrelated commit, is answered from the cache', async () => {
    const item = bug('flat-restock-not-recorded')
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    const runner = await cacheRunner()
    const first = await scenario.run({ cache: 'true' }, runner.runEnv('3001'))
    expect(first.outputs.result).toBe('fixed')
    expect(scenario.model.requests).toHaveLength(1)
    // the first prompt showed the commit that broke the tests; the re-run's range holds only the unrelated one
    const firstPrompt = JSON.stringify(scenario.model.requests[0].body.messages)
    expect(firstPrompt).toContain('## The change under test')
    expect(report(first.outputs).changeUnderTest).toMatchObject({ files: [item.file] })

    // another runner: the repository checked out at another path, one unrelated commit further
    const elsewhere = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'other-runner-')), 'work', 'some-org', 'inventory-renamed')
    fs.mkdirSync(path.dirname(elsewhere), { recursive: true })
    execFileSync('git', ['clone', '-q', '--branch', 'main', scenario.project.originDir, elsewhere])
    fs.writeFileSync(path.join(elsewhere, 'NOTES.md'), 'Unrelated to the failure.\n')
    execFileSync('git', ['add', 'NOTES.md'], { cwd: elsewhere })
    execFileSync('git', ['-c', 'user.name=Someone', '-c', 'user.email=someone@example.com', 'commit', '-qm', 'Add notes'], {
      cwd: elsewhere
    })
    try {
      const second = await scenario.run({ cache: 'true' }, runner.runEnv('3002'), { workspace: elsewhere })
      expect(second.outputs.result).toBe('fixed')
      expect(scenario.model.requests).toHaveLength(1) // no new request
      expect(report(second.outputs).llm).toMatchObject({ calls: 0, cachedCalls: 1 })
      expect(second.summary).toContain('Model calls: 0 (1 from cache)')
      expect(report(second.outputs).changeUnderTest).toMatchObject({ files: ['NOTES.md'] })
    } finally {
      fs.rmSync(path.dirname(path.dirname(path.dirname(elsewhere))), { recursive: true, force: true })
    }
  })

  it('an answer verification rejected is not replayed on the re-run: it is history for a fresh question', async () => {
    const item = bug('flat-restock-not-recorded')
    scenario = await setUpScenario(item, [{ content: uselessAnswer(item) }, { content: correctAnswer(item) }])
    const runner = await cacheRunner()
    const first = await scenario.run({ cache: 'true', 'max-attempts': '1' }, runner.runEnv('2001'))
    expect(first.outputs.result).toBe('not-fixed')
    const second = await scenario.run({ cache: 'true', 'max-attempts': '1' }, runner.runEnv('2002'))
    expect(second.outputs.result).toBe('fixed')
    expect(scenario.model.requests).toHaveLength(2) // the re-run asked the model, it did not replay the rejected answer
    const asked = scenario.model.requests[1].body.messages as Array<{ role: string; content: string }>
    expect(asked.some(message => message.role === 'assistant' && message.content.includes(uselessAnswer(item).trim()))).toBe(true)
    expect(asked.some(message => message.role === 'user' && /Attempt 1 was rejected: \(an earlier run\)/.test(message.content))).toBe(true)
    const secondReport = report(second.outputs)
    expect(secondReport.llm).toMatchObject({ calls: 1, cachedCalls: 0 })
    expect(secondReport.groups[0].attempts).toHaveLength(1)
    expect(secondReport.groups[0].attempts[0]).toMatchObject({ outcome: 'accepted', cached: false })
  })

  it('with cache false, asks the model again', async () => {
    const item = bug('flat-restock-not-recorded')
    scenario = await setUpScenario(item, [{ content: correctAnswer(item) }])
    await scenario.run({ cache: 'false' })
    await scenario.run({ cache: 'false' })
    expect(scenario.model.requests).toHaveLength(2)
  })
})

describe('a cancelled job', () => {
  it('keeps its answers and checkpoint in the cache: the re-run goes on at the next attempt and asks the model nothing', async () => {
    const item = bug('flat-restock-not-recorded')
    scenario = await setUpScenario(item, [{ content: uselessAnswer(item) }, { content: correctAnswer(item) }])
    const runner = await cacheRunner()
    // a pytest plugin (on PYTHONPATH, outside the repository) that holds a run while the gate file exists
    const plugins = fs.mkdtempSync(path.join(os.tmpdir(), 'pytest-fixer-gate-'))
    cleanups.push(() => fs.rmSync(plugins, { recursive: true, force: true }))
    const gate = path.join(plugins, 'gate')
    fs.writeFileSync(
      path.join(plugins, 'gateplugin.py'),
      `import os, pathlib, time\n\ndef pytest_sessionstart(session):\n    if os.path.exists(${JSON.stringify(gate)}):\n        pathlib.Path(${JSON.stringify(`${gate}.reached`)}).write_text("")\n        time.sleep(120)\n`
    )
    const gated = { PYTHONPATH: plugins, PYTEST_ADDOPTS: '-p gateplugin' }
    let seen = ''
    let poll: NodeJS.Timeout | undefined
    const first = await scenario.run(
      { cache: 'true' },
      { ...runner.runEnv('4001'), ...gated },
      {
        onOutput: (chunk, child) => {
          seen += chunk
          // attempt 1 was rejected and checkpointed; attempt 2 is cut inside its verification
          if (poll !== undefined || !seen.includes('Attempt 2/')) return
          fs.writeFileSync(gate, '')
          poll = setInterval(() => {
            if (!fs.existsSync(`${gate}.reached`)) return
            clearInterval(poll)
            child.kill('SIGTERM')
          }, 50)
        }
      }
    )
    clearInterval(poll)
    expect(first.outputs.result).toBe('cancelled')
    expect(await scenario.treeUnchanged()).toBe(true)
    expect(scenario.model.requests).toHaveLength(2)
    expect(runner.service.entries.filter(entry => entry.finalized).map(entry => entry.key)).toEqual([expect.stringMatching(/-4001-1$/)])

    fs.rmSync(gate)
    const second = await scenario.run({ cache: 'true' }, { ...runner.runEnv('4002'), ...gated })
    expect(second.outputs.result).toBe('fixed')
    expect(scenario.model.requests).toHaveLength(2)
    const resumed = report(second.outputs)
    expect(resumed.messages.join('\n')).toMatch(/Resumed the interrupted run: 0 group\(s\) done .*after 1 attempt\(s\)/)
    expect(resumed.groups[0].attempts.map((attempt: { number: number; outcome: string }) => [attempt.number, attempt.outcome])).toEqual([
      [1, 'rejected'],
      [2, 'accepted']
    ])
    expect(resumed.llm).toMatchObject({ calls: 0, cachedCalls: 1 })
    expect(scenario.github.state.pulls).toHaveLength(1)
    // done: the checkpoint is gone from what the next run restores
    const third = await scenario.run({ cache: 'true', mode: 'apply' }, runner.runEnv('4003'))
    expect(report(third.outputs).messages.join('\n')).not.toContain('Resumed')
  }, 240_000)
})

describe('a model that rejects temperature', () => {
  it('is asked again without it, with a notice, and the fix still lands', async () => {
    const item = bug('flat-restock-not-recorded')
    const rejection = {
      status: 400,
      body: {
        error: {
          message: "Unsupported value: 'temperature' does not support 0.4 with this model. Only the default (1) value is supported.",
          type: 'invalid_request_error',
          param: 'temperature',
          code: 'unsupported_value'
        }
      }
    }
    scenario = await setUpScenario(item, [rejection, { content: correctAnswer(item) }])
    const result = await scenario.run()
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    const bodies = scenario.model.requests.map(request => request.body)
    expect(bodies[0].temperature).toBe(0.4)
    expect('temperature' in bodies[1]).toBe(false)
    expect(result.stdout).toMatch(/::warning::.*temperature/)
    expect(report(result.outputs).groups[0].attempts[0].temperature).toBeNull()
  })
})

describe('several candidates per call', () => {
  it('candidates 3: three answers asked at once, a duplicate verified once, the one correct candidate accepted', async () => {
    const item = bug('flat-restock-not-recorded')
    const wrong = uselessAnswer(item)
    // the same wrong edits twice (worded differently), and the fix
    scenario = await setUpScenario(item, [
      { content: wrong },
      { content: `Root cause: unclear.\n\n${wrong}` },
      { content: correctAnswer(item) }
    ])
    const result = await scenario.run({ candidates: '3', 'max-attempts': '1' })
    expect(result.outputs.result).toBe('fixed')
    expect(scenario.model.requests).toHaveLength(3)
    const [group] = report(result.outputs).groups
    expect(group.attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(['rejected', 'accepted'])
    expect(group.attempts.map((attempt: { candidate: unknown }) => attempt.candidate)).toEqual([
      { call: 1, index: 1, of: 2 },
      { call: 1, index: 2, of: 2 }
    ])
    expect(result.stdout).toContain("repeats another's edits; verified once")
    // each candidate's own tokens: the report's total is their sum
    const tokens = group.attempts.reduce((total: number, attempt: { tokens: { prompt: number } }) => total + attempt.tokens.prompt, 0)
    expect(report(result.outputs).llm.promptTokens).toBeGreaterThanOrEqual(tokens)
  })

  it('candidates 3 at an endpoint that honours n: one request with n=3, the prompt counted once, the correct one accepted', async () => {
    const item = bug('flat-restock-not-recorded')
    scenario = await setUpScenario(
      item,
      [{ content: uselessAnswer(item) }, { content: applyingWrongAnswer(item) }, { content: correctAnswer(item) }],
      {
        honourN: true
      }
    )
    const result = await scenario.run({ candidates: '3', 'max-attempts': '1' })
    expect(result.outputs.result).toBe('fixed')
    expect(scenario.model.requests).toHaveLength(1)
    expect(scenario.model.requests[0].body.n).toBe(3)
    const full = report(result.outputs)
    expect(full.llm.calls).toBe(1)
    const [group] = full.groups
    expect(group.attempts.map((attempt: { outcome: string }) => attempt.outcome)).toContain('accepted')
    expect(group.attempts.every((attempt: { candidate: { sameRequest?: boolean } }) => attempt.candidate.sameRequest === true)).toBe(true)
    // the prompt went once: at most one candidate carries its tokens (parallel calls would give each its own)
    const prompts = group.attempts.map((attempt: { tokens: { prompt: number } }) => attempt.tokens.prompt)
    expect(prompts.filter((tokens: number) => tokens > 0).length).toBeLessThanOrEqual(1)
    expect(result.stdout).not.toContain('asked in parallel calls')
  })

  it('candidates 3 at an endpoint that ignores n: the first request asks n=3, the other two go out in parallel', async () => {
    const item = bug('flat-restock-not-recorded')
    scenario = await setUpScenario(item, [
      { content: uselessAnswer(item) },
      { content: applyingWrongAnswer(item) },
      { content: correctAnswer(item) }
    ])
    const result = await scenario.run({ candidates: '3', 'max-attempts': '1' })
    expect(result.outputs.result).toBe('fixed')
    expect(scenario.model.requests.map(request => request.body.n)).toEqual([3, undefined, undefined])
    expect(result.stdout).toContain('The endpoint gave 1 answer(s) for n=3; the other candidates are asked in parallel calls')
  })

  it('candidates 3 with an always-wrong model: not fixed, nothing published, at most 3 calls per attempt', async () => {
    const item = bug('flat-restock-not-recorded')
    scenario = await setUpScenario(item, [{ content: uselessAnswer(item) }])
    const result = await scenario.run({ candidates: '3', 'max-attempts': '2' })
    expect(result.outputs.result).toBe('not-fixed')
    expect(scenario.model.requests.length).toBeLessThanOrEqual(6)
    expect(scenario.github.state.pulls).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
