// The change under test in the prompt: its diff for the files on the failing tests' path, ahead of the code, and
// the lines it touched as the highest-ranked code regions after the error itself.
import type { ChangeUnderTest, ChangedFile } from './change-under-test.js'
import { fence } from './fence.js'
import type { ProjectSources } from './project-sources.js'
import { spansAround, Tier, type CodeRegion } from './regions.js'
import { countTokens, trimToTokens } from './tokens.js'

export interface ChangeSection {
  /** '' when the change touched nothing on the failing tests' path */
  text: string
  tokens: number
  /** the files whose diff it shows */
  files: string[]
}

const maxRegionsPerFile = 6
const maxNamed = 12

/** The changed files on the failing tests' path, in the order of `ranked` (the localization's files, best first). */
export function relevantChanges(change: ChangeUnderTest, reached: Set<string>, ranked: string[]): ChangedFile[] {
  const order = (file: string): number => {
    const index = ranked.indexOf(file)
    return index < 0 ? ranked.length : index
  }
  return change.files.filter(file => reached.has(file.path)).sort((a, b) => order(a.path) - order(b.path))
}

/** Regions around the changed lines: each run of nearby changed lines is one region. */
export async function changeRegions(files: ChangedFile[], why: string, sources: ProjectSources): Promise<CodeRegion[]> {
  const regions: CodeRegion[] = []
  for (const file of files) {
    if (!file.path.endsWith('.py')) continue
    const runs: Array<{ start: number; end: number }> = []
    for (const line of file.lines) {
      const last = runs[runs.length - 1]
      if (last && line <= last.end + 3) last.end = line
      else runs.push({ start: line, end: line })
    }
    for (const run of runs.slice(0, maxRegionsPerFile)) {
      const spans = await spansAround(sources, file.path, { line: run.start })
      regions.push({ file: file.path, tier: Tier.Changed, spans, focus: run, note: `changed in ${why}` })
    }
  }
  return regions
}

/** The section: the diffs that fit `budget`, the other changed files named. */
export function renderChange(change: ChangeUnderTest, relevant: ChangedFile[], budget: number): ChangeSection {
  const intro =
    `## The change under test\nThe tests failed after this change (${change.why}): the lines it touched are the first ` +
    'place to look. Diffs of the code under test that the failing tests reach (old → new; copy SEARCH lines from the ' +
    'Code section, not from a diff):'
  const parts: string[] = []
  const files: string[] = []
  let left = budget - countTokens(intro) - 40
  for (const file of relevant) {
    if (left < 120) break
    const heading = `### ${file.path}`
    const body = trimToTokens(file.diff, left - countTokens(heading) - 10, 'head')
    const part = `${heading}\n${fence(body, 'diff')}`
    const cost = countTokens(part) + 2
    if (cost > left) break
    parts.push(part)
    files.push(file.path)
    left -= cost
  }
  const others = change.files.map(file => file.path).filter(file => !files.includes(file))
  const notes: string[] = []
  if (others.length > 0) {
    const more = others.length > maxNamed ? ` and ${others.length - maxNamed} more` : ''
    notes.push(`Also changed in the range, not shown: ${others.slice(0, maxNamed).join(', ')}${more}.`)
  }
  if (change.testFiles.length > 0) {
    const more = change.testFiles.length > maxNamed ? ` and ${change.testFiles.length - maxNamed} more` : ''
    notes.push(`Tests changed in the range too: ${change.testFiles.slice(0, maxNamed).join(', ')}${more}.`)
  }
  if (files.length === 0) return { text: '', tokens: 0, files }
  const text = [intro, ...parts, ...notes].join('\n\n')
  return { text, tokens: countTokens(text), files }
}
