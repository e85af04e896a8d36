// What the engine needs from the world it runs in, as small interfaces. The action (src/action/) and the command
// line (src/cli/) each pass their own; the engine imports nothing from @actions/*.
import type { LlmStats } from '../model/client.js'
import type { ChangeRange } from '../context/change-under-test.js'
import type { AttemptFeedback } from '../context/prompt.js'
import type { Failure, FixFile, Group, Logger, Report } from '../domain.js'
import type { FixRunOutcome } from '../fix/fix-run.js'
import type { PublishResult } from '../publish/publish.js'
import type { Git } from '../publish/git.js'
import type { Redactor } from '../redact.js'
import type { PytestRunnerOptions } from '../verify/pytest.js'

export type { Logger }

/** A titled part of the run: a collapsible log group in the action, a heading and a spinner on a terminal. */
export interface Sections {
  section<T>(title: string, body: () => Promise<T>): Promise<T>
}

/** Where model answers live between runs: the GitHub Actions cache, or a directory on the developer's disk.
 *  Best-effort: neither method throws; trouble costs model calls, never the run. */
export interface CacheStore {
  /** fills `dir` with the answers kept under `keyPrefix` */
  restore(dir: string, keyPrefix: string): Promise<void>
  /** keeps what `dir` holds under `keyPrefix` for the next run */
  save(dir: string, keyPrefix: string): Promise<void>
}

/** Tells the log machinery a value to mask (core.setSecret in the action; nothing on a terminal). */
export interface SecretMasker {
  mask(secret: string): void
}

export interface Clock {
  now(): number
}

/** Registers what to do on an interruption (SIGTERM, Ctrl-C, a closed terminal); returns the unregistering. */
export type InterruptSource = (stop: (signal: string) => void) => () => void

/** A verified fix, in the working tree, handed to the edge to publish. */
export interface VerifiedFix {
  outcome: FixRunOutcome
  /** the fix to publish: the accepted attempts' edits on the original bytes, with the exact bytes per file */
  files: FixFile[]
  /** git at the repository root */
  git: Git
  redactor: Redactor
  /** the model calls and tokens that the fix took */
  llm?: LlmStats
  /** the time until the fix was verified: in all, in pytest, waiting for the model */
  durations?: { totalMs: number; testsMs: number; llmMs: number }
}

/** Where a verified fix goes: a branch and PR (action), a local branch (command line), the tree, nothing. */
export type Publisher = (fix: VerifiedFix) => Promise<PublishResult>

/** What an edge may add to a run (the action's triggers: workflow_run, dispatch, commands on a fix PR). */
export interface RunHooks {
  /** for the report, from before the run */
  messages?: string[]
  /** the failures to fix, chosen before anything else runs; `tests` is how the run starts pytest */
  narrowFailures?: (failures: Failure[], tests: PytestRunnerOptions) => Promise<{ failures: Failure[]; message: string } | undefined>
  /** a reason to stop before any model call (its notice); `git` is at the repository root */
  beforeFixing?: (groups: Group[], git: Git) => Promise<string | undefined>
  /** where the change under test starts (the push's before, the pull request's base, known-good-ref, HEAD's parent) */
  changeRange?: ChangeRange
  /** earlier attempts of a group to put in its prompt */
  carriedAttempts?: (group: Group) => AttemptFeedback[]
  /** after the run, also after a failure: messages to add to the report */
  finishReport?: (report: Report, failure: unknown) => Promise<string[]>
}

export const systemClock: Clock = { now: () => Date.now() }
