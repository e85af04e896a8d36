// What the attempts of one group do with answers from the response cache: one whose SEARCH text is gone from the
// files is a miss (asked again, no attempt spent); one that an earlier run rejected is history, not an attempt;
// a rejected answer is marked so a re-run does not replay it.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { AttemptFeedback, Prompt } from '../../src/context/prompt.js'
import type { ChatMessage, CompleteOptions, Group, ModelAnswer, ModelClient } from '../../src/domain.js'
import { fixGroup } from '../../src/fix/fix-group.js'
import { Redactor } from '../../src/redact.js'
import type { Verdict } from '../../src/verify/verify.js'
import { Workspace } from '../../src/workspace.js'

let root = ''
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fix-group-'))
  fs.mkdirSync(path.join(root, 'pkg'))
  fs.writeFileSync(path.join(root, 'pkg', 'mod.py'), 'def answer():\n    return 41\n')
})
afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

const edit = (search: string, replace: string): string =>
  ['pkg/mod.py', '<<<<<<< SEARCH', search, '=======', replace, '>>>>>>> REPLACE'].join('\n')
const correct = edit('    return 41', '    return 42')
/** cached for the file as it was before a commit changed the line */
const stale = edit('    return 40', '    return 42')
const wrong = edit('    return 41', '    return 43')

const group: Group = {
  fingerprint: 'g1',
  failures: [
    {
      nodeId: 'tests/test_mod.py::test_answer',
      file: 'tests/test_mod.py',
      errorType: 'AssertionError',
      message: 'assert 41 == 42',
      traceback: '',
      phase: 'call',
      frames: []
    }
  ]
}

interface Call {
  messages: ChatMessage[]
  options?: CompleteOptions
}

/** A model whose answers come from `reply`, which sees how often it was called and with what. */
function modelOf(reply: (call: Call, index: number) => Partial<ModelAnswer> & { content: string }) {
  const calls: Call[] = []
  const rejected: Array<[string, string]> = []
  const model: ModelClient = {
    async complete(messages, _temperature, options) {
      const call = { messages, options }
      calls.push(call)
      return { promptTokens: 10, completionTokens: 5, cached: false, temperature: 0.2, ...reply(call, calls.length - 1) }
    },
    rejected(answer, reason) {
      rejected.push([answer.content, reason])
    }
  }
  return { model, calls, rejected }
}

async function run(model: ModelClient, maxAttempts = 2) {
  const workspace = new Workspace(root)
  const prompts: AttemptFeedback[][] = []
  const result = await fixGroup(
    group,
    {
      maxAttempts,
      initialTemperature: 0.2,
      temperatureIncrement: 0.3,
      allowTestChanges: false,
      repoRoot: root,
      mustPass: [],
      baseline: { outcomes: new Map() }
    },
    {
      model,
      workspace,
      buildPrompt: async (_group, previous): Promise<Prompt> => {
        prompts.push(previous.map(item => ({ ...item })))
        const messages: ChatMessage[] = [{ role: 'user', content: `fix it (${previous.length} earlier)` }]
        return { messages, keyMessages: messages, files: ['pkg/mod.py'], tokens: 10 }
      },
      verify: async (): Promise<Verdict> => {
        const fixed = fs.readFileSync(path.join(root, 'pkg', 'mod.py'), 'utf8').includes('return 42')
        return {
          accepted: fixed,
          reason: fixed ? 'the group passes' : '1 of the group tests still fail: tests/test_mod.py::test_answer',
          stillFailing: fixed ? [] : ['tests/test_mod.py::test_answer (failed)'],
          broken: [],
          output: '',
          runs: [],
          drifted: []
        }
      },
      redactor: new Redactor(),
      log: { info: () => {}, warning: () => {}, debug: () => {} } as never
    }
  )
  return { result, prompts }
}

describe('answers from the response cache', () => {
  it('one whose SEARCH text is gone from the files is a miss: asked fresh, no attempt spent', async () => {
    const { model, calls } = modelOf((call, index) => (index === 0 ? { content: stale, cached: true } : { content: correct }))
    const { result } = await run(model, 1)
    expect(result.record.status).toBe('fixed')
    expect(calls).toHaveLength(2)
    expect(calls[1].options?.fresh).toBe(true)
    expect(result.record.attempts).toHaveLength(1)
    expect(result.record.attempts[0]).toMatchObject({ outcome: 'accepted', cached: false })
  })

  it('one that still applies is used as it is', async () => {
    const { model, calls } = modelOf(() => ({ content: correct, cached: true }))
    const { result } = await run(model, 1)
    expect(result.record.status).toBe('fixed')
    expect(calls).toHaveLength(1)
    expect(result.record.attempts[0]).toMatchObject({ cached: true, testsStillFailing: 0, testsBroken: 0 })
  })

  it('one an earlier run rejected is history for a fresh question, and costs no attempt', async () => {
    const { model, calls } = modelOf((_call, index) =>
      index === 0 ? { content: wrong, cached: true, rejectedBefore: 'still fails: test_answer' } : { content: correct }
    )
    const { result, prompts } = await run(model, 1)
    expect(result.record.status).toBe('fixed')
    expect(calls).toHaveLength(2)
    expect(result.record.attempts).toHaveLength(1)
    expect(prompts[1]).toEqual([expect.objectContaining({ answer: wrong, verdict: expect.stringContaining('an earlier run') })])
    expect(fs.readFileSync(path.join(root, 'pkg', 'mod.py'), 'utf8')).toBe('def answer():\n    return 42\n')
  })

  it('a rejected answer is marked rejected with its reason, and the file is as before', async () => {
    const { model, rejected } = modelOf(() => ({ content: wrong }))
    const { result } = await run(model, 1)
    expect(result.record.status).toBe('unfixed')
    expect(rejected).toEqual([[wrong, expect.stringContaining('still fail')]])
    expect(result.record.attempts[0]).toMatchObject({ testsStillFailing: 1, testsBroken: 0 })
    expect(fs.readFileSync(path.join(root, 'pkg', 'mod.py'), 'utf8')).toBe('def answer():\n    return 41\n')
  })
})
