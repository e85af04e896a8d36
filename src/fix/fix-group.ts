// The attempts for one group: ask the model, apply its edits, verify; on rejection restore the files exactly and
// try again with a higher temperature and the previous attempts' edits and verdicts in the prompt.
import { explanationOf } from '../edits/explanation.js'
import type { AttemptFeedback, Prompt } from '../context/prompt.js'
import type {
  AttemptRecord,
  ChatMessage,
  CompleteOptions,
  FileChange,
  Group,
  GroupRecord,
  GroupStatus,
  Logger,
  ModelAnswer,
  ModelClient,
  TestResult
} from '../domain.js'
import { unifiedDiff } from '../edits/diff.js'
import { parseEditBlocks } from '../edits/parse.js'
import { planEdits, type PlanContext } from '../edits/apply.js'
import { checkEditPolicy } from '../edits/policy.js'
import type { Redactor } from '../redact.js'
import type { Baseline, Verdict } from '../verify/verify.js'
import type { Workspace } from '../workspace.js'
import type { GroupProgress, Steering, SteeringDecision } from './steering.js'
import { BudgetExceededError } from '../model/budget.js'
import { ModelEndpointError } from '../model/endpoint-errors.js'

export interface FixGroupDeps {
  model: ModelClient
  workspace: Workspace
  buildPrompt: (group: Group, previous: AttemptFeedback[]) => Promise<Prompt>
  /** `changed`: the repository-relative files the attempt changed */
  verify: (groupTests: string[], mustPass: string[], changed: string[]) => Promise<Verdict>
  redactor: Redactor
  log: Logger
  /** the person at the command line's prompt (--interactive); none: the attempts run unattended */
  steering?: Steering
  /** after every attempt: where the group stands, for the run's checkpoint */
  progress?: (progress: GroupProgress) => void
}

export interface FixGroupOptions {
  maxAttempts: number
  initialTemperature: number
  temperatureIncrement: number
  allowTestChanges: boolean
  repoRoot: string
  /** tests fixed by earlier groups in this run: they must keep passing */
  mustPass: string[]
  baseline: Baseline
  /** answers asked per call (input `candidates`), verified cheapest first until one passes; default 1 */
  candidates?: number
  /** an interrupted run's progress on this group: the attempts go on from there */
  resume?: GroupProgress
}

export interface FixGroupResult {
  record: GroupRecord
  /** the accepted attempt's changes, applied in the workspace; empty when unfixed */
  changes: FileChange[]
  /** set when the run must stop (token budget spent): no further group is tried */
  stopReason?: string
  /** set when the model endpoint failed for good (retries spent): the run stops and the step fails with it */
  stopError?: ModelEndpointError
  /** the person typed `quit`: the run stops, the tree is restored, nothing is published */
  quit?: boolean
  /** outcomes of the full suite that accepted the fix: later groups fixed along the way are read from it */
  suiteResults?: TestResult[]
}

