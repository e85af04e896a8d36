// The command line's options: flags (commander), an optional `[tool.pytest-fixer]` table in pyproject.toml
// (smol-toml), and the defaults, in that order of precedence; then the engine's Settings from them.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { parse as parseToml } from 'smol-toml'
import { Inputs } from '../constants.js'
import { Defaults, readSettings, type Settings } from '../inputs.js'

export const CliModes = ['branch', 'apply', 'dry-run'] as const
export type CliMode = (typeof CliModes)[number]
export const InteractiveModes = ['off', 'on-failure', 'always'] as const
export type Interactive = (typeof InteractiveModes)[number]

/** What the command was asked to do, validated. */
export interface CliOptions {
  /** where to start: a directory inside the repository to fix */
  projectDir: string
  model: string
  baseUrl: string
  maxAttempts: number
  candidates: number
  initialTemperature: number
  temperatureIncrement: number
  testCommand: string
  junitXml: string
  allowTestChanges: boolean
  extraInstructions: string
  /** the change under test starts here; '' : uncommitted changes, or the last commit on a clean tree */
  knownGoodRef: string
  maxTokensTotal: number
  cache: boolean
  warmPytest: boolean
  apiKeyEnv: string
  mode: CliMode
  interactive: Interactive
  json: boolean
  resume: boolean
  /** the pyproject.toml whose [tool.pytest-fixer] table was read, if any */
  configFile?: string
}

/** A usage problem: one line for the user, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** Asked for --help or --version: the text to print, exit code 0. */
export class HelpShown extends Error {
  constructor(readonly text: string) {
    super('help shown')
    this.name = 'HelpShown'
  }
}

const integer =
  (min: number, max: number) =>
  (raw: string): number => {
    const value = Number(raw)
    if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`)
    return value
  }
const decimal =
  (min: number, max: number) =>
  (raw: string): number => {
    const value = Number(raw)
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max)
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}.`)
    return value
  }
const url = (raw: string): string => {
  if (!/^https?:\/\/[^\s/]+/i.test(raw))
    throw new InvalidArgumentError('expected an http(s) URL of an OpenAI-compatible endpoint, e.g. http://localhost:11434/v1.')
  return raw.replace(/\/+$/, '')
}
const envName = (raw: string): string => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(raw))
    throw new InvalidArgumentError('expected the name of an environment variable, e.g. OPENAI_API_KEY.')
  return raw
}
const nonEmpty =
  (what: string) =>
  (raw: string): string => {
    if (raw.trim() === '') throw new InvalidArgumentError(`expected ${what}.`)
    return raw
  }

interface ValueOption {
  flag: string
  /** the key in [tool.pytest-fixer], and commander's attribute (camelCase of it) */
  key: string
  description: string
  defaultValue?: string | number
  parse?: (raw: string) => string | number
  choices?: readonly string[]
}

// Value options in the order --help lists them; `key` is also the pyproject.toml key.
const valueOptions: ValueOption[] = [
  {
    flag: '--model <name>',
    key: 'model',
    description: 'model name the endpoint serves (required, here or in pyproject.toml)',
    parse: nonEmpty('a model name, e.g. gpt-4.1-mini')
  },
  { flag: '--base-url <url>', key: 'base-url', description: 'OpenAI-compatible endpoint', defaultValue: Defaults.baseUrl, parse: url },
  {
    flag: '--api-key-env <name>',
    key: 'api-key-env',
    description: 'environment variable holding the API key',
    defaultValue: 'OPENAI_API_KEY',
    parse: envName
  },
  {
    flag: '--max-attempts <n>',
    key: 'max-attempts',
    description: 'model answers tried per group, 1 to 10',
    defaultValue: Defaults.maxAttempts,
    parse: integer(1, 10)
  },
  {
    flag: '--candidates <n>',
    key: 'candidates',
    description: 'answers asked per attempt, 1 to 5, verified smallest change first',
    defaultValue: 1,
    parse: integer(1, 5)
  },
  {
    flag: '--initial-temperature <t>',
    key: 'initial-temperature',
    description: 'temperature of the first attempt, 0 to 2',
    defaultValue: Defaults.initialTemperature,
    parse: decimal(0, 2)
  },
  {
    flag: '--temperature-increment <t>',
    key: 'temperature-increment',
    description: 'added per further attempt, 0 to 1',
    defaultValue: Defaults.temperatureIncrement,
    parse: decimal(0, 1)
  },
  {
    flag: '--test-command <cmd>',
    key: 'test-command',
    description: 'how to run the tests',
    defaultValue: Defaults.testCommand,
    parse: nonEmpty('a command, e.g. "python -m pytest"')
  },
  {
    flag: '--junit-xml <glob>',
    key: 'junit-xml',
    description: 'JUnit XML of a run that failed; without it, test-command is run to find the failures',
    defaultValue: ''
  },
  { flag: '--extra-instructions <text>', key: 'extra-instructions', description: 'added to every prompt', defaultValue: '' },
  {
    flag: '--known-good-ref <ref>',
    key: 'known-good-ref',
    description:
      'a commit, branch or tag the tests passed on: the change since then goes into the prompt first (default: your uncommitted changes, else the last commit)',
    defaultValue: ''
  },
  {
    flag: '--max-tokens-total <n>',
    key: 'max-tokens-total',
    description: 'token budget of the run',
    defaultValue: Defaults.maxTokensTotal,
    parse: integer(1000, 100_000_000)
  },
  {
    flag: '--mode <mode>',
    key: 'mode',
    description:
      'branch: commit the fix on a local branch pytest-fixer/<base>/<fingerprint>, your tree untouched; apply: leave it in the tree, uncommitted; dry-run: print the patch',
    defaultValue: 'branch',
    choices: CliModes
  },
  {
    flag: '--interactive <when>',
    key: 'interactive',
    description: 'when to ask you (default: on-failure when stdin is a terminal, else off)',
    choices: InteractiveModes
  }
]

