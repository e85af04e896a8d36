// A loopback stand-in for the GitHub Actions results service, as @actions/cache 6 and @actions/artifact 6 talk
// to it: the cache's Twirp JSON API (CreateCacheEntry, FinalizeCacheEntryUpload, GetCacheEntryDownloadURL), the
// artifacts' (CreateArtifact, FinalizeArtifact), and the signed blob URLs that @azure/storage-blob uploads to
// (Put Blob, Put Block, Put Block List) and that the download reads (GET, ranges).
//
// Point the real package at it with env (read by @actions/cache at call time):
//   ACTIONS_CACHE_SERVICE_V2=true  ACTIONS_RESULTS_URL=<url>/  ACTIONS_RUNTIME_TOKEN=<token>
// and RUNNER_TEMP / GITHUB_WORKSPACE set to scratch folders. The default runtime token is a JWT whose `scp`
// names the run and job backend ids, as @actions/artifact reads them.
import { createServer } from 'node:http'
import { randomBytes } from 'node:crypto'

const TWIRP = '/twirp/github.actions.results.api.v1.CacheService/'
const ARTIFACT_TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/'

/** An unsigned JWT with the scope the runner gives a job: Actions.Results:<run backend id>:<job backend id>. */
function runtimeToken() {
  const part = value => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ scp: 'Actions.GenericRead:0 Actions.Results:run-backend-1:job-backend-1' })}.c2ln`
}
const ACCOUNT = 'devstoreaccount1'
const CONTAINER = 'actions-cache'

/**
 * Starts the stand-in on 127.0.0.1 at a free port.
 * options.token: the runtime token the Twirp calls must carry (default 'stand-in-runtime-token').
 * Returns { url (ends with '/'), token, entries, requests, close() }.
 * entries: { key, version, sizeBytes, finalized, createdAt, name, blob: Buffer | undefined }, in creation order.
 * requests: { method, path, query } of every request.
 */
export async function startCacheServer(options = {}) {
  const token = options.token ?? runtimeToken()
  const signature = randomBytes(8).toString('hex')
  const entries = []
  /** uploaded artifacts: { name, size, hash, finalized, blob: Buffer | undefined } */
  const artifacts = []
  const requests = []
  const blobs = new Map() // blob name -> { data, blocks: Map<blockId, Buffer> }
  let clock = 0

  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', chunk => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams) })
      try {
        if (url.pathname.startsWith(TWIRP)) twirp(req, res, url.pathname.slice(TWIRP.length), Buffer.concat(chunks))
        else if (url.pathname.startsWith(ARTIFACT_TWIRP))
          artifactTwirp(req, res, url.pathname.slice(ARTIFACT_TWIRP.length), Buffer.concat(chunks))
        else blob(req, res, url, Buffer.concat(chunks))
      } catch (error) {
        sendJson(res, 500, { code: 'internal', msg: String(error) })
      }
    })
  })

  function twirp(req, res, method, raw) {
    if (req.headers.authorization !== `Bearer ${token}`) {
      sendJson(res, 401, { code: 'unauthenticated', msg: 'invalid runtime token' })
      return
    }
    const body = JSON.parse(raw.toString('utf8') || '{}')
    if (method === 'CreateCacheEntry') {
      // Keys are immutable: the real service refuses a second entry for the same key and version.
      if (entries.some(entry => entry.key === body.key && entry.version === body.version)) {
        sendJson(res, 409, { code: 'already_exists', msg: 'cache entry with the same key, version, and scope already exists' })
        return
      }
      const name = `entry-${entries.length + 1}`
      entries.push({ key: body.key, version: body.version, sizeBytes: 0, finalized: false, createdAt: ++clock, blob: undefined, name })
      sendJson(res, 200, { ok: true, signed_upload_url: signedUrl(name, 'cw') })
      return
    }
    if (method === 'FinalizeCacheEntryUpload') {
      const entry = entries.find(candidate => candidate.key === body.key && candidate.version === body.version && !candidate.finalized)
      const stored = entry && blobs.get(entry.name)
      if (!entry || !stored?.data) {
        sendJson(res, 200, { ok: false, entry_id: '0', message: 'no uploaded cache entry to finalize' })
        return
      }
      entry.finalized = true
      entry.sizeBytes = Number(body.size_bytes ?? stored.data.length)
      entry.blob = stored.data
      sendJson(res, 200, { ok: true, entry_id: String(entries.indexOf(entry) + 1) })
      return
    }
    if (method === 'GetCacheEntryDownloadURL') {
      const entry = findEntry(body.key, body.restore_keys ?? [], body.version)
      if (!entry) {
        sendJson(res, 200, { ok: false, signed_download_url: '', matched_key: '' })
        return
      }
      sendJson(res, 200, { ok: true, signed_download_url: signedUrl(entry.name, 'r'), matched_key: entry.key })
      return
    }
    sendJson(res, 404, { code: 'bad_route', msg: `no handler for ${method}` })
  }

  function artifactTwirp(req, res, method, raw) {
    if (req.headers.authorization !== `Bearer ${token}`) {
      sendJson(res, 401, { code: 'unauthenticated', msg: 'invalid runtime token' })
      return
    }
    const body = JSON.parse(raw.toString('utf8') || '{}')
    if (method === 'CreateArtifact') {
      // names are unique per run: the real service refuses a second upload under a name
      if (artifacts.some(artifact => artifact.name === body.name)) {
        sendJson(res, 409, { code: 'already_exists', msg: `an artifact with this name already exists on the workflow run` })
        return
      }
      const blobName = `artifact-${artifacts.length + 1}`
      artifacts.push({ name: body.name, size: 0, hash: '', finalized: false, blob: undefined, blobName })
      sendJson(res, 200, { ok: true, signed_upload_url: signedUrl(blobName, 'cw') })
      return
    }
    if (method === 'FinalizeArtifact') {
      const artifact = artifacts.find(candidate => candidate.name === body.name && !candidate.finalized)
      const stored = artifact && blobs.get(artifact.blobName)
      if (!artifact || !stored?.data) {
        sendJson(res, 200, { ok: false, artifact_id: '0' })
        return
      }
      artifact.finalized = true
      artifact.size = Number(body.size ?? stored.data.length)
      artifact.hash = String(body.hash ?? '')
      artifact.blob = stored.data
      sendJson(res, 200, { ok: true, artifact_id: String(artifacts.indexOf(artifact) + 1) })
      return
    }
    sendJson(res, 404, { code: 'bad_route', msg: `no handler for ${method}` })
  }

  /** As the service matches: the key exactly, then each restore key exactly or as a prefix, newest first. */
  function findEntry(key, restoreKeys, version) {
    const usable = entries.filter(entry => entry.finalized && entry.version === version).sort((a, b) => b.createdAt - a.createdAt)
    const exact = usable.find(entry => entry.key === key)
    if (exact) return exact
    for (const prefix of restoreKeys) {
      const match = usable.find(entry => entry.key === prefix) ?? usable.find(entry => entry.key.startsWith(prefix))
      if (match) return match
    }
    return undefined
  }

  function signedUrl(name, permissions) {
    const { port } = server.address()
    return `http://127.0.0.1:${port}/${ACCOUNT}/${CONTAINER}/${name}?sv=2024-08-04&sp=${permissions}&sig=${signature}`
  }

  function blob(req, res, url, body) {
    const prefix = `/${ACCOUNT}/${CONTAINER}/`
    if (!url.pathname.startsWith(prefix) || url.searchParams.get('sig') !== signature) {
      sendXmlError(res, 403, 'AuthenticationFailed', 'Server failed to authenticate the request.')
      return
    }
    const name = decodeURIComponent(url.pathname.slice(prefix.length))
    const stored = blobs.get(name) ?? { data: undefined, blocks: new Map() }
    const comp = url.searchParams.get('comp')
    if (req.method === 'PUT' && comp === 'block') {
      stored.blocks.set(url.searchParams.get('blockid'), body)
      blobs.set(name, stored)
      sendBlobHeaders(res, 201, {})
      return
    }
    if (req.method === 'PUT' && comp === 'blocklist') {
      const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Committed|Uncommitted)>([^<]*)<\//g)].map(match => match[1])
      stored.data = Buffer.concat(ids.map(id => stored.blocks.get(id) ?? Buffer.alloc(0)))
      stored.blocks.clear()
      blobs.set(name, stored)
      sendBlobHeaders(res, 201, {})
      return
    }
    if (req.method === 'PUT') {
      stored.data = body
      blobs.set(name, stored)
      sendBlobHeaders(res, 201, {})
      return
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && stored.data) {
      const data = stored.data
      const range = /bytes=(\d+)-(\d*)/.exec(String(req.headers['x-ms-range'] ?? req.headers.range ?? ''))
      const start = range ? Number(range[1]) : 0
      const end = range && range[2] !== '' ? Math.min(Number(range[2]), data.length - 1) : data.length - 1
      const part = data.subarray(start, end + 1)
      const headers = {
        'content-type': 'application/octet-stream',
        'content-length': String(part.length),
        'x-ms-blob-type': 'BlockBlob',
        'accept-ranges': 'bytes',
        ...(range ? { 'content-range': `bytes ${start}-${end}/${data.length}` } : {})
      }
      sendBlobHeaders(res, range ? 206 : 200, headers)
      res.end(req.method === 'HEAD' ? undefined : part)
      return
    }
    sendXmlError(res, 404, 'BlobNotFound', 'The specified blob does not exist.')
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address()

  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    entries,
    artifacts,
    requests,
    async close() {
      server.closeAllConnections()
      await new Promise(resolve => server.close(() => resolve()))
    }
  }
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** Headers every Blob service answer carries; the body, when any, is written by the caller. */
function sendBlobHeaders(res, status, headers) {
  const common = {
    etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
    'last-modified': new Date().toUTCString(),
    'x-ms-request-id': randomBytes(16).toString('hex'),
    'x-ms-version': '2024-08-04',
    'x-ms-request-server-encrypted': 'true',
    date: new Date().toUTCString()
  }
  const merged = { ...common, ...headers }
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name]
  if (!('content-length' in merged)) merged['content-length'] = '0'
  res.writeHead(status, merged)
  if (status === 201) res.end()
}

function sendXmlError(res, status, code, message) {
  const text = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text), 'x-ms-error-code': code })
  res.end(text)
}
