// Input `tests`: what a manual run aims at, as node ids (a file, a class, a test, a directory) or a `-k`
// expression. It narrows what is fixed; the whole suite still runs as the baseline and in verification, so a
// fix of the aimed tests may not break the others.
import type { Failure } from '../domain.js'
import { createPytestRunner, type PytestRunnerOptions } from '../verify/pytest.js'

/** The node ids among `nodeIds` that `-k keyword` selects, as pytest decides. */
export type KeywordSelector = (keyword: string, nodeIds: string[]) => Promise<string[]>

export type Aim = { nodeIds: string[] } | { keyword: string }

/** '' → undefined; `-k EXPR` (or `-kEXPR`) → a keyword expression; else node ids split on spaces, commas, newlines. */
export function parseAim(text: string): Aim | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  const keyword = /^-k\s*(.+)$/s.exec(trimmed)
  if (keyword) return { keyword: keyword[1].trim().replace(/^(['"])(.*)\1$/s, '$2') }
  return {
    nodeIds: trimmed
      .split(/[\s,]+/)
      .filter(id => id !== '')
      .map(id => id.replace(/^\.\//, '').replace(/\/+$/, ''))
  }
}

export interface Narrowed {
  failures: Failure[]
  /** for the log and the report */
  message: string
}

/** The failures the aim selects. A `-k` expression is given to pytest itself, which knows its grammar. */
export async function narrowFailures(failures: Failure[], aim: Aim, selectByKeyword: KeywordSelector): Promise<Narrowed> {
  let selected: Failure[]
  let described: string
  if ('nodeIds' in aim) {
    selected = failures.filter(failure => aim.nodeIds.some(id => selects(id, failure.nodeId)))
    described = `'tests' (${aim.nodeIds.join(', ')})`
  } else {
    const chosen = new Set(await selectByKeyword(aim.keyword, [...new Set(failures.map(failure => failure.nodeId))]))
    selected = failures.filter(failure => chosen.has(failure.nodeId))
    described = `'tests' (-k ${aim.keyword})`
  }
  const left = failures.length - selected.length
  const message =
    selected.length === 0
      ? `None of the ${failures.length} failing test(s) matches ${described}: nothing to fix.`
      : `Aiming at ${selected.length} of ${failures.length} failing test(s) by ${described}${left > 0 ? `; ${left} other failing test(s) left alone` : ''}.`
  return { failures: selected, message }
}

/** Does node id (or path) `aim` select test `nodeId`? A path selects what is below it; a prefix ends at `::` or `[`. */
function selects(aim: string, nodeId: string): boolean {
  if (aim === nodeId) return true
  if (nodeId.startsWith(`${aim}::`) || nodeId.startsWith(`${aim}[`)) return true
  return nodeId.startsWith(`${aim}/`)
}

/**
 * Runs the failing tests with `-k` on top (through PYTEST_ADDOPTS, since the action's own arguments end in
 * `-- node ids`): what pytest runs is what the expression selects; deselected tests are not in its report.
 */
export function keywordSelector(options: PytestRunnerOptions): KeywordSelector {
  return async (keyword, nodeIds) => {
    if (nodeIds.length === 0) return []
    const addopts = [options.env.PYTEST_ADDOPTS ?? '', `-k ${shellQuote(keyword)}`].filter(part => part !== '').join(' ')
    const runner = createPytestRunner({ ...options, env: { ...options.env, PYTEST_ADDOPTS: addopts } })
    const run = await runner.run(nodeIds, 'aim')
    return run.results.map(result => result.nodeId)
  }
}

/** Quoted for shlex, as pytest splits PYTEST_ADDOPTS. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'"'"'`)}'`
}