export async function fixGroup(group: Group, options: FixGroupOptions, deps: FixGroupDeps): Promise<FixGroupResult> {
  const record = groupRecord(group, 'unfixed')
  const resumed = options.resume
  const previous: AttemptFeedback[] = [...(resumed?.previous ?? [])]
  record.attempts.push(...(resumed?.attempts ?? []))
  /** the person's `prompt <text>` instructions, added to every later prompt of the group */
  const instructions: string[] = [...(resumed?.instructions ?? [])]
  /** cached answers that an earlier run's verification rejected, shown as history instead of replayed */
  let replaysRefused = 0

  const candidates = Math.max(1, options.candidates ?? 1)
  /** attempts so far: a call with several candidates gives several attempts */
  let attempts = record.attempts.length
  /** calls the attempts may make: the person's `retry` always gets one more */
  let calls = options.maxAttempts
  /** the person asked again: a cached answer is not what they want */
  let askFresh = false
  const progress = (call: number): void =>
    deps.progress?.({ fingerprint: group.fingerprint, calls: call, attempts: record.attempts, previous, instructions })
  if (resumed !== undefined) {
    deps.log.info(`Group ${group.fingerprint} resumes after ${resumed.calls} call(s) and ${attempts} attempt(s) of the interrupted run`)
  }

  for (let call = (resumed?.calls ?? 0) + 1; call <= calls; call++) {
    const temperature = round(options.initialTemperature + (call - 1) * options.temperatureIncrement)
    // with candidates, one call gives several attempts: the log counts calls, the attempts are numbered on
    deps.log.info(
      candidates > 1
        ? `Call ${call}/${calls} for group ${group.fingerprint}: ${candidates} candidates (temperature ${temperature})`
        : `Attempt ${call}/${calls} for group ${group.fingerprint} (temperature ${temperature})`
    )
    const prompt = withInstructions(await deps.buildPrompt(group, previous), instructions)
    const messages = prompt.messages.map(message => ({ ...message, content: deps.redactor.redact(message.content) }))
    const keyMessages = prompt.keyMessages.map(message => ({ ...message, content: deps.redactor.redact(message.content) }))

    const shown: PlanContext = { shownFiles: prompt.files, wholeFiles: prompt.wholeFiles }
    record.localization ??= prompt.held
    const asked = await askCandidates(deps, messages, temperature, keyMessages, shown, candidates, call, askFresh)
    askFresh = false
    if ('stop' in asked) return { record, changes: [], ...asked.stop }
    const fresh = asked.answers.filter(answer => answer.rejectedBefore === undefined)
    for (const answer of asked.answers) {
      if (answer.rejectedBefore === undefined) continue
      // Replaying it would only be rejected again: it becomes the history of a fresh question, and costs no attempt.
      deps.log.info(
        `A cached answer to attempt ${call} was rejected in an earlier run (${answer.rejectedBefore}); it goes to the model as history`
      )
      previous.push({
        number: previous.length + 1,
        answer: answer.content,
        verdict: `(an earlier run) ${answer.rejectedBefore}`,
        testOutput: ''
      })
    }
    if (fresh.length === 0 && replaysRefused < options.maxAttempts) {
      replaysRefused++
      call--
      continue
    }
    for (const [index, answer] of cheapestFirst(fresh).entries()) {
      attempts++
      const attempt: AttemptRecord = {
        number: attempts,
        temperature: answer.temperature,
        outcome: 'rejected',
        reason: '',
        filesChanged: [],
        tokens: { prompt: answer.promptTokens, completion: answer.completionTokens },
        cached: answer.cached,
        diff: ''
      }
      if (candidates > 1)
        attempt.candidate = { call, index: index + 1, of: fresh.length, ...(answer.sameRequest === true ? { sameRequest: true } : {}) }
      const explanation = deps.redactor.redact(explanationOf(answer.content))
      if (explanation !== '') attempt.explanation = explanation
      record.attempts.push(attempt)

      const settled = await settleAnswer(answer, attempt, group, options, deps, shown, record)
      const { outcome } = settled
      attempt.reason = deps.redactor.redact(outcome.reason)
      attempt.filesChanged = outcome.changes.map(change => change.path)
      attempt.diff = deps.redactor.redact(unifiedDiff(outcome.changes))
      if (outcome.counts !== undefined) {
        attempt.testsStillFailing = outcome.counts.stillFailing
        attempt.testsBroken = outcome.counts.broken
      }
      if (outcome.accepted) {
        attempt.outcome = 'accepted'
        record.status = 'fixed'
        deps.log.info(`Attempt ${attempts} accepted: ${outcome.reason}`)
        return { record, changes: outcome.changes, suiteResults: outcome.suiteResults }
      }
      if (settled.decision === undefined || outcome.reason !== '') {
        attempt.outcome = outcome.changes.length === 0 && outcome.testOutput === '' ? 'error' : 'rejected'
        // at the prompt the person already read it, before deciding
        if (settled.decision === undefined) deps.log.info(`Attempt ${attempts} rejected: ${attempt.reason}`)
        if (!attempt.edited) deps.model.rejected?.(answer, attempt.reason)
        previous.push({
          number: previous.length + 1,
          answer: answer.content,
          verdict: outcome.reason,
          testOutput: deps.redactor.redact(outcome.testOutput)
        })
      } else {
        attempt.outcome = 'declined'
        attempt.reason = 'declined at the prompt, not verified'
        previous.push({
          number: previous.length + 1,
          answer: answer.content,
          verdict: 'the developer declined these edits',
          testOutput: ''
        })
      }
      progress(call)
      const decision = settled.decision
      if (decision === undefined) continue
      if (decision.action === 'quit') return { record, changes: [], quit: true }
      if (decision.action === 'skip') {
        record.status = 'skipped'
        deps.log.info(`Group ${group.fingerprint} skipped at the prompt`)
        return { record, changes: [] }
      }
      // retry: the next call, fresh, whatever the attempts left; the other candidates of this call are passed over
      if (decision.instructions !== undefined && decision.instructions.trim() !== '') instructions.push(decision.instructions.trim())
      if (call === calls) calls++
      askFresh = true
      break
    }
    progress(call)
  }
  return { record, changes: [] }
}

