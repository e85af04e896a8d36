// The GitHub events a fix meets, through the bundled action: a pull_request whose checkout is the merge commit
// (shallow, as actions/checkout leaves it), a pull request from a fork that got no secrets, and a re-run that
// finds someone else's commits on the fix branch.
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { cloneBranch, runGitSync, snapshotTracked, trackedStatus } from '../harness/git-repo.mjs'
import {
  bug,
  correctAnswer,
  errorsOf,
  expectNoSecrets,
  expectOneClearError,
  reportOf,
  setUpFault,
  uselessAnswer,
  type FaultScenario
} from '../faults/fault-scenario.js'

let scenario: FaultScenario | undefined
const clones: string[] = []
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
  for (const dir of clones.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

const item = bug('flat-remove-refuses-last-units')
const origin = (args: string[]): string => runGitSync((scenario as FaultScenario).project.originDir, args).trim()

const pytestPasses = (dir: string): boolean => {
  try {
    execFileSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], {
      cwd: dir,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: 'pipe'
    })
    return true
  } catch {
    return false
  }
}

/**
 * Turns the scenario's repository into what actions/checkout leaves on a pull_request event: the bug sits on
 * branch `feature` (the PR head), `main` moved on with `baseChange`, and the workspace is a depth-1 checkout of
 * refs/pull/1/merge (the merge of the head into the base), so the head commit itself is not in it.
 */
function checkOutPullRequestMerge(baseChange: (dir: string) => void) {
  const { project } = scenario as FaultScenario
  const git = project.git
  git(['branch', 'feature', 'HEAD'])
  git(['push', '-q', 'origin', 'feature'])
  const headSha = git(['rev-parse', 'feature']).trim()
  git(['reset', '-q', '--hard', 'HEAD~1'])
  baseChange(project.dir)
  git(['add', '-A'])
  git(['commit', '-q', '-m', 'base moves on'])
  git(['push', '-q', '-f', 'origin', 'main'])
  const baseSha = git(['rev-parse', 'main']).trim()
  git(['checkout', '-q', '--detach', 'main'])
  git(['merge', '-q', '--no-ff', '--no-edit', 'feature'])
  git(['push', '-q', 'origin', 'HEAD:refs/pull/1/merge'])
  const mergeSha = git(['rev-parse', 'HEAD']).trim()
  fs.rmSync(path.join(project.dir, '.git'), { recursive: true, force: true })
  git(['init', '-q'])
  git(['remote', 'add', 'origin', `file://${project.originDir}`])
  git(['fetch', '-q', '--no-tags', '--depth=1', 'origin', '+refs/pull/1/merge:refs/remotes/pull/1/merge'])
  git(['reset', '-q', '--hard', 'refs/remotes/pull/1/merge'])
  git(['checkout', '-q', '--detach', 'refs/remotes/pull/1/merge'])
  const event = {
    number: 1,
    pull_request: {
      number: 1,
      head: { ref: 'feature', sha: headSha, repo: { full_name: 'octo/project' } },
      base: { ref: 'main', sha: baseSha, repo: { full_name: 'octo/project' } }
    }
  }
  return { headSha, mergeSha, event }
}

const headMissing = (dir: string, sha: string): boolean => {
  try {
    runGitSync(dir, ['cat-file', '-e', `${sha}^{commit}`])
    return false
  } catch {
    return true
  }
}

