// A warm pytest: each test run of a tool run is a fork of one interpreter that has imported pytest already,
// instead of a new `python -m pytest` that spends most of a small suite's time starting Python and importing
// pytest (about 0.1 s of 0.2 s on a 30-test suite). Only for commands that are plain pytest invocations
// (`python -m pytest ARGS`, `python3.12 -m pytest`, `pytest ARGS`, `.venv/bin/pytest`); anything else (a wrapper,
// shell syntax, interpreter flags, `coverage run`) runs cold, as written. A child gets the run's exact
// environment, directory, argv and sys.path[0]; what the interpreter reads only when it starts (PYTHON*,
// locale, PATH, HOME, TZ) must equal the server's, or the run is cold. `warm-pytest: false` turns it off.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { plainWords } from './aimed-command.js'
import { KILL_GRACE_MS, OUTPUT_LIMIT, killGroup } from './process-group.js'
import { WARM_SERVER_SOURCE } from './warm-server.js'

/** How a plain pytest command runs in a warm child: its interpreter, its argv, the script for `pytest ARGS`. */
export interface WarmForm {
  interpreter: string
  argv: string[]
  /** the `pytest` console script, run as its own __main__; absent: `-m pytest` */
  script?: string
}

/** The warm form of a command, or undefined when it must run cold. */
export function warmForm(command: string, workDir: string, env: NodeJS.ProcessEnv): WarmForm | undefined {
  const words = plainWords(command)
  if (words === undefined || words.length === 0 || words[0].includes('=')) return undefined
  const first = path.posix.basename(words[0])
  if (/^python(3(\.\d+)?)?$/.test(first) && words[1] === '-m' && words[2] === 'pytest')
    return { interpreter: words[0], argv: words.slice(3) }
  if (first !== 'pytest' && first !== 'py.test') return undefined
  const script = words[0].includes('/') ? path.resolve(workDir, words[0]) : onPath(words[0], env.PATH ?? '')
  const interpreter = script === undefined ? undefined : pythonOfScript(script)
  return interpreter === undefined || script === undefined ? undefined : { interpreter, argv: words.slice(1), script }
}

function onPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue
    const candidate = path.join(dir, name)
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      if (fs.statSync(candidate).isFile()) return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/** The interpreter a console script's shebang names (`#!/venv/bin/python`, `#!/usr/bin/env python3`). */
function pythonOfScript(script: string): string | undefined {
  let head: string
  try {
    const fd = fs.openSync(script, 'r')
    try {
      const buffer = Buffer.alloc(512)
      head = buffer.subarray(0, fs.readSync(fd, buffer, 0, 512, 0)).toString('utf8')
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return undefined
  }
  const shebang = /^#!\s*(\S+)(?:[ \t]+(\S+))?[ \t]*\n/.exec(head)
  if (shebang === null) return undefined
  const [, program, argument] = shebang
  if (path.posix.basename(program) === 'env' && argument !== undefined && /^python(3(\.\d+)?)?$/.test(argument)) return argument
  return argument === undefined && /^python(3(\.\d+)?)?$/.test(path.posix.basename(program)) ? program : undefined
}

/** Variables an interpreter reads when it starts: a warm child cannot take other values of these. */
const STARTUP_VARIABLE = /^(PYTHON.*|PYENV.*|LC_.*|LANG|LANGUAGE|PATH|HOME|TZ)$/

function startupVariables(env: NodeJS.ProcessEnv): string {
  return JSON.stringify(
    Object.keys(env)
      .filter(name => STARTUP_VARIABLE.test(name) && env[name] !== undefined)
      .sort()
      .map(name => [name, env[name]])
  )
}

export interface WarmRunResult {
  exitCode: number | null
  timedOut: boolean
  output: string
}

export interface WarmRun {
  form: WarmForm
  cwd: string
  env: NodeJS.ProcessEnv
  /** where the child's stdout and stderr go */
  outFile: string
  timeoutMs: number
  /** the child's process group, while it runs */
  onStart(pid: number): void
  onEnd(pid: number): void
}

const READY_TIMEOUT_MS = 20_000
const CLOSE_WAIT_MS = 2000

/** One warm interpreter; runs many children, at the same time if asked. */
class WarmServer {
  private readonly process: ChildProcessWithoutNullStreams
  private nextId = 0
  private readonly started = new Map<number, (pid: number) => void>()
  private readonly ended = new Map<number, (code: number | null) => void>()
  /** exit codes of children that ended before their run waited for them (both messages in one read) */
  private readonly codes = new Map<number, number | null>()
  private readonly exited: Promise<void>
  private alive = true
  /** callers waiting on the server: while there are any, it keeps Node's event loop alive */
  private holds = 0

  constructor(interpreter: string, cwd: string, env: NodeJS.ProcessEnv) {
    // its own process group, like every test run: it ends with the run (closeWarmServers), and at the latest when
    // its stdin closes, which the end of this process does whatever ends it
    this.process = spawn(interpreter, ['-c', WARM_SERVER_SOURCE], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
    this.exited = new Promise(resolve => this.process.once('exit', () => resolve()).once('error', () => resolve()))
    this.process.unref()
    for (const stream of [this.process.stdin, this.process.stdout, this.process.stderr])
      (stream as unknown as { unref?: () => void }).unref?.()
    this.process.stderr.resume()
    // requests wait in the pipe while it imports pytest; one that cannot import it in time is ended (runs go cold)
    const timer = setTimeout(() => this.process.kill('SIGKILL'), READY_TIMEOUT_MS)
    timer.unref()
    let pending = ''
    this.process.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      let newline: number
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline)
        pending = pending.slice(newline + 1)
        let message: { ready?: boolean; id?: number; pid?: number; code?: number | null }
        try {
          message = JSON.parse(line) as typeof message
        } catch {
          continue
        }
        if (message.ready !== undefined) {
          clearTimeout(timer)
        } else if (message.id !== undefined && message.pid !== undefined) {
          this.started.get(message.id)?.(message.pid)
          this.started.delete(message.id)
        } else if (message.pid !== undefined) {
          const end = this.ended.get(message.pid)
          if (end === undefined) this.codes.set(message.pid, message.code ?? null)
          else end(message.code ?? null)
          this.ended.delete(message.pid)
        }
      }
    })
    const gone = (): void => {
      this.alive = false
      clearTimeout(timer)
      for (const end of this.ended.values()) end(null)
      this.ended.clear()
      for (const start of this.started.values()) start(-1)
      this.started.clear()
    }
    this.process.on('error', gone)
    this.process.on('exit', gone)
    this.process.stdin.on('error', () => undefined)
  }

  /** Runs one child; undefined when the server refused it (it loaded a module from this repository, or the run's
   *  directory shadows one it loaded: a cold run would import the project's), could not start, or was gone before
   *  the child started: run it cold then. The request goes out at once, also while the server imports pytest. */
  async run(request: WarmRun, repoRoot: string): Promise<WarmRunResult | undefined> {
    this.hold(1)
    try {
      return this.alive ? await this.runChild(request, repoRoot) : undefined
    } finally {
      this.hold(-1)
    }
  }

  private hold(change: number): void {
    const before = this.holds
    this.holds += change
    const streams = [this.process, this.process.stdout] as unknown as Array<{ ref?: () => void; unref?: () => void }>
    if (before === 0 && this.holds > 0) for (const stream of streams) stream.ref?.()
    else if (before > 0 && this.holds === 0) for (const stream of streams) stream.unref?.()
  }

  private async runChild(request: WarmRun, repoRoot: string): Promise<WarmRunResult | undefined> {
    const id = (this.nextId += 1)
    const pid = await new Promise<number>(resolve => {
      this.started.set(id, resolve)
      const env = Object.fromEntries(Object.entries(request.env).filter(([, value]) => value !== undefined))
      const message = {
        id,
        argv: request.form.argv,
        cwd: request.cwd,
        env,
        out: request.outFile,
        script: request.form.script,
        root: repoRoot
      }
      this.process.stdin.write(`${JSON.stringify(message)}\n`)
    })
    if (pid < 0) return undefined
    request.onStart(pid)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(pid, 'SIGTERM')
      setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS).unref()
    }, request.timeoutMs)
    const exitCode = await new Promise<number | null>(resolve => {
      if (!this.alive) resolve(null)
      else if (this.codes.has(pid)) {
        resolve(this.codes.get(pid) ?? null)
        this.codes.delete(pid)
      } else this.ended.set(pid, resolve)
    })
    clearTimeout(timer)
    // what the tests left in the child's process group (a server started with capture off) ends with it
    killGroup(pid, 'SIGKILL')
    request.onEnd(pid)
    return { exitCode, timedOut, output: tailOf(request.outFile) }
  }

  /** Ends the server now (it holds nothing a run needs); resolves once it is gone, or after a bound. */
  async close(): Promise<void> {
    this.alive = false
    this.process.stdin.end()
    if (this.process.pid !== undefined) killGroup(this.process.pid, 'SIGKILL')
    this.hold(1)
    try {
      await Promise.race([this.exited, new Promise(resolve => setTimeout(resolve, CLOSE_WAIT_MS).unref())])
    } finally {
      this.hold(-1)
    }
  }
}

function tailOf(file: string): string {
  try {
    const size = fs.statSync(file).size
    const fd = fs.openSync(file, 'r')
    try {
      const length = Math.min(size, OUTPUT_LIMIT)
      const buffer = Buffer.alloc(length)
      fs.readSync(fd, buffer, 0, length, size - length)
      return buffer.toString('utf8')
    } finally {
      fs.closeSync(fd)
      fs.rmSync(file, { force: true })
    }
  } catch {
    return ''
  }
}

const servers = new Map<string, WarmServer>()

/** The warm server for this interpreter, directory (the server imports as a run there would) and startup
 *  environment, started on first use and kept for the run. */
export function warmServer(form: WarmForm, cwd: string, env: NodeJS.ProcessEnv): WarmServer {
  const key = JSON.stringify([form.interpreter, cwd, startupVariables(env)])
  let server = servers.get(key)
  if (server === undefined) {
    server = new WarmServer(form.interpreter, cwd, env)
    servers.set(key, server)
  }
  return server
}

/** Ends every warm server (their running children are the runner's to kill); resolves when they are gone. */
export async function closeWarmServers(): Promise<void> {
  const closing = [...servers.values()].map(server => server.close())
  servers.clear()
  await Promise.all(closing)
}

/** The environment of a test run, warm or cold: the given one, without bytecode files, unbuffered. */
export function pytestEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' }
}

/** Starts the warm server a run of `testCommand` in `workDir` will use, so that it has imported pytest by the first
 *  test run; nothing when the command runs cold. `env`: the test runs' environment before pytestEnvironment. */
export function prewarmPytest(testCommand: string, workDir: string, env: NodeJS.ProcessEnv): void {
  const runEnv = pytestEnvironment(env)
  const form = warmForm(testCommand, workDir, runEnv)
  if (form !== undefined) warmServer(form, workDir, runEnv)
}

export type { WarmServer }
