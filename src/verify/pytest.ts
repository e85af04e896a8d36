// Runs the user's test command with the action's own arguments appended, safely quoted, under a timeout that
// kills the whole process tree. The only place that starts pytest.
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Layout, TestResult, TestRun } from '../domain.js'
import { parseJUnitXml } from '../failures/junit.js'
import { createNodeIdResolver } from '../failures/nodeid.js'
import { withoutTestPaths } from './aimed-command.js'
import { KILL_GRACE_MS, OUTPUT_LIMIT, killGroup } from './process-group.js'
import { prewarmPytest, pytestEnvironment, warmForm, warmServer, type WarmRunResult } from './warm-pytest.js'

export interface PytestRunnerOptions {
  testCommand: string
  layout: Layout
  timeoutMs: number
  /** the environment tests get (secrets of the action removed) */
  env: NodeJS.ProcessEnv
  /** where JUnit files of the action's own runs go */
  tempDir: string
  /** runs fork from one interpreter that imported pytest already, when the command is plain pytest */
  warm?: boolean
}

/** Starts test runs; one per call. `cancelAll` kills running ones (SIGTERM of the action). */
export interface PytestRunner {
  /** `onStarted`: called once pytest runs (not before the run's request is on its way), for work that can overlap it */
  run(nodeIds?: string[], label?: string, onStarted?: () => void): Promise<TestRun>
  cancelAll(): void
}

export function createPytestRunner(options: PytestRunnerOptions): PytestRunner {
  const running = new Set<number>()
  let counter = 0
  const resolve = createNodeIdResolver(options.layout.rootDir)
  // With the cache plugin off, pytest writes no cache, and `-o cache_dir` names an unknown ini key, which
  // --strict-config turns into an error: leave it out then.
  const cacheOff = cachePluginBlocked(options)

  async function run(nodeIds: string[] = [], label = 'run', onStarted?: () => void): Promise<TestRun> {
    counter += 1
    let told = false
    const tell = (): void => {
      if (told) return
      told = true
      onStarted?.()
    }
    const onPid = (pid: number): void => {
      running.add(pid)
      tell()
    }
    fs.mkdirSync(options.tempDir, { recursive: true })
    const junitPath = path.join(options.tempDir, `pytest-${counter}-${label.replace(/[^a-z0-9-]/gi, '')}.xml`)
    fs.rmSync(junitPath, { force: true })
    // A fresh cache directory per run, outside the repository: --sw, --lf, --ff and --nf in the command or addopts
    // keep working (they need the cache plugin) yet start from nothing each time, so no run steers the next, and
    // the user's .pytest_cache is never written.
    const cacheDir = path.join(options.tempDir, `cache-${counter}`)
    fs.rmSync(cacheDir, { recursive: true, force: true })
    const aimed = nodeIds.length > 0 ? withoutTestPaths(options.testCommand, options.layout.workDir) : options.testCommand
    const args = [
      ...(/no:junitxml/.test(options.testCommand) ? ['-p', 'junitxml'] : []), // the command blocked the plugin our report needs
      `--junitxml=${junitPath}`,
      '-o',
      'junit_family=xunit1',
      ...(cacheOff ? [] : ['-o', `cache_dir=${cacheDir}`]),
      ...(nodeIds.length > 0 ? ['--', ...relativeToWorkDir(nodeIds, options.layout)] : [])
    ]
    const started = Date.now()
    const warmRun = await runWarm(aimed, args, `${junitPath}.out`, tell, onPid)
    const { exitCode, timedOut, output } = warmRun ?? (await spawnWithTimeout(buildTestCommand(aimed, args), options, running, onPid))
    let results: TestResult[] = []
    if (fs.existsSync(junitPath) && fs.statSync(junitPath).size > 0) {
      try {
        results = parseJUnitXml(fs.readFileSync(junitPath, 'utf8'), junitPath, resolve)
      } catch {
        results = [] // a run killed while writing its report: treated as no results
      }
    }
    return { results, exitCode, timedOut, output, durationMs: Date.now() - started, ...(warmRun ? { warm: true } : {}) }
  }

  const env = pytestEnvironment(options.env)
  // started now (unless the entry did already), while the rest of the run gets ready
  if (options.warm === true) prewarmPytest(options.testCommand, options.layout.workDir, options.env)

  /** The run in a warm child when the command allows it and the server is up; undefined: run it cold. */
  async function runWarm(
    command: string,
    args: string[],
    outFile: string,
    queued: () => void,
    started: (pid: number) => void
  ): Promise<WarmRunResult | undefined> {
    if (options.warm !== true) return undefined
    const form = warmForm(command, options.layout.workDir, env)
    if (form === undefined) return undefined
    const server = warmServer(form, options.layout.workDir, env)
    const result = server.run(
      {
        form: { ...form, argv: [...form.argv, ...args] },
        cwd: options.layout.workDir,
        env,
        outFile,
        timeoutMs: options.timeoutMs,
        onStart: started,
        onEnd: pid => running.delete(pid)
      },
      options.layout.repoRoot
    )
    // the request goes out as soon as the server is up (at once when it is: microtasks run first); what overlaps
    // the run starts now, not after the server imported pytest
    setImmediate(queued)
    return result
  }

  function cancelAll(): void {
    for (const pid of running) killGroup(pid, 'SIGKILL')
  }

  return { run, cancelAll }
}

