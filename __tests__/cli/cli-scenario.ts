// A fixture project as a developer's checkout, the scripted model, and the bundled command run on it
// (dist/cli/index.js, as `npx pytest-fixer` runs it), plus snapshots that tell whether the tree and index moved.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { createProjectRepo, injectBug, readBugCatalog, runGitSync } from '../harness/git-repo.mjs'
import { startOpenAIServer, type OpenAIServer, type OpenAIServerOptions } from '../harness/openai-server.mjs'
import { repoRoot } from '../harness/run-action.mjs'
import type { Bug } from '../e2e/scenario.js'

export const cliBundle = path.join(repoRoot, 'dist', 'cli', 'index.js')
/** no .pytest_cache in the tree, so the snapshot can hold every file */
export const testCommand = 'python3 -m pytest -p no:cacheprovider'

export function catalogBug(id: string): Bug {
  const bug = (readBugCatalog() as Bug[]).find(item => item.id === id)
  if (bug === undefined) throw new Error(`no bug ${id}`)
  return bug
}

export interface CliProject {
  dir: string
  model: OpenAIServer
  git: (args: string[]) => string
  /** the environment the command gets: the key, nothing of the developer's git config */
  env: NodeJS.ProcessEnv
  close: () => Promise<void>
}

export async function setUpCliProject(bug: Bug, script: OpenAIServerOptions['script'], also: Bug[] = []): Promise<CliProject> {
  const model = await startOpenAIServer({ script, apiKey: 'sk-cli-test' })
  const project = await createProjectRepo(bug.project, {
    mutate: (dir: string) => {
      for (const each of [bug, ...also]) injectBug(dir, each)
    }
  })
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    OPENAI_API_KEY: 'sk-cli-test',
    PYTHONDONTWRITEBYTECODE: '1',
    TERM: 'xterm-256color'
  }
  return {
    dir: project.dir,
    model,
    git: args => runGitSync(project.dir, args),
    env,
    close: async () => {
      await model.close()
      project.cleanup()
    }
  }
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the bundled command without a terminal (pipes), in `cwd`. */
export function runCli(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBundle, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout, stderr }))
  })
}

/** Every file of the working tree (outside .git) with the sha256 of its bytes. */
export function treeSnapshot(dir: string): Record<string, string> {
  const result: Record<string, string> = {}
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const name = path.join(relative, entry.name)
      if (name === '.git') continue
      if (entry.isDirectory()) walk(name)
      else
        result[name] = createHash('sha256')
          .update(fs.readFileSync(path.join(dir, name)))
          .digest('hex')
    }
  }
  walk('')
  return result
}

/** The index (every entry's mode, blob and stage), HEAD and the branch checked out. */
export function gitState(project: CliProject): { index: string; head: string; branch: string; status: string } {
  return {
    index: project.git(['ls-files', '--stage']),
    head: project.git(['rev-parse', 'HEAD']).trim(),
    branch: project.git(['symbolic-ref', '--short', 'HEAD']).trim(),
    status: project.git(['status', '--porcelain=v1', '--untracked-files=all'])
  }
}

/** The flags every run of the command in these tests takes: the scripted model, the test command; then `more`. */
export function cliFlags(project: CliProject, ...more: string[]): string[] {
  return ['--model', 'scripted', '--base-url', project.model.baseUrl, '--test-command', testCommand, ...more]
}
