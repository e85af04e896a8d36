// The run's checkpoint: after every attempt, what is done (groups with their verified changes) and where the
// current group stands. With --resume (or the action's re-run of a cancelled run), a run of the same state picks
// it up: the done groups' fixes are put back in the tree, the current group goes on at its next call, and the
// cached answers make the calls already made free. A checkpoint of another state is never used.
import { createHash } from 'node:crypto'
import type { Failure, FileChange, GroupRecord, Logger } from '../domain.js'
import type { Workspace } from '../workspace.js'
import type { Checkpoint, CheckpointStore, DoneGroup, GroupProgress } from './steering.js'

export interface RunCheckpoint {
  /** the groups the interrupted run was done with; fixed ones are in the tree again */
  restored: DoneGroup[]
  /** what the log and report say of it, when there is something to say */
  message?: string
  /** a restored group was fixed: its changes are in the tree, verified by the interrupted run */
  restoredFixes: boolean
  fixedTests(): string[]
  progressOf(fingerprint: string): GroupProgress | undefined
  progress(progress: GroupProgress): void
  groupDone(record: GroupRecord, changes: FileChange[], mustPass: string[]): void
  /** the restored fixes failed their gate: out of the tree and out of the fix */
  withdraw(): void
  /** the run ended (or the person quit): nothing to resume */
  finished(): void
}

export function openCheckpoint(
  config: { store: CheckpointStore; resume: boolean; state: string } | undefined,
  failing: Failure[],
  workspace: Workspace,
  log: Logger
): RunCheckpoint {
  const state =
    config === undefined
      ? ''
      : createHash('sha256')
          .update(`${config.state}\n${[...new Set(failing.map(failure => failure.nodeId))].sort().join('\n')}`)
          .digest('hex')
  const found = config?.store.load()
  let message: string | undefined
  let current: Checkpoint = { version: 1, state, done: [] }
  let restored: DoneGroup[] = []
  if (config?.resume === true && found === undefined) {
    message = 'Nothing to resume: no interrupted run left a checkpoint; the run starts from the beginning.'
    log.info(message)
  }
  if (config !== undefined && found !== undefined) {
    if (!config.resume) {
      log.info('An interrupted run left a checkpoint: this run starts over (--resume goes on from it)')
    } else if (found.state !== state) {
      message = 'The checkpoint is of another state (HEAD, the uncommitted changes or the failures differ): the run starts over.'
      log.info(message)
    } else {
      const unplaced = found.done.flatMap(done => done.changes).find(change => workspace.read(change.path) !== change.before)
      if (unplaced !== undefined) {
        message = `The checkpoint's fix of ${unplaced.path} no longer applies to the file: the run starts over.`
        log.info(message)
      } else {
        for (const done of found.done) {
          if (done.changes.length === 0) continue
          workspace.apply(done.changes)
          workspace.recordAccepted(done.changes)
        }
        restored = found.done
        current = found
        const fixed = restored.filter(done => done.record.status === 'fixed').length
        const attempts = found.current?.attempts.length ?? 0
        message =
          `Resumed the interrupted run: ${restored.length} group(s) done (${fixed} fixed, their verified changes back in the tree)` +
          (found.current !== undefined ? `, group ${found.current.fingerprint} after ${attempts} attempt(s).` : '.')
        log.info(message)
      }
    }
  }
  const save = (): void => config?.store.save(current)
  return {
    restored,
    ...(message !== undefined ? { message } : {}),
    restoredFixes: restored.some(done => done.record.status === 'fixed'),
    fixedTests: () => restored.filter(done => done.record.status === 'fixed').flatMap(done => done.record.tests),
    progressOf: fingerprint => (current.current?.fingerprint === fingerprint ? current.current : undefined),
    progress: progress => {
      current = { ...current, current: progress }
      save()
    },
    groupDone: (record, changes, mustPass) => {
      current = { ...current, done: [...current.done, { record, changes, mustPass }], current: undefined }
      save()
    },
    withdraw: () => {
      for (const done of [...restored].reverse()) workspace.withdraw(done.changes)
    },
    finished: () => config?.store.clear()
  }
}