interface SwitchOption {
  flag: string
  key: string
  description: string
}

const switchOptions: SwitchOption[] = [
  { flag: '--allow-test-changes', key: 'allow-test-changes', description: 'let the fix change test files (default: false)' },
  { flag: '--no-cache', key: 'cache', description: 'do not keep or reuse model answers (default: kept under .git/pytest-fixer/)' },
  {
    flag: '--no-warm-pytest',
    key: 'warm-pytest',
    description: 'start every test run in a fresh interpreter instead of forking a warm one (default: warm)'
  },
  { flag: '--json', key: 'json', description: 'print the report as JSON on stdout' },
  { flag: '--resume', key: 'resume', description: 'continue the interrupted run from its checkpoint' }
]

/** Keys [tool.pytest-fixer] may set: every value option and the two switches that make sense to keep. */
const configKeys = new Set([...valueOptions.map(option => option.key), 'allow-test-changes', 'cache', 'warm-pytest'])

function camel(key: string): string {
  return key.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())
}

export function buildProgram(): Command {
  const program = new Command('pytest-fixer')
    .description(
      'Fix failing pytest tests with an LLM, verified by re-running them. The API key comes from $OPENAI_API_KEY (or --api-key-env). Nothing is ever pushed.'
    )
    .argument('[path]', 'a directory inside the git repository to fix', '.')
    .helpOption('-h, --help', 'show this help')
    .showSuggestionAfterError(true)
    .configureHelp({ helpWidth: 110 })
    .allowExcessArguments(false)
  for (const spec of valueOptions) {
    const option = new Option(spec.flag, spec.description)
    if (spec.choices !== undefined) option.choices(spec.choices)
    else if (spec.parse !== undefined) option.argParser(spec.parse)
    if (spec.defaultValue !== undefined) option.default(spec.defaultValue, spec.defaultValue === '' ? 'none' : undefined)
    program.addOption(option)
  }
  for (const spec of switchOptions) program.addOption(new Option(spec.flag, spec.description))
  program.addHelpText(
    'after',
    '\nAny value option may also be set in pyproject.toml, e.g.\n  [tool.pytest-fixer]\n  model = "gpt-4.1-mini"\n  max-attempts = 5\nFlags win over the file. Exit codes: 0 fixed or nothing to fix, 1 not fixed or an error, 2 bad usage.'
  )
  return program
}

