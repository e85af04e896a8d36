// Labels by failure kind, so reviewers can filter fix PRs and fallback issues: what broke, in five words.
export type FailureKindLabel = 'import-error' | 'syntax-error' | 'assertion' | 'exception' | 'tests-changed'

/** The kind of one error type as pytest reported it (`ModuleNotFoundError`, `AssertionError`, `Failed`, …). */
export function failureKind(errorType: string): Exclude<FailureKindLabel, 'tests-changed'> {
  const name = errorType.split('.').pop() ?? errorType
  if (/^(ImportError|ModuleNotFoundError)$/.test(name)) return 'import-error'
  if (/^(SyntaxError|IndentationError|TabError)$/.test(name)) return 'syntax-error'
  // `Failed` is pytest.fail() and a failing assertion rewritten by a plugin: the test said no, nothing raised
  if (/^(AssertionError|Failed)$/.test(name)) return 'assertion'
  return 'exception'
}

/** The kind labels of these error types, plus `tests-changed` when the fix edits tests; sorted, each once. */
export function failureKindLabels(errorTypes: string[], testsChanged: boolean): FailureKindLabel[] {
  const labels = new Set<FailureKindLabel>(errorTypes.map(failureKind))
  if (testsChanged) labels.add('tests-changed')
  return [...labels].sort()
}
