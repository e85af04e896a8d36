// The command line: read the flags and pyproject.toml, run the engine with a terminal's collaborators, put a
// verified fix on a local branch (or in the tree, or only print it), and tell a person what happened.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { ChangeRange } from '../context/change-under-test.js'
import { checkpointFile } from '../engine/checkpoint-file.js'
import { processInterrupts } from '../engine/interrupts.js'
import { systemClock } from '../engine/ports.js'
import { errorMessage, runEngine } from '../engine/run.js'
import { Git } from '../publish/git.js'
import { Redactor } from '../redact.js'
import { diskCacheStore, keepAnswersNow } from './disk-cache.js'
import { terminalSteering } from './interactive.js'
import { engineSettings, HelpShown, parseCommandLine, UsageError, type CliOptions } from './options.js'
import { publishLocally } from './publish-local.js'
import { colorPatch, outcomeTable, paint, StatusLine, terminalLogger, useColor, type Writable } from './terminal.js'

export interface CliIo {
  argv: string[]
  env: NodeJS.ProcessEnv
  cwd: string
  stdout: Writable
  stderr: Writable
  stdin: NodeJS.ReadableStream
  stdinIsTTY: boolean
  /** ends the process at once (an interruption, once the tree is restored) */
  exit: (code: number) => never
}

/** Runs the command; resolves with its exit code (0 fixed or nothing to fix, 1 not fixed or an error, 2 bad usage). */
export async function main(io: CliIo): Promise<number> {
  let options: CliOptions
  let settings: ReturnType<typeof engineSettings>
  try {
    options = parseCommandLine(io.argv, { cwd: io.cwd, stdinIsTTY: io.stdinIsTTY })
    settings = engineSettings(options, io.env)
  } catch (error) {
    if (error instanceof HelpShown) {
      io.stdout.write(error.text)
      return 0
    }
    if (error instanceof UsageError) {
      io.stderr.write(`pytest-fixer: ${error.message}\n`)
      return 2
    }
    throw error
  }

  const colors = paint(useColor(io.stderr, io.env))
  const redactor = new Redactor()
  redactor.addFromEnvironment(io.env)
  redactor.add(settings.apiKey)
  const status = new StatusLine(io.stderr, colors, false)
  const log = terminalLogger(status, colors, text => redactor.redact(text), io.env.PYTEST_FIXER_VERBOSE === '1')

  const gitDir = await gitStateDir(options.projectDir)
  if (gitDir === undefined) {
    io.stderr.write(`pytest-fixer: ${notARepository(options.projectDir)}\n`)
    return 1
  }
  const stateDir = path.join(gitDir, 'pytest-fixer')
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pytest-fixer-cli-'))
  if (options.configFile !== undefined) log.info(`Options from ${options.configFile} [tool.pytest-fixer]`)
  const steering =
    options.interactive === 'off'
      ? undefined
      : terminalSteering(options.interactive, {
          input: io.stdin,
          output: io.stderr,
          colors,
          status,
          env: io.env,
          repoRoot: await repositoryRoot(options.projectDir),
          scratchDir: stateDir
        })

  try {
    const { report, failure } = await runEngine(settings, {
      startDir: options.projectDir,
      tempDir,
      env: io.env,
      log,
      sections: status.sections(),
      cache: settings.cache ? diskCacheStore(stateDir) : undefined,
      masker: { mask: () => undefined },
      clock: systemClock,
      interrupts: processInterrupts(['SIGINT', 'SIGTERM', 'SIGHUP']),
      onInterrupted: (signal, restored, ended) => {
        steering?.close()
        if (settings.cache) keepAnswersNow(stateDir, ended.cacheDir, ended.cacheKeyPrefix)
        status.stop()
        io.stderr.write(`\npytest-fixer: interrupted (${signal}); the working tree is restored (${restored.length} file(s) put back).\n`)
        io.exit(130)
      },
      publish: fix => publishLocally(options.mode, fix),
      notARepository,
      redactor,
      hooks: { changeRange: await localChangeRange(options.projectDir, settings.knownGoodRef) },
      steering,
      checkpoints: { store: checkpointFile(path.join(stateDir, 'checkpoint.json')), resume: options.resume }
    })
    steering?.close()
    status.stop()
    fs.mkdirSync(stateDir, { recursive: true })
    fs.writeFileSync(path.join(stateDir, 'last-report.json'), `${JSON.stringify(report, null, 2)}\n`)

    if (options.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    else {
      const out = paint(useColor(io.stdout, io.env))
      if (report.groups.length > 0) io.stdout.write(`\n${outcomeTable(report, out)}\n`)
      for (const message of report.messages) io.stdout.write(`${message}\n`)
      if (options.mode === 'dry-run' && report.patch !== '') io.stdout.write(`\n${colorPatch(report.patch, out)}\n`)
    }
    if (failure !== undefined) {
      if (!options.json) io.stderr.write(`pytest-fixer: ${redactor.redact(errorMessage(failure))}\n`)
      return 1
    }
    return report.result === 'fixed' || report.result === 'nothing-to-fix' ? 0 : 1
  } finally {
    steering?.close()
    fs.rmSync(tempDir, { recursive: true, force: true })
  }
}

function notARepository(dir: string): string {
  return `${dir} is not inside a git repository: run pytest-fixer in your project's checkout (or 'git init' it first and commit).`
}

async function repositoryRoot(dir: string): Promise<string> {
  const result = await new Git(dir).exec(['rev-parse', '--show-toplevel'], { allowFailure: true })
  return result.code === 0 ? result.stdout.trim() : dir
}

/** The repository's own git folder (shared by its worktrees), where pytest-fixer keeps its state. */
async function gitStateDir(dir: string): Promise<string | undefined> {
  const result = await new Git(dir).exec(['rev-parse', '--path-format=absolute', '--git-common-dir'], { allowFailure: true })
  return result.code === 0 ? result.stdout.trim() : undefined
}

/** --known-good-ref; else the uncommitted changes to tracked files when there are some, else the last commit. */
async function localChangeRange(projectDir: string, knownGoodRef: string): Promise<ChangeRange> {
  if (knownGoodRef !== '') return { base: knownGoodRef, why: `--known-good-ref ${knownGoodRef}` }
  const status = await new Git(projectDir).exec(['status', '--porcelain', '--untracked-files=no'], { allowFailure: true })
  if (status.code === 0 && status.stdout.trim() !== '') return { base: 'HEAD', why: 'your uncommitted changes (HEAD → the working tree)' }
  return { base: 'parent', why: 'the last commit (from the parent of HEAD)' }
}