describe('on pull_request the fix is built on the pull request head, not on the merge commit checked out', () => {
  const addNews = (dir: string) => fs.writeFileSync(path.join(dir, 'NEWS.md'), '# News\n\nOnly on main.\n')

  it('pull-request: the fix PR goes against the head branch with one commit on the head; nothing of the base in it', async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const { headSha, event } = checkOutPullRequestMerge(addNews)
    expect(headMissing(scenario.project.dir, headSha)).toBe(true)
    const before = await snapshotTracked(scenario.project.dir)
    const status = await trackedStatus(scenario.project.dir)

    const result = await scenario.run({}, {}, { eventName: 'pull_request', event })
    expect(errorsOf(result)).toEqual([])
    expect(result.outputs.result).toBe('fixed')
    const branch = result.outputs.branch
    expect(branch).toMatch(/^pytest-fixer\/feature\/[0-9a-f]{12}$/)
    expect(origin(['rev-parse', `${branch}~1`])).toBe(headSha)
    expect(origin(['rev-list', '--count', `feature..${branch}`])).toBe('1')
    expect(origin(['rev-list', '--merges', `feature..${branch}`])).toBe('')
    expect(origin(['diff', '--name-only', 'feature', branch])).toBe(item.file)
    expect(origin(['ls-tree', '--name-only', branch, 'NEWS.md'])).toBe('')
    // the change under test is the pull request's own: its base fetched into the shallow merge checkout, the
    // base's own change (NEWS.md) not in it
    expect(reportOf(result).changeUnderTest).toMatchObject({ why: expect.stringMatching(/^pull request #1/), files: [item.file] })
    const prompt = JSON.stringify(scenario.model.requests[0].body.messages)
    expect(prompt).toContain('## The change under test')
    expect(prompt).toContain(JSON.stringify(`+${item.replace}`).slice(1, -3))
    expect(prompt).not.toContain('NEWS.md')
    const [pull] = scenario.github.state.pulls
    expect(pull.base.ref).toBe('feature')
    expect(pull.head.ref).toBe(branch)
    const checkout = await cloneBranch(scenario.project.originDir, branch)
    clones.push(checkout)
    expect(pytestPasses(checkout)).toBe(true)
    expect(await snapshotTracked(scenario.project.dir)).toEqual(before)
    expect(await trackedStatus(scenario.project.dir)).toBe(status)
    expectNoSecrets(scenario)
  })

  it.each(['pull-request', 'push'])('%s, a wrong answer: nothing pushed anywhere, no PR, the merge checkout byte-identical', async mode => {
    scenario = await setUpFault(item, { script: [{ content: uselessAnswer(item) }] })
    const { event } = checkOutPullRequestMerge(addNews)
    const refsBefore = origin(['for-each-ref', '--format=%(refname) %(objectname)'])
    const before = await snapshotTracked(scenario.project.dir)
    const status = await trackedStatus(scenario.project.dir)

    const result = await scenario.run({ mode, 'max-attempts': '1' }, {}, { eventName: 'pull_request', event })
    expect(result.outputs.result).toBe('not-fixed')
    expect(origin(['for-each-ref', '--format=%(refname) %(objectname)'])).toBe(refsBefore)
    expect(scenario.github.state.pulls).toEqual([])
    expect(await snapshotTracked(scenario.project.dir)).toEqual(before)
    expect(await trackedStatus(scenario.project.dir)).toBe(status)
  })

  it('push: one commit onto the head branch, built on the head; the merge is never pushed, main untouched', async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const { headSha, mergeSha, event } = checkOutPullRequestMerge(addNews)
    const mainBefore = origin(['rev-parse', 'main'])
    const before = await snapshotTracked(scenario.project.dir)

    const result = await scenario.run({ mode: 'push' }, {}, { eventName: 'pull_request', event })
    expect(errorsOf(result)).toEqual([])
    expect(result.outputs.result).toBe('fixed')
    expect(result.outputs.branch).toBe('feature')
    expect(origin(['rev-list', '--parents', '-n', '1', 'feature']).split(' ')).toEqual([expect.stringMatching(/^[0-9a-f]{40}$/), headSha])
    expect(origin(['rev-list', '--merges', `${headSha}..feature`])).toBe('')
    expect(() => origin(['merge-base', '--is-ancestor', mergeSha, 'feature'])).toThrow() // the merge is not in the branch
    expect(origin(['rev-parse', 'main'])).toBe(mainBefore)
    expect(origin(['ls-tree', '--name-only', 'feature', 'NEWS.md'])).toBe('')
    expect(scenario.project.git(['rev-parse', 'HEAD']).trim()).toBe(mergeSha)
    expect(await snapshotTracked(scenario.project.dir)).toEqual(before)
  })

  it('push with a wrong answer: the head branch does not move', async () => {
    scenario = await setUpFault(item, { script: [{ content: uselessAnswer(item) }] })
    const { headSha, event } = checkOutPullRequestMerge(addNews)
    const result = await scenario.run({ mode: 'push', 'max-attempts': '1' }, {}, { eventName: 'pull_request', event })
    expect(result.outputs.result).toBe('not-fixed')
    expect(origin(['rev-parse', 'feature'])).toBe(headSha)
    expect(scenario.github.requests).toEqual([])
  })

  it('the base branch changed the file the fix edits: refused with the checkout remedy, nothing pushed', async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const { headSha, event } = checkOutPullRequestMerge(dir => {
      const file = path.join(dir, item.file)
      fs.writeFileSync(file, `# Stock keeping. (a note added on main)\n${fs.readFileSync(file, 'utf8')}`)
    })
    const before = await snapshotTracked(scenario.project.dir)
    const result = await scenario.run({}, {}, { eventName: 'pull_request', event })
    expectOneClearError(
      result,
      /merge commit of pull request #1/,
      new RegExp(`'${item.file.replace('.', '\\.')}' differ`),
      /ref: \$\{\{ github\.head_ref \}\}/
    )
    expect(result.outputs.result).toBe('fixed')
    expect(origin(['for-each-ref', '--format=%(refname:short)', 'refs/heads']).split('\n').sort()).toEqual(['feature', 'main'])
    expect(origin(['rev-parse', 'feature'])).toBe(headSha)
    expect(scenario.github.state.pulls).toHaveLength(0)
    expect(reportOf(result).patch).toContain(`+${item.search.replace(/\n$/, '')}`)
    expect(await snapshotTracked(scenario.project.dir)).toEqual(before)
  })
})

