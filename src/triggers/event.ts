// What started this run, read from the webhook payload: a step in the failing job, a workflow_run on another
// run, a manual dispatch, or a comment on a pull request. Plain data; the action edge reads the file.
import * as fs from 'node:fs'

export interface FailedRun {
  id: number
  name: string
  headSha: string
  headBranch: string
  /** owner/name of the repository the run's code came from */
  headRepository: string
  htmlUrl: string
  conclusion: string
}

export interface CommandComment {
  id: number
  body: string
  user: string
  htmlUrl: string
  /** the issue or pull request it was written on */
  number: number
  onPullRequest: boolean
}

export type Trigger =
  | { kind: 'step' }
  | { kind: 'dispatch' }
  | { kind: 'workflow-run'; run: FailedRun }
  | { kind: 'comment'; action: string; comment: CommandComment }

export function readTrigger(eventName: string, payload: EventPayload): Trigger {
  if (eventName === 'workflow_dispatch') return { kind: 'dispatch' }
  if (eventName === 'workflow_run' && payload.workflow_run !== undefined) {
    const run = payload.workflow_run
    return {
      kind: 'workflow-run',
      run: {
        id: Number(run.id ?? 0),
        name: run.name ?? '',
        headSha: run.head_sha ?? '',
        headBranch: run.head_branch ?? '',
        headRepository: run.head_repository?.full_name ?? payload.repository?.full_name ?? '',
        htmlUrl: run.html_url ?? '',
        conclusion: run.conclusion ?? ''
      }
    }
  }
  if (eventName === 'issue_comment' && payload.comment !== undefined && payload.issue !== undefined) {
    return {
      kind: 'comment',
      action: payload.action ?? '',
      comment: {
        id: Number(payload.comment.id ?? 0),
        body: payload.comment.body ?? '',
        user: payload.comment.user?.login ?? '',
        htmlUrl: payload.comment.html_url ?? '',
        number: Number(payload.issue.number ?? 0),
        onPullRequest: payload.issue.pull_request !== undefined && payload.issue.pull_request !== null
      }
    }
  }
  return { kind: 'step' }
}

/** The parts of the webhook payloads read here. */
export interface EventPayload {
  action?: string
  repository?: { full_name?: string }
  workflow_run?: {
    id?: number
    name?: string
    head_sha?: string
    head_branch?: string
    head_repository?: { full_name?: string }
    html_url?: string
    conclusion?: string
  }
  comment?: { id?: number; body?: string; user?: { login?: string }; html_url?: string }
  issue?: { number?: number; pull_request?: object | null }
}

export function readEventPayload(eventPath: string | undefined): EventPayload {
  if (!eventPath) return {}
  try {
    const parsed = JSON.parse(fs.readFileSync(eventPath, 'utf8')) as unknown
    return typeof parsed === 'object' && parsed !== null ? parsed : {}
  } catch {
    return {}
  }
}
