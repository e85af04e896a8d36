// The project's words as types. Every stage takes and gives these plain data shapes.
// failure · group · attempt · edit · verification · fix · report

/** How one pytest test ended, as a test run reported it. */
export type TestOutcome = 'passed' | 'failed' | 'error' | 'skipped' | 'xfailed' | 'xpassed'

/** Where a test went wrong: pytest's own phases, plus collection. */
export type Phase = 'collect' | 'setup' | 'call' | 'teardown'

/** One frame of a pytest traceback. */
export interface Frame {
  /** repository-relative path when the file is inside the repository, else the path as printed */
  file: string
  line: number
  func?: string
  /** false for site-packages, the standard library and anything else outside the repository */
  inRepo: boolean
}

/** One testcase of one test run. */
export interface TestResult {
  /** exact pytest node id, relative to pytest's rootdir: `tests/test_x.py::Class::test[param]` */
  nodeId: string
  outcome: TestOutcome
  phase?: Phase
  errorType?: string
  message?: string
  /** the long text pytest wrote for a failure or error (traceback and captured output) */
  details?: string
  /** file and line of the testcase when the report carries them (xunit1) */
  file?: string
  line?: number
}

/** One failing pytest node id, with its error. */
export interface Failure {
  nodeId: string
  /** repository-relative path of the test file; for a collection error, the module that failed */
  file: string
  /** repository-relative file of the error: innermost frame in project code (may be a source file) */
  errorFile?: string
  /** line of the error in errorFile */
  line?: number
  errorType: string
  message: string
  traceback: string
  phase: Phase
  frames: Frame[]
  /** fingerprint of the group the failure belongs to, set by groupFailures */
  group?: string
}

/** Failures with one root cause. */
export interface Group {
  fingerprint: string
  failures: Failure[]
}

/** One SEARCH/REPLACE block. `search` empty: create `path`. */
export interface Edit {
  path: string
  search: string
  replace: string
  /** how the model wrote it: a SEARCH/REPLACE block (default), a unified-diff hunk, or a whole-file rewrite in `replace` */
  format?: 'block' | 'diff' | 'whole-file'
}

/** One file as an attempt changed it; `before` null: the attempt created it. */
export interface FileChange {
  path: string
  before: string | null
  after: string
}

/** One file of the verified fix: its text change (diff, report) and the exact bytes to publish, in its own encoding. */
export interface FixFile extends FileChange {
  bytes: Buffer
  /** the file's bytes before the run; null: the fix creates it */
  beforeBytes: Buffer | null
}

/** The outcome of one test run (pytest invoked once). */
export interface TestRun {
  results: TestResult[]
  exitCode: number | null
  timedOut: boolean
  /** the console output, tail-trimmed */
  output: string
  durationMs: number
  /** forked from the warm interpreter (pytest imported already) instead of a new process */
  warm?: boolean
}

/** declined: a person at the command line's prompt passed it over unverified (retry, skip, quit) */
export type AttemptOutcome = 'accepted' | 'rejected' | 'error' | 'declined'

/** One model answer applied and verified. */
export interface AttemptRecord {
  number: number
  /** null when the model rejected temperature and the attempt ran without it */
  temperature: number | null
  outcome: AttemptOutcome
  reason: string
  filesChanged: string[]
  tokens: { prompt: number; completion: number }
  cached: boolean
  /** unified diff of the attempt's edits, empty when none applied */
  diff: string
  /** for an attempt verification ran: the group's tests still failing, and tests that passed before and broke */
  testsStillFailing?: number
  testsBroken?: number
  /** with `candidates` > 1: the call this attempt's answer came from, and its place among that call's candidates */
  candidate?: { call: number; index: number; of: number; sameRequest?: boolean }
  /** the model's own one- or two-sentence account of the root cause (redacted, capped), when it gave one */
  explanation?: string
  /** a person edited the answer's patch (--interactive `edit`) before it was verified */
  edited?: boolean
}

export type GroupStatus = 'fixed' | 'unfixed' | 'flaky' | 'skipped'

export interface GroupRecord {
  fingerprint: string
  tests: string[]
  status: GroupStatus
  errorType: string
  message: string
  attempts: AttemptRecord[]
  /** fixed with no attempt of its own: the fingerprints of the groups whose fix made its tests pass */
  fixedBy?: string
  /** the code the group's first prompt held, file by file, and why */
  localization?: HeldCode[]
}

/** One file of a prompt's code: the lines shown and why they were chosen. */
export interface HeldCode {
  file: string
  /** "1-30" or "12-40, 88-95" */
  lines: string
  /** error, changed in the range, test, fixture, callee, frame, import */
  why: string[]
}

