// One conversation per root cause: groups that the intake keeps apart (each assertion fails on its own test line)
// but whose failing code reaches the very same changed code of the change under test are one group. A bug
// in `total_value()` that breaks three tests in three files is one question to the model, not three.
import type { Group, Layout } from '../domain.js'
import type { ChangeUnderTest } from './change-under-test.js'
import { localizeGroup } from './localize.js'
import { diskFiles, ProjectSources, type SourceFiles } from './project-sources.js'
import { innermostBlock } from './python-source.js'
import { Tier } from './regions.js'

/** Regions that say the failing code runs this code: the error, fixtures, callees, frames (not "imported by"). */
const runTiers = new Set<number>([Tier.Error, Tier.Fixture, Tier.Callee, Tier.Frame, Tier.Imported])

/**
 * The groups with those that reach the same changed defs (and no other changed def) merged into the first of
 * them, which keeps its fingerprint. Groups that reach no changed code stay as they are.
 */
export async function mergeByChangedCode(
  groups: Group[],
  change: ChangeUnderTest,
  layout: Layout,
  files: SourceFiles = diskFiles
): Promise<Group[]> {
  if (groups.length < 2 || change.files.length === 0) return groups
  const sources = new ProjectSources(layout, files)
  const units = await changedUnits(change, sources)
  if (units.length === 0) return groups
  const merged: Group[] = []
  const byReach = new Map<string, Group>()
  for (const group of groups) {
    const reach = await reachedUnits(group, units, sources)
    const into = reach === '' ? undefined : byReach.get(reach)
    if (into === undefined) {
      const copy = { fingerprint: group.fingerprint, failures: [...group.failures] }
      merged.push(copy)
      if (reach !== '') byReach.set(reach, copy)
      continue
    }
    into.failures.push(...group.failures)
  }
  // the failures themselves carry their group (the report's `failures[].group`), as the intake's grouping set it
  for (const group of merged) for (const failure of group.failures) failure.group = group.fingerprint
  return merged
}

interface ChangedUnit {
  key: string
  file: string
  /** the changed lines in it */
  lines: number[]
  /** the def's extent, or the module's for a change at module level */
  start: number
  end: number
}

/** Each changed def (or module level) of the changed Python files. */
async function changedUnits(change: ChangeUnderTest, sources: ProjectSources): Promise<ChangedUnit[]> {
  const units = new Map<string, ChangedUnit>()
  for (const file of change.files) {
    const module = file.path.endsWith('.py') ? await sources.python(file.path) : null
    if (!module) continue
    for (const line of file.lines) {
      const block = innermostBlock(module, line, 'def')
      const key = `${file.path}:${block?.start ?? 0}`
      const unit = units.get(key) ?? {
        key,
        file: file.path,
        lines: [],
        start: block?.start ?? 1,
        end: block?.end ?? module.lines.length
      }
      unit.lines.push(line)
      units.set(key, unit)
    }
  }
  return [...units.values()]
}

/** The changed units the group's failing code runs, as one sorted key; '' for none. */
async function reachedUnits(group: Group, units: ChangedUnit[], sources: ProjectSources): Promise<string> {
  const localization = await localizeGroup(group, sources)
  const reached = new Set<string>()
  for (const region of localization.regions) {
    if (!runTiers.has(region.tier)) continue
    const lines = (await sources.python(region.file))?.lines.length ?? 0
    // a whole module shown because a test imports it says nothing of what runs
    const wholeModule = region.focus.start === 1 && region.focus.end >= lines
    for (const unit of units) {
      if (unit.file !== region.file) continue
      const covers = unit.lines.some(line => region.focus.start <= line && line <= region.focus.end)
      if (covers && (!wholeModule || unit.start === 1)) reached.add(unit.key)
    }
  }
  return [...reached].sort().join('\n')
}
