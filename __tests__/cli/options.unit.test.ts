// Flags, pyproject.toml's [tool.pytest-fixer] and the defaults, in that order; bad values named in one line.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { engineSettings, HelpShown, parseCommandLine, UsageError } from '../../src/cli/options.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function project(pyproject?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pytest-fixer-options-'))
  dirs.push(dir)
  fs.mkdirSync(path.join(dir, '.git'))
  if (pyproject !== undefined) fs.writeFileSync(path.join(dir, 'pyproject.toml'), pyproject)
  return dir
}

const parse = (argv: string[], cwd: string, stdinIsTTY = false) => parseCommandLine(argv, { cwd, stdinIsTTY })
const usage = (run: () => unknown): string => {
  try {
    run()
  } catch (error) {
    if (error instanceof UsageError) return error.message
    throw error
  }
  throw new Error('expected a UsageError')
}

describe('flags', () => {
  it('the defaults mirror the action: 3 attempts from 0.4 by 0.1, cache on, mode branch, interactive off without a terminal', () => {
    const options = parse(['--model', 'm'], project())
    expect(options).toMatchObject({
      model: 'm',
      maxAttempts: 3,
      initialTemperature: 0.4,
      temperatureIncrement: 0.1,
      cache: true,
      mode: 'branch',
      interactive: 'off',
      testCommand: 'python -m pytest',
      junitXml: '',
      apiKeyEnv: 'OPENAI_API_KEY',
      json: false,
      resume: false
    })
  })

  it('interactive defaults to on-failure when stdin is a terminal; an explicit value wins', () => {
    const dir = project()
    expect(parse(['--model', 'm'], dir, true).interactive).toBe('on-failure')
    expect(parse(['--model', 'm', '--interactive', 'off'], dir, true).interactive).toBe('off')
    expect(parse(['--model', 'm', '--interactive', 'always'], dir).interactive).toBe('always')
  })

  it('every flag reaches the options', () => {
    const dir = project()
    fs.mkdirSync(path.join(dir, 'sub'))
    const options = parse(
      [
        'sub',
        '--model',
        'm',
        '--base-url',
        'http://localhost:1/v1/',
        '--max-attempts',
        '5',
        '--initial-temperature',
        '0',
        '--temperature-increment',
        '0.25',
        '--test-command',
        'pytest -x',
        '--junit-xml',
        'r.xml',
        '--allow-test-changes',
        '--extra-instructions',
        'be brief',
        '--max-tokens-total',
        '5000',
        '--no-cache',
        '--api-key-env',
        'MY_KEY',
        '--mode',
        'dry-run',
        '--json',
        '--resume'
      ],
      dir
    )
    expect(options).toMatchObject({
      projectDir: path.join(dir, 'sub'),
      baseUrl: 'http://localhost:1/v1',
      maxAttempts: 5,
      initialTemperature: 0,
      temperatureIncrement: 0.25,
      testCommand: 'pytest -x',
      junitXml: 'r.xml',
      allowTestChanges: true,
      extraInstructions: 'be brief',
      maxTokensTotal: 5000,
      cache: false,
      apiKeyEnv: 'MY_KEY',
      mode: 'dry-run',
      json: true,
      resume: true
    })
  })

  it('bad values and unknown flags: one line naming the flag and what is expected', () => {
    const dir = project()
    expect(usage(() => parse(['--model', 'm', '--max-attempts', '11'], dir))).toBe(
      "option '--max-attempts <n>' argument '11' is invalid. expected a whole number from 1 to 10."
    )
    expect(usage(() => parse(['--model', 'm', '--mode', 'push'], dir))).toBe(
      "option '--mode <mode>' argument 'push' is invalid. Allowed choices are branch, apply, dry-run."
    )
    expect(usage(() => parse(['--model', 'm', '--base-url', 'localhost'], dir))).toContain('expected an http(s) URL')
    expect(usage(() => parse(['--model', 'm', '--api-key-env', 'MY-KEY'], dir))).toContain('expected the name of an environment variable')
    expect(usage(() => parse(['--model', 'm', '--max-attemps', '2'], dir))).toMatch(/^unknown option '--max-attemps'\n?.*--max-attempts/s)
    expect(usage(() => parse([], dir))).toContain('No model: pass --model NAME')
    expect(usage(() => parse(['--model', 'm', 'nowhere'], dir))).toContain('is not a directory')
    expect(usage(() => parse(['--model', 'm', 'a', 'b'], dir))).toContain('too many arguments')
  })

  it('--help is not an error: its text lists the flags', () => {
    try {
      parse(['--help'], project())
      throw new Error('expected HelpShown')
    } catch (error) {
      expect(error).toBeInstanceOf(HelpShown)
      expect((error as HelpShown).text).toContain('--temperature-increment <t>')
    }
  })
})

