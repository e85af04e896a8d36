// Secrets never reach the model, the logs, the summary, the PR or the report: everything that leaves the
// process passes through one Redactor.

/** Environment variable names whose values are treated as secrets. */
const SECRET_NAME = /(TOKEN|KEY|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|AUTH|(^|_)(PASS|PWD|PAT|DSN)(_|$))/i
/** Names that match SECRET_NAME but are known not to hold secrets (PWD: the shell's working directory). */
const NOT_SECRET_NAME =
  /^(INPUT_(BASE-URL|MODEL|.*TEMPERATURE.*|MAX-TOKENS-TOTAL)|GITHUB_(API_URL|SERVER_URL|GRAPHQL_URL)|.*_PATH|.*_URL_?KEY_?NAME|(OLD)?PWD)$/i

/** Common token shapes, masked even when we were not told the value (e.g. printed by a test). */
const TOKEN_SHAPES: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,255}\b/g, // GitHub classic and app tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,255}\b/g,
  /\bsk-(?:proj-|ant-|or-v1-)?[A-Za-z0-9_-]{16,}\b/g, // OpenAI, Anthropic, OpenRouter style keys
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API keys
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g, // JWTs
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g
]

/** The password of credentials in a URL (`postgres://user:password@host/db`), as DATABASE_URL-style vars hold. */
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:([^\s@/]+)@/i

export const REDACTED = '***'

export class Redactor {
  private readonly secrets = new Set<string>()

  /** Values shorter than this are too likely to occur by chance (e.g. "true", "1234") to be masked. */
  static readonly MIN_SECRET_LENGTH = 6

  add(value: string | undefined): void {
    if (value === undefined) return
    const trimmed = value.trim()
    if (trimmed.length < Redactor.MIN_SECRET_LENGTH) return
    this.secrets.add(trimmed)
    // A token often appears base64-encoded too (e.g. in a git extraheader).
    this.secrets.add(Buffer.from(trimmed).toString('base64'))
    this.secrets.add(Buffer.from(`x-access-token:${trimmed}`).toString('base64'))
  }

  /** Adds the values of environment variables named like secrets, and passwords in URLs (DATABASE_URL). */
  addFromEnvironment(env: NodeJS.ProcessEnv): void {
    for (const [name, value] of Object.entries(env)) {
      if (!value) continue
      if (SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name)) this.add(value)
      const password = URL_PASSWORD.exec(value.trim())?.[1]
      if (password !== undefined) {
        this.add(password)
        this.add(decodedOrSame(password))
      }
    }
  }

  /** The known secret values, for core.setSecret. */
  values(): string[] {
    return [...this.secrets]
  }

  redact(text: string): string {
    if (text === '') return text
    let out = text
    // Longest first, so a secret containing another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED)
    }
    for (const shape of TOKEN_SHAPES) out = out.replace(shape, REDACTED)
    return out
  }

  /** Redacts every string inside a JSON-like value. */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T
    if (Array.isArray(value)) return value.map(item => this.redactDeep(item)) as T
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) out[key] = this.redactDeep(item)
      return out as T
    }
    return value
  }
}

function decodedOrSame(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** The environment a test run gets: the runner's, less the action's inputs (api-key, github-token). */
export function environmentForTests(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('INPUT_')) continue
    if (name === 'ACTIONS_RUNTIME_TOKEN' || name === 'ACTIONS_ID_TOKEN_REQUEST_TOKEN') continue
    out[name] = value
  }
  return out
}
