// Set-up of the intake scenarios: a fixture project with a committed bug, what the failing CI step left in the
// workspace (its JUnit XML, its console log, written by real pytest), the model and GitHub stand-ins, and the
// bundled action run the way the runner runs it.
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { startGitHubServer } from '../harness/github-server.mjs'
import { createProjectRepo, injectBug, snapshotTracked, trackedStatus, type Bug } from '../harness/git-repo.mjs'
import { startOpenAIServer, type OpenAIServerOptions } from '../harness/openai-server.mjs'
import { runAction } from '../harness/run-action.mjs'
import type { Report } from '../../src/domain.js'

export type BugChange = Pick<Bug, 'id' | 'file' | 'search' | 'replace'>

export interface IntakeScenarioOptions {
  /** folder under __tests__/fixtures/projects */
  project: string
  /** committed like the change that broke CI; none: the project as it is */
  bug?: BugChange | BugChange[]
  script?: OpenAIServerOptions['script']
  /** what the failing CI step left in the checkout (untracked), written after the bug is committed */
  leftBehind?: (dir: string) => Promise<void> | void
}

export interface PytestOutput {
  exitCode: number
  output: string
}

/** Runs real pytest like a CI step would, without the machine's plugins or bytecode files in the checkout. */
export function runPytest(cwd: string, args: string[]): Promise<PytestOutput> {
  return runPython(cwd, ['-m', 'pytest', '-p', 'no:cacheprovider', ...args])
}

export function runPython(cwd: string, args: string[]): Promise<PytestOutput> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    PYTHONDONTWRITEBYTECODE: '1',
    PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1'
  }
  return new Promise(resolve => {
    execFile('python3', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ exitCode: code, output: stdout + stderr })
    })
  })
}

/** The edit block a good model answers with: the buggy text back to the correct one. */
export function undoBugAnswer(bug: BugChange): string {
  return `The change broke it.\n\n${bug.file}\n\`\`\`python\n<<<<<<< SEARCH\n${bug.replace.replace(/\n$/, '')}\n=======\n${bug.search.replace(/\n$/, '')}\n>>>>>>> REPLACE\n\`\`\`\n`
}

export function temporaryDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pytest-fixer-${label}-`))
}

export async function setUpIntakeScenario(options: IntakeScenarioOptions) {
  const model = await startOpenAIServer({ script: options.script ?? [{ content: 'No idea.' }] })
  const github = await startGitHubServer()
  const bugs = options.bug === undefined ? [] : [options.bug].flat()
  const project = await createProjectRepo(
    options.project,
    bugs.length === 0 ? {} : { mutate: (dir: string) => bugs.forEach(bug => injectBug(dir, { ...bug })) }
  )
  try {
    await options.leftBehind?.(project.dir)
  } catch (error) {
    await Promise.all([model.close(), github.close()])
    project.cleanup()
    throw error
  }
  const before = await snapshotTracked(project.dir)
  const statusBefore = await trackedStatus(project.dir)
  const cleanups: Array<() => void> = []
  return {
    model,
    github,
    project,
    async run(inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
      const result = await runAction({
        workspace: project.dir,
        inputs: {
          'api-key': 'sk-test-key-0123456789abcdef',
          'base-url': model.baseUrl,
          model: 'stand-in-model',
          cache: 'false',
          ...inputs
        },
        env: {
          GITHUB_API_URL: github.apiUrl,
          GITHUB_TOKEN: 'ghs_testtoken0123456789abcdefABCDEF0123',
          PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1',
          ...env
        },
        timeoutMs: 120_000
      })
      cleanups.push(result.cleanup)
      return result
    },
    /** every tracked file as before and `git status` (untracked files included) as before */
    async treeUnchanged(): Promise<boolean> {
      const now = await snapshotTracked(project.dir)
      return JSON.stringify(now) === JSON.stringify(before) && (await trackedStatus(project.dir)) === statusBefore
    },
    /** everything the model was sent, as one text */
    promptsText(): string {
      return model.requests.map(request => JSON.stringify(request.body?.messages ?? '')).join('\n')
    },
    onClose(cleanup: () => void) {
      cleanups.push(cleanup)
    },
    async close() {
      await model.close()
      await github.close()
      project.cleanup()
      for (const cleanup of cleanups) cleanup()
    }
  }
}

export type IntakeScenario = Awaited<ReturnType<typeof setUpIntakeScenario>>

/** Lines of a JavaScript stack trace (`    at fn (file:1:2)`), which a user should never be shown. */
export function stackTraceLines(text: string): string[] {
  return text.split('\n').filter(line => /^\s+at \S/.test(line))
}

export function readReport(outputs: Record<string, string>): Report {
  return JSON.parse(fs.readFileSync(outputs.report, 'utf8')) as Report
}
