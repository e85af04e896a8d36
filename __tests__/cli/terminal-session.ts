// The bundled command in a real terminal: a tmux session on a private server, driven with send-keys and read
// with capture-pane, as a developer would type at it.
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { cliBundle } from './cli-scenario.js'

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`

export class TerminalSession {
  private constructor(
    private readonly socket: string,
    readonly name: string,
    /** the command's exit code is written here when it ends */
    private readonly exitFile: string
  ) {}

  /** Starts `pytest-fixer <args>` in `cwd` with exactly `env`, in a 200×50 terminal. */
  static start(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; scratch: string }): TerminalSession {
    const name = `s${process.pid}-${Math.random().toString(16).slice(2, 8)}`
    const socket = `pytest-fixer-test-${process.pid}`
    const exitFile = path.join(options.scratch, `${name}.exit`)
    const script = path.join(options.scratch, `${name}.sh`)
    const exports = Object.entries(options.env)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `export ${key}=${quote(value as string)}`)
    fs.writeFileSync(
      script,
      [
        ...exports,
        `cd ${quote(options.cwd)}`,
        `${quote(process.execPath)} ${quote(cliBundle)} ${args.map(quote).join(' ')}`,
        `echo $? > ${quote(exitFile)}`,
        'sleep 600'
      ].join('\n')
    )
    execFileSync(
      'tmux',
      ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', name, '-x', '200', '-y', '50', `sh ${quote(script)}`],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color' }
      }
    )
    return new TerminalSession(socket, name, exitFile)
  }

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' })
  }

  /** What the terminal shows, its scrollback included, lines joined where they wrapped. */
  screen(): string {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-5000', '-t', this.name])
  }

  /** Types a line and Enter. */
  type(line: string): void {
    this.tmux(['send-keys', '-t', this.name, '-l', line])
    this.tmux(['send-keys', '-t', this.name, 'Enter'])
  }

  /** Waits until the screen holds `pattern` `times` times; returns the screen. */
  async waitFor(pattern: RegExp | string, options: { times?: number; timeoutMs?: number } = {}): Promise<string> {
    const times = options.times ?? 1
    const deadline = Date.now() + (options.timeoutMs ?? 60_000)
    const count = (text: string): number =>
      typeof pattern === 'string'
        ? text.split(pattern).length - 1
        : (text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`)) ?? []).length
    for (;;) {
      const text = this.screen()
      if (count(text) >= times) return text
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)} (×${times}); the screen:\n${text}`)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }

  /** The command's exit code once it has ended. */
  async exitCode(timeoutMs = 120_000): Promise<number> {
    const deadline = Date.now() + timeoutMs
    while (!fs.existsSync(this.exitFile) || fs.readFileSync(this.exitFile, 'utf8').trim() === '') {
      if (Date.now() > deadline) throw new Error(`the command did not end; the screen:\n${this.screen()}`)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    return Number(fs.readFileSync(this.exitFile, 'utf8').trim())
  }

  /** Closes the terminal, as a developer closing its window: everything in it gets SIGHUP. */
  kill(): void {
    try {
      this.tmux(['kill-session', '-t', this.name])
    } catch {
      // already gone
    }
  }
}
