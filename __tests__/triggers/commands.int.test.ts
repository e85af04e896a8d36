// Recipe 3: commands on the fix PR. A step run opens the fix PR first (its body carries the history); then
// `issue_comment` runs answer each command with a comment after 👀, obey only writers, and touch the PR only
// with a verified attempt.
import { afterEach, describe, expect, it } from '@jest/globals'
import { bug, commentEvent, correctAnswer, notices, setUpTriggers, uselessAnswer, type TriggerScenario } from './trigger-scenario.js'

let scenario: TriggerScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const item = bug('flat-remove-refuses-last-units')
/** a second correct fix, written differently from the first */
const otherCorrectAnswer = `${item.file}\n<<<<<<< SEARCH\n        if quantity >= item.quantity:\n=======\n        if item.quantity < quantity:\n>>>>>>> REPLACE\n`

/** The fix PR, opened by a step run of the action, and a way to comment on it. */
async function withFixPullRequest(
  later: Array<{ content: string }>,
  collaborators: Record<string, string> = { alice: 'write', root: 'admin' }
) {
  scenario = await setUpTriggers(item, [{ content: correctAnswer(item) }, ...later], { github: { collaborators } })
  const opened = await scenario.run('push', {})
  expect(opened.outputs['pull-request-operation']).toBe('created')
  const s = scenario
  const command = async (body: string, login = 'alice', number = 1, onPullRequest = true) => {
    const comment = s.github.addComment(number, body, login)
    const result = await s.run('issue_comment', commentEvent(comment, number, onPullRequest))
    const answers = s.github.state.comments.filter(
      (c: { issue_number: number; user: { login: string } }) => c.issue_number === number && c.user.login === 'github-actions[bot]'
    )
    return { result, comment, answer: answers[answers.length - 1]?.body as string | undefined }
  }
  return { scenario: s, branch: opened.outputs.branch, command }
}

const eyesOn = (s: TriggerScenario, commentId: number) =>
  s.github.state.reactions.filter((r: { comment_id: number; content: string }) => r.comment_id === commentId && r.content === 'eyes')

