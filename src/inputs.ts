// Turns the raw action inputs into one validated Settings object. Nothing else reads inputs.
import { Inputs, Mode, Modes } from './constants.js'
import { UserError } from './domain.js'

export interface Settings {
  junitXml: string
  logFile: string
  testCommand: string
  workingDirectory: string
  githubToken: string
  apiKey: string
  baseUrl: string
  model: string
  maxAttempts: number
  initialTemperature: number
  temperatureIncrement: number
  mode: Mode
  /** empty: the branch that failed */
  baseBranch: string
  branchPrefix: string
  labels: string[]
  draft: boolean
  allowTestChanges: boolean
  flakyReruns: number
  cache: boolean
  /** upload the report as a workflow artifact */
  uploadReport: boolean
  maxTokensTotal: number
  testTimeoutSeconds: number
  extraInstructions: string
  /** workflow_run: the failed run's artifact holding its JUnit report */
  artifactName: string
  /** workflow_run: fix runs whose code comes from a fork (their code runs with this workflow's token) */
  allowForks: boolean
  /** node ids or a `-k` expression: fix only the failures they select; '' fixes all */
  tests: string
  /** open, update and close an issue for failures no verified fix was found for */
  fallbackIssue: boolean
  /** a commit, branch or tag the tests passed on: the change under test starts there ('' : from the event) */
  knownGoodRef: string
  /** answers asked per model call, verified cheapest first until one passes */
  candidates: number
  /** test runs fork from one interpreter that imported pytest (plain pytest commands only) */
  warmPytest: boolean
  /** what a million prompt and completion tokens cost, in the user's currency; null: no cost is computed */
  prices: Prices | null
}

export interface Prices {
  input: number
  output: number
}

/** The cost of these tokens at these prices; null without prices. */
export function costOf(tokens: { promptTokens: number; completionTokens: number }, prices: Prices | null): number | null {
  if (prices === null) return null
  return (tokens.promptTokens * prices.input + tokens.completionTokens * prices.output) / 1_000_000
}

/** Reads one input by name; '' when not set. `core.getInput` in the action, a map in tests. */
export type InputReader = (name: string) => string

export const Defaults = {
  testCommand: 'python -m pytest',
  workingDirectory: '.',
  baseUrl: 'https://api.openai.com/v1',
  maxAttempts: 3,
  initialTemperature: 0.4,
  temperatureIncrement: 0.1,
  mode: 'pull-request' as Mode,
  branchPrefix: 'pytest-fixer/',
  labels: 'pytest-fixer',
  flakyReruns: 1,
  maxTokensTotal: 200000,
  testTimeoutSeconds: 600,
  artifactName: 'pytest-results'
} as const

