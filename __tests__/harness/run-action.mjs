// Runs the bundled action the way the GitHub runner does: every input as INPUT_<NAME>, the runner's env
// and file commands, a clean environment otherwise. Plain ESM on node: built-ins (+ yaml).
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

/** The repository root of pytest-fixer. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * Node 24, the runtime action.yml declares (`npm i -D node@24` ships it); else the current node.
 * @returns {{ path: string, note?: string }}
 */
export function actionRuntime() {
  const path = join(repoRoot, 'node_modules/node/bin/node')
  if (existsSync(path)) return { path }
  return { path: process.execPath, note: `node_modules/node/bin/node is missing; ran ${process.version} instead of Node 24` }
}

/**
 * The inputs action.yml declares, with their defaults as the text written there.
 * @param {string} [actionYmlPath]
 * @returns {Record<string, string | undefined> | undefined} undefined when there is no action.yml
 */
export function readActionDefaults(actionYmlPath = join(repoRoot, 'action.yml')) {
  if (!existsSync(actionYmlPath)) return undefined
  // failsafe: every scalar stays the string written in the file, as the runner passes it (`0.40` stays `0.40`)
  const action = parse(readFileSync(actionYmlPath, 'utf8'), { schema: 'failsafe' })
  /** @type {Record<string, string | undefined>} */
  const defaults = {}
  for (const [name, spec] of Object.entries(action?.inputs ?? {})) defaults[name] = spec?.default
  return defaults
}

/**
 * Evaluates the `${{ github.* }}` expressions action.yml defaults may use, from the runner env
 * (`github.ref_name` is GITHUB_REF_NAME; `github.token` is GITHUB_TOKEN or '').
 * @param {string} value
 * @param {Record<string, string>} env
 */
function evaluateDefault(value, env) {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_all, expression) => {
    const key = /^github\.([a-z_]+)$/.exec(expression)?.[1]
    const variable = key === undefined ? undefined : `GITHUB_${key.toUpperCase()}`
    if (variable === 'GITHUB_TOKEN') return env.GITHUB_TOKEN ?? ''
    if (variable === undefined || env[variable] === undefined) {
      throw new Error(`run-action cannot evaluate the action.yml default expression '${expression}'`)
    }
    return env[variable]
  })
}

/** @param {string} name */
export const inputEnvName = name => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

/**
 * Reads a file written with the runner's file commands: `name=value` lines and `name<<DELIMITER` heredocs.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseFileCommands(text) {
  /** @type {Record<string, string>} */
  const values = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const end = lines.indexOf(delimiter, i + 1)
      if (end === -1) throw new Error(`Unterminated ${name}<<${delimiter} in a file command`)
      values[name] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (line.includes('=')) {
      const at = line.indexOf('=')
      values[line.slice(0, at)] = line.slice(at + 1)
    }
  }
  return values
}

/**
 * @typedef {object} WorkflowCommand
 * @property {string} command e.g. error, warning, notice, debug, add-mask, group
 * @property {Record<string, string>} properties
 * @property {string} message
 */

/** @param {string} text stdout of the action @returns {WorkflowCommand[]} */
export function parseWorkflowCommands(text) {
  /** @type {WorkflowCommand[]} */
  const commands = []
  for (const line of text.split(/\r?\n/)) {
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line)
    if (!match) continue
    const [, command, rawProperties = '', message] = match
    const unescape = (/** @type {string} */ s) =>
      s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%')
    /** @type {Record<string, string>} */
    const properties = {}
    for (const pair of rawProperties.split(',').filter(Boolean)) {
      const at = pair.indexOf('=')
      properties[pair.slice(0, at)] = unescape(pair.slice(at + 1))
    }
    commands.push({ command, properties, message: unescape(message) })
  }
  return commands
}

/** @param {string} cwd @param {string[]} args */
function gitOrEmpty(cwd, args) {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return ''
  }
}