describe('commands on the fix pull request', () => {
  it('/pytest-fixer retry: a new attempt at the next temperature with the history; verified, it updates the PR', async () => {
    const { scenario, branch, command } = await withFixPullRequest([{ content: otherCorrectAnswer }])
    const before = scenario.remoteSha(branch)
    const bodyBefore = scenario.github.state.pulls[0].body
    const { result, comment, answer } = await command('/pytest-fixer retry')
    expect(result.exitCode).toBe(0)
    expect(eyesOn(scenario, comment.id)).toHaveLength(1)
    // the reaction comes before the answer
    const order = scenario.github.requests.map(request => `${request.method} ${request.path}`)
    expect(order.indexOf(`POST /repos/octo/project/issues/comments/${comment.id}/reactions`)).toBeLessThan(
      order.lastIndexOf('POST /repos/octo/project/issues/1/comments')
    )

    const retry = scenario.model.requests[1].body
    expect(retry.temperature).toBe(0.5)
    const prompt = JSON.stringify(retry.messages)
    expect(prompt).toContain('a maintainer asked for a different fix')
    expect(prompt).toContain('if quantity > item.quantity') // attempt 1's edits, as a diff

    expect(answer).toContain('✅ A new attempt at temperature 0.5 passed verification and is pushed to this pull request.')
    expect(scenario.remoteSha(branch)).not.toBe(before)
    const [pull] = scenario.github.state.pulls
    expect(pull.body).not.toBe(bodyBefore)
    expect(pull.body).toContain('if item.quantity < quantity:')
    expect(scenario.github.state.pulls).toHaveLength(1)
    expect(scenario.currentBranch()).toBe('main')
    expect(await scenario.treeUnchanged()).toBe(true)

    const history = await command('/pytest-fixer history')
    expect(history.answer).toMatch(/\| `[0-9a-f]{12}` \| 1 \| 0\.4 \| accepted \|/)
    expect(history.answer).toMatch(/\| `[0-9a-f]{12}` \| 2 \| 0\.5 \| accepted \|/)
    expect(history.answer).toContain('`inventory/store.py`')
  })

  it('/pytest-fixer prompt <text>: the text reaches the model; a rejected attempt leaves the PR exactly as it was', async () => {
    const { scenario, branch, command } = await withFixPullRequest([{ content: uselessAnswer(item) }])
    const before = scenario.remoteSha(branch)
    const bodyBefore = scenario.github.state.pulls[0].body
    const { result, answer } = await command('/pytest-fixer prompt Keep the error message of OutOfStockError unchanged.')
    expect(result.exitCode).toBe(0)
    expect(JSON.stringify(scenario.model.requests[1].body.messages)).toContain('Keep the error message of OutOfStockError unchanged.')
    expect(answer).toContain('❌ A new attempt with your instructions did not pass verification, so this pull request is unchanged.')
    expect(answer).toMatch(/attempt 2 \(temperature 0\.4\): rejected: /)
    expect(scenario.remoteSha(branch)).toBe(before)
    expect(scenario.github.state.pulls[0].body).toBe(bodyBefore)
    expect(scenario.currentBranch()).toBe('main')
    expect(await scenario.treeUnchanged()).toBe(true)

    // the rejected attempt is remembered (in the answer), so history shows it
    const history = await command('/pytest-fixer history')
    expect(history.answer).toMatch(/\| 1 \| 0\.4 \| accepted \|/)
    expect(history.answer).toMatch(/\| 2 \| 0\.4 \| rejected \| .*still fail/)
  })

  it('/pytest-fixer diff, show and help answer from the branch and the history, without a model call', async () => {
    const { scenario, command } = await withFixPullRequest([])
    const diff = await command('/pytest-fixer diff')
    expect(diff.answer).toContain('```diff')
    expect(diff.answer).toContain('-        if quantity >= item.quantity:')
    expect(diff.answer).toContain('+        if quantity > item.quantity:')
    const show = await command('/pytest-fixer show')
    expect(show.answer).toContain(`\`${item.expectFailing[0]}\``)
    expect(show.answer).toContain('OutOfStockError')
    const help = await command('/pytest-fixer help')
    expect(help.answer).toContain('| `/pytest-fixer retry` |')
    const unknown = await command('/pytest-fixer dance')
    expect(unknown.answer).toContain('`/pytest-fixer dance` is not a command I know')
    expect(scenario.model.requests).toHaveLength(1)
    for (const answered of [diff, show, help, unknown]) {
      expect(answered.result.exitCode).toBe(0)
      expect(eyesOn(scenario, answered.comment.id)).toHaveLength(1)
    }
  })

  it('from a user without write permission: 👀, a polite refusal, and nothing else', async () => {
    const { scenario, branch, command } = await withFixPullRequest([{ content: otherCorrectAnswer }], { mallory: 'triage' })
    const before = scenario.remoteSha(branch)
    const { result, comment, answer } = await command('/pytest-fixer retry', 'mallory')
    expect(result.exitCode).toBe(0)
    expect(eyesOn(scenario, comment.id)).toHaveLength(1)
    expect(answer).toBe(
      'Thanks, @mallory! pytest-fixer only takes commands from people with write access to this repository (your permission here is `triage`), so it did nothing. A maintainer can run the command for you.'
    )
    expect(notices(result)[0]).toMatch(/^Answered /)
    expect(scenario.model.requests).toHaveLength(1)
    expect(scenario.remoteSha(branch)).toBe(before)
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('on a pull request that is not a fix PR, and on a plain issue: answers so, changes nothing', async () => {
    const { scenario, branch, command } = await withFixPullRequest([{ content: otherCorrectAnswer }])
    const before = scenario.remoteSha(branch)
    scenario.project.git(['push', '-q', 'origin', 'HEAD:refs/heads/feature/x'])
    scenario.github.state.pulls.push({
      ...scenario.github.state.pulls[0],
      number: 2,
      head: { ...scenario.github.state.pulls[0].head, ref: 'feature/x', label: 'octo:feature/x' },
      body: 'a person wrote this'
    })
    const onFeature = await command('/pytest-fixer retry', 'alice', 2)
    expect(onFeature.result.exitCode).toBe(0)
    expect(onFeature.answer).toContain(
      'This pull request is not a pytest-fixer fix pull request (its branch `feature/x` is not a `pytest-fixer/` branch of octo/project)'
    )
    const issue = scenario.github.addIssue({ title: 'Bug', body: 'x' })
    const onIssue = await command('/pytest-fixer retry', 'alice', issue.number, false)
    expect(onIssue.answer).toContain(`#${issue.number} is an issue, not a pull request`)
    expect(scenario.model.requests).toHaveLength(1)
    expect(scenario.remoteBranches().sort()).toEqual(['feature/x', 'main', branch])
    expect(scenario.remoteSha(branch)).toBe(before)
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
