// A person's say in a group's attempts: the command line's --interactive. The engine asks, the edge answers; the
// action passes none and the attempts run unattended. Checkpoints of a run live here too: what an interrupted run
// had done, so that a resumed one goes on from there.
import type { AttemptFeedback } from '../context/prompt.js'
import type { AttemptRecord, FileChange, Group, GroupRecord } from '../domain.js'

/** What the person is shown at the prompt: one answer of the model, before or after its verification. */
export interface SteeringTurn {
  group: Group
  /** the attempt's number in the group */
  attempt: number
  temperature: number | null
  /** the model's answer as it came (redacted) */
  answer: string
  /** the edits the answer makes, planned on the files as they are; empty when it did not plan */
  changes: FileChange[]
  /** why the answer was rejected (verification, or it did not apply); undefined: not verified yet */
  verdict?: string
  /** the rejected verification's test output (tail-trimmed) */
  testOutput?: string
  /** the group's attempts so far, this one included */
  history: AttemptRecord[]
}

export type SteeringDecision =
  /** verify now: the proposal, or the person's edited version of it */
  | { action: 'apply'; changes?: FileChange[] }
  /** ask the model again, at the next temperature, with extra instructions when given */
  | { action: 'retry'; instructions?: string }
  | { action: 'skip' }
  | { action: 'quit' }

export interface Steering {
  /** true: every answer waits for the person's `apply` (mode always); false: asked only after a rejection */
  readonly beforeVerifying: boolean
  decide(turn: SteeringTurn): Promise<SteeringDecision>
}

/** Where a group's attempts stand: enough to go on with the next call after an interruption. */
export interface GroupProgress {
  fingerprint: string
  /** model calls made */
  calls: number
  attempts: AttemptRecord[]
  previous: AttemptFeedback[]
  /** the person's instructions so far (`prompt <text>`) */
  instructions: string[]
}

/** A group the run is done with: its record, and for a fixed one its verified changes and the tests to keep passing. */
export interface DoneGroup {
  record: GroupRecord
  changes: FileChange[]
  mustPass: string[]
}

export interface Checkpoint {
  version: 1
  /** the state the run started from (HEAD, the uncommitted changes, the failures): another state's is not used */
  state: string
  done: DoneGroup[]
  current?: GroupProgress
}

/** Kept synchronously, after every attempt: an interruption may come at any moment. Best-effort, never throws. */
export interface CheckpointStore {
  load(): Checkpoint | undefined
  save(checkpoint: Checkpoint): void
  clear(): void
}
