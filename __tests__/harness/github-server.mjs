// A stateful stand-in for the GitHub REST API on 127.0.0.1: the routes octokit calls to create or update
// a pull request, with GitHub's status codes and error bodies, a log of every request and fault injection.
import { execFileSync } from 'node:child_process'
import { createServer } from 'node:http'
import { URL, URLSearchParams } from 'node:url'
import { zipSync, strToU8 } from 'fflate'

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path the URL path without the query
 * @property {Record<string, string>} query
 * @property {import('node:http').IncomingHttpHeaders} headers lower-cased names, incl. authorization
 * @property {any} body parsed JSON, the raw text when it is not JSON, undefined when empty
 * @property {number} status what the server answered
 */

/**
 * @typedef {object} Fault
 * @property {string} [method] any method when omitted
 * @property {RegExp} path tested against the URL path
 * @property {number} status
 * @property {any} [body] JSON body; default `{ message: 'Injected fault' }`
 * @property {Record<string, string>} [headers] e.g. `{ 'retry-after': '1' }`
 * @property {number} [times] how many matching requests fail; default: all of them
 * @property {number} [delayMs] wait this long before answering
 */

/**
 * @typedef {object} PullSeed
 * @property {string} head a branch, or `owner:branch`
 * @property {string} [base]
 * @property {string} [title]
 * @property {string} [body]
 * @property {'open' | 'closed'} [state]
 * @property {boolean} [draft]
 * @property {string[]} [labels]
 */

/**
 * @typedef {object} GitHubServerOptions
 * @property {string} [owner] owner of the repository the seeded pull requests belong to; default 'octo'
 * @property {string} [repo] its name; default 'project'
 * @property {string} [defaultBranch] default 'main'
 * @property {Record<string, boolean>} [permissions] of the token on the repository
 * @property {boolean} [forbidPullRequestCreation] POST /pulls answers 403, as when the repository setting
 *   "Allow GitHub Actions to create and approve pull requests" is off
 * @property {string} [token] when set, any other Authorization answers 401 Bad credentials
 * @property {string} [originDir] a bare repository: heads and bases must exist there (422 otherwise) and
 *   pull requests carry their real sha
 * @property {string} [serverUrl] host of html_url; default 'http://github.local'
 * @property {PullSeed[]} [pulls] pull requests that exist before the run
 * @property {RunSeed[]} [runs] workflow runs of this repository (another run's artifacts and job logs)
 * @property {Record<string, string>} [collaborators] login → permission (admin, maintain, write, triage, read,
 *   none); anyone else reads as 'read', as on a public repository
 * @property {boolean} [actionsReadable] false: the Actions routes answer 403, as for a token without
 *   `actions: read`; default true
 * @property {boolean} [issuesWritable] false: creating, editing and commenting on issues answers 403, as for a
 *   token without `issues: write`; default true
 */

/**
 * @typedef {object} RunSeed
 * @property {number} id
 * @property {string} [name] the workflow's name; default 'tests'
 * @property {string} [headSha]
 * @property {string} [headBranch]
 * @property {string} [headRepository] full name; default this repository
 * @property {{ name: string, files: Record<string, string>, expired?: boolean }[]} [artifacts] each served as a
 *   zip of these files
 * @property {{ id: number, name: string, conclusion: string, log: string }[]} [jobs]
 */

/** @param {string} login */
const userOf = login => ({ login, id: 1, type: login.endsWith('[bot]') ? 'Bot' : 'User' })
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
const notFound = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }

/** @param {string} message @param {any[]} [errors] */
const validationFailed = (message, errors = []) => ({
  message,
  errors,
  documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
  status: '422'
})