/**
 * @typedef {object} RunActionOptions
 * @property {string} workspace the checked-out repository; cwd of the action
 * @property {Record<string, string | number | boolean | null | undefined>} [inputs] by input name
 *   (`'github-token'`); null removes a default, undefined keeps it
 * @property {Record<string, string | undefined>} [env] merged last; undefined removes a variable
 * @property {Record<string, any>} [event] the webhook payload; `repository` is filled in when absent
 * @property {string} [eventName] default 'push'
 * @property {number} [timeoutMs] default 120000; then SIGTERM, and SIGKILL 5 s later
 * @property {(chunk: string, child: import('node:child_process').ChildProcess) => void} [onOutput]
 * @property {string} [script] run this file instead of dist/index.js (tests of the harness itself)
 * @property {Record<string, string | undefined>} [actionDefaults] use instead of action.yml's defaults
 * @property {boolean} [allowUnknownInputs] pass inputs action.yml does not declare (the runner warns)
 */

/**
 * @typedef {object} ActionRun
 * @property {number | null} exitCode
 * @property {NodeJS.Signals | null} signal
 * @property {boolean} timedOut
 * @property {string} stdout
 * @property {string} stderr
 * @property {Record<string, string>} outputs from GITHUB_OUTPUT
 * @property {Record<string, string>} exportedEnv from GITHUB_ENV
 * @property {Record<string, string>} savedState from GITHUB_STATE
 * @property {string[]} addedPath lines of GITHUB_PATH
 * @property {string} summary the GITHUB_STEP_SUMMARY file
 * @property {WorkflowCommand[]} commands `::error::` and friends from stdout
 * @property {boolean} strayProcesses processes of the action were still alive after it exited (then killed)
 * @property {number} durationMs
 * @property {Record<string, string>} env exactly the environment the action got
 * @property {string} runnerTemp RUNNER_TEMP, kept until cleanup()
 * @property {string | undefined} note e.g. that Node 24 was missing
 * @property {() => void} cleanup removes the runner's temporary files
 */

/**
 * @param {RunActionOptions} options
 * @returns {Promise<ActionRun>}
 */
export async function runAction(options) {
  const { workspace, timeoutMs = 120000, onOutput } = options
  const runnerDir = mkdtempSync(join(tmpdir(), 'pytest-fixer-runner-'))
  /** @type {Record<string, string>} */
  let env
  try {
    env = prepareRunner(options, runnerDir)
  } catch (error) {
    rmSync(runnerDir, { recursive: true, force: true })
    throw error
  }
  const files = runnerFiles(runnerDir)

  const runtime = actionRuntime()
  const script = options.script ?? join(repoRoot, 'dist/index.js')
  const started = Date.now()
  // its own process group, so a timeout also ends the pytest processes the action started
  const child = spawn(runtime.path, [script], { cwd: workspace, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', chunk => {
    stdout += chunk
    onOutput?.(chunk, child)
  })
  child.stderr.setEncoding('utf8').on('data', chunk => {
    stderr += chunk
    onOutput?.(chunk, child)
  })
  let timedOut = false
  /** @type {NodeJS.Timeout | undefined} */
  let killTimer
  const timeoutTimer = setTimeout(() => {
    timedOut = true
    signalGroup(child.pid, 'SIGTERM')
    killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 5000)
  }, timeoutMs)
  let strayProcesses = false
  /** @type {[number | null, NodeJS.Signals | null]} */
  const [exitCode, signal] = await new Promise((resolvePromise, reject) => {
    child.on('error', reject)
    // once the action is gone, whatever it left in its group is a leak: note it and end it, so the
    // pipes it may hold close too
    child.on('exit', () => {
      strayProcesses = signalGroup(child.pid, 'SIGKILL')
    })
    child.on('close', (code, sig) => resolvePromise([code, sig]))
  })
  clearTimeout(timeoutTimer)
  clearTimeout(killTimer)

  const read = (/** @type {string} */ path) => readFileSync(path, 'utf8')
  return {
    exitCode,
    signal,
    timedOut,
    stdout,
    stderr,
    outputs: parseFileCommands(read(files.output)),
    exportedEnv: parseFileCommands(read(files.env)),
    savedState: parseFileCommands(read(files.state)),
    addedPath: read(files.path).split('\n').filter(Boolean),
    summary: read(files.summary),
    commands: parseWorkflowCommands(stdout),
    strayProcesses,
    durationMs: Date.now() - started,
    env,
    runnerTemp: env.RUNNER_TEMP,
    note: runtime.note,
    cleanup: () => rmSync(runnerDir, { recursive: true, force: true })
  }
}

