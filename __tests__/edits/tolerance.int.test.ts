// The tolerance corpus, every catalog bug × every shape, through the parser and the applier, judged by real pytest:
// a correct fix in any shape gives the fixed file byte for byte, and pytest passes on it; the same shapes with a
// subtly wrong fix apply and pytest still fails; a SEARCH that matches two places is refused in every shape.
// (__tests__/e2e/tolerance.int.test.ts runs each shape through the bundled action; `npm run bench` all of them.)
import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { planEdits, type EditPlan } from '../../src/edits/apply.js'
import { parseEditBlocks } from '../../src/edits/parse.js'
import { projectsDir, readBugCatalog } from '../harness/git-repo.mjs'
import { fixText, shapes, withDuplicatedRegion } from '../harness/tolerance-corpus.mjs'

const bugs = readBugCatalog()
const copies = new Map<string, string>()
afterAll(() => {
  for (const dir of copies.values()) rmSync(dir, { recursive: true, force: true })
})

/** A private copy of the fixture project, made once. */
function projectCopy(project: string): string {
  let dir = copies.get(project)
  if (dir === undefined) {
    dir = mkdtempSync(join(tmpdir(), `tolerance-${project}-`))
    cpSync(join(projectsDir, project), dir, { recursive: true, filter: source => !/__pycache__|\.pytest_cache/.test(source) })
    copies.set(project, dir)
  }
  return dir
}

/** Every Python file of the project, as the prompt would name them: the candidates for a short path. */
function pythonFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map(file => relative(dir, join(dir, file)).split('\\').join('/'))
    .filter(file => file.endsWith('.py') && !file.includes('__pycache__'))
}

/** Verdicts by project, file, content and tests: the same bytes get the same verdict, so pytest runs once for them. */
const verdicts = new Map<string, boolean>()

/** pytest on the bug's test files with `content` in the bug's file; the file is put back after. */
function pytestPasses(dir: string, file: string, content: string, original: string, testFiles: string[]): boolean {
  const key = JSON.stringify([dir, file, content, testFiles])
  const known = verdicts.get(key)
  if (known !== undefined) return known
  writeFileSync(join(dir, file), content)
  try {
    const run = spawnSync('python3', ['-m', 'pytest', '-q', '-x', '-p', 'no:cacheprovider', ...testFiles], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' }
    })
    verdicts.set(key, run.status === 0)
    return run.status === 0
  } finally {
    writeFileSync(join(dir, file), original)
  }
}

function plan(answer: string, file: string, content: string, shownFiles: string[]): EditPlan {
  const parsed = parseEditBlocks(answer)
  expect(parsed.problems).toEqual([])
  return planEdits(parsed.edits, path => (path === file ? content : null), { shownFiles, wholeFiles: [file] })
}

describe.each(bugs.map(bug => [bug.id, bug] as const))('%s', (_id, bug) => {
  const dir = projectCopy(bug.project)
  const shown = pythonFiles(dir)
  const testFiles = [...new Set(bug.expectFailing.map(nodeId => nodeId.split('::')[0]))]
  const original = fixText(bug).fixedFile

  it('a correct fix in every shape gives the fixed file byte for byte, and pytest passes on it', () => {
    const text = fixText(bug)
    const wrongShapes: string[] = []
    for (const shape of shapes) {
      const result = plan(shape.answer(text), bug.file, text.buggyFile, shown)
      if (!result.ok || result.changes.length !== 1 || result.changes[0].path !== bug.file || result.changes[0].after !== text.fixedFile) {
        wrongShapes.push(`${shape.name}: ${result.ok ? 'a different result' : result.error}`)
      }
    }
    expect(wrongShapes).toEqual([])
    // every shape gave these very bytes (the fixture as it was before the bug), so one pytest run judges them all
    expect(pytestPasses(dir, bug.file, text.fixedFile, original, testFiles)).toBe(true)
  })

  it('a subtly wrong fix in every shape applies as written, and pytest still fails', () => {
    const text = fixText(bug, { wrong: true })
    const wrongShapes: string[] = []
    for (const shape of shapes) {
      const result = plan(shape.answer(text), bug.file, text.buggyFile, shown)
      if (!result.ok || result.changes[0].after !== text.fixedFile)
        wrongShapes.push(`${shape.name}: ${result.ok ? 'a different result' : result.error}`)
    }
    expect(wrongShapes).toEqual([])
    // every shape gave these bytes: the bug is still there, and pytest says so
    expect(text.fixedFile).not.toBe(original)
    expect(pytestPasses(dir, bug.file, text.fixedFile, original, testFiles)).toBe(false)
  })

  it('a SEARCH that matches two places is refused in every shape', () => {
    const text = fixText(bug)
    const duplicated = withDuplicatedRegion(text)
    const applied: string[] = []
    for (const shape of shapes.filter(candidate => candidate.name !== 'whole file')) {
      const result = plan(shape.answer(text), bug.file, duplicated, shown)
      if (result.ok || !/matches \d+ places/.test(result.error)) applied.push(`${shape.name}: ${result.ok ? 'applied' : result.error}`)
    }
    expect(applied).toEqual([])
  })
})
