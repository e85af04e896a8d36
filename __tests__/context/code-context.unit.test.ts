import { describe, expect, it, beforeAll } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fitCodeContext, mergeSpans } from '../../src/context/code-context.js'
import { diskFiles, ProjectSources } from '../../src/context/project-sources.js'
import { Tier, spansAround, type CodeRegion } from '../../src/context/regions.js'
import { countTokens, loadTokenizer } from '../../src/context/tokens.js'
import { fixturesDir } from './pytest-failures.js'

// counting needs the tokenizer's tables, loaded on first use
beforeAll(() => loadTokenizer())

const repoRoot = path.join(fixturesDir, 'inventory')
const sources = new ProjectSources({ repoRoot, workDir: repoRoot, rootDir: repoRoot }, diskFiles)
const reports = 'src/inventory/reports.py'
const reportLines = readFileSync(path.join(repoRoot, reports), 'utf8').split('\n')
const lineOf = (text: string): number => reportLines.findIndex(line => line.includes(text)) + 1

async function regions(): Promise<CodeRegion[]> {
  const widthsLine = lineOf('widths.append(')
  const testLine = 7
  return [
    {
      file: reports,
      tier: Tier.Error,
      spans: await spansAround(sources, reports, { line: widthsLine }),
      focus: { start: widthsLine, end: widthsLine },
      note: 'error raised here'
    },
    {
      file: 'tests/test_reports.py',
      tier: Tier.Test,
      spans: await spansAround(sources, 'tests/test_reports.py', { line: testLine }),
      focus: { start: 6, end: 13 },
      note: 'test'
    },
    {
      file: 'src/inventory/stock.py',
      tier: Tier.Imported,
      spans: await spansAround(sources, 'src/inventory/stock.py', { line: 1 }),
      focus: { start: 1, end: 1 },
      note: 'imported'
    }
  ]
}

describe('fitting code into the token budget', () => {
  it.each([150, 300, 600, 1200, 8000])('never exceeds a budget of %i tokens', async budget => {
    const context = await fitCodeContext(await regions(), sources, budget)
    expect(context.tokens).toBeLessThanOrEqual(budget)
    expect(countTokens(context.text)).toBe(context.tokens)
  })

  it('keeps the most relevant code when the budget is tight, and names what it left out', async () => {
    const context = await fitCodeContext(await regions(), sources, 300)
    expect(context.files[0]).toBe(reports)
    expect(context.text).toContain('        widths.append(max(len(_cell(row[column])) for row in rows))')
    expect(context.notShown).toContain('src/inventory/stock.py')
  })

  it('shows everything, small files whole, when the budget allows', async () => {
    const context = await fitCodeContext(await regions(), sources, 8000)
    expect(context.files).toEqual([reports, 'tests/test_reports.py', 'src/inventory/stock.py'])
    expect(context.text).toContain('### src/inventory/stock.py (whole file, 38 lines)')
    expect(context.notShown).toEqual([])
  })
})

describe('showing code the way SEARCH blocks must copy it', () => {
  it('prints lines exactly as in the file, without line numbers, with the range in the heading', async () => {
    const context = await fitCodeContext(await regions(), sources, 8000)
    const def = lineOf('def _column_widths')
    expect(context.text).toMatch(new RegExp(`### src/inventory/reports.py \\(lines ${def}-\\d+ of 180\\)`))
    expect(context.text).toContain(`\n${reportLines[def - 1]}\n${reportLines[def]}\n`)
    expect(context.text).not.toMatch(/^\s*\d+ \| /m)
  })

  it('quotes the line a note is about', async () => {
    const context = await fitCodeContext(await regions(), sources, 8000)
    expect(context.text).toContain(
      `- line ${lineOf('widths.append(')} \`widths.append(max(len(_cell(row[column])) for row in rows))\`: error raised here`
    )
  })

  it('joins excerpts that overlap or nearly touch', () => {
    expect(
      mergeSpans([
        { start: 20, end: 30 },
        { start: 1, end: 5 },
        { start: 8, end: 12 },
        { start: 25, end: 40 }
      ])
    ).toEqual([
      { start: 1, end: 12 },
      { start: 20, end: 40 }
    ])
  })
})
