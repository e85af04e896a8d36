// Only verified edits are published, byte for byte, through the bundled action: a project with a Latin-1 source
// module (a PEP 263 coding line, é and à in its strings) and a Latin-1 data file with no coding line. A correct
// answer ends fixed with the Latin-1 bytes intact on the pushed branch; a wrong one publishes nothing in any
// mode and leaves every file's bytes as they were.
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { cloneBranch, projectsDir, runGitSync } from '../harness/git-repo.mjs'
import type { Bug } from './scenario.js'
import { correctAnswer, uselessAnswer } from './scenario.js'
import { errorsOf, expectNoSecrets, reportOf, setUpFault, type FaultScenario } from '../faults/fault-scenario.js'

let scenario: FaultScenario | undefined
const clones: string[] = []
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
  for (const dir of clones.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

/** Swaps euros and cents on a line that holds an à: the fix must write that line back in Latin-1. */
const latin1Bug: Bug = {
  id: 'latin1-total-swapped',
  project: 'latin1_legacy',
  kind: 'swapped-arguments',
  file: 'cafe/receipts.py',
  encoding: 'latin1',
  search: '    return "Total à payer : %d,%02d EUR" % (euros, rest)\n',
  replace: '    return "Total à payer : %d,%02d EUR" % (rest, euros)\n',
  expectFailing: ['tests/test_receipts.py::test_total_line_in_euros_and_cents']
}
const originalModule = fs.readFileSync(path.join(projectsDir, 'latin1_legacy', 'cafe', 'receipts.py'))
const originalMenu = fs.readFileSync(path.join(projectsDir, 'latin1_legacy', 'cafe', 'menu.txt'))
const replacementCharacter = Buffer.from([0xef, 0xbf, 0xbd])

/** An edit that applies to the Latin-1 line but fixes nothing: rejected, its file must come back byte for byte. */
const wrongAnswer = uselessAnswer(latin1Bug) // adds a comment to a line of the Latin-1 module
const wrongAnswerOnTheAccentedLine = `cafe/receipts.py\n<<<<<<< SEARCH\n${latin1Bug.replace}=======\n${latin1Bug.replace.replace('\n', '  # déjà vu\n')}>>>>>>> REPLACE\n`

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

const show = (ref: string, file: string): Buffer =>
  execFileSync('git', ['show', `${ref}:${file}`], { cwd: scenario?.project.originDir, maxBuffer: 1 << 24 })

describe('a correct answer on a Latin-1 module: fixed, and its bytes stay Latin-1', () => {
  it('pull-request: the pushed branch passes on its own and holds the original Latin-1 bytes; the tree is as before', async () => {
    scenario = await setUpFault(latin1Bug, { script: [{ content: correctAnswer(latin1Bug) }] })
    const result = await scenario.run()
    expect(errorsOf(result)).toEqual([])
    expect(result.outputs.result).toBe('fixed')
    expect(result.outputs['pull-request-operation']).toBe('created')
    const branch = result.outputs.branch
    expect(scenario.pushedBranches()).toEqual([branch])
    expect(show(branch, 'cafe/receipts.py')).toEqual(originalModule) // the fix undoes the bug exactly, in Latin-1
    expect(show(branch, 'cafe/menu.txt')).toEqual(originalMenu)
    expect(runGitSync(scenario.project.originDir, ['diff', '--name-only', 'main', branch]).trim()).toBe('cafe/receipts.py')
    const checkout = await cloneBranch(scenario.project.originDir, branch)
    clones.push(checkout)
    expect(pytestPasses(checkout)).toBe(true)

    // the prompt shows the module in its own encoding, so a model can copy its lines exactly
    expect(JSON.stringify(scenario.model.requests[0].body.messages)).toContain('Total à payer')
    const [pull] = scenario.github.state.pulls
    expect(pull.title).toBe(`Fix failing test ${latin1Bug.expectFailing[0]}`)
    expect(reportOf(result).patch).toContain('+    return "Total à payer : %d,%02d EUR" % (euros, rest)')
    expect(await scenario.treeUnchanged()).toBe(true)
    expectNoSecrets(scenario)
  })

  it('push: one commit onto the branch, Latin-1 bytes intact, the working tree clean and equal to it', async () => {
    scenario = await setUpFault(latin1Bug, { script: [{ content: correctAnswer(latin1Bug) }] })
    const before = scenario.project.git(['rev-parse', 'HEAD']).trim()
    const result = await scenario.run({ mode: 'push' })
    expect(result.outputs.result).toBe('fixed')
    expect(result.outputs.branch).toBe('main')
    expect(runGitSync(scenario.project.originDir, ['rev-parse', 'main~1']).trim()).toBe(before)
    expect(show('main', 'cafe/receipts.py')).toEqual(originalModule)
    expect(fs.readFileSync(path.join(scenario.project.dir, 'cafe', 'receipts.py'))).toEqual(originalModule)
    expect(scenario.project.git(['status', '--porcelain', '--untracked-files=all'])).toBe('')
  })

  it('an answer that writes a character Latin-1 lacks is refused with the reason, and the next answer fixes it', async () => {
    const euroAnswer = correctAnswer(latin1Bug).replace('%02d EUR" % (euros, rest)', '%02d €" % (euros, rest)')
    scenario = await setUpFault(latin1Bug, { script: [{ content: euroAnswer }, { content: correctAnswer(latin1Bug) }] })
    const result = await scenario.run({ mode: 'dry-run' })
    expect(result.outputs.result).toBe('fixed')
    const attempts = reportOf(result).groups[0].attempts
    expect(attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(['error', 'accepted'])
    expect(attempts[0].reason).toMatch(
      /cafe\/receipts\.py: the file is latin-1 and the edit writes '€' \(U\+20AC\), which latin-1 cannot hold/
    )
    expect(JSON.stringify(scenario.model.requests[1].body.messages)).toContain('which latin-1 cannot hold')
    expect(await scenario.treeUnchanged()).toBe(true)
  })

  it('an answer that edits the Latin-1 data file with no coding line is refused, never rewritten', async () => {
    const menuAnswer = 'cafe/menu.txt\n<<<<<<< SEARCH\nCafé crème\n=======\nCafé au lait\n>>>>>>> REPLACE\n'
    scenario = await setUpFault(latin1Bug, { script: [{ content: menuAnswer }, { content: correctAnswer(latin1Bug) }] })
    const result = await scenario.run({ mode: 'apply' })
    expect(result.outputs.result).toBe('fixed')
    const attempts = reportOf(result).groups[0].attempts
    expect(attempts[0].reason).toMatch(/cafe\/menu\.txt cannot be edited: it is not valid UTF-8 and declares no other encoding/)
    expect(fs.readFileSync(path.join(scenario.project.dir, 'cafe', 'menu.txt'))).toEqual(originalMenu)
    expect(fs.readFileSync(path.join(scenario.project.dir, 'cafe', 'receipts.py'))).toEqual(originalModule) // apply: the fix is left in the tree
    expect(scenario.project.git(['status', '--porcelain', '--untracked-files=all']).trim()).toBe('M cafe/receipts.py')
  })
})

describe('a wrong answer on a Latin-1 module publishes nothing, in every mode, and leaves every byte as it was', () => {
  it.each(['pull-request', 'push'])('mode %s: nothing pushed, no PR, the branch where it was, the tree byte-identical', async mode => {
    scenario = await setUpFault(latin1Bug, { script: [{ content: wrongAnswer }, { content: wrongAnswerOnTheAccentedLine }] })
    const head = scenario.project.git(['rev-parse', 'HEAD']).trim()
    const originHead = runGitSync(scenario.project.originDir, ['rev-parse', 'main']).trim()
    const result = await scenario.run({ mode, 'max-attempts': '2' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('not-fixed')
    expect(reportOf(result).groups[0].attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(['rejected', 'rejected'])
    expect(result.outputs.branch).toBe('')
    expect(result.outputs['pull-request-operation']).toBe('none')
    expect(reportOf(result).patch).toBe('')
    expect(scenario.pushedBranches()).toEqual([])
    expect(runGitSync(scenario.project.originDir, ['rev-parse', 'main']).trim()).toBe(originHead)
    expect(scenario.project.git(['rev-parse', 'HEAD']).trim()).toBe(head)
    expect(scenario.github.requests).toEqual([])
    expect(scenario.github.state.pulls).toHaveLength(0)
    expect(await scenario.treeUnchanged()).toBe(true) // every tracked file's bytes, and nothing new or staged
    const module = fs.readFileSync(path.join(scenario.project.dir, 'cafe', 'receipts.py'))
    expect(module.includes(replacementCharacter)).toBe(false)
    expect(module.includes(Buffer.from('Caf\xe9 No\xebl', 'latin1'))).toBe(true)
    expect(result.summary).not.toContain('The verified patch')
    expectNoSecrets(scenario)
  })

  it.each(['apply', 'dry-run'])('mode %s: the tree byte-identical, no patch reported', async mode => {
    scenario = await setUpFault(latin1Bug, { script: [{ content: wrongAnswerOnTheAccentedLine }] })
    const result = await scenario.run({ mode, 'max-attempts': '1' })
    expect(result.outputs.result).toBe('not-fixed')
    expect(reportOf(result).patch).toBe('')
    expect(scenario.pushedBranches()).toEqual([])
    expect(scenario.github.requests).toEqual([])
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
