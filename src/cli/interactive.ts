// The interactive mode's prompt: a person steers a group's attempts (--interactive on-failure|always). Every
// command reads or decides; only `apply` (of the proposal or of the person's edited version), `retry`,
// `prompt <text>`, `skip` and `quit` hand a decision back to the engine.
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as readline from 'node:readline/promises'
import { unifiedDiff } from '../edits/diff.js'
import { changesFromEditedPatch, type EditedPatch } from '../edits/edited-patch.js'
import type { FileChange } from '../domain.js'
import { parseEditBlocks } from '../edits/parse.js'
import type { Steering, SteeringDecision, SteeringTurn } from '../fix/steering.js'
import { firstLine, withType } from '../report/text.js'
import { colorPatch, type Paint, type StatusLine, type Writable } from './terminal.js'

export interface PromptIo {
  input: NodeJS.ReadableStream
  /** where the prompt and what the commands show go (stderr: stdout is kept for the report) */
  output: Writable
  colors: Paint
  status: StatusLine
  env: NodeJS.ProcessEnv
  /** the repository's root: a file an edited patch adds to the proposal is read from here */
  repoRoot: string
  /** where the patch to edit is written (the state folder under .git) */
  scratchDir: string
}

export const commandHelp =
  'show (failures, errors, proposed edits) · diff · apply · edit (in $EDITOR, then verify) · retry · prompt <text> · history · skip · quit'

export interface TerminalSteering extends Steering {
  close(): void
}

export function terminalSteering(mode: 'on-failure' | 'always', io: PromptIo): TerminalSteering {
  let lines: readline.Interface | undefined
  const open = (): readline.Interface => {
    if (lines !== undefined) return lines
    // the terminal stays in its line mode: it echoes and edits the line, and Ctrl-C interrupts the run as anywhere else
    const created = readline.createInterface({ input: io.input, terminal: false })
    lines = created
    return created
  }
  const close = (): void => {
    lines?.close()
    lines = undefined
  }
  const say = (text: string): void => {
    io.output.write(`${text}\n`)
  }
  const ask = async (): Promise<string | undefined> => {
    const reader = open()
    const closed = new Promise<undefined>(resolve => reader.once('close', () => resolve(undefined)))
    io.output.write(io.colors.bold('pytest-fixer> '))
    return Promise.race([reader.question(''), closed])
  }

  const decide = async (turn: SteeringTurn): Promise<SteeringDecision> => {
    const { colors } = io
    const changes = turn.changes
    say('')
    say(colors.bold(`── Group ${turn.group.fingerprint}: ${turn.group.failures.length} failure(s), ${turn.group.failures[0].errorType} ──`))
    say(headline(turn, colors))
    say(colors.dim(`Commands: ${commandHelp}`))
    for (;;) {
      const line = await ask()
      if (line === undefined) {
        say('(end of input: quit)')
        return { action: 'quit' }
      }
      const [word, ...rest] = line.trim().split(/\s+/)
      const text = line.trim().slice(word.length).trim()
      switch (word) {
        case '':
          continue
        case 'show':
          say(showTurn(turn, colors))
          continue
        case 'diff':
          say(changes.length === 0 ? 'No edits to show: the answer did not apply (see `show`).' : colorPatch(unifiedDiff(changes), colors))
          continue
        case 'history':
          say(historyOf(turn, colors))
          continue
        case 'apply':
          if (changes.length === 0) {
            say('Nothing to apply: the answer made no edit that applies. Use `edit`, `retry` or `prompt <text>`.')
            continue
          }
          return { action: 'apply' }
        case 'edit': {
          const result = editPatch(changes, io, close)
          if (!result.ok) {
            say(
              colors.red(
                `The edited patch is not used: ${result.error}. Type \`edit\` to edit it again, \`apply\` for the proposal as it was, or \`retry\`.`
              )
            )
            continue
          }
          say(colorPatch(unifiedDiff(result.changes), colors))
          say('Verifying the edited patch.')
          return { action: 'apply', changes: result.changes }
        }
        case 'retry':
          return { action: 'retry' }
        case 'prompt':
          if (text === '') {
            say('Say what the model should know: prompt <text>')
            continue
          }
          return { action: 'retry', instructions: text }
        case 'skip':
          return { action: 'skip' }
        case 'quit':
        case 'exit':
          return { action: 'quit' }
        default:
          say(`Unknown command '${word}'${rest.length > 0 ? ` (with ${rest.join(' ')})` : ''}: ${commandHelp}`)
      }
    }
  }

  return {
    beforeVerifying: mode === 'always',
    decide: turn => io.status.hold(() => decide(turn)),
    close
  }
}

