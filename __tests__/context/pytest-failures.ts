// Test helper: runs real pytest on a copy of a fixture project and turns its failures into the Failures the
// intake gives (repository-relative files, frames marked in or out of the repository).
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Failure, Frame, Group, Layout, Phase } from '../../src/domain.js'

export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/context')

interface Recorded {
  nodeid: string
  when: Phase
  errorType: string
  message: string
  longrepr: string
  frames: Array<{ path: string; line: number; func: string }>
}

export interface PytestOutcome {
  layout: Layout
  group: Group
  /** the copy of the project; removed by cleanup() */
  repoRoot: string
  cleanup(): void
}

export interface RunOptions {
  /** folder inside the project where pytest runs and finds its rootdir; '' for the project root */
  workSubdir?: string
  /** changes to make to the copy before pytest runs (an injected bug) */
  mutate?: (repoRoot: string) => void
  args?: string[]
}

/** Replaces one exact piece of text in a file of the copy; throws when it is not there exactly once. */
export function replaceInFile(repoRoot: string, file: string, find: string, replace: string): void {
  const absolute = path.join(repoRoot, file)
  const text = readFileSync(absolute, 'utf8')
  if (text.split(find).length !== 2) throw new Error(`${file} does not hold ${JSON.stringify(find)} exactly once`)
  writeFileSync(absolute, text.replace(find, replace))
}

/** Runs pytest (exit status ignored: tests are meant to fail) and reads what the plugin recorded. */
export async function runPytest(project: string, options: RunOptions = {}): Promise<PytestOutcome> {
  const repoRoot = mkdtempSync(path.join(tmpdir(), `context-${path.basename(project)}-`))
  const plugins = mkdtempSync(path.join(tmpdir(), 'context-plugins-'))
  cpSync(path.join(fixturesDir, project), repoRoot, { recursive: true })
  cpSync(path.join(fixturesDir, 'report_frames.py'), path.join(plugins, 'report_frames.py'))
  options.mutate?.(repoRoot)
  const workDir = path.join(repoRoot, options.workSubdir ?? '')
  const out = path.join(plugins, 'failures.json')
  const args = ['-m', 'pytest', '-q', '-p', 'report_frames', '-p', 'no:cacheprovider', ...(options.args ?? [])]
  const env = { ...process.env, PYTHONPATH: plugins, CONTEXT_FAILURES_OUT: out, PYTHONDONTWRITEBYTECODE: '1' }
  const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>(resolve => {
    execFile('python3', args, { cwd: workDir, env, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr })
    })
  })
  let recorded: { rootdir: string; failures: Recorded[] }
  try {
    recorded = JSON.parse(readFileSync(out, 'utf8'))
  } catch {
    throw new Error(`pytest wrote no failures file (exit ${run.status}):\n${run.stdout}\n${run.stderr}`)
  } finally {
    rmSync(plugins, { recursive: true, force: true })
  }
  const layout: Layout = { repoRoot, workDir, rootDir: recorded.rootdir }
  const failures = recorded.failures.map(record => toFailure(record, layout))
  return {
    layout,
    group: { fingerprint: 'f00dfeed', failures: failures.map(failure => ({ ...failure, group: 'f00dfeed' })) },
    repoRoot,
    cleanup: () => rmSync(repoRoot, { recursive: true, force: true })
  }
}

function toFrame(printed: string, line: number, func: string, layout: Layout): Frame {
  const absolute = path.resolve(layout.workDir, printed)
  const relative = path.relative(layout.repoRoot, absolute)
  const inRepo = !relative.startsWith('..') && !path.isAbsolute(relative) && !/site-packages|dist-packages/.test(relative)
  return { file: inRepo ? relative.split(path.sep).join('/') : absolute, line, func, inRepo }
}

function toFailure(record: Recorded, layout: Layout): Failure {
  const frames = record.frames.map(frame => toFrame(frame.path, frame.line, frame.func, layout))
  const innermost = frames.filter(frame => frame.inRepo).pop()
  const nodePath = record.nodeid.split('::')[0]
  const file = path.relative(layout.repoRoot, path.join(layout.rootDir, nodePath)).split(path.sep).join('/')
  return {
    nodeId: record.nodeid,
    file,
    errorFile: innermost?.file,
    line: innermost?.line,
    errorType: record.errorType,
    message: record.message,
    traceback: record.longrepr,
    phase: record.when,
    frames
  }
}
