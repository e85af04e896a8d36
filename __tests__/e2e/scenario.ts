// Shared set-up of the end-to-end scenarios: a fixture project with a committed bug, a bare origin, the model
// and GitHub stand-ins, and the bundled action run the way the runner runs it.
import type { ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { startGitHubServer } from '../harness/github-server.mjs'
import { bugRegion, correctAnswer, createProjectRepo, injectBug, snapshotTracked, trackedStatus } from '../harness/git-repo.mjs'
import { startOpenAIServer, type OpenAIServerOptions } from '../harness/openai-server.mjs'
import { runAction } from '../harness/run-action.mjs'

export interface Bug {
  id: string
  project: string
  kind: string
  file: string
  search: string
  replace: string
  expectFailing: string[]
  /** of `file` on disk; default utf8 */
  encoding?: BufferEncoding
}

export const bugs: Bug[] = JSON.parse(fs.readFileSync(path.join('__tests__', 'fixtures', 'projects', 'bugs.json'), 'utf8')) as Bug[]

export function bug(id: string): Bug {
  const found = bugs.find(item => item.id === id)
  if (!found) throw new Error(`no bug ${id} in bugs.json`)
  return found
}

export { bugRegion, correctAnswer }

/** An edit block that applies but does not fix the bug: it only adds a comment. */
export function uselessAnswer(item: Bug): string {
  const buggyFile = bugRegion(item).buggyFile
  const unique = buggyFile.split('\n').find(line => /^\s*(return|if|for|def) /.test(line) && buggyFile.split(line).length === 2)
  if (unique === undefined) throw new Error(`no unique line to comment in ${item.file}`)
  return `${item.file}\n<<<<<<< SEARCH\n${unique}\n=======\n${unique}  # unchanged logic\n>>>>>>> REPLACE\n`
}

export async function setUpScenario(
  item: Bug,
  script: OpenAIServerOptions['script'],
  options: { branch?: string; alsoInject?: Bug[]; honourN?: boolean } = {}
) {
  const model = await startOpenAIServer({ script, honourN: options.honourN })
  const github = await startGitHubServer()
  const inject = (dir: string) => {
    for (const bug of [item, ...(options.alsoInject ?? [])]) injectBug(dir, bug)
  }
  const project = await createProjectRepo(item.project, { branch: options.branch ?? 'main', mutate: inject })
  const before = await snapshotTracked(project.dir)
  const statusBefore = await trackedStatus(project.dir)
  const runs: Array<{ cleanup: () => void }> = []
  return {
    model,
    github,
    project,
    before,
    statusBefore,
    /** `workspace`: another checkout of the project to run in (default: the project's own) */
    async run(
      inputs: Record<string, string> = {},
      env: Record<string, string> = {},
      more: { workspace?: string; onOutput?: (chunk: string, child: ChildProcess) => void } = {}
    ) {
      const result = await runAction({
        workspace: more.workspace ?? project.dir,
        onOutput: more.onOutput,
        inputs: {
          'api-key': 'sk-test-key-0123456789abcdef',
          'base-url': model.baseUrl,
          model: 'stand-in-model',
          cache: 'false',
          ...inputs
        },
        // the hypothesis plugin adds about a second to every pytest start here; the fixtures don't use it
        env: {
          GITHUB_API_URL: github.apiUrl,
          GITHUB_TOKEN: 'ghs_testtoken0123456789abcdefABCDEF0123',
          PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1',
          ...env
        },
        timeoutMs: 180_000
      })
      runs.push(result)
      return result
    },
    async treeUnchanged(): Promise<boolean> {
      const now = await snapshotTracked(project.dir)
      return JSON.stringify(now) === JSON.stringify(before) && (await trackedStatus(project.dir)) === statusBefore
    },
    async close() {
      await model.close()
      await github.close()
      project.cleanup()
      for (const result of runs) result.cleanup()
    }
  }
}