/** @param {GitHubServerOptions} [options] */
export async function startGitHubServer(options = {}) {
  const owner = options.owner ?? 'octo'
  const repoName = options.repo ?? 'project'
  const defaultBranch = options.defaultBranch ?? 'main'
  const serverUrl = options.serverUrl ?? 'http://github.local'
  const permissions = options.permissions ?? { admin: false, maintain: false, push: true, triage: true, pull: true }
  /** @type {RecordedRequest[]} */
  const requests = []
  /** @type {(Fault & { hits: number })[]} */
  const faults = []
  const state = {
    /** @type {any[]} pull requests, GitHub-shaped */
    pulls: [],
    /** @type {any[]} issue comments, each with `issue_number` */
    comments: [],
    /** @type {any[]} issues that are not pull requests, GitHub-shaped */
    issues: [],
    /** @type {any[]} reactions, each with `comment_id` */
    reactions: [],
    /** @type {RunSeed[]} */
    runs: options.runs ?? [],
    nextNumber: 1
  }
  /** @type {Map<string, { type: string, data: Buffer }>} what the download redirects lead to */
  const blobs = new Map()
  const forbidden = { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' }
  let apiUrl = ''

  /** @param {string} ref */
  const shaOf = ref => {
    if (!options.originDir) return '0'.repeat(40)
    try {
      return execFileSync('git', ['rev-parse', '--verify', '-q', `refs/heads/${ref}`], { cwd: options.originDir, encoding: 'utf8' }).trim()
    } catch {
      return null
    }
  }

  /** @param {string} o @param {string} r */
  const repoObject = (o, r) => ({
    id: 1,
    node_id: 'R_1',
    name: r,
    full_name: `${o}/${r}`,
    owner: userOf(o),
    private: false,
    html_url: `${serverUrl}/${o}/${r}`,
    url: `${apiUrl}/repos/${o}/${r}`,
    clone_url: `${serverUrl}/${o}/${r}.git`,
    default_branch: defaultBranch,
    permissions
  })

  /** @param {string} o @param {string} r @param {PullSeed} seed */
  const addPull = (o, r, seed) => {
    const [headOwner, headRef] = seed.head.includes(':') ? seed.head.split(':', 2) : [o, seed.head]
    const base = seed.base ?? defaultBranch
    const number = state.nextNumber++
    const stamp = now()
    const pull = {
      url: `${apiUrl}/repos/${o}/${r}/pulls/${number}`,
      id: 1000 + number,
      node_id: `PR_${number}`,
      html_url: `${serverUrl}/${o}/${r}/pull/${number}`,
      issue_url: `${apiUrl}/repos/${o}/${r}/issues/${number}`,
      number,
      state: seed.state ?? 'open',
      locked: false,
      title: seed.title ?? '',
      body: seed.body ?? null,
      user: userOf('github-actions[bot]'),
      labels: (seed.labels ?? []).map(labelObject),
      draft: seed.draft ?? false,
      created_at: stamp,
      updated_at: stamp,
      closed_at: null,
      merged_at: null,
      merged: false,
      maintainer_can_modify: false,
      requested_reviewers: [],
      head: { label: `${headOwner}:${headRef}`, ref: headRef, sha: shaOf(headRef) ?? '0'.repeat(40), repo: repoObject(headOwner, r) },
      base: { label: `${o}:${base}`, ref: base, sha: shaOf(base) ?? '0'.repeat(40), repo: repoObject(o, r) }
    }
    state.pulls.push(pull)
    return pull
  }

  /** @param {string} name */
  const labelObject = name => ({ id: [...name].reduce((sum, c) => sum + c.charCodeAt(0), 0), name, color: 'ededed', default: false })

  /** @param {string} o @param {string} r @param {string} n */
  const findPull = (o, r, n) => state.pulls.find(p => p.number === Number(n) && p.base.repo.full_name === `${o}/${r}`)

  /** an issue or a pull request by number, the way the issues routes see both @param {string} o @param {string} r @param {string} n */
  const findIssue = (o, r, n) =>
    state.issues.find(i => i.number === Number(n) && i.repository_url === `${apiUrl}/repos/${o}/${r}`) ?? findPull(o, r, n)

  /** @param {string} o @param {string} r @param {{ title: string, body?: string, labels?: any[], user?: string }} seed */
  const addIssue = (o, r, seed) => {
    const number = state.nextNumber++
    const stamp = now()
    const issue = {
      url: `${apiUrl}/repos/${o}/${r}/issues/${number}`,
      repository_url: `${apiUrl}/repos/${o}/${r}`,
      id: 3000 + number,
      node_id: `I_${number}`,
      html_url: `${serverUrl}/${o}/${r}/issues/${number}`,
      number,
      state: 'open',
      state_reason: null,
      title: seed.title,
      body: seed.body ?? null,
      user: userOf(seed.user ?? 'github-actions[bot]'),
      labels: (seed.labels ?? []).map(l => labelObject(typeof l === 'string' ? l : l.name)),
      locked: false,
      comments: 0,
      created_at: stamp,
      updated_at: stamp,
      closed_at: null
    }
    state.issues.push(issue)
    return issue
  }

  /** @param {any} item an issue or a pull request @param {string} text @param {string} [login] */
  const addComment = (item, text, login = 'github-actions[bot]') => {
    const id = 5000 + state.comments.length
    const [o, r] = item.html_url.replace(`${serverUrl}/`, '').split('/')
    const comment = {
      id,
      node_id: `IC_${id}`,
      issue_number: item.number,
      body: text,
      user: userOf(login),
      html_url: `${item.html_url}#issuecomment-${id}`,
      url: `${apiUrl}/repos/${o}/${r}/issues/comments/${id}`,
      issue_url: `${apiUrl}/repos/${o}/${r}/issues/${item.number}`,
      author_association: login.endsWith('[bot]') ? 'NONE' : 'CONTRIBUTOR',
      created_at: now(),
      updated_at: now()
    }
    state.comments.push(comment)
    return comment
  }

  /** @param {string} o @param {string} r @param {RunSeed} run */
  const runObject = (o, r, run) => ({
    id: run.id,
    name: run.name ?? 'tests',
    head_sha: run.headSha ?? '0'.repeat(40),
    head_branch: run.headBranch ?? defaultBranch,
    status: 'completed',
    conclusion: 'failure',
    html_url: `${serverUrl}/${o}/${r}/actions/runs/${run.id}`,
    url: `${apiUrl}/repos/${o}/${r}/actions/runs/${run.id}`,
    repository: repoObject(o, r),
    head_repository: repoObject(.../** @type {[string, string]} */ ((run.headRepository ?? `${o}/${r}`).split('/')))
  })

  /** @param {string} n */
  const findRun = n => state.runs.find(run => run.id === Number(n))

  /** @param {string} o @param {string} r @param {RunSeed} run @param {number} index */
  const artifactObject = (o, r, run, index) => {
    const artifact = (run.artifacts ?? [])[index]
    const id = run.id * 100 + index + 1
    return {
      id,
      node_id: `A_${id}`,
      name: artifact.name,
      size_in_bytes: Object.values(artifact.files).reduce((sum, text) => sum + text.length, 0),
      url: `${apiUrl}/repos/${o}/${r}/actions/artifacts/${id}`,
      archive_download_url: `${apiUrl}/repos/${o}/${r}/actions/artifacts/${id}/zip`,
      expired: artifact.expired ?? false,
      created_at: now(),
      updated_at: now(),
      expires_at: now(),
      workflow_run: { id: run.id, head_branch: run.headBranch ?? defaultBranch, head_sha: run.headSha ?? '0'.repeat(40) }
    }
  }

  /** A 302 to a one-off URL on this server, the way GitHub sends downloads to its blob storage. @param {string} name @param {string} type @param {Buffer} data */
  const redirectTo = (name, type, data) => {
    blobs.set(name, { type, data })
    return /** @type {[number, any, Record<string, string>]} */ ([302, '', { location: `${apiUrl}/_blobs/${name}` }])
  }

  /** @param {string} login */
  const permissionOf = login => {
    const permission = options.collaborators?.[login] ?? 'read'
    // the REST answer folds maintain into write and triage into read; role_name keeps the fine-grained role
    const folded = permission === 'maintain' ? 'write' : permission === 'triage' ? 'read' : permission
    return {
      permission: folded,
      role_name: permission,
      user: {
        ...userOf(login),
        permissions: {
          admin: permission === 'admin',
          push: ['admin', 'maintain', 'write'].includes(permission),
          pull: permission !== 'none'
        }
      }
    }
  }

  /** @param {any} pull */
  const asIssue = pull => ({
    ...pull,
    url: pull.issue_url,
    pull_request: { url: pull.url, html_url: pull.html_url }
  })

  /** @param {any} pull @param {any} body */
  const updatePull = (pull, body) => {
    for (const field of ['title', 'body', 'maintainer_can_modify']) if (body[field] !== undefined) pull[field] = body[field]
    if (body.state !== undefined) {
      if (!['open', 'closed'].includes(body.state))
        return [422, validationFailed('Validation Failed', [{ resource: 'PullRequest', field: 'state', code: 'invalid' }])]
      pull.state = body.state
      pull.closed_at = body.state === 'closed' ? now() : null
    }
    if (body.base !== undefined) pull.base = { ...pull.base, label: `${pull.base.repo.owner.login}:${body.base}`, ref: body.base }
    if (Array.isArray(body.labels)) pull.labels = body.labels.map((/** @type {any} */ l) => labelObject(typeof l === 'string' ? l : l.name))
    pull.updated_at = now()
    return null
  }

  /** @typedef {(match: string[], body: any, query: Record<string, string>) => [number, any] | [number, any, Record<string, string>]} Route */
  /** @type {[string, RegExp, Route][]} */
  const routes = [
    ['GET', /^\/repos\/([^/]+)\/([^/]+)$/, ([, o, r]) => [200, repoObject(o, r)]],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/pulls$/,
      ([, o, r], _body, query) => {
        const wanted = query.state ?? 'open'
        // Like GitHub, a head without `owner:` is silently ignored: it filters nothing.
        const head = query.head?.includes(':') ? query.head : undefined
        const found = state.pulls
          .filter(p => p.base.repo.full_name === `${o}/${r}`)
          .filter(p => wanted === 'all' || p.state === wanted)
          .filter(p => head === undefined || p.head.label === head)
          .filter(p => query.base === undefined || p.base.ref === query.base)
          .sort((a, b) => b.number - a.number)
        const perPage = Number(query.per_page ?? 30)
        const page = Number(query.page ?? 1)
        const slice = found.slice((page - 1) * perPage, page * perPage)
        /** @type {Record<string, string>} */
        const headers = {}
        if (page * perPage < found.length) {
          const next = new URLSearchParams({ ...query, page: String(page + 1) })
          headers.link = `<${apiUrl}/repos/${o}/${r}/pulls?${next}>; rel="next"`
        }
        return [200, slice, headers]
      }
    ],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/pulls$/,
      ([, o, r], body) => {
        if (options.forbidPullRequestCreation) {
          return [
            403,
            {
              message: 'GitHub Actions is not permitted to create or approve pull requests.',
              documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
              status: '403'
            }
          ]
        }
        const missing = ['head', 'base'].filter(field => typeof body?.[field] !== 'string' || body[field] === '')
        if (missing.length > 0 || (typeof body.title !== 'string' && body.issue === undefined)) {
          const fields = typeof body?.title === 'string' ? missing : [...missing, 'title']
          return [
            422,
            validationFailed(
              'Validation Failed',
              fields.map(field => ({ resource: 'PullRequest', field, code: 'missing_field' }))
            )
          ]
        }
        const headLabel = body.head.includes(':') ? body.head : `${o}:${body.head}`
        const headRef = headLabel.split(':')[1]
        if (state.pulls.some(p => p.state === 'open' && p.head.label === headLabel && p.base.ref === body.base)) {
          return [
            422,
            validationFailed('Validation Failed', [
              { resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${headLabel}.` }
            ])
          ]
        }
        if (options.originDir) {
          const headSha = shaOf(headRef)
          const baseSha = shaOf(body.base)
          const invalid = [
            [headSha, 'head'],
            [baseSha, 'base']
          ].filter(([sha]) => sha === null)
          if (invalid.length > 0)
            return [
              422,
              validationFailed(
                'Validation Failed',
                invalid.map(([, field]) => ({ resource: 'PullRequest', field, code: 'invalid' }))
              )
            ]
          if (headSha === baseSha)
            return [
              422,
              validationFailed('Validation Failed', [
                { resource: 'PullRequest', code: 'custom', message: `No commits between ${body.base} and ${headRef}` }
              ])
            ]
        }
        return [201, addPull(o, r, { head: headLabel, base: body.base, title: body.title, body: body.body, draft: body.draft === true })]
      }
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/,
      ([, o, r, n]) => {
        const pull = findPull(o, r, n)
        return pull ? [200, pull] : [404, notFound]
      }
    ],
    [
      'PATCH',
      /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/,
      ([, o, r, n], body) => {
        const pull = findPull(o, r, n)
        if (!pull) return [404, notFound]
        return updatePull(pull, { ...body, labels: undefined }) ?? [200, pull]
      }
    ],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/requested_reviewers$/,
      ([, o, r, n], body) => {
        const pull = findPull(o, r, n)
        if (!pull) return [404, notFound]
        for (const login of body?.reviewers ?? []) pull.requested_reviewers.push(userOf(login))
        return [201, pull]
      }
    ],
    [
      'PATCH',
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/,
      ([, o, r, n], body) => {
        const issue = state.issues.find(i => i.number === Number(n) && i.repository_url === `${apiUrl}/repos/${o}/${r}`)
        if (issue) {
          if (options.issuesWritable === false) return [403, forbidden]
          for (const field of ['title', 'body', 'state_reason']) if (body?.[field] !== undefined) issue[field] = body[field]
          if (body?.state !== undefined) {
            issue.state = body.state
            issue.closed_at = body.state === 'closed' ? now() : null
          }
          if (Array.isArray(body?.labels))
            issue.labels = body.labels.map((/** @type {any} */ l) => labelObject(typeof l === 'string' ? l : l.name))
          issue.updated_at = now()
          return [200, issue]
        }
        const pull = findPull(o, r, n)
        if (!pull) return [404, notFound]
        return updatePull(pull, body ?? {}) ?? [200, asIssue(pull)]
      }
    ],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/labels$/,
      ([, o, r, n], body) => {
        const pull = findIssue(o, r, n)
        if (!pull) return [404, notFound]
        const names = Array.isArray(body) ? body : body?.labels
        if (!Array.isArray(names)) return [422, validationFailed('Invalid request.\n\nNo subschema in "anyOf" matched.')]
        for (const name of names.map(l => (typeof l === 'string' ? l : l.name))) {
          if (!pull.labels.some((/** @type {any} */ l) => l.name === name)) pull.labels.push(labelObject(name))
        }
        return [200, pull.labels]
      }
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      ([, o, r, n], _body, query) => {
        if (!findIssue(o, r, n)) return [404, notFound]
        const all = state.comments.filter(c => c.issue_number === Number(n))
        const perPage = Number(query.per_page ?? 30)
        const page = Number(query.page ?? 1)
        /** @type {Record<string, string>} */
        const headers = {}
        if (page * perPage < all.length)
          headers.link = `<${apiUrl}/repos/${o}/${r}/issues/${n}/comments?${new URLSearchParams({ ...query, page: String(page + 1) })}>; rel="next"`
        return [200, all.slice((page - 1) * perPage, page * perPage), headers]
      }
    ],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      ([, o, r, n], body) => {
        const pull = findIssue(o, r, n)
        if (!pull) return [404, notFound]
        if (options.issuesWritable === false) return [403, forbidden]
        if (typeof body?.body !== 'string') return [422, validationFailed('Invalid request.\n\n"body" wasn\'t supplied.')]
        return [201, addComment(pull, body.body)]
      }
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/,
      ([, , , id]) => {
        const comment = state.comments.find(c => c.id === Number(id))
        return comment ? [200, comment] : [404, notFound]
      }
    ],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)\/reactions$/,
      ([, , , id], body) => {
        if (!state.comments.some(c => c.id === Number(id))) return [404, notFound]
        const content = body?.content
        if (!['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'].includes(content)) {
          return [422, validationFailed('Validation Failed', [{ resource: 'Reaction', field: 'content', code: 'invalid' }])]
        }
        const existing = state.reactions.find(x => x.comment_id === Number(id) && x.content === content)
        if (existing) return [200, existing]
        const reaction = {
          id: 7000 + state.reactions.length,
          comment_id: Number(id),
          content,
          user: userOf('github-actions[bot]'),
          created_at: now()
        }
        state.reactions.push(reaction)
        return [201, reaction]
      }
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/issues$/,
      ([, o, r], _body, query) => {
        const wanted = query.state ?? 'open'
        const labels = (query.labels ?? '')
          .split(',')
          .map(l => l.trim())
          .filter(Boolean)
        // like GitHub, the issues list holds pull requests too
        const found = [...state.issues, ...state.pulls.filter(p => p.base.repo.full_name === `${o}/${r}`).map(asIssue)]
          .filter(i => i.repository_url === undefined || i.repository_url === `${apiUrl}/repos/${o}/${r}`)
          .filter(i => wanted === 'all' || i.state === wanted)
          .filter(i => labels.every(name => i.labels.some((/** @type {any} */ l) => l.name === name)))
          .sort((a, b) => b.number - a.number)
        const perPage = Number(query.per_page ?? 30)
        const page = Number(query.page ?? 1)
        /** @type {Record<string, string>} */
        const headers = {}
        if (page * perPage < found.length)
          headers.link = `<${apiUrl}/repos/${o}/${r}/issues?${new URLSearchParams({ ...query, page: String(page + 1) })}>; rel="next"`
        return [200, found.slice((page - 1) * perPage, page * perPage), headers]
      }
    ],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/issues$/,
      ([, o, r], body) => {
        if (options.issuesWritable === false) return [403, forbidden]
        if (typeof body?.title !== 'string' || body.title === '')
          return [422, validationFailed('Validation Failed', [{ resource: 'Issue', field: 'title', code: 'missing_field' }])]
        return [201, addIssue(o, r, { title: body.title, body: body.body, labels: body.labels })]
      }
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/,
      ([, o, r, n]) => {
        const issue = state.issues.find(i => i.number === Number(n) && i.repository_url === `${apiUrl}/repos/${o}/${r}`)
        if (issue) return [200, issue]
        const pull = findPull(o, r, n)
        return pull ? [200, asIssue(pull)] : [404, notFound]
      }
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/,
      ([, , , login]) => [200, permissionOf(decodeURIComponent(login))]
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)$/,
      ([, o, r, n]) => {
        if (options.actionsReadable === false) return [403, forbidden]
        const run = findRun(n)
        return run ? [200, runObject(o, r, run)] : [404, notFound]
      }
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/artifacts$/,
      ([, o, r, n], _body, query) => {
        if (options.actionsReadable === false) return [403, forbidden]
        const run = findRun(n)
        if (!run) return [404, notFound]
        const artifacts = (run.artifacts ?? [])
          .map((_a, index) => artifactObject(o, r, run, index))
          .filter(a => query.name === undefined || a.name === query.name)
        return [200, { total_count: artifacts.length, artifacts }]
      }
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts\/(\d+)\/zip$/,
      ([, , , id]) => {
        if (options.actionsReadable === false) return [403, forbidden]
        const run = findRun(String(Math.floor(Number(id) / 100)))
        const index = (Number(id) % 100) - 1
        const artifact = run?.artifacts?.[index]
        if (!run || !artifact) return [404, notFound]
        if (artifact.expired)
          return [410, { message: 'Artifact has expired', documentation_url: 'https://docs.github.com/rest', status: '410' }]
        const zipped = zipSync(Object.fromEntries(Object.entries(artifact.files).map(([name, text]) => [name, strToU8(text)])))
        return redirectTo(`artifact-${id}.zip`, 'application/zip', Buffer.from(zipped))
      }
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/jobs$/,
      ([, o, r, n]) => {
        if (options.actionsReadable === false) return [403, forbidden]
        const run = findRun(n)
        if (!run) return [404, notFound]
        const jobs = (run.jobs ?? []).map(job => ({
          id: job.id,
          run_id: run.id,
          name: job.name,
          status: 'completed',
          conclusion: job.conclusion,
          head_sha: run.headSha ?? '0'.repeat(40),
          html_url: `${serverUrl}/${o}/${r}/actions/runs/${run.id}/job/${job.id}`,
          url: `${apiUrl}/repos/${o}/${r}/actions/jobs/${job.id}`
        }))
        return [200, { total_count: jobs.length, jobs }]
      }
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/actions\/jobs\/(\d+)\/logs$/,
      ([, , , id]) => {
        if (options.actionsReadable === false) return [403, forbidden]
        const job = state.runs.flatMap(run => run.jobs ?? []).find(item => item.id === Number(id))
        if (!job) return [404, notFound]
        return redirectTo(`job-${id}.log`, 'text/plain', Buffer.from(job.log, 'utf8'))
      }
    ],
    [
      'GET',
      /^\/_blobs\/(.+)$/,
      ([, name]) => {
        const blob = blobs.get(name)
        return blob ? [200, blob.data, { 'content-type': blob.type }] : [404, notFound]
      }
    ]
  ]

  /**
   * @param {string} method @param {string} path @param {any} body @param {Record<string, string>} query
   * @param {string | undefined} authorization
   * @returns {[number, any] | [number, any, Record<string, string>]}
   */
  const answer = (method, path, body, query, authorization) => {
    if (authorization !== undefined && options.token !== undefined) {
      const presented = authorization.replace(/^(token|bearer)\s+/i, '')
      if (presented !== options.token)
        return [401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' }]
    }
    if (authorization === undefined && method !== 'GET' && method !== 'HEAD') {
      return [401, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' }]
    }
    for (const [routeMethod, pattern, route] of routes) {
      const match = routeMethod === method ? pattern.exec(path) : null
      if (match) return route([...match], body, query)
    }
    return [404, notFound]
  }

  const server = createServer((req, res) => {
    const chunks = /** @type {Buffer[]} */ ([])
    req.on('data', chunk => chunks.push(chunk))
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const text = Buffer.concat(chunks).toString('utf8')
      let body
      let parseError = false
      try {
        body = text === '' ? undefined : JSON.parse(text)
      } catch {
        body = text
        parseError = true
      }
      const method = (req.method ?? 'GET').toUpperCase()
      /** @type {RecordedRequest} */
      const record = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, status: 0 }
      requests.push(record)
      const fault = faults.find(
        f => (f.method === undefined || f.method.toUpperCase() === method) && f.path.test(url.pathname) && f.hits < (f.times ?? Infinity)
      )
      /** @type {[number, any] | [number, any, Record<string, string>]} */
      let reply
      if (fault) {
        fault.hits++
        if (fault.delayMs) await new Promise(resolve => setTimeout(resolve, fault.delayMs))
        reply = [fault.status, fault.body ?? { message: 'Injected fault' }, fault.headers ?? {}]
      } else if (parseError) {
        reply = [400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest', status: '400' }]
      } else {
        reply = answer(method, url.pathname, body, record.query, req.headers.authorization)
      }
      const [status, payload, headers = {}] = reply
      record.status = status
      if (res.destroyed) return
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      // downloads (a zip, a log) go out as they are; everything else is JSON
      res.end(status === 204 ? undefined : Buffer.isBuffer(payload) ? payload : JSON.stringify(payload))
    })
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('GitHub stand-in did not get a TCP port')
  apiUrl = `http://127.0.0.1:${address.port}`
  for (const seed of options.pulls ?? []) addPull(owner, repoName, seed)

  return {
    /** base URL for GITHUB_API_URL */
    apiUrl,
    /** every request, in arrival order */
    requests,
    state,
    /** an issue that exists before the run @param {{ title: string, body?: string, labels?: string[], user?: string }} seed */
    addIssue: seed => addIssue(owner, repoName, seed),
    /** a comment someone wrote on issue or pull request `number` @param {number} number @param {string} body @param {string} login */
    addComment(number, body, login) {
      const item = findIssue(owner, repoName, String(number))
      if (!item) throw new Error(`no issue or pull request #${number}`)
      return addComment(item, body, login)
    },
    /** a workflow run of the repository, with its artifacts and job logs @param {RunSeed} run */
    addRun(run) {
      state.runs.push(run)
    },
    /** makes matching requests fail; returns the fault so a test can read `hits` @param {Fault} fault */
    inject(fault) {
      const entry = { ...fault, hits: 0 }
      faults.push(entry)
      return entry
    },
    /** @returns {Promise<void>} */
    close() {
      server.closeAllConnections()
      return new Promise(resolve => server.close(() => resolve()))
    }
  }
}