function headline(turn: SteeringTurn, colors: Paint): string {
  const at = `Attempt ${turn.attempt}${turn.temperature === null ? '' : ` (temperature ${turn.temperature})`}`
  const files = [...new Set(turn.changes.map(change => change.path))].join(', ')
  if (turn.verdict === undefined) return `${at} proposes edits to ${files}.`
  return `${at} ${colors.red('was rejected')}: ${firstLine(turn.verdict)}`
}

function showTurn(turn: SteeringTurn, colors: Paint): string {
  const out: string[] = [colors.bold('Failures:')]
  for (const failure of turn.group.failures) {
    out.push(`  ${failure.nodeId}`)
    out.push(`    ${withType(failure.errorType, firstLine(failure.message))}`)
    const where = failure.errorFile !== undefined ? `${failure.errorFile}${failure.line !== undefined ? `:${failure.line}` : ''}` : ''
    if (where !== '') out.push(colors.dim(`    at ${where}`))
  }
  const parsed = parseEditBlocks(turn.answer)
  out.push(colors.bold(`Proposed edits (${parsed.edits.length}):`))
  for (const edit of parsed.edits) {
    out.push(`  ${colors.cyan(edit.path)}`)
    out.push(...edit.search.split('\n').map(line => colors.red(`  - ${line}`)))
    out.push(...edit.replace.split('\n').map(line => colors.green(`  + ${line}`)))
  }
  if (parsed.edits.length === 0) out.push('  (none that parse)')
  if (turn.verdict !== undefined) {
    out.push(colors.bold('Verdict:'), `  ${turn.verdict}`)
    if (turn.testOutput !== undefined && turn.testOutput !== '') out.push(colors.dim(turn.testOutput.split('\n').slice(-15).join('\n')))
  }
  return out.join('\n')
}

function historyOf(turn: SteeringTurn, colors: Paint): string {
  if (turn.history.length === 0) return 'No attempts yet.'
  return turn.history
    .map(attempt => {
      const outcome =
        attempt.outcome === 'accepted'
          ? colors.green(attempt.outcome)
          : attempt.outcome === 'rejected'
            ? colors.red(attempt.outcome)
            : attempt.outcome
      const reason = attempt.reason === '' ? (attempt.number === turn.attempt ? 'this proposal' : '') : firstLine(attempt.reason)
      const temperature = attempt.temperature === null ? '' : ` t=${attempt.temperature}`
      return `  #${attempt.number}${temperature}${attempt.cached ? ' (cached)' : ''}${attempt.edited === true ? ' (edited)' : ''} ${outcome}${reason !== '' ? `: ${reason}` : ''}`
    })
    .join('\n')
}

/** Writes the proposal's patch to a file, opens $VISUAL/$EDITOR (vi) on it, and reads the changes it now makes. */
function editPatch(changes: FileChange[], io: PromptIo, release: () => void): EditedPatch {
  fs.mkdirSync(io.scratchDir, { recursive: true })
  const file = path.join(io.scratchDir, 'edit.patch')
  const intro =
    '# Edit the patch, save and quit: pytest-fixer verifies what it then says. Lines starting with # are ignored;\n' +
    '# the @@ counts are recounted, so add, change or drop lines freely. An empty patch verifies nothing.\n'
  fs.writeFileSync(file, `${intro}${unifiedDiff(changes)}`)
  const editor = [io.env.VISUAL, io.env.EDITOR].find(value => value !== undefined && value !== '') ?? 'vi'
  release() // the editor owns the terminal until it exits
  // $EDITOR may carry its own arguments ("code --wait"): the shell splits it; the file goes in quoted
  const ran = spawnSync(`${editor} '${file.replace(/'/g, `'\\''`)}'`, { stdio: 'inherit', shell: true, env: io.env })
  if (ran.error !== undefined || ran.status !== 0) {
    return {
      ok: false,
      error: `the editor (${editor}) ${ran.error !== undefined ? `did not start: ${ran.error.message}` : `exited with ${ran.status}`}`
    }
  }
  const before = new Map(changes.map(change => [change.path, change.before]))
  return changesFromEditedPatch(fs.readFileSync(file, 'utf8'), relativePath => {
    if (before.has(relativePath)) return before.get(relativePath) ?? null
    const absolute = path.join(io.repoRoot, relativePath)
    return fs.existsSync(absolute) ? fs.readFileSync(absolute, 'utf8') : null
  })
}
