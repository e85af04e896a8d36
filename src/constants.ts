// Each input and output name spelled once.

export const Inputs = {
  JunitXml: 'junit-xml',
  LogFile: 'log-file',
  KnownGoodRef: 'known-good-ref',
  Candidates: 'candidates',
  PriceInput: 'price-per-million-input-tokens',
  PriceOutput: 'price-per-million-output-tokens',
  TestCommand: 'test-command',
  WorkingDirectory: 'working-directory',
  GithubToken: 'github-token',
  ApiKey: 'api-key',
  BaseUrl: 'base-url',
  Model: 'model',
  MaxAttempts: 'max-attempts',
  InitialTemperature: 'initial-temperature',
  TemperatureIncrement: 'temperature-increment',
  Mode: 'mode',
  BaseBranch: 'base-branch',
  BranchPrefix: 'branch-prefix',
  Labels: 'labels',
  Draft: 'draft',
  AllowTestChanges: 'allow-test-changes',
  FlakyReruns: 'flaky-reruns',
  Cache: 'cache',
  UploadReport: 'upload-report',
  MaxTokensTotal: 'max-tokens-total',
  TestTimeout: 'test-timeout',
  ExtraInstructions: 'extra-instructions',
  ArtifactName: 'artifact-name',
  AllowForks: 'allow-forks',
  Tests: 'tests',
  FallbackIssue: 'fallback-issue',
  WarmPytest: 'warm-pytest'
} as const

export const Outputs = {
  Result: 'result',
  FixedTests: 'fixed-tests',
  UnfixedTests: 'unfixed-tests',
  FlakyTests: 'flaky-tests',
  Branch: 'branch',
  PullRequestNumber: 'pull-request-number',
  PullRequestUrl: 'pull-request-url',
  PullRequestOperation: 'pull-request-operation',
  Report: 'report',
  CommitSha: 'commit-sha',
  Model: 'model',
  Tokens: 'tokens'
} as const

export const Modes = ['pull-request', 'push', 'apply', 'dry-run'] as const
export type Mode = (typeof Modes)[number]

/** The identity of commits the action makes. */
export const BotAuthor = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com'
} as const
