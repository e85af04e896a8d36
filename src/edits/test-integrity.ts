// What counts as a test, as test configuration, and as weakening a test. A fix must make tests pass by
// changing the code under test, not by changing what the tests check or whether they run.
import type { FileChange } from '../domain.js'

/** Config files that decide which tests run and how, as a whole (tox.ini: its commands may run pytest). */
const WHOLE_CONFIG_FILES = new Set(['pytest.ini', '.pytest.ini', 'pytest.toml', '.pytest.toml', 'tox.ini', '.coveragerc'])

/** Lines that skip, xfail or hide a test. Comment lines are ignored. */
const WEAKENING_LINES: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /\bmark\s*\.\s*(skip|skipif|xfail)\b/, what: 'a pytest skip/xfail mark' },
  { pattern: /\bpytest\s*\.\s*(skip|xfail|importorskip)\b/, what: 'pytest.skip/xfail/importorskip' },
  { pattern: /\bunittest\s*\.\s*(skip|skipIf|skipUnless|expectedFailure|SkipTest)\b/, what: 'a unittest skip' },
  { pattern: /@\s*(skip|skipIf|skipUnless|expectedFailure)\b/, what: 'a unittest skip decorator' },
  { pattern: /\b(skipTest\s*\(|SkipTest\b)/, what: 'a unittest skip' },
  { pattern: /^\s*__test__\s*=\s*False\b/, what: '__test__ = False (hides tests from collection)' },
  { pattern: /\bcollect_ignore(_glob)?\b/, what: 'collect_ignore (hides tests from collection)' }
]

/** test_*.py, *_test.py, tests.py, conftest.py, and anything under a tests/ or test/ directory. */
export function isTestFile(path: string): boolean {
  const segments = path.toLowerCase().split('/')
  const name = segments[segments.length - 1]
  if (segments.slice(0, -1).some(segment => segment === 'tests' || segment === 'test')) return true
  return name === 'conftest.py' || name === 'tests.py' || (name.startsWith('test_') && name.endsWith('.py')) || name.endsWith('_test.py')
}

/**
 * Whether the change touches pytest or coverage configuration: any change to pytest.ini, .pytest.ini,
 * pytest.toml, tox.ini, .coveragerc; in setup.cfg the [tool:pytest] and [coverage:*] sections; in
 * pyproject.toml the [tool.pytest...] and [tool.coverage...] tables. Other sections may change.
 */
export function changesTestConfig(change: FileChange): boolean {
  const name = baseName(change.path)
  if (WHOLE_CONFIG_FILES.has(name)) return change.before !== change.after
  if (name === 'setup.cfg') return iniSections(change.before ?? '') !== iniSections(change.after)
  if (name === 'pyproject.toml') return tomlTables(change.before ?? '') !== tomlTables(change.after)
  return false
}

/** Descriptions of the skip/xfail lines the change adds (compared with the lines before, as a multiset). */
export function addedWeakeningLines(change: FileChange): string[] {
  const found: string[] = []
  for (const line of addedLines(change.before ?? '', change.after)) {
    const code = line.trim()
    if (code.startsWith('#')) continue
    const match = WEAKENING_LINES.find(({ pattern }) => pattern.test(code))
    if (match !== undefined) found.push(`${match.what}: \`${code}\``)
  }
  return found
}

/** Lines of `after` that `before` does not have (as many times), trimmed at the end. */
export function addedLines(before: string, after: string): string[] {
  const remaining = new Map<string, number>()
  for (const line of before.split(/\r?\n/)) {
    const key = line.trimEnd()
    remaining.set(key, (remaining.get(key) ?? 0) + 1)
  }
  const added: string[] = []
  for (const line of after.split(/\r?\n/)) {
    const key = line.trimEnd()
    const count = remaining.get(key) ?? 0
    if (count > 0) remaining.set(key, count - 1)
    else added.push(key)
  }
  return added
}

/** The [tool:pytest] and [coverage:*] sections of an INI file, blank lines and comments left out. */
function iniSections(text: string): string {
  const kept: string[] = []
  let inside = false
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line)
    if (header) {
      const name = header[1].trim().toLowerCase()
      inside = name === 'tool:pytest' || name.startsWith('coverage:')
    }
    if (inside) keepSignificant(kept, line, /^\s*[#;]/)
  }
  return kept.join('\n')
}

/** The tool.pytest and tool.coverage tables of a TOML file, including dotted keys, comments left out. */
function tomlTables(text: string): string {
  const kept: string[] = []
  let table = ''
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$/.exec(line)
    if (header) table = header[1].replace(/["'\s]/g, '').toLowerCase()
    const tracked =
      /^tool\.(pytest|coverage)(\.|$)/.test(table) ||
      (table === 'tool' && /^\s*["']?(pytest|coverage)["']?\s*[.=]/.test(line)) ||
      (table === '' && /^\s*["']?tool["']?\s*\.\s*["']?(pytest|coverage)\b/.test(line))
    if (tracked) keepSignificant(kept, line, /^\s*#/)
  }
  return kept.join('\n')
}

function keepSignificant(kept: string[], line: string, comment: RegExp): void {
  if (line.trim() !== '' && !comment.test(line)) kept.push(line.trimEnd())
}

function baseName(path: string): string {
  return (path.split('/').pop() ?? path).toLowerCase()
}