/** The change under test the prompts showed (or why none was): the report's `changeUnderTest`. */
export interface ChangeUnderTestRecord {
  /** "push 1a2b3c4..5d6e7f8", "known-good-ref v1.2", "the parent of HEAD" */
  why: string
  /** the base commit; null when it could not be read */
  base: string | null
  /** the non-test files it changed */
  files: string[]
  /** why it could not be read */
  unavailable?: string
}

/** `error`: the run ended on an error (bad input, an unexpected fault); `cancelled`: SIGTERM/SIGINT stopped it. */
export type RunResult = 'fixed' | 'partially-fixed' | 'not-fixed' | 'flaky' | 'nothing-to-fix' | 'error' | 'cancelled'

export type PullRequestOperation = 'created' | 'updated' | 'none'

/** The JSON record of a run (README, "The report"). */
export interface Report {
  version: 1
  result: RunResult
  mode: string
  failures: Array<{
    nodeId: string
    file: string
    line: number | null
    errorType: string
    message: string
    group: string | null
    phase: Phase
  }>
  groups: GroupRecord[]
  fixedTests: string[]
  unfixedTests: string[]
  flakyTests: string[]
  /** ids of the failing run that a verification run collected under another parametrize id: compared by function */
  driftedTests: string[]
  /** `cost`: at the prices the user gave (price-per-million-*-tokens), in their currency; null without prices */
  llm: { calls: number; cachedCalls: number; promptTokens: number; completionTokens: number; cost?: number | null }
  pullRequest: { number: number | null; url: string | null; operation: PullRequestOperation }
  branch: string | null
  /** the fix commit pushed (modes pull-request and push); null when none was */
  commitSha: string | null
  /** the model the run asked */
  model: string
  /** the change under test the prompts showed, or why none was; null when no prompt was built */
  changeUnderTest?: ChangeUnderTestRecord | null
  /** the verified patch (unified diff), empty when nothing was fixed */
  patch: string
  messages: string[]
  durationsMs: {
    total: number
    tests: number
    llm: number
    /** each stage of the run (reading the failures, the reproduction check, flaky triage, each group, publishing, the cache) */
    phases?: Array<{ phase: string; ms: number }>
    /** each pytest run, with its purpose (baseline, reproduce, rerun, group, suite, collect) and how many tests it reported */
    testRuns?: Array<{ purpose: string; ms: number; tests: number }>
    /** each model call answered by the endpoint */
    modelCalls?: number[]
  }
}

/** A chat message sent to the model. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/** What one model call gave back. */
export interface ModelAnswer {
  content: string
  promptTokens: number
  completionTokens: number
  cached: boolean
  /** the temperature actually sent; null when the model rejected temperature */
  temperature: number | null
  /** a cached answer that verification rejected in an earlier run, and why: history, never replayed as an attempt */
  rejectedBefore?: string
  /** where the answer is kept in the response cache, to mark it rejected */
  cacheKey?: string
  /** it came in one request with other candidates (`n`): the prompt's tokens are on the first of them */
  sameRequest?: boolean
}

export interface CompleteOptions {
  fresh?: boolean
  keyMessages?: ChatMessage[]
  /** which of several candidates of one call this is (1-based): each is its own answer in the response cache */
  candidate?: number
  /** how many calls go out at once: each may use this share of what is left of the token budget */
  share?: number
}

/** The model behind an OpenAI-compatible endpoint. */
export interface ModelClient {
  /**
   * `fresh`: ask the endpoint even when the cache holds an answer (it no longer applies to the files).
   * `keyMessages`: what the response cache keys the answer by (the messages less hints that change between runs
   * of the same question, such as commit ids); the messages themselves by default.
   */
  complete(messages: ChatMessage[], temperature: number, options?: CompleteOptions): Promise<ModelAnswer>
  /** Verification rejected this answer: a re-run must not replay it from the cache. */
  rejected?(answer: ModelAnswer, reason: string): void
  /** `count` answers to one prompt (input `candidates`): in one request with `n` where the endpoint honours it */
  completeCandidates?(messages: ChatMessage[], temperature: number, count: number, options?: CompleteOptions): Promise<CandidateResult[]>
}

/** One candidate of a call with several: its answer, or what stopped it (a spent budget, a failed endpoint). */
export type CandidateResult = { answer: ModelAnswer } | { error: unknown }

/** An error whose message is meant for the user as is: it names the cause and the fix. */
export class UserError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UserError'
  }
}

/** Where things are, as absolute paths. */
export interface Layout {
  /** the git repository root (the top level of the checkout) */
  repoRoot: string
  /** where test-command runs (working-directory) */
  workDir: string
  /** pytest's rootdir: node ids are relative to it */
  rootDir: string
}

/** Where stages write what a user should read. `core` in the action, an array in tests. */
export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}