/** The person's instructions, as the prompt's last words: in the messages and in the cache key alike. */
function withInstructions(prompt: Prompt, instructions: string[]): Prompt {
  if (instructions.length === 0) return prompt
  const text = `\n\n## Instructions from the developer\n${instructions.map(line => `- ${line}`).join('\n')}\n`
  const add = (messages: ChatMessage[]): ChatMessage[] =>
    messages.map((message, index) => (index === messages.length - 1 ? { ...message, content: `${message.content}${text}` } : message))
  return { ...prompt, messages: add(prompt.messages), keyMessages: add(prompt.keyMessages) }
}

interface AnswerOutcome {
  accepted: boolean
  reason: string
  changes: FileChange[]
  testOutput: string
  suiteResults?: TestResult[]
  /** set when verification ran */
  counts?: { stillFailing: number; broken: number }
}

/**
 * One answer to its end: planned, verified, and with a person at the prompt, shown before verification (mode
 * always) or after a rejection, until they apply what passes, or decide to ask again, skip or quit.
 */
async function settleAnswer(
  answer: ModelAnswer,
  attempt: AttemptRecord,
  group: Group,
  options: FixGroupOptions,
  deps: FixGroupDeps,
  shown: PlanContext,
  record: GroupRecord
): Promise<{ outcome: AnswerOutcome; decision?: Exclude<SteeringDecision, { action: 'apply' }> }> {
  const planned = planAnswer(answer.content, options, deps, shown)
  const steering = deps.steering
  const content = deps.redactor.redact(answer.content)
  const ask = (outcome: AnswerOutcome | undefined): Promise<SteeringDecision> =>
    (steering as Steering).decide({
      group,
      attempt: attempt.number,
      temperature: answer.temperature,
      answer: content,
      changes: outcome?.changes ?? planned.changes,
      ...(outcome !== undefined
        ? { verdict: deps.redactor.redact(outcome.reason), testOutput: deps.redactor.redact(outcome.testOutput) }
        : {}),
      history: record.attempts
    })
  let outcome: AnswerOutcome = planned
  let decision: SteeringDecision | undefined =
    steering?.beforeVerifying === true
      ? await ask(planned.changes.length > 0 ? undefined : planned)
      : planned.changes.length > 0
        ? { action: 'apply' }
        : undefined
  for (;;) {
    if (decision?.action === 'apply') {
      // the record says whose version was verified last: the person's edit, or the model's proposal
      if (decision.changes !== undefined) attempt.edited = true
      else delete attempt.edited
      if (decision.changes !== undefined) {
        const refusal = changesRefusal(decision.changes, options, deps)
        outcome =
          refusal !== undefined
            ? { ...rejection(refusal), changes: decision.changes }
            : await verifyChanges(decision.changes, group, options, deps)
      } else outcome = planned.changes.length > 0 ? await verifyChanges(planned.changes, group, options, deps) : planned
      if (outcome.accepted || steering === undefined) return { outcome }
      deps.log.info(`Attempt ${attempt.number} rejected: ${deps.redactor.redact(outcome.reason)}`)
      decision = await ask(outcome)
      continue
    }
    if (decision === undefined && steering !== undefined) {
      // it did not apply: the person sees why and decides
      deps.log.info(`Attempt ${attempt.number} rejected: ${deps.redactor.redact(outcome.reason)}`)
      decision = await ask(outcome)
      continue
    }
    return { outcome, ...(decision !== undefined ? { decision } : {}) }
  }
}

function rejection(reason: string): AnswerOutcome {
  return { accepted: false, reason, changes: [], testOutput: '' }
}

