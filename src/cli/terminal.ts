// What a person sees: colors only on a terminal and never with NO_COLOR, a spinner only on a terminal, the log
// lines on stderr (stdout is kept for the patch and the --json report), and the final table.
import type { Logger, Report } from '../domain.js'
import type { Sections } from '../engine/ports.js'

export interface Paint {
  bold(text: string): string
  dim(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  cyan(text: string): string
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`
const plain = (text: string): string => text

export function paint(enabled: boolean): Paint {
  if (!enabled) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain }
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) }
}

/** Colors when the stream is a terminal and NO_COLOR is unset or empty (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === ''
}

export interface Writable {
  write(text: string): unknown
  isTTY?: boolean
}

/** One status line at the bottom of a terminal: sections spin there, log lines print above it. */
export class StatusLine {
  private title: string | undefined
  private frame = 0
  private timer: NodeJS.Timeout | undefined
  private held = false
  private static readonly frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

  constructor(
    private readonly out: Writable,
    private readonly colors: Paint,
    private readonly quiet: boolean
  ) {}

  get spinning(): boolean {
    return this.out.isTTY === true && !this.quiet
  }

  /** prints `text` above the status line */
  print(text: string): void {
    this.clear()
    this.out.write(`${text}\n`)
    this.draw()
  }

  sections(): Sections {
    return {
      section: async (title, body) => {
        const outer = this.title
        const started = Date.now()
        this.title = title
        if (this.spinning) {
          this.timer ??= setInterval(() => {
            this.frame = (this.frame + 1) % StatusLine.frames.length
            this.draw()
          }, 100)
          this.timer.unref()
          this.draw()
        } else if (!this.quiet) this.out.write(`${title}\n`)
        try {
          return await body()
        } finally {
          // the spinner's line is cleared while it still has its title, then the title goes back to the outer one
          this.clear()
          this.title = outer
          if (this.spinning) {
            this.out.write(`${this.colors.green('✓')} ${title} ${this.colors.dim(`(${seconds(Date.now() - started)})`)}\n`)
            if (outer === undefined) this.stop()
            else this.draw()
          }
        }
      }
    }
  }

  /** The status line steps aside while `body` owns the terminal (the interactive prompt, an editor). */
  async hold<T>(body: () => Promise<T>): Promise<T> {
    this.clear()
    this.held = true
    try {
      return await body()
    } finally {
      this.held = false
      this.draw()
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    this.clear()
  }

  private draw(): void {
    if (!this.spinning || this.title === undefined || this.held) return
    this.out.write(`\r\u001b[2K${this.colors.cyan(StatusLine.frames[this.frame])} ${this.title}`)
  }

  private clear(): void {
    if (this.spinning && this.title !== undefined && !this.held) this.out.write('\r\u001b[2K')
  }
}

export function terminalLogger(status: StatusLine, colors: Paint, redact: (text: string) => string, verbose: boolean): Logger {
  return {
    info: message => status.print(`  ${redact(message)}`),
    warning: message => status.print(colors.yellow(`! ${redact(message)}`)),
    debug: message => {
      if (verbose) status.print(colors.dim(`  ${redact(message)}`))
    }
  }
}

/** The groups and their outcomes, as a table a person reads at the end of the run. */
export function outcomeTable(report: Report, colors: Paint): string {
  const rows = report.groups.map(group => {
    const accepted = group.attempts.find(attempt => attempt.outcome === 'accepted')
    const status =
      group.status === 'fixed'
        ? colors.green('fixed')
        : group.status === 'flaky'
          ? colors.yellow('flaky')
          : group.status === 'skipped'
            ? colors.dim('skipped')
            : colors.red('unfixed')
    const how =
      group.fixedBy !== undefined
        ? `by the fix of ${group.fixedBy}`
        : accepted !== undefined
          ? `attempt ${accepted.number}`
          : `${group.attempts.length} attempt(s)`
    return [
      group.fingerprint,
      status,
      String(group.tests.length),
      truncate(`${group.errorType}`, 24),
      how,
      truncate(group.tests[0] ?? '', 64)
    ]
  })
  const header = ['group', 'outcome', 'tests', 'error', 'how', 'first test']
  const visible = (text: string): number => text.replace(/\u001b\[[0-9;]*m/g, '').length
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => visible(row[column]))))
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => cell + ' '.repeat(widths[column] - visible(cell)))
      .join('  ')
      .trimEnd()
  const lines = [colors.bold(line(header)), ...rows.map(line)]
  const result =
    report.result === 'fixed'
      ? colors.green(report.result)
      : report.result === 'nothing-to-fix' || report.result === 'flaky'
        ? colors.yellow(report.result)
        : colors.red(report.result)
  lines.push(
    '',
    `${colors.bold('Result:')} ${result}  ${colors.dim(`model calls ${report.llm.calls} (${report.llm.cachedCalls} cached), ${seconds(report.durationsMs.total)}`)}`
  )
  return lines.join('\n')
}

/** A patch for a terminal: additions green, removals red, headers bold. */
export function colorPatch(patch: string, colors: Paint): string {
  return patch
    .split('\n')
    .map(line => {
      if (line.startsWith('+++') || line.startsWith('---')) return colors.bold(line)
      if (line.startsWith('@@')) return colors.cyan(line)
      if (line.startsWith('+')) return colors.green(line)
      if (line.startsWith('-')) return colors.red(line)
      return line
    })
    .join('\n')
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`
}