describe('on push the change under test is before..after, also from a depth-1 checkout', () => {
  /** What actions/checkout leaves by default: only the pushed commit, its parent not in the clone. */
  function shallowCheckout(): { before: string; after: string } {
    const { project } = scenario as FaultScenario
    const before = project.git(['rev-parse', 'HEAD~1']).trim()
    const after = project.git(['rev-parse', 'HEAD']).trim()
    fs.rmSync(path.join(project.dir, '.git'), { recursive: true, force: true })
    project.git(['init', '-q'])
    project.git(['remote', 'add', 'origin', `file://${project.originDir}`])
    project.git(['fetch', '-q', '--no-tags', '--depth=1', 'origin', '+refs/heads/main:refs/remotes/origin/main'])
    project.git(['checkout', '-q', '-f', '-B', 'main', 'refs/remotes/origin/main'])
    expect(headMissing(project.dir, before)).toBe(true)
    return { before, after }
  }

  it('fetches the before commit and shows the pushed change first', async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const { before, after } = shallowCheckout()
    const result = await scenario.run({ mode: 'dry-run' }, {}, { eventName: 'push', event: { before, after } })
    expect(errorsOf(result)).toEqual([])
    expect(result.outputs.result).toBe('fixed')
    const report = reportOf(result)
    expect(report.changeUnderTest).toEqual({ why: `push ${before.slice(0, 7)}..${after.slice(0, 7)}`, base: before, files: [item.file] })
    expect(report.groups[0].localization).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: item.file, why: expect.arrayContaining(['changed in the range']) })])
    )
    const user = (scenario.model.requests[0].body.messages as Array<{ content: string }>)[1].content
    expect(user.indexOf('## The change under test')).toBeLessThan(user.indexOf('## Code'))
    expect(user).toContain(`+${item.replace.trimEnd()}`)
  })

  it('a known-good-ref that is no ref: said in the report, the file history stands in, the fix still verified', async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const result = await scenario.run({ mode: 'dry-run', 'known-good-ref': 'v9.9.9' })
    expect(result.outputs.result).toBe('fixed')
    const report = reportOf(result)
    expect(report.changeUnderTest).toMatchObject({ why: 'known-good-ref v9.9.9', base: null, files: [] })
    expect(report.changeUnderTest.unavailable).toMatch(/'v9\.9\.9' is no commit, branch or tag/)
    expect(report.messages.join('\n')).toContain('The change under test is not shown')
    const user = (scenario.model.requests[0].body.messages as Array<{ content: string }>)[1].content
    expect(user).not.toContain('## The change under test')
  })

  it('a known-good-ref git would read as an option is refused before anything runs', async () => {
    scenario = await setUpFault(item, { script: [] })
    const result = await scenario.run({ 'known-good-ref': '--output=/tmp/x' })
    expectOneClearError(result, /Input 'known-good-ref' is '--output=\/tmp\/x': expected a commit sha, branch or tag/)
    expect(scenario.model.requests).toHaveLength(0)
  })
})