/** The answer's edits planned on the files as they are, or why they cannot be: nothing is written yet. */
function planAnswer(content: string, options: FixGroupOptions, deps: FixGroupDeps, shown: PlanContext): AnswerOutcome {
  const parsed = parseEditBlocks(content)
  // A malformed block makes the numbering of the rest unreliable: the whole answer goes back as feedback.
  if (parsed.edits.length === 0 || parsed.problems.length > 0) {
    const why = parsed.problems.length > 0 ? parsed.problems.join(' ') : 'the answer held no edit blocks'
    return rejection(`malformed answer: ${why}`)
  }
  // Before any file is read: what lies outside the repository is never read, so never quoted back to the model.
  const outside = [...new Set(parsed.edits.map(edit => edit.path))].filter(file => !deps.workspace.isInside(file))
  if (outside.length > 0) return rejection(outsideRefusal(outside))
  // A file whose bytes do not round-trip as text (binary, not valid in its encoding) is never rewritten.
  const unreadable = [...new Set(parsed.edits.map(edit => edit.path))].flatMap(file => deps.workspace.editRefusal(file) ?? [])
  if (unreadable.length > 0) return rejection(`edits refused: ${unreadable.join(' ')}`)
  const plan = planEdits(parsed.edits, relativePath => deps.workspace.read(relativePath), shown)
  if (!plan.ok) return rejection(plan.error)
  for (const note of plan.notes) deps.log.info(`Note: ${note}`)
  const refusal = changesRefusal(plan.changes, options, deps)
  if (refusal !== undefined) return rejection(refusal)
  return { accepted: false, reason: '', changes: plan.changes, testOutput: '' }
}

function outsideRefusal(outside: string[]): string {
  const why = outside.map(file => `${file} is outside the repository (an absolute path, '..' or a symbolic link leads out).`)
  return `edits refused: ${why.join(' ')} Edit only files inside the repository, with paths relative to its root as the prompt shows them.`
}

/** Why these changes may not be written (the edit policy, the repository's bounds, unwritable files); undefined: they may. */
function changesRefusal(changes: FileChange[], options: FixGroupOptions, deps: FixGroupDeps): string | undefined {
  const outside = changes.map(change => change.path).filter(file => !deps.workspace.isInside(file))
  if (outside.length > 0) return outsideRefusal(outside)
  const violations = checkEditPolicy(changes, { repoRoot: options.repoRoot, allowTestChanges: options.allowTestChanges })
  if (violations.length > 0) return `edits refused: ${violations.map(violation => violation.message).join(' ')}`
  const unwritable = deps.workspace.writeRefusals(changes)
  if (unwritable.length > 0) return `edits refused: ${unwritable.join(' ')}`
  return undefined
}

/** Writes the changes, verifies them, and keeps them when accepted; otherwise the files are put back exactly. */
async function verifyChanges(changes: FileChange[], group: Group, options: FixGroupOptions, deps: FixGroupDeps): Promise<AnswerOutcome> {
  deps.workspace.apply(changes)
  let verdict: Verdict
  try {
    verdict = await deps.verify(
      group.failures.map(failure => failure.nodeId),
      options.mustPass,
      changes.map(change => change.path)
    )
  } catch (error) {
    deps.workspace.revert(changes)
    throw error
  }
  if (verdict.accepted) deps.workspace.recordAccepted(changes)
  else deps.workspace.revert(changes)
  const suiteResults = verdict.runs[verdict.runs.length - 1]?.results
  return {
    accepted: verdict.accepted,
    reason: verdict.reason,
    changes,
    testOutput: verdict.output,
    suiteResults,
    // a rejection that names no test (pytest's own error, a timeout) got no comparison to count
    ...(verdict.accepted || verdict.stillFailing.length + verdict.broken.length > 0
      ? { counts: { stillFailing: verdict.stillFailing.length, broken: verdict.broken.length } }
      : {})
  }
}

/**
 * One model call. A spent token budget or an endpoint that failed for good ends the group's attempts: returned,
 * not thrown, so the failures found so far still reach the report.
 */
async function ask(
  model: ModelClient,
  messages: ChatMessage[],
  temperature: number,
  options: CompleteOptions
): Promise<{ answer: ModelAnswer } | { stop: Pick<FixGroupResult, 'stopReason' | 'stopError'> }> {
  try {
    return { answer: await model.complete(messages, temperature, options) }
  } catch (error) {
    return stopOf(error)
  }
}

/** A spent budget or a failed endpoint stops the group's attempts; anything else is a bug and is thrown. */
function stopOf(error: unknown): { stop: Pick<FixGroupResult, 'stopReason' | 'stopError'> } {
  if (error instanceof BudgetExceededError) return { stop: { stopReason: error.message } }
  if (error instanceof ModelEndpointError) return { stop: { stopError: error } }
  throw error
}

