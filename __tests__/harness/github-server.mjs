// A stateful stand-in for the GitHub REST API on 127.0.0.1: the routes octokit calls to create or update
// a pull request, with GitHub's status codes and error bodies, a log of every request and fault injection.
import { execFileSync } from 'node:child_process'
import { createServer } from 'node:http'
import { URL, URLSearchParams } from 'node:url'

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
 */

/** @param {string} login */
const userOf = (login) => ({ login, id: 1, type: login.endsWith('[bot]') ? 'Bot' : 'User' })
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
    nextNumber: 1
  }
  let apiUrl = ''

  /** @param {string} ref */
  const shaOf = (ref) => {
    if (!options.originDir) return '0'.repeat(40)
    try {
      return execFileSync('git', ['rev-parse', '--verify', '-q', `refs/heads/${ref}`], { cwd: options.originDir, encoding: 'utf8' }).trim()
    } catch {
      return null
    }
  }

  /** @param {string} o @param {string} r */
  const repoObject = (o, r) => ({
    id: 1, node_id: 'R_1', name: r, full_name: `${o}/${r}`, owner: userOf(o), private: false,
    html_url: `${serverUrl}/${o}/${r}`, url: `${apiUrl}/repos/${o}/${r}`, clone_url: `${serverUrl}/${o}/${r}.git`,
    default_branch: defaultBranch, permissions
  })

  /** @param {string} o @param {string} r @param {PullSeed} seed */
  const addPull = (o, r, seed) => {
    const [headOwner, headRef] = seed.head.includes(':') ? seed.head.split(':', 2) : [o, seed.head]
    const base = seed.base ?? defaultBranch
    const number = state.nextNumber++
    const stamp = now()
    const pull = {
      url: `${apiUrl}/repos/${o}/${r}/pulls/${number}`, id: 1000 + number, node_id: `PR_${number}`,
      html_url: `${serverUrl}/${o}/${r}/pull/${number}`, issue_url: `${apiUrl}/repos/${o}/${r}/issues/${number}`,
      number, state: seed.state ?? 'open', locked: false, title: seed.title ?? '', body: seed.body ?? null,
      user: userOf('github-actions[bot]'), labels: (seed.labels ?? []).map(labelObject), draft: seed.draft ?? false,
      created_at: stamp, updated_at: stamp, closed_at: null, merged_at: null, merged: false,
      maintainer_can_modify: false, requested_reviewers: [],
      head: { label: `${headOwner}:${headRef}`, ref: headRef, sha: shaOf(headRef) ?? '0'.repeat(40), repo: repoObject(headOwner, r) },
      base: { label: `${o}:${base}`, ref: base, sha: shaOf(base) ?? '0'.repeat(40), repo: repoObject(o, r) }
    }
    state.pulls.push(pull)
    return pull
  }

  /** @param {string} name */
  const labelObject = (name) => ({ id: [...name].reduce((sum, c) => sum + c.charCodeAt(0), 0), name, color: 'ededed', default: false })

  /** @param {string} o @param {string} r @param {string} n */
  const findPull = (o, r, n) => state.pulls.find((p) => p.number === Number(n) && p.base.repo.full_name === `${o}/${r}`)

  /** @param {any} pull */
  const asIssue = (pull) => ({
    ...pull, url: pull.issue_url, pull_request: { url: pull.url, html_url: pull.html_url }
  })

  /** @param {any} pull @param {any} body */
  const updatePull = (pull, body) => {
    for (const field of ['title', 'body', 'maintainer_can_modify']) if (body[field] !== undefined) pull[field] = body[field]
    if (body.state !== undefined) {
      if (!['open', 'closed'].includes(body.state)) return [422, validationFailed('Validation Failed', [{ resource: 'PullRequest', field: 'state', code: 'invalid' }])]
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
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/pulls$/, ([, o, r], _body, query) => {
      const wanted = query.state ?? 'open'
      // Like GitHub, a head without `owner:` is silently ignored: it filters nothing.
      const head = query.head?.includes(':') ? query.head : undefined
      const found = state.pulls
        .filter((p) => p.base.repo.full_name === `${o}/${r}`)
        .filter((p) => wanted === 'all' || p.state === wanted)
        .filter((p) => head === undefined || p.head.label === head)
        .filter((p) => query.base === undefined || p.base.ref === query.base)
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
    }],
    ['POST', /^\/repos\/([^/]+)\/([^/]+)\/pulls$/, ([, o, r], body) => {
      if (options.forbidPullRequestCreation) {
        return [403, { message: 'GitHub Actions is not permitted to create or approve pull requests.', documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request', status: '403' }]
      }
      const missing = ['head', 'base'].filter((field) => typeof body?.[field] !== 'string' || body[field] === '')
      if (missing.length > 0 || (typeof body.title !== 'string' && body.issue === undefined)) {
        const fields = typeof body?.title === 'string' ? missing : [...missing, 'title']
        return [422, validationFailed('Validation Failed', fields.map((field) => ({ resource: 'PullRequest', field, code: 'missing_field' })))]
      }
      const headLabel = body.head.includes(':') ? body.head : `${o}:${body.head}`
      const headRef = headLabel.split(':')[1]
      if (state.pulls.some((p) => p.state === 'open' && p.head.label === headLabel && p.base.ref === body.base)) {
        return [422, validationFailed('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${headLabel}.` }])]
      }
      if (options.originDir) {
        const headSha = shaOf(headRef)
        const baseSha = shaOf(body.base)
        const invalid = [[headSha, 'head'], [baseSha, 'base']].filter(([sha]) => sha === null)
        if (invalid.length > 0) return [422, validationFailed('Validation Failed', invalid.map(([, field]) => ({ resource: 'PullRequest', field, code: 'invalid' })))]
        if (headSha === baseSha) return [422, validationFailed('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${body.base} and ${headRef}` }])]
      }
      return [201, addPull(o, r, { head: headLabel, base: body.base, title: body.title, body: body.body, draft: body.draft === true })]
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/, ([, o, r, n]) => {
      const pull = findPull(o, r, n)
      return pull ? [200, pull] : [404, notFound]
    }],
    ['PATCH', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/, ([, o, r, n], body) => {
      const pull = findPull(o, r, n)
      if (!pull) return [404, notFound]
      return updatePull(pull, { ...body, labels: undefined }) ?? [200, pull]
    }],
    ['POST', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/requested_reviewers$/, ([, o, r, n], body) => {
      const pull = findPull(o, r, n)
      if (!pull) return [404, notFound]
      for (const login of body?.reviewers ?? []) pull.requested_reviewers.push(userOf(login))
      return [201, pull]
    }],
    ['PATCH', /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/, ([, o, r, n], body) => {
      const pull = findPull(o, r, n)
      if (!pull) return [404, notFound]
      return updatePull(pull, body ?? {}) ?? [200, asIssue(pull)]
    }],
    ['POST', /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/labels$/, ([, o, r, n], body) => {
      const pull = findPull(o, r, n)
      if (!pull) return [404, notFound]
      const names = Array.isArray(body) ? body : body?.labels
      if (!Array.isArray(names)) return [422, validationFailed('Invalid request.\n\nNo subschema in "anyOf" matched.')]
      for (const name of names.map((l) => (typeof l === 'string' ? l : l.name))) {
        if (!pull.labels.some((/** @type {any} */ l) => l.name === name)) pull.labels.push(labelObject(name))
      }
      return [200, pull.labels]
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/, ([, o, r, n]) => {
      if (!findPull(o, r, n)) return [404, notFound]
      return [200, state.comments.filter((c) => c.issue_number === Number(n))]
    }],
    ['POST', /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/, ([, o, r, n], body) => {
      const pull = findPull(o, r, n)
      if (!pull) return [404, notFound]
      if (typeof body?.body !== 'string') return [422, validationFailed('Invalid request.\n\n"body" wasn\'t supplied.')]
      const id = 5000 + state.comments.length
      const comment = {
        id, issue_number: pull.number, body: body.body, user: userOf('github-actions[bot]'),
        html_url: `${pull.html_url}#issuecomment-${id}`, url: `${apiUrl}/repos/${o}/${r}/issues/comments/${id}`,
        created_at: now(), updated_at: now()
      }
      state.comments.push(comment)
      return [201, comment]
    }]
  ]

  /**
   * @param {string} method @param {string} path @param {any} body @param {Record<string, string>} query
   * @param {string | undefined} authorization
   * @returns {[number, any] | [number, any, Record<string, string>]}
   */
  const answer = (method, path, body, query, authorization) => {
    if (authorization !== undefined && options.token !== undefined) {
      const presented = authorization.replace(/^(token|bearer)\s+/i, '')
      if (presented !== options.token) return [401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' }]
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
    req.on('data', (chunk) => chunks.push(chunk))
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
      const fault = faults.find((f) => (f.method === undefined || f.method.toUpperCase() === method) && f.path.test(url.pathname) && f.hits < (f.times ?? Infinity))
      /** @type {[number, any] | [number, any, Record<string, string>]} */
      let reply
      if (fault) {
        fault.hits++
        if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
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
      res.end(status === 204 ? undefined : JSON.stringify(payload))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
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
    /** makes matching requests fail; returns the fault so a test can read `hits` @param {Fault} fault */
    inject(fault) {
      const entry = { ...fault, hits: 0 }
      faults.push(entry)
      return entry
    },
    /** @returns {Promise<void>} */
    close() {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    }
  }
}
