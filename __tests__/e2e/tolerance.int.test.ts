// The tolerance corpus through the bundled action, one attempt each: a correct fix written in every shape models
// answer in ends as a verified fix whose file is byte for byte the fixed file (the diff shows only the changed
// lines); the same shapes with a subtly wrong fix are rejected by verification; a SEARCH that matches two places
// is never applied. Every shape runs here on a rotating subset of bugs; every bug × shape runs through the
// applier and real pytest in __tests__/edits/tolerance.int.test.ts, and end to end in `npm run bench`.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { structuredPatch } from 'diff'
import { fixText, shapes, withDuplicatedRegion } from '../harness/tolerance-corpus.mjs'
import { bug, setUpScenario } from './scenario.js'

type Scenario = Awaited<ReturnType<typeof setUpScenario>>
let scenario: Scenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

/** One bug per fixture project, each a different kind of change. */
const subset = ['flat-remove-refuses-last-units', 'src-wrap-loses-last-line', 'geo-center-swapped', 'bank-ledger-unclosed-paren'].map(bug)
const report = (outputs: Record<string, string>) => JSON.parse(fs.readFileSync(outputs.report, 'utf8'))
const changedLineCount = (diff: string): number => diff.split('\n').filter(line => /^[-+](?![-+]{2} )/.test(line)).length

describe('a correct fix in every shape becomes a verified fix on attempt 1, byte-exact', () => {
  it.each(shapes.map((shape, index) => [shape.name, index]))('%s', async (_name, index) => {
    const item = subset[(index as number) % subset.length]
    const text = fixText(item)
    scenario = await setUpScenario(item, [{ content: shapes[index as number].answer(text) }])
    const result = await scenario.run({ 'max-attempts': '1', mode: 'apply', 'flaky-reruns': '0' })
    expect(result.outputs.result).toBe('fixed')
    expect(fs.readFileSync(path.join(scenario.project.dir, item.file), 'utf8')).toBe(text.fixedFile)
    // only the lines the fix changes: what the exact answer changes, nothing more
    const [attempt] = report(result.outputs).groups[0].attempts
    const minimal = structuredPatch('a', 'b', text.buggyFile, text.fixedFile, '', '', { context: 0 }).hunks.flatMap(hunk => hunk.lines)
    expect(changedLineCount(attempt.diff)).toBe(minimal.filter(line => /^[-+]/.test(line)).length)
    expect(scenario.project.git(['status', '--porcelain']).trim()).toBe(`M ${item.file}`)
  })
})

describe('no shape lets a wrong or ambiguous edit through', () => {
  it.each([['dedented'], ['unified diff'], ['whole file'], ['one context line misremembered']])(
    'a subtly wrong fix written %s applies, is rejected by verification, and nothing is published',
    async name => {
      const item = subset[0]
      const shape = shapes.find(candidate => candidate.name === name)
      if (shape === undefined) throw new Error(`no shape ${name}`)
      scenario = await setUpScenario(item, [{ content: shape.answer(fixText(item, { wrong: true })) }])
      const result = await scenario.run({ 'max-attempts': '1', 'flaky-reruns': '0' })
      expect(result.outputs.result).toBe('not-fixed')
      const [attempt] = report(result.outputs).groups[0].attempts
      expect(attempt.outcome).toBe('rejected')
      expect(attempt.filesChanged).toEqual([item.file]) // it applied: verification, not the applier, said no
      expect(scenario.github.state.pulls).toHaveLength(0)
      expect(await scenario.treeUnchanged()).toBe(true)
    }
  )

  it.each([['dedented'], ['elided'], ['unified diff'], ['basename path']])(
    'a fix written %s whose SEARCH matches two places is never applied',
    async name => {
      const item = subset[0]
      const text = fixText(item)
      const shape = shapes.find(candidate => candidate.name === name)
      if (shape === undefined) throw new Error(`no shape ${name}`)
      const duplicated = withDuplicatedRegion(text)
      // the whole fixture file becomes the buggy file with the region twice
      scenario = await setUpScenario({ ...item, search: text.fixedFile, replace: duplicated }, [{ content: shape.answer(text) }])
      const result = await scenario.run({ 'max-attempts': '1', 'flaky-reruns': '0' })
      expect(result.outputs.result).toBe('not-fixed')
      const [attempt] = report(result.outputs).groups[0].attempts
      expect(attempt.reason).toMatch(/matches \d+ places in inventory\/store\.py/)
      expect(attempt.filesChanged).toEqual([])
      expect(await scenario.treeUnchanged()).toBe(true)
    }
  )
})
