// What the attempts of one group do with answers from the response cache: one whose SEARCH text is gone from the
// files is a miss (asked again, no attempt spent); one that an earlier run rejected is history, not an attempt;
// a rejected answer is marked so a re-run does not replay it.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { AttemptFeedback, Prompt } from '../../src/context/prompt.js'
import type { ChatMessage, CompleteOptions, Group, ModelAnswer, ModelClient } from '../../src/domain.js'
import { fixGroup, type FixGroupDeps } from '../../src/fix/fix-group.js'
import type { Steering, SteeringDecision, SteeringTurn } from '../../src/fix/steering.js'
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

async function run(model: ModelClient, maxAttempts = 2, more: Partial<FixGroupDeps> = {}) {
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
      log: { info: () => {}, warning: () => {}, debug: () => {} } as never,
      ...more
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

/** A person at the prompt who answers from a list, and what they were shown each time. */
function personAt(beforeVerifying: boolean, decisions: Array<SteeringDecision | ((turn: SteeringTurn) => SteeringDecision)>) {
  const turns: SteeringTurn[] = []
  const steering: Steering = {
    beforeVerifying,
    decide: async turn => {
      turns.push({ ...turn, history: [...turn.history] })
      const next = decisions.shift()
      if (next === undefined) throw new Error('the person was asked more often than the test expected')
      return typeof next === 'function' ? next(turn) : next
    }
  }
  return { steering, turns }
}
const fileText = (): string => fs.readFileSync(path.join(root, 'pkg', 'mod.py'), 'utf8')

describe('a person steering the attempts (--interactive)', () => {
  it('always: every answer waits for apply; a rejection comes back to the prompt; prompt <text> asks again fresh, past max-attempts', async () => {
    const { model, calls } = modelOf(call => ({ content: call.messages[0].content.includes('it returns 42') ? correct : wrong }))
    const person = personAt(true, [{ action: 'apply' }, { action: 'retry', instructions: 'it returns 42' }, { action: 'apply' }])
    const { result } = await run(model, 1, { steering: person.steering })
    expect(result.record.status).toBe('fixed')
    expect(person.turns.map(turn => [turn.attempt, turn.verdict === undefined ? 'proposal' : 'rejected'])).toEqual([
      [1, 'proposal'],
      [1, 'rejected'],
      [2, 'proposal']
    ])
    expect(person.turns[0].changes[0]).toMatchObject({ path: 'pkg/mod.py', after: 'def answer():\n    return 43\n' })
    expect(person.turns[1].verdict).toContain('still fail')
    // the second call carries the words, is not served from the cache, and went past max-attempts 1
    expect(calls).toHaveLength(2)
    expect(calls[1].messages[0].content).toContain('## Instructions from the developer\n- it returns 42')
    expect(calls[1].options?.keyMessages?.[0].content).toContain('it returns 42')
    expect(calls[1].options?.fresh).toBe(true)
    expect(result.record.attempts.map(attempt => attempt.outcome)).toEqual(['rejected', 'accepted'])
    expect(fileText()).toContain('return 42')
  })

  it('on-failure: an answer that passes is accepted without asking anyone', async () => {
    const { model } = modelOf(() => ({ content: correct }))
    const person = personAt(false, [])
    const { result } = await run(model, 2, { steering: person.steering })
    expect(result.record.status).toBe('fixed')
    expect(person.turns).toHaveLength(0)
  })

  it('retry before verification declines the answer unverified; skip ends the group; quit leaves the file as it was', async () => {
    const declined = personAt(true, [{ action: 'retry' }, { action: 'skip' }])
    const first = await run(modelOf(() => ({ content: wrong })).model, 3, { steering: declined.steering })
    expect(first.result.record.status).toBe('skipped')
    expect(first.result.record.attempts.map(attempt => attempt.outcome)).toEqual(['declined', 'declined'])
    // the model hears that the developer declined, not a made-up test verdict
    expect(first.prompts[1][0].verdict).toBe('the developer declined these edits')

    const quitter = personAt(false, [{ action: 'quit' }])
    const before = fileText()
    const second = await run(modelOf(() => ({ content: wrong })).model, 3, { steering: quitter.steering })
    expect(second.result.quit).toBe(true)
    expect(fileText()).toBe(before)
  })

  it("the person's edited changes are verified, and refused like the model's when they touch a test", async () => {
    const { model } = modelOf(() => ({ content: wrong }))
    const original = fileText()
    const person = personAt(true, [
      { action: 'apply', changes: [{ path: 'tests/test_mod.py', before: null, after: 'def test_answer():\n    pass\n' }] },
      { action: 'apply', changes: [{ path: 'pkg/mod.py', before: original, after: original.replace('41', '42') }] }
    ])
    const { result } = await run(model, 1, { steering: person.steering })
    expect(person.turns[1].verdict).toMatch(/edits refused: .*tests\/test_mod\.py/)
    expect(fs.existsSync(path.join(root, 'tests', 'test_mod.py'))).toBe(false)
    expect(result.record.status).toBe('fixed')
    expect(result.record.attempts[0]).toMatchObject({ outcome: 'accepted', edited: true })
    expect(fileText()).toContain('return 42')
  })

  it('an edit refused, then the proposal applied as it was: the record says the model’s version was verified', async () => {
    const { model } = modelOf(() => ({ content: correct }))
    const person = personAt(true, [
      { action: 'apply', changes: [{ path: 'tests/test_mod.py', before: null, after: 'def test_answer():\n    pass\n' }] },
      { action: 'apply' }
    ])
    const { result } = await run(model, 1, { steering: person.steering })
    expect(result.record.status).toBe('fixed')
    expect(result.record.attempts[0].outcome).toBe('accepted')
    expect(result.record.attempts[0].edited).toBeUndefined()
  })
})