/** Parses argv (without node and script); throws UsageError (one line) or HelpShown. */
export function parseCommandLine(
  argv: string[],
  context: { cwd: string; stdinIsTTY: boolean; findConfig?: (start: string) => string | undefined }
): CliOptions {
  const program = buildProgram()
  let helpText = ''
  program.exitOverride()
  program.configureOutput({ writeOut: text => (helpText += text), writeErr: () => undefined, outputError: () => undefined })
  try {
    program.parse(argv, { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') throw new HelpShown(helpText)
      throw new UsageError(
        `${error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')}${error.code === 'commander.unknownOption' ? ' (see pytest-fixer --help)' : ''}`
      )
    }
    throw error
  }
  const values = program.opts<Record<string, unknown>>()
  const projectDir = path.resolve(context.cwd, program.args[0] ?? '.')
  if (!fs.existsSync(projectDir) || !fs.statSync(projectDir).isDirectory())
    throw new UsageError(`${projectDir} is not a directory: pass a directory inside the git repository to fix.`)

  const configFile = (context.findConfig ?? findPyproject)(projectDir)
  const config = configFile === undefined ? {} : readConfigTable(configFile)
  const value = (key: string): unknown => {
    const attribute = camel(key)
    if (program.getOptionValueSource(attribute) === 'cli') return values[attribute]
    if (key in config) return config[key]
    return values[attribute]
  }

  const model = String(value('model') ?? '')
  if (model.trim() === '')
    throw new UsageError(
      'No model: pass --model NAME (a model your endpoint serves, e.g. gpt-4.1-mini) or set model in [tool.pytest-fixer] of pyproject.toml.'
    )
  const interactive = (value('interactive') as Interactive | undefined) ?? (context.stdinIsTTY ? 'on-failure' : 'off')
  const cacheSource = program.getOptionValueSource('cache')
  const warmSource = program.getOptionValueSource('warmPytest')
  return {
    projectDir,
    model,
    baseUrl: String(value('base-url')),
    maxAttempts: Number(value('max-attempts')),
    candidates: Number(value('candidates')),
    initialTemperature: Number(value('initial-temperature')),
    temperatureIncrement: Number(value('temperature-increment')),
    testCommand: String(value('test-command')),
    junitXml: String(value('junit-xml')),
    allowTestChanges: values.allowTestChanges === true || config['allow-test-changes'] === true,
    extraInstructions: String(value('extra-instructions')),
    knownGoodRef: String(value('known-good-ref')),
    maxTokensTotal: Number(value('max-tokens-total')),
    cache: cacheSource === 'cli' ? values.cache !== false : config.cache !== false,
    warmPytest: warmSource === 'cli' ? values.warmPytest !== false : config['warm-pytest'] !== false,
    apiKeyEnv: String(value('api-key-env')),
    mode: value('mode') as CliMode,
    interactive,
    json: values.json === true,
    resume: values.resume === true,
    configFile: configFile === undefined || Object.keys(config).length === 0 ? undefined : configFile
  }
}

/** The nearest pyproject.toml from `start` up to the repository root (the folder holding .git) or the file system root. */
export function findPyproject(start: string): string | undefined {
  let dir = start
  for (;;) {
    const candidate = path.join(dir, 'pyproject.toml')
    if (fs.existsSync(candidate)) return candidate
    if (fs.existsSync(path.join(dir, '.git'))) return undefined
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/** [tool.pytest-fixer] of a pyproject.toml, its values checked like the flags'; {} when the table is absent. */
export function readConfigTable(file: string): Record<string, unknown> {
  let document: Record<string, unknown>
  try {
    document = parseToml(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error)
    throw new UsageError(`${file} is not valid TOML (${detail}): fix the file, or move it aside.`)
  }
  const tool = document.tool
  const table = typeof tool === 'object' && tool !== null ? (tool as Record<string, unknown>)['pytest-fixer'] : undefined
  if (table === undefined) return {}
  if (typeof table !== 'object' || table === null || Array.isArray(table))
    throw new UsageError(`${file}: [tool.pytest-fixer] must be a table of options, e.g. model = "gpt-4.1-mini".`)
  const result: Record<string, unknown> = {}
  for (const [key, raw] of Object.entries(table as Record<string, unknown>)) {
    const where = `${file} [tool.pytest-fixer] ${key}`
    if (!configKeys.has(key)) throw new UsageError(`${where}: unknown option; expected one of ${[...configKeys].join(', ')}.`)
    const spec = valueOptions.find(option => option.key === key)
    if (spec === undefined) {
      if (typeof raw !== 'boolean') throw new UsageError(`${where} = ${JSON.stringify(raw)}: expected true or false.`)
      result[key] = raw
      continue
    }
    if (typeof raw !== 'string' && typeof raw !== 'number')
      throw new UsageError(`${where} = ${JSON.stringify(raw)}: expected a ${typeof spec.defaultValue === 'number' ? 'number' : 'string'}.`)
    const text = String(raw)
    try {
      if (spec.choices !== undefined && !spec.choices.includes(text))
        throw new InvalidArgumentError(`expected one of ${spec.choices.join(', ')}.`)
      result[key] = spec.parse !== undefined ? spec.parse(text) : text
    } catch (error) {
      throw new UsageError(`${where} = ${JSON.stringify(raw)}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return result
}

/** The engine's settings from the options and the key; throws UsageError when the key is missing. */
export function engineSettings(options: CliOptions, env: NodeJS.ProcessEnv): Omit<Settings, 'mode'> & { mode: CliMode } {
  const apiKey = env[options.apiKeyEnv] ?? ''
  if (apiKey.trim() === '') {
    throw new UsageError(
      `$${options.apiKeyEnv} is empty: export your endpoint's API key in it (any placeholder for an endpoint without auth, such as Ollama), or name another variable with --api-key-env.`
    )
  }
  const inputs: Record<string, string> = {
    [Inputs.JunitXml]: options.junitXml,
    [Inputs.TestCommand]: options.testCommand,
    [Inputs.ApiKey]: apiKey,
    [Inputs.BaseUrl]: options.baseUrl,
    [Inputs.Model]: options.model,
    [Inputs.MaxAttempts]: String(options.maxAttempts),
    [Inputs.Candidates]: String(options.candidates),
    [Inputs.InitialTemperature]: String(options.initialTemperature),
    [Inputs.TemperatureIncrement]: String(options.temperatureIncrement),
    [Inputs.AllowTestChanges]: String(options.allowTestChanges),
    [Inputs.ExtraInstructions]: options.extraInstructions,
    [Inputs.KnownGoodRef]: options.knownGoodRef,
    [Inputs.MaxTokensTotal]: String(options.maxTokensTotal),
    [Inputs.Cache]: String(options.cache),
    [Inputs.WarmPytest]: String(options.warmPytest),
    // the action's modes do not apply here; the command line's mode replaces it below
    [Inputs.Mode]: 'dry-run'
  }
  return { ...readSettings(name => inputs[name] ?? ''), mode: options.mode }
}
