// The runs scripts/generate-intake-reports.sh recorded: real pytest output of the projects in fixtures/intake.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Layout } from '../../src/domain.js'
import { createNodeIdResolver, type NodeIdResolverWithWarnings } from '../../src/failures/nodeid.js'

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures')
export const reportsDir = path.join(fixtures, 'reports')
export const intakeDir = path.join(fixtures, 'intake')

/** Where the generator ran each project: its absolute paths in the outputs read /checkout. */
export const checkout = '/checkout'

export interface RecordedRun {
  name: string
  dir: string
  xml: string
  log: string
  exitCode: number
  /** node ids from `pytest --collect-only -q`, relative to pytest's rootdir */
  collected: string[]
  /** the fixture project on disk, at pytest's rootdir */
  rootDir: string
  /** paths as the run saw them (/checkout/...) */
  layout: Layout
  resolver(options?: { collected?: boolean }): NodeIdResolverWithWarnings
}

function readIfExists(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
}

export function recordedRun(name: string): RecordedRun {
  const dir = path.join(reportsDir, name)
  const command = fs.readFileSync(path.join(dir, 'command.txt'), 'utf8')
  const project = /^project: (.+)$/m.exec(command)?.[1] ?? ''
  const cwd = /^cwd: (.+)$/m.exec(command)?.[1] ?? '.'
  const rootdirOption = /--rootdir=(\S+)/.exec(command)?.[1]
  const relativeRoot = rootdirOption === undefined ? '.' : path.posix.join(cwd, rootdirOption)
  const collected = readIfExists(path.join(dir, 'collected.txt'))
    .split('\n')
    .filter(line => line !== '')
  const rootDir = path.join(intakeDir, project, relativeRoot)
  return {
    name,
    dir,
    xml: readIfExists(path.join(dir, 'junit.xml')),
    log: readIfExists(path.join(dir, 'pytest.log')),
    exitCode: Number(fs.readFileSync(path.join(dir, 'exit-code'), 'utf8')),
    collected,
    rootDir,
    layout: {
      repoRoot: checkout,
      workDir: path.posix.join(checkout, cwd),
      rootDir: path.posix.join(checkout, relativeRoot)
    },
    resolver: (options = {}) => createNodeIdResolver(rootDir, options.collected ? { collectedNodeIds: collected } : {})
  }
}

/** FAILED/ERROR/SUBFAILED node ids of a `-rA`/`-rfE` short test summary, read with the collected ids as a key. */
export function summaryNodeIds(run: RecordedRun, status: 'FAILED' | 'ERROR'): string[] {
  const summary = run.log.replace(/\x1b\[[0-9;]*m/g, '').split('short test summary info')[1] ?? ''
  const ids: string[] = []
  for (const line of summary.split('\n')) {
    if (!line.startsWith(`${status} `)) continue
    const rest = line.slice(status.length + 1)
    // the longest collected id the line starts with, or the bare path of a collection error
    const known = run.collected
      .map(id => printedNodeId(run, id))
      .filter(id => rest === id || rest.startsWith(`${id} - `))
      .sort((a, b) => b.length - a.length)[0]
    ids.push(known ?? rest.split(' - ')[0])
  }
  return ids
}

/** A rootdir-relative node id as pytest prints it in a summary: relative to the directory it ran in. */
export function printedNodeId(run: RecordedRun, nodeId: string): string {
  const at = nodeId.indexOf('::')
  const nodePath = at < 0 ? nodeId : nodeId.slice(0, at)
  const printed = path.posix.relative(run.layout.workDir, path.posix.join(run.layout.rootDir, nodePath))
  return printed + (at < 0 ? '' : nodeId.slice(at))
}
