// Git driven through intent-level methods over one exec funnel. The token never appears on a command line:
// it travels in GIT_CONFIG_* environment variables for the single push that needs it.
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

export interface GitResult {
  code: number
  stdout: string
  stderr: string
}

export interface CommitFile {
  path: string
  /** new content, exact bytes (a string is written as UTF-8); null deletes the file */
  content: Buffer | string | null
}

export interface CommitInfo {
  sha: string
  authorEmail: string
  committerEmail: string
  message: string
}

export interface Author {
  name: string
  email: string
}

export class Git {
  constructor(
    readonly cwd: string,
    private readonly baseEnv: NodeJS.ProcessEnv = process.env
  ) {}

  async exec(
    args: string[],
    options: { env?: NodeJS.ProcessEnv; input?: string | Buffer; allowFailure?: boolean } = {}
  ): Promise<GitResult> {
    const result = await new Promise<GitResult>((resolve, reject) => {
      const child = spawn('git', args, {
        cwd: this.cwd,
        env: { ...this.baseEnv, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', LC_ALL: 'C', ...options.env },
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
      })
      let stdout = ''
      let stderr = ''
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
      child.on('error', reject)
      child.on('close', code => resolve({ code: code ?? 1, stdout, stderr }))
      if (child.stdin !== null) {
        child.stdin.on('error', () => undefined) // git may exit before reading all of its input
        child.stdin.end(options.input)
      }
    })
    if (result.code !== 0 && !options.allowFailure) {
      throw new Error(`git ${args[0]} failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`)
    }
    return result
  }

  async topLevel(): Promise<string> {
    return (await this.exec(['rev-parse', '--show-toplevel'])).stdout.trim()
  }

  async headSha(): Promise<string> {
    return (await this.exec(['rev-parse', 'HEAD'])).stdout.trim()
  }

  /** The checked-out branch, or null on a detached HEAD. */
  async currentBranch(): Promise<string | null> {
    const result = await this.exec(['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowFailure: true })
    return result.code === 0 ? result.stdout.trim() : null
  }

  /** Repo-relative paths of tracked files that differ from HEAD, and untracked files (not ignored). */
  async status(): Promise<string> {
    return (await this.exec(['status', '--porcelain=v1', '--untracked-files=all'])).stdout
  }

  async isTracked(relativePath: string): Promise<boolean> {
    const result = await this.exec(['ls-files', '--error-unmatch', '--', relativePath], { allowFailure: true })
    return result.code === 0
  }

  async remoteUrl(remote = 'origin'): Promise<string | null> {
    const result = await this.exec(['remote', 'get-url', remote], { allowFailure: true })
    return result.code === 0 ? result.stdout.trim() : null
  }

  /**
   * A commit of `files` on top of `parent`, built with a temporary index so that neither the user's index nor the
   * working tree is touched.
   */
  async commitFiles(parent: string, files: CommitFile[], message: string, author: Author): Promise<string> {
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pytest-fixer-index-'))
    const env = { GIT_INDEX_FILE: path.join(tempDir, 'index') }
    try {
      await this.exec(['read-tree', parent], { env })
      for (const file of files) {
        if (file.content === null) {
          await this.exec(['update-index', '--force-remove', '--', file.path], { env })
          continue
        }
        // --path: the repository's clean filters and eol attributes apply, as `git add` would apply them
        const blob = (await this.exec(['hash-object', '-w', `--path=${file.path}`, '--stdin'], { input: file.content })).stdout.trim()
        const mode = await this.fileMode(parent, file.path)
        await this.exec(['update-index', '--add', '--cacheinfo', `${mode},${blob},${file.path}`], { env })
      }
      const tree = (await this.exec(['write-tree'], { env })).stdout.trim()
      const identity = {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email
      }
      return (await this.exec(['commit-tree', tree, '-p', parent, '-F', '-'], { env: identity, input: message })).stdout.trim()
    } finally {
      fs.rmSync(tempDir, { recursive: true, force: true })
    }
  }

  /** Whether the commit is in the local repository (a shallow checkout may lack it). */
  async hasCommit(sha: string): Promise<boolean> {
    return (await this.exec(['cat-file', '-e', `${sha}^{commit}`], { allowFailure: true })).code === 0
  }

  /** Fetches one commit (depth 1) from the remote, e.g. a pull request's head that a merge checkout lacks. */
  async fetchCommit(sha: string, options: { auth?: PushAuth; remote?: string } = {}): Promise<GitResult> {
    const args = ['fetch', '--no-tags', '--no-write-fetch-head', '--depth=1', options.remote ?? 'origin', sha]
    return this.exec(args, { env: options.auth ? authEnvironment(options.auth) : {}, allowFailure: true })
  }

  /** The commit a branch of the remote points to, null when there is no such branch, undefined when the remote did not say. */
  async remoteBranchSha(branch: string, options: { auth?: PushAuth; remote?: string } = {}): Promise<string | null | undefined> {
    const args = ['ls-remote', '--heads', options.remote ?? 'origin', `refs/heads/${branch}`]
    const result = await this.exec(args, { env: options.auth ? authEnvironment(options.auth) : {}, allowFailure: true })
    if (result.code !== 0) return undefined
    return /^([0-9a-f]{40})\s/m.exec(result.stdout)?.[1] ?? null
  }

  /** A commit's author and committer e-mails and its message. */
  async commitInfo(sha: string): Promise<CommitInfo> {
    const raw = (await this.exec(['cat-file', 'commit', sha])).stdout
    const split = raw.indexOf('\n\n')
    const header = split < 0 ? raw : raw.slice(0, split)
    const email = (role: string): string => new RegExp(`^${role} .*<([^>]*)>`, 'm').exec(header)?.[1] ?? ''
    return { sha, authorEmail: email('author'), committerEmail: email('committer'), message: split < 0 ? '' : raw.slice(split + 2) }
  }

  /** The blob id of a file in a commit, null when the commit has no such file. */
  async blobId(commit: string, relativePath: string): Promise<string | null> {
    const result = await this.exec(['rev-parse', '--verify', '-q', `${commit}:${relativePath}`], { allowFailure: true })
    return result.code === 0 ? result.stdout.trim() : null
  }

  /** The blob id `git add` would give these bytes at this path (clean filters applied), without writing it. */
  async blobIdOf(bytes: Buffer, relativePath: string): Promise<string> {
    return (await this.exec(['hash-object', `--path=${relativePath}`, '--stdin'], { input: bytes })).stdout.trim()
  }

  /** Pushes a commit to a branch of the remote. With a token, the remote's auth header is replaced for this push. */
  async push(commit: string, branch: string, options: { force: boolean; auth?: PushAuth; remote?: string }): Promise<GitResult> {
    const args = ['push', '--porcelain', options.remote ?? 'origin', `${options.force ? '+' : ''}${commit}:refs/heads/${branch}`]
    return this.exec(args, { env: options.auth ? authEnvironment(options.auth) : {}, allowFailure: true })
  }

  /** Moves the current branch to `commit` (already containing the working tree's content) and syncs the index. */
  async advanceCurrentBranch(commit: string, previous: string, paths: string[]): Promise<void> {
    await this.exec(['update-ref', '-m', 'pytest-fixer: verified fix', 'HEAD', commit, previous])
    if (paths.length > 0) await this.exec(['reset', '-q', commit, '--', ...paths])
  }

  private async fileMode(parent: string, relativePath: string): Promise<string> {
    const result = await this.exec(['ls-tree', parent, '--', relativePath], { allowFailure: true })
    const mode = result.stdout.split(/\s/)[0]
    return mode && /^100(644|755)$/.test(mode) ? mode : '100644'
  }
}

export interface PushAuth {
  /** e.g. https://github.com */
  serverUrl: string
  token: string
}

/**
 * Replaces actions/checkout's persisted `http.<server>/.extraheader` for one command: an empty value resets the
 * list of extra headers, the next entry adds ours. Environment config outranks the config files.
 */
export function authEnvironment(auth: PushAuth): NodeJS.ProcessEnv {
  const key = `http.${auth.serverUrl.replace(/\/+$/, '')}/.extraheader`
  const basic = Buffer.from(`x-access-token:${auth.token}`).toString('base64')
  return {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: key,
    GIT_CONFIG_VALUE_0: '',
    GIT_CONFIG_KEY_1: key,
    GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${basic}`
  }
}