export function readSettings(read: InputReader): Settings {
  const problems: string[] = []
  const text = (name: string, fallback = ''): string => {
    const value = read(name).trim()
    return value === '' ? fallback : value
  }
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name)
    if (raw === '') return fallback
    const value = Number(raw)
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`Input '${name}' is '${raw}': expected a whole number from ${min} to ${max}.`)
      return fallback
    }
    return value
  }
  const decimal = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name)
    if (raw === '') return fallback
    const value = Number(raw)
    if (!Number.isFinite(value) || value < min || value > max) {
      problems.push(`Input '${name}' is '${raw}': expected a number from ${min} to ${max}.`)
      return fallback
    }
    return value
  }
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = text(name).toLowerCase()
    if (raw === '') return fallback
    if (['true', 'yes', '1', 'on'].includes(raw)) return true
    if (['false', 'no', '0', 'off'].includes(raw)) return false
    problems.push(`Input '${name}' is '${read(name).trim()}': expected true or false.`)
    return fallback
  }

  const apiKey = text(Inputs.ApiKey)
  if (apiKey === '') {
    problems.push(
      `Input '${Inputs.ApiKey}' is empty: set it to the key of your LLM endpoint, e.g. ` +
        `api-key: \${{ secrets.OPENAI_API_KEY }} (any placeholder for an endpoint without auth, such as Ollama).`
    )
  }
  const model = text(Inputs.Model)
  if (model === '') {
    problems.push(`Input '${Inputs.Model}' is empty: set it to a model name your endpoint serves, e.g. model: gpt-4.1-mini.`)
  }
  const baseUrl = text(Inputs.BaseUrl, Defaults.baseUrl)
  if (!/^https?:\/\/[^\s/]+/i.test(baseUrl)) {
    problems.push(
      `Input '${Inputs.BaseUrl}' is '${baseUrl}': expected an http(s) URL of an OpenAI-compatible endpoint, ` +
        `e.g. https://api.openai.com/v1 or http://localhost:11434/v1.`
    )
  }
  const modeRaw = text(Inputs.Mode, Defaults.mode)
  let mode: Mode = Defaults.mode
  if ((Modes as readonly string[]).includes(modeRaw)) mode = modeRaw as Mode
  else problems.push(`Input '${Inputs.Mode}' is '${modeRaw}': expected one of ${Modes.join(', ')}.`)

  const branchPrefix = text(Inputs.BranchPrefix, Defaults.branchPrefix)
  if (!isSafeRefPart(branchPrefix.replace(/\/$/, ''))) {
    problems.push(
      `Input '${Inputs.BranchPrefix}' is '${branchPrefix}': expected letters, digits, '-', '_', '.' and '/' ` +
        `that make a valid git branch name, e.g. pytest-fixer/.`
    )
  }
  const baseBranch = text(Inputs.BaseBranch)
  if (baseBranch !== '' && !isSafeRefPart(baseBranch)) {
    problems.push(`Input '${Inputs.BaseBranch}' is '${baseBranch}': expected a valid git branch name such as main.`)
  }
  const testCommand = text(Inputs.TestCommand, Defaults.testCommand)
  const knownGoodRef = text(Inputs.KnownGoodRef)
  // both or neither: a cost from one price would be wrong, not partial
  const priceInput = text(Inputs.PriceInput)
  const priceOutput = text(Inputs.PriceOutput)
  let prices: Prices | null = null
  if (priceInput !== '' || priceOutput !== '') {
    if (priceInput === '' || priceOutput === '') {
      problems.push(
        `Input '${priceInput === '' ? Inputs.PriceInput : Inputs.PriceOutput}' is empty while '${priceInput === '' ? Inputs.PriceOutput : Inputs.PriceInput}' is set: give both prices (e.g. 0.15 and 0.60) or neither.`
      )
    } else prices = { input: decimal(Inputs.PriceInput, 0, 0, 1_000_000), output: decimal(Inputs.PriceOutput, 0, 0, 1_000_000) }
  }
  if (knownGoodRef !== '' && !isSafeRefPart(knownGoodRef)) {
    problems.push(
      `Input '${Inputs.KnownGoodRef}' is '${knownGoodRef}': expected a commit sha, branch or tag the tests passed on, e.g. main or v1.2.0.`
    )
  }

  const settings: Settings = {
    junitXml: text(Inputs.JunitXml),
    logFile: text(Inputs.LogFile),
    testCommand,
    workingDirectory: text(Inputs.WorkingDirectory, Defaults.workingDirectory),
    githubToken: text(Inputs.GithubToken),
    apiKey,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    model,
    maxAttempts: integer(Inputs.MaxAttempts, Defaults.maxAttempts, 1, 10),
    initialTemperature: decimal(Inputs.InitialTemperature, Defaults.initialTemperature, 0, 2),
    temperatureIncrement: decimal(Inputs.TemperatureIncrement, Defaults.temperatureIncrement, 0, 1),
    mode,
    baseBranch,
    branchPrefix,
    labels: text(Inputs.Labels, Defaults.labels)
      .split(/[,\n]/)
      .map(label => label.trim())
      .filter(label => label !== ''),
    draft: boolean(Inputs.Draft, false),
    allowTestChanges: boolean(Inputs.AllowTestChanges, false),
    flakyReruns: integer(Inputs.FlakyReruns, Defaults.flakyReruns, 0, 5),
    cache: boolean(Inputs.Cache, true),
    uploadReport: boolean(Inputs.UploadReport, true),
    maxTokensTotal: integer(Inputs.MaxTokensTotal, Defaults.maxTokensTotal, 1000, 100_000_000),
    testTimeoutSeconds: integer(Inputs.TestTimeout, Defaults.testTimeoutSeconds, 1, 21600),
    extraInstructions: text(Inputs.ExtraInstructions),
    artifactName: text(Inputs.ArtifactName, Defaults.artifactName),
    allowForks: boolean(Inputs.AllowForks, false),
    tests: text(Inputs.Tests),
    fallbackIssue: boolean(Inputs.FallbackIssue, false),
    knownGoodRef,
    prices,
    candidates: integer(Inputs.Candidates, 1, 1, 5),
    warmPytest: boolean(Inputs.WarmPytest, true)
  }
  if (problems.length > 0) throw new UserError(problems.join('\n'))
  return settings
}

/** A branch name part git accepts (git check-ref-format, simplified to a safe subset). */
function isSafeRefPart(name: string): boolean {
  return (
    /^[A-Za-z0-9._\-/]+$/.test(name) &&
    !name.startsWith('/') &&
    !name.startsWith('-') &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.endsWith('.lock') &&
    !name.endsWith('.')
  )
}