/** @param {string} runnerDir */
function runnerFiles(runnerDir) {
  const names = { output: 'output', summary: 'step_summary', env: 'env', path: 'path', state: 'state', event: 'event.json' }
  return /** @type {Record<keyof names, string>} */ (
    Object.fromEntries(Object.entries(names).map(([key, file]) => [key, join(runnerDir, file)]))
  )
}

/**
 * Writes the runner's files and returns the action's whole environment.
 * @param {RunActionOptions} options
 * @param {string} runnerDir
 * @returns {Record<string, string>}
 */
function prepareRunner(options, runnerDir) {
  const { workspace, inputs = {}, event = {}, eventName = 'push' } = options
  const files = runnerFiles(runnerDir)
  const runnerTemp = join(runnerDir, 'temp')
  mkdirSync(runnerTemp)
  const extra = options.env ?? {}
  const repository = extra.GITHUB_REPOSITORY ?? 'octo/project'
  const branch = gitOrEmpty(workspace, ['rev-parse', '--abbrev-ref', 'HEAD']) || 'main'
  const isPullRequest = eventName === 'pull_request' || eventName === 'pull_request_target'
  const prNumber = event.pull_request?.number ?? event.number ?? 1

  /** @type {Record<string, string>} */
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? runnerDir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STATE: files.state,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: repository.split('/')[0],
    GITHUB_SERVER_URL: 'http://github.local',
    // loopback port 9 (discard) refuses: nothing reaches the real GitHub unless a test points this somewhere
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_GRAPHQL_URL: 'http://127.0.0.1:9/graphql',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'test',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_ACTION: 'pytest-fixer',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SHA: gitOrEmpty(workspace, ['rev-parse', 'HEAD']) || '0'.repeat(40),
    GITHUB_REF: isPullRequest ? `refs/pull/${prNumber}/merge` : `refs/heads/${branch}`,
    GITHUB_REF_NAME: isPullRequest ? `${prNumber}/merge` : branch,
    GITHUB_REF_TYPE: 'branch',
    GITHUB_HEAD_REF: isPullRequest ? (event.pull_request?.head?.ref ?? branch) : '',
    GITHUB_BASE_REF: isPullRequest ? (event.pull_request?.base?.ref ?? 'main') : ''
  }
  mergeEnv(env, extra)

  const declared = options.actionDefaults ?? readActionDefaults()
  if (declared !== undefined && !options.allowUnknownInputs) {
    const unknown = Object.keys(inputs).filter(name => !(name in declared))
    if (unknown.length > 0) throw new Error(`Inputs not declared in action.yml: ${unknown.join(', ')} (a typo? or set allowUnknownInputs)`)
  }
  for (const [name, value] of Object.entries(declared ?? {})) {
    if (value !== undefined) env[inputEnvName(name)] = evaluateDefault(value, env)
  }
  for (const [name, value] of Object.entries(inputs)) {
    if (value === null) delete env[inputEnvName(name)]
    else if (value !== undefined) env[inputEnvName(name)] = String(value)
  }
  // `env` wins over everything, inputs included (a test may set INPUT_* directly)
  mergeEnv(env, extra)

  for (const path of [files.output, files.summary, files.env, files.path, files.state]) writeFileSync(path, '')
  const [owner, name] = repository.split('/')
  const payload = { ...event }
  payload.repository ??= { name, full_name: repository, owner: { login: owner }, default_branch: 'main' }
  writeFileSync(files.event, JSON.stringify(payload, null, 2))
  return env
}

/**
 * @param {Record<string, string>} env
 * @param {Record<string, string | undefined>} extra undefined values remove a variable
 */
function mergeEnv(env, extra) {
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
}

/**
 * @param {number | undefined} pid leader of the group
 * @param {NodeJS.Signals} signal
 * @returns {boolean} whether any process of the group was still there
 */
function signalGroup(pid, signal) {
  if (pid === undefined) return false
  try {
    process.kill(-pid, signal)
    return true
  } catch {
    return false
  }
}