describe('a pull request from a fork gets no secrets', () => {
  it('an empty api-key there is a clear notice naming the if: guard, not an input error; nothing runs or changes', async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const event = {
      number: 5,
      pull_request: {
        number: 5,
        head: { ref: 'feature', sha: 'a'.repeat(40), repo: { full_name: 'someone/project' } },
        base: { ref: 'main', repo: { full_name: 'octo/project' } }
      }
    }
    const result = await scenario.run({ 'api-key': '' }, {}, { eventName: 'pull_request', event })
    expect(result.exitCode).toBe(0)
    expect(errorsOf(result)).toEqual([])
    expect(result.stdout).not.toContain("Input 'api-key' is empty")
    const notices = result.commands.filter(command => command.command === 'notice').map(command => command.message)
    expect(notices).toEqual([expect.stringContaining('fork someone/project')])
    expect(notices[0]).toContain('if: failure() && github.event.pull_request.head.repo.full_name == github.repository')
    expect(result.outputs.result).toBe('not-fixed')
    expect(reportOf(result).messages[0]).toBe(notices[0])
    expect(scenario.model.requests).toHaveLength(0)
    expect(scenario.github.requests).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})

describe('a re-run never force-pushes over commits someone else added to the fix branch', () => {
  it('our commits carry the trailer; a foreign commit on top is kept and the new fix goes into one PR comment', async () => {
    scenario = await setUpFault(item, { script: [{ content: correctAnswer(item) }] })
    const first = await scenario.run()
    const branch = first.outputs.branch
    expect(first.outputs['pull-request-operation']).toBe('created')
    const fingerprint = branch.split('/').pop() as string
    expect(origin(['log', '-1', '--format=%B', branch])).toMatch(new RegExp(`\\n\\nPytest-Fixer-Fingerprint: ${fingerprint}$`))

    // a reviewer pushes a commit of their own onto the fix branch
    const checkout = await cloneBranch(scenario.project.originDir, branch)
    clones.push(checkout)
    fs.appendFileSync(path.join(checkout, 'inventory', 'store.py'), '\n# reviewed by Alice\n')
    const asAlice = {
      GIT_AUTHOR_NAME: 'Alice',
      GIT_AUTHOR_EMAIL: 'alice@example.com',
      GIT_COMMITTER_NAME: 'Alice',
      GIT_COMMITTER_EMAIL: 'alice@example.com'
    }
    execFileSync('git', ['commit', '-q', '-am', 'Note the review'], { cwd: checkout, env: { ...process.env, ...asAlice } })
    execFileSync('git', ['push', '-q', 'origin', `HEAD:${branch}`], { cwd: checkout })
    const aliceTip = origin(['rev-parse', branch])
    const pull = scenario.github.state.pulls[0]
    const { title, body } = pull

    const second = await scenario.run()
    expect(second.exitCode).toBe(0)
    expect(errorsOf(second)).toEqual([])
    expect(second.outputs.result).toBe('fixed')
    expect(origin(['rev-parse', branch])).toBe(aliceTip)
    expect(second.outputs['pull-request-operation']).toBe('none')
    expect(second.outputs['pull-request-number']).toBe(String(pull.number))
    expect(reportOf(second).messages.join('\n')).toMatch(
      new RegExp(
        `Not updating branch '${branch}': its tip ${aliceTip.slice(0, 7)} \\(alice@example.com: Note the review\\) is not a commit of pytest-fixer`
      )
    )
    expect([pull.title, pull.body]).toEqual([title, body])
    expect(scenario.github.state.comments).toHaveLength(1)
    expect(scenario.github.state.comments[0].body).toContain('did not update this branch')
    expect(scenario.github.state.comments[0].body).toContain(`+${item.search.replace(/\n$/, '')}`)

    const third = await scenario.run() // the same again: said once
    expect(origin(['rev-parse', branch])).toBe(aliceTip)
    expect(third.outputs['pull-request-operation']).toBe('none')
    expect(scenario.github.state.comments).toHaveLength(1)
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })
})
