// runAction must hand the action exactly what the GitHub runner hands it: inputs as INPUT_* (hyphens kept,
// defaults applied), the runner's env and file commands, and nothing else of the test's environment.
// A throwaway script that uses the real @actions/core stands in for dist/index.js.
import { describe, it, expect, afterEach, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { actionRuntime, parseFileCommands, parseWorkflowCommands, readActionDefaults, repoRoot, runAction } from './run-action.mjs'

const scratch = mkdtempSync(join(tmpdir(), 'run-action-test-'))
const core = pathToFileURL(join(repoRoot, 'node_modules/@actions/core/lib/core.js')).href
const runs: { cleanup: () => void }[] = []

afterEach(() => {
  for (const run of runs.splice(0)) run.cleanup()
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Writes an ESM script that can use `core` (the real @actions/core). */
function script(name: string, body: string): string {
  const path = join(scratch, name)
  writeFileSync(path, `import * as core from '${core}'\n${body}\n`)
  return path
}

/** A git workspace with one commit on `branch`. */
function workspace(branch = 'main'): string {
  const dir = mkdtempSync(join(scratch, 'ws-'))
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim()
  git('init', '-q', '-b', branch)
  git('commit', '-q', '--allow-empty', '-m', 'start')
  return dir
}

type RunOptions = Parameters<typeof runAction>[0]
async function run(options: Omit<RunOptions, 'workspace'> & { workspace?: string }) {
  const result = await runAction({ workspace: options.workspace ?? workspace(), ...options } as RunOptions)
  runs.push(result)
  return result
}

const defaults = {
  'junit-xml': '',
  'github-token': '${{ github.token }}',
  'api-key': undefined,
  'max-attempts': '3',
  'initial-temperature': '0.40',
  'base-branch': '${{ github.ref_name }}'
}

describe('inputs reach the action as the runner passes them', () => {
  const echoInputs = script(
    'echo-inputs.mjs',
    `for (const name of ['junit-xml', 'github-token', 'api-key', 'max-attempts', 'initial-temperature', 'base-branch']) {
       core.setOutput(name, core.getInput(name))
     }`
  )

  it('applies action.yml defaults, evaluates ${{ github.* }}, and lets inputs override them', async () => {
    const result = await run({
      script: echoInputs,
      actionDefaults: defaults,
      inputs: { 'api-key': 'sk-test', 'max-attempts': 5 },
      env: { GITHUB_TOKEN: 'ghs_workflow' }
    })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toEqual({
      'junit-xml': '',
      'github-token': 'ghs_workflow',
      'api-key': 'sk-test',
      'max-attempts': '5',
      'initial-temperature': '0.40',
      'base-branch': 'main'
    })
    expect(result.env['INPUT_GITHUB-TOKEN']).toBe('ghs_workflow')
    expect(result.env['INPUT_API-KEY']).toBe('sk-test')
  })

  it('evaluates github.token to empty when no GITHUB_TOKEN is set, and null removes a default', async () => {
    const result = await run({ script: echoInputs, actionDefaults: defaults, inputs: { 'max-attempts': null } })
    expect(result.outputs['github-token']).toBe('')
    expect(result.env).not.toHaveProperty('INPUT_MAX-ATTEMPTS')
    expect(result.env).not.toHaveProperty('INPUT_API-KEY')
  })

  it('reads the defaults of the real action.yml when no others are given', async () => {
    const declared = readActionDefaults()
    expect(declared).toBeDefined()
    expect(declared?.['github-token']).toBe('${{ github.token }}')
    expect(declared?.['api-key']).toBeUndefined()
    const result = await run({ script: echoInputs, inputs: { 'api-key': 'sk-test', model: 'm' }, env: { GITHUB_TOKEN: 'ghs_x' } })
    expect(result.env).toMatchObject({
      'INPUT_GITHUB-TOKEN': 'ghs_x',
      'INPUT_MAX-ATTEMPTS': '3',
      INPUT_MODEL: 'm',
      INPUT_MODE: 'pull-request'
    })
  })

  it('refuses an input action.yml does not declare, so a typo cannot pass silently', async () => {
    await expect(run({ script: echoInputs, actionDefaults: defaults, inputs: { 'max-attempt': 2 } })).rejects.toThrow(
      'Inputs not declared in action.yml: max-attempt'
    )
  })

  it('refuses a default expression it cannot evaluate', async () => {
    await expect(run({ script: echoInputs, actionDefaults: { x: '${{ secrets.OTHER }}' } })).rejects.toThrow(
      "cannot evaluate the action.yml default expression 'secrets.OTHER'"
    )
  })
})

describe('the runner environment, and nothing else', () => {
  const dumpEnv = script(
    'dump-env.mjs',
    `import { readFileSync } from 'node:fs'
    core.setOutput('env', JSON.stringify(process.env))
    core.setOutput('event', readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8'))
    core.setOutput('node', process.version)
    core.setOutput('cwd', process.cwd())`
  )

  it('sets the GITHUB_* and RUNNER_* variables and leaks no other variable of the test process', async () => {
    process.env.PYTEST_FIXER_TEST_SECRET = 'must-not-leak'
    const dir = workspace('develop')
    try {
      const result = await run({ workspace: dir, script: dumpEnv, actionDefaults: {}, env: { OPENAI_API_KEY: 'sk-explicit' } })
      const env = JSON.parse(result.outputs.env)
      expect(env.PYTEST_FIXER_TEST_SECRET).toBeUndefined()
      expect(env.OPENAI_API_KEY).toBe('sk-explicit')
      expect(env).toMatchObject({
        GITHUB_ACTIONS: 'true',
        CI: 'true',
        RUNNER_OS: 'Linux',
        GITHUB_WORKSPACE: dir,
        GITHUB_REPOSITORY: 'octo/project',
        GITHUB_REPOSITORY_OWNER: 'octo',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/develop',
        GITHUB_REF_NAME: 'develop',
        GITHUB_SHA: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim()
      })
      const ownNames = Object.keys(env).filter(name => !/^(GITHUB_|RUNNER_|INPUT_)/.test(name))
      expect(ownNames.sort()).toEqual(['CI', 'HOME', 'OPENAI_API_KEY', 'PATH'])
      expect(result.outputs.cwd).toBe(dir)
      expect(JSON.parse(result.outputs.event).repository.full_name).toBe('octo/project')
    } finally {
      delete process.env.PYTEST_FIXER_TEST_SECRET
    }
  })

  it('describes a pull_request run with head and base refs and the given payload', async () => {
    const event = { number: 12, pull_request: { number: 12, head: { ref: 'feature' }, base: { ref: 'main' } } }
    const result = await run({ script: dumpEnv, actionDefaults: {}, eventName: 'pull_request', event })
    const env = JSON.parse(result.outputs.env)
    expect(env).toMatchObject({ GITHUB_REF: 'refs/pull/12/merge', GITHUB_HEAD_REF: 'feature', GITHUB_BASE_REF: 'main' })
    expect(JSON.parse(result.outputs.event).pull_request.head.ref).toBe('feature')
  })

  it('runs on the Node 24 that action.yml declares when node_modules has it', async () => {
    const result = await run({ script: dumpEnv, actionDefaults: {} })
    const runtime = actionRuntime()
    if (runtime.note === undefined) expect(result.outputs.node).toMatch(/^v24\./)
    else expect(result.note).toBe(runtime.note)
  })
})

describe('what the action leaves for the runner is read back', () => {
  it('parses outputs, summary, exported env, state, path and workflow commands', async () => {
    const reporter = script(
      'report.mjs',
      `core.setOutput('result', 'fixed')
      core.setOutput('fixed-tests', JSON.stringify(['tests/test_x.py::test_a[x y]']))
      core.setOutput('multiline', 'first\\nsecond')
      core.exportVariable('FIXED', 'yes')
      core.saveState('cleanup', 'later')
      core.addPath('/opt/extra/bin')
      core.warning('a warning, with: punctuation')
      await core.summary.addHeading('pytest-fixer').addRaw('All fixed').write()
      core.setFailed('boom')`
    )
    const result = await run({ script: reporter, actionDefaults: {} })
    expect(result.exitCode).toBe(1)
    expect(result.outputs).toEqual({
      result: 'fixed',
      'fixed-tests': '["tests/test_x.py::test_a[x y]"]',
      multiline: 'first\nsecond'
    })
    expect(result.exportedEnv).toEqual({ FIXED: 'yes' })
    expect(result.savedState).toEqual({ cleanup: 'later' })
    expect(result.addedPath).toEqual(['/opt/extra/bin'])
    expect(result.summary).toContain('<h1>pytest-fixer</h1>')
    expect(result.summary).toContain('All fixed')
    expect(result.commands).toEqual(
      expect.arrayContaining([
        { command: 'warning', properties: {}, message: 'a warning, with: punctuation' },
        { command: 'error', properties: {}, message: 'boom' }
      ])
    )
  })

  it('reads name=value lines and name<<DELIMITER heredocs', () => {
    expect(parseFileCommands('a=1\nb<<EOF_X\nline 1\nline=2\nEOF_X\nc=x=y\n')).toEqual({ a: '1', b: 'line 1\nline=2', c: 'x=y' })
    expect(() => parseFileCommands('a<<END\nno end')).toThrow('Unterminated a<<END')
  })

  it('reads workflow command properties with their escapes', () => {
    expect(parseWorkflowCommands('::error file=src/a.py,line=3,title=A%2C B::Failed%0Anext\nplain text\n::add-mask::***')).toEqual([
      { command: 'error', properties: { file: 'src/a.py', line: '3', title: 'A, B' }, message: 'Failed\nnext' },
      { command: 'add-mask', properties: {}, message: '***' }
    ])
  })
})

describe('timeouts, signals and leftover processes', () => {
  const waitForever = script(
    'wait.mjs',
    `process.on('SIGTERM', () => { console.log('terminated'); process.exit(143) })
    setInterval(() => {}, 1000)
    console.log('ready')`
  )

  it('lets a test signal the action mid-run', async () => {
    const result = await run({
      script: waitForever,
      actionDefaults: {},
      onOutput: (chunk, child) => {
        if (chunk.includes('ready')) child.kill('SIGTERM')
      }
    })
    expect(result.exitCode).toBe(143)
    expect(result.stdout).toContain('terminated')
    expect(result.timedOut).toBe(false)
  })

  it('ends an action that runs past timeoutMs', async () => {
    const started = Date.now()
    const result = await run({ script: waitForever, actionDefaults: {}, timeoutMs: 500 })
    expect(result.timedOut).toBe(true)
    expect(result.exitCode).toBe(143)
    expect(Date.now() - started).toBeLessThan(10000)
  })

  it('reports and ends processes the action left running, even ones holding its output pipes', async () => {
    const marker = join(scratch, 'stray-marker')
    const leaver = script(
      'leave-child.mjs',
      `import { spawn } from 'node:child_process'
      spawn('sh', ['-c', 'sleep 2; touch ${marker}'], { stdio: 'inherit' }).unref()`
    )
    const result = await run({ script: leaver, actionDefaults: {} })
    expect(result.exitCode).toBe(0)
    expect(result.strayProcesses).toBe(true)
    await new Promise(resolve => setTimeout(resolve, 2500))
    expect(execFileSync('ls', [scratch], { encoding: 'utf8' })).not.toContain('stray-marker')
  })
})