/** Does the command, PYTEST_ADDOPTS or a pytest configuration file at the rootdir switch the cache plugin off? */
function cachePluginBlocked(options: PytestRunnerOptions): boolean {
  const blocked = /no:cacheprovider\b/
  if (blocked.test(options.testCommand) || blocked.test(options.env.PYTEST_ADDOPTS ?? '')) return true
  const dirs = [...new Set([options.layout.rootDir, options.layout.workDir])]
  return dirs.some(dir =>
    ['pytest.ini', '.pytest.ini', 'pyproject.toml', 'tox.ini', 'setup.cfg'].some(name => {
      try {
        return blocked.test(fs.readFileSync(path.join(dir, name), 'utf8'))
      } catch {
        return false
      }
    })
  )
}

/** What pytest said about a usage error (exit code 4), its own lines, e.g. "error: unrecognized arguments: --x". */
export function pytestUsageError(output: string): string {
  const lines = output
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '')
  const said = lines.filter(line => /\berror: /i.test(line) && !/^ERROR: usage:/.test(line))
  return (said.length > 0 ? said.slice(0, 3) : lines.slice(-3)).join(' | ')
}

/** The test command with arguments appended as single-quoted shell words. */
export function buildTestCommand(testCommand: string, args: string[]): string {
  return [testCommand, ...args.map(shellQuote)].join(' ')
}

/** POSIX shell quoting: brackets, spaces, quotes, unicode all survive. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

/** Node ids are rootdir-relative; pytest resolves arguments against the invocation directory. */
function relativeToWorkDir(nodeIds: string[], layout: Layout): string[] {
  if (layout.rootDir === layout.workDir) return nodeIds
  return nodeIds.map(nodeId => {
    const [file, ...rest] = nodeId.split('::')
    const relative = path.relative(layout.workDir, path.join(layout.rootDir, file)).split(path.sep).join('/')
    return [relative, ...rest].join('::')
  })
}

function spawnWithTimeout(
  command: string,
  options: PytestRunnerOptions,
  running: Set<number>,
  started: (pid: number) => void
): Promise<{ exitCode: number | null; timedOut: boolean; output: string }> {
  return new Promise(resolvePromise => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.layout.workDir,
      env: pytestEnvironment(options.env),
      detached: true, // own process group, so a timeout kills pytest's children too (xdist workers, servers)
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const pid = child.pid
    if (pid !== undefined) started(pid)
    let output = ''
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8')
      if (output.length > OUTPUT_LIMIT * 2) output = output.slice(-OUTPUT_LIMIT)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      if (pid !== undefined) {
        killGroup(pid, 'SIGTERM')
        setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS).unref()
      }
    }, options.timeoutMs)
    child.on('error', error => {
      output += `\n${error.message}\n`
    })
    // The test command is done: what it left in its group (a server a test started, with capture off) would hold
    // the output pipes open, and the run would look hung until the timeout. End it so the pipes close. (After a
    // timeout the group keeps its grace period: SIGKILL follows on its own.)
    child.on('exit', () => {
      if (pid !== undefined && !timedOut) killGroup(pid, 'SIGKILL')
    })
    child.on('close', code => {
      clearTimeout(timer)
      if (pid !== undefined) {
        killGroup(pid, 'SIGKILL')
        running.delete(pid)
      }
      resolvePromise({ exitCode: code, timedOut, output: output.slice(-OUTPUT_LIMIT) })
    })
  })
}