/**
 * The answers of one call: `candidates` of them, in one request with `n` where the endpoint honours it, else in
 * parallel calls each capped to its share of the token budget; each is its own entry in the response cache. Duplicates are dropped. A cached answer whose SEARCH text is gone
 * is a miss: that candidate is asked afresh.
 */
async function askCandidates(
  deps: FixGroupDeps,
  messages: ChatMessage[],
  temperature: number,
  keyMessages: ChatMessage[],
  shown: PlanContext,
  candidates: number,
  call: number,
  askFresh: boolean
): Promise<{ answers: ModelAnswer[] } | { stop: Pick<FixGroupResult, 'stopReason' | 'stopError'> }> {
  const base: CompleteOptions = askFresh ? { keyMessages, fresh: true } : { keyMessages }
  const optionsOf = (candidate: number): CompleteOptions => (candidates > 1 ? { ...base, candidate, share: candidates } : base)
  const checked = async (asked: Awaited<ReturnType<typeof ask>>, candidate: number): Promise<Awaited<ReturnType<typeof ask>>> => {
    if ('stop' in asked || !asked.answer.cached || stillApplies(asked.answer.content, deps.workspace, shown)) return asked
    // Cached for files as they were: where its SEARCH text is gone, it is a miss, not a failed attempt.
    deps.log.info(`The cached answer to attempt ${call} no longer applies to the files (they changed since); asking the model`)
    return ask(deps.model, messages, temperature, { ...optionsOf(candidate), fresh: true })
  }
  const many = deps.model.completeCandidates
  const results =
    candidates > 1 && many !== undefined
      ? // one request with `n` where the endpoint honours it; the client falls back to parallel calls
        await Promise.all(
          (await many(messages, temperature, candidates, base)).map((result, index) =>
            checked('error' in result ? stopOf(result.error) : { answer: result.answer }, index + 1)
          )
        )
      : await Promise.all(
          Array.from({ length: candidates }, async (_, index) =>
            checked(await ask(deps.model, messages, temperature, optionsOf(index + 1)), index + 1)
          )
        )
  const answers: ModelAnswer[] = []
  const seen = new Set<string>()
  for (const result of results) {
    if ('stop' in result) {
      // the answers that came back are still worth verifying; the next call meets the same budget or endpoint and stops there
      if (answers.length === 0) return result
      continue
    }
    const same = editsKey(result.answer.content)
    if (seen.has(same)) {
      deps.log.info(`A candidate of attempt ${call} repeats another's edits; verified once`)
      continue
    }
    seen.add(same)
    answers.push(result.answer)
  }
  return { answers }
}

/** What an answer changes, whatever its wording: the same edits are the same candidate. */
function editsKey(content: string): string {
  const parsed = parseEditBlocks(content)
  if (parsed.edits.length === 0) return content.trim()
  return JSON.stringify(parsed.edits.map(edit => [edit.path, edit.search.trim(), edit.replace.trim()]))
}

/** Smaller changes first: they are cheaper to verify and likelier to be the minimal fix. */
function cheapestFirst(answers: ModelAnswer[]): ModelAnswer[] {
  const size = (answer: ModelAnswer): number =>
    parseEditBlocks(answer.content).edits.reduce((total, edit) => total + edit.search.length + edit.replace.length, 0)
  return answers.length < 2 ? answers : [...answers].sort((a, b) => size(a) - size(b))
}

/** Does a cached answer's every edit still find its place in the files as they are now? */
function stillApplies(content: string, workspace: Workspace, shown: PlanContext): boolean {
  const parsed = parseEditBlocks(content)
  if (parsed.edits.length === 0 || parsed.problems.length > 0) return true // malformed: verification says so
  if (parsed.edits.some(edit => !workspace.isInside(edit.path) || workspace.editRefusal(edit.path) !== undefined)) return true
  try {
    return planEdits(parsed.edits, relativePath => workspace.read(relativePath), shown).ok
  } catch {
    return true
  }
}

/** Avoids 0.30000000000000004 in logs and reports. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

/** A group's record before any attempt. */
export function groupRecord(group: Group, status: GroupStatus): GroupRecord {
  const first = group.failures[0]
  return {
    fingerprint: group.fingerprint,
    tests: group.failures.map(failure => failure.nodeId),
    status,
    errorType: first.errorType,
    message: first.message,
    attempts: []
  }
}
