// Test identity that survives drift. A parametrize id built from the current time, a random value or an object's
// repr changes between two collections of the same test: `test_at[07:44:56]` in the failing run is
// `test_at[07:45:10]` in the verification run. Runs are compared by node id where ids are stable, and by the
// stable key (file, class, function) where they drift: a drifting id is no regression while its function has at
// least as many passing instances as before, and never hides a test that really disappeared.
import type { TestOutcome } from '../domain.js'

/** The node id without its last parametrize id: `tests/t.py::TestA::test_f[x-1]` → `tests/t.py::TestA::test_f`. */
export function stableKey(nodeId: string): string {
  const match = /^(.*::[^[\]:]+)\[.*\]$/s.exec(nodeId)
  return match === null ? nodeId : match[1]
}

export function isParametrized(nodeId: string): boolean {
  return stableKey(nodeId) !== nodeId
}

/** Every instance of a function in a run's outcomes, by stable key. */
export function instancesByKey(outcomes: Map<string, TestOutcome>): Map<string, Array<[string, TestOutcome]>> {
  const byKey = new Map<string, Array<[string, TestOutcome]>>()
  for (const entry of outcomes) {
    const key = stableKey(entry[0])
    if (key === entry[0]) continue
    const list = byKey.get(key) ?? []
    list.push(entry)
    byKey.set(key, list)
  }
  return byKey
}

export interface DriftSplit {
  /** ids that are gone because their parametrize id drifted: their function passes as often as before */
  drifted: string[]
  /** ids that are gone for real: not parametrized, or their function has fewer passing instances */
  disappeared: string[]
}

/**
 * Which passing tests of `before` that `now` does not collect drifted, and which disappeared. For each function,
 * the instances that are missing are covered by the instances `now` has that `before` did not, counting only
 * passing ones: one missing instance more than there are new passing ones means a test really went away.
 */
export function splitMissing(missing: string[], before: Map<string, TestOutcome>, now: Map<string, TestOutcome>): DriftSplit {
  const drifted: string[] = []
  const disappeared: string[] = []
  const nowByKey = instancesByKey(now)
  const missingByKey = new Map<string, string[]>()
  for (const nodeId of missing) {
    const key = stableKey(nodeId)
    if (key === nodeId) {
      disappeared.push(nodeId)
      continue
    }
    missingByKey.set(key, [...(missingByKey.get(key) ?? []), nodeId])
  }
  for (const [key, ids] of missingByKey) {
    const newPassing = (nowByKey.get(key) ?? []).filter(([nodeId, outcome]) => outcome === 'passed' && !before.has(nodeId)).length
    if (newPassing >= ids.length) drifted.push(...ids)
    else disappeared.push(...ids)
  }
  return { drifted, disappeared }
}

/**
 * The outcome of a test that a run may know under a drifted id: its own outcome when collected, else the worst
 * outcome of its function's instances that the run has and `known` does not (undefined when there are none).
 */
export function driftedOutcome(nodeId: string, outcomes: Map<string, TestOutcome>, known: ReadonlySet<string>): TestOutcome | undefined {
  const own = outcomes.get(nodeId)
  if (own !== undefined || !isParametrized(nodeId)) return own
  const key = stableKey(nodeId)
  const others = [...outcomes].filter(([id]) => stableKey(id) === key && id !== key && !known.has(id)).map(([, outcome]) => outcome)
  if (others.length === 0) return undefined
  const order: TestOutcome[] = ['error', 'failed', 'xpassed', 'skipped', 'xfailed', 'passed']
  return order.find(outcome => others.includes(outcome))
}