describe('[tool.pytest-fixer] in pyproject.toml', () => {
  it('sets values the flags do not; flags win', () => {
    const dir = project(
      '[tool.pytest]\nminversion = "8"\n\n[tool.pytest-fixer]\nmodel = "from-file"\nmax-attempts = 5\nmode = "apply"\ncache = false\nallow-test-changes = true\n'
    )
    const options = parse([], dir)
    expect(options).toMatchObject({
      model: 'from-file',
      maxAttempts: 5,
      mode: 'apply',
      cache: false,
      allowTestChanges: true,
      configFile: path.join(dir, 'pyproject.toml')
    })
    expect(parse(['--model', 'flag', '--max-attempts', '2', '--mode', 'dry-run'], dir)).toMatchObject({
      model: 'flag',
      maxAttempts: 2,
      mode: 'dry-run'
    })
  })

  it('is found from a sub-directory, up to the repository root', () => {
    const dir = project('[tool.pytest-fixer]\nmodel = "up"\n')
    fs.mkdirSync(path.join(dir, 'pkg'))
    expect(parse([], path.join(dir, 'pkg')).model).toBe('up')
  })

  it('a pyproject.toml without the table changes nothing', () => {
    const options = parse(['--model', 'm'], project('[project]\nname = "x"\n'))
    expect(options.configFile).toBeUndefined()
    expect(options.maxAttempts).toBe(3)
  })

  it('bad TOML, unknown keys and bad values name the file, the key and the fix', () => {
    expect(usage(() => parse([], project('[tool.pytest-fixer\nmodel = 1')))).toMatch(/pyproject\.toml is not valid TOML .*fix the file/)
    expect(usage(() => parse([], project('[tool.pytest-fixer]\nmodle = "m"\n')))).toMatch(
      /\[tool\.pytest-fixer\] modle: unknown option; expected one of model, /
    )
    expect(usage(() => parse([], project('[tool.pytest-fixer]\nmodel = "m"\nmax-attempts = 0\n')))).toMatch(
      /max-attempts = 0: expected a whole number from 1 to 10\.$/
    )
    expect(usage(() => parse([], project('[tool.pytest-fixer]\nmodel = "m"\nmode = "push"\n')))).toMatch(
      /mode = "push": expected one of branch, apply, dry-run\.$/
    )
    expect(usage(() => parse([], project('[tool.pytest-fixer]\nmodel = "m"\ncache = "no"\n')))).toMatch(
      /cache = "no": expected true or false\.$/
    )
  })
})

describe('engine settings', () => {
  it('the key comes from $OPENAI_API_KEY or the variable --api-key-env names; missing, it says what to do', () => {
    const dir = project()
    expect(engineSettings(parse(['--model', 'm'], dir), { OPENAI_API_KEY: 'sk-1' })).toMatchObject({
      apiKey: 'sk-1',
      model: 'm',
      mode: 'branch',
      maxAttempts: 3,
      cache: true
    })
    expect(engineSettings(parse(['--model', 'm', '--api-key-env', 'LOCAL_KEY'], dir), { LOCAL_KEY: 'sk-2' }).apiKey).toBe('sk-2')
    expect(usage(() => engineSettings(parse(['--model', 'm', '--api-key-env', 'LOCAL_KEY'], dir), { OPENAI_API_KEY: 'sk-1' }))).toMatch(
      /^\$LOCAL_KEY is empty: export/
    )
  })
})
