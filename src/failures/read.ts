// Finds and reads the JUnit reports a path or glob names (one per line, `!` to exclude, like actions/* inputs).
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as glob from '@actions/glob'
import { TestResult, UserError } from '../domain.js'
import { JUnitHint, parseJUnitXml } from './junit.js'
import { NodeIdResolver } from './nodeid.js'

const globCharacters = /[*?[\]{}!]/

export async function readJUnitReports(
  pattern: string,
  cwd: string,
  resolve: NodeIdResolver
): Promise<{ files: string[]; results: TestResult[]; seconds?: number }> {
  const files = await matchingFiles(pattern, cwd)
  const results: TestResult[] = []
  let seconds: number | undefined
  for (const file of files) {
    const shown = path.relative(cwd, file) || file
    const text = await readReport(file, shown)
    results.push(...parseJUnitXml(text, shown, resolve))
    const time = suiteSeconds(text)
    if (time !== undefined) seconds = (seconds ?? 0) + time
  }
  return { files, results, ...(seconds !== undefined ? { seconds } : {}) }
}

/** What the tests of a report took, from its <testsuite time="..."> attributes; undefined when it gives none. */
export function suiteSeconds(xml: string): number | undefined {
  let total: number | undefined
  for (const match of xml.matchAll(/<testsuite\s[^>]*?\btime="([0-9.]+)"/g)) {
    const value = Number(match[1])
    if (Number.isFinite(value)) total = (total ?? 0) + value
  }
  return total
}

async function matchingFiles(pattern: string, cwd: string): Promise<string[]> {
  const lines = pattern
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '')
  if (lines.length === 0) return []
  if (lines.length === 1 && !globCharacters.test(lines[0])) {
    const file = path.resolve(cwd, lines[0])
    const stat = fs.statSync(file, { throwIfNoEntry: false })
    if (stat === undefined) return []
    if (stat.isDirectory()) {
      throw new UserError(
        `JUnit report '${lines[0]}' is a directory. ${JUnitHint} A glob such as '${lines[0]}/*.xml' reads every report in it.`
      )
    }
    return [file]
  }
  const absolute = lines.map(line => {
    const negated = line.startsWith('!')
    const body = negated ? line.slice(1) : line
    return (negated ? '!' : '') + (path.isAbsolute(body) ? body : path.join(cwd, body))
  })
  const globber = await glob.create(absolute.join('\n'), { matchDirectories: false, implicitDescendants: false })
  return (await globber.glob()).sort()
}

async function readReport(file: string, shown: string): Promise<string> {
  try {
    // a UTF-8 byte order mark would otherwise come before the XML declaration
    return (await fs.promises.readFile(file, 'utf8')).replace(/^\uFEFF/, '')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    throw new UserError(`Cannot read JUnit report '${shown}': ${code}. ${JUnitHint}`)
  }
}
