// What the event that started the action adds to the run (src/triggers/): the plan, as the engine's hooks, and
// the one notice of a run that stops before fixing.
import * as core from '@actions/core'
import { Outputs } from '../constants.js'
import type { Logger } from '../domain.js'
import type { RunHooks } from '../engine/ports.js'
import { errorMessage } from '../engine/run.js'
import { runFingerprint } from '../failures/group.js'
import type { Settings } from '../inputs.js'
import { Git } from '../publish/git.js'
import { createOctokit } from '../publish/github.js'
import type { Redactor } from '../redact.js'
import type { RunnerContext } from '../runner-context.js'
import { keywordSelector } from '../triggers/aim.js'
import { readEventPayload, readTrigger } from '../triggers/event.js'
import { prepareTrigger, type Stop, type TriggerPlan } from '../triggers/plan.js'

export function readActionTrigger(settings: Settings, context: RunnerContext, log: Logger): Promise<Stop | TriggerPlan> {
  return prepareTrigger({
    trigger: readTrigger(context.eventName, readEventPayload(process.env.GITHUB_EVENT_PATH)),
    settings,
    repository: context.repository,
    runKey: `${context.runId || 'local'}.${context.runAttempt}`,
    runUrl: context.runUrl,
    tempDir: context.tempDir,
    git: new Git(context.workspace),
    octokit: () => createOctokit(settings.githubToken, context.apiUrl, log),
    log
  })
}

/** The plan as the engine's hooks; `skipped()` tells whether the plan stopped the run before any model call. */
export function triggerHooks(plan: TriggerPlan, context: RunnerContext): { hooks: RunHooks; skipped: () => Stop | undefined } {
  let skipped: Stop | undefined
  const settings = plan.settings
  const hooks: RunHooks = {
    messages: plan.messages,
    narrowFailures: (failures, tests) => plan.narrow(failures, keywordSelector(tests)),
    beforeFixing: async (groups, git) => {
      const baseBranch = settings.baseBranch || context.refBranch || (await git.currentBranch()) || ''
      skipped = await plan.beforeFixing(groups, `${settings.branchPrefix}${baseBranch}/${runFingerprint(groups)}`, baseBranch)
      return skipped?.notice
    },
    carriedAttempts: group => plan.carriedAttempts(group),
    finishReport: async (report, failure) => {
      // a run the plan stopped before fixing ends with its notice alone
      if (skipped !== undefined && failure === undefined) return []
      try {
        return await plan.finish(report, failure)
      } catch (error) {
        return [`pytest-fixer could not finish its answer on GitHub: ${errorMessage(error)}`]
      }
    }
  }
  return { hooks, skipped: () => skipped }
}

/** A run that stopped before fixing (a refused trigger, an answered command, a fix PR that exists): one notice. */
export async function stopped(stop: Stop, redactor: Redactor): Promise<void> {
  const notice = redactor.redact(stop.notice)
  core.notice(notice)
  core.setOutput(Outputs.PullRequestOperation, 'none')
  if (stop.pullRequest !== undefined) {
    core.setOutput(Outputs.PullRequestNumber, String(stop.pullRequest.number))
    core.setOutput(Outputs.PullRequestUrl, stop.pullRequest.url)
  }
  await core.summary.addRaw(`## pytest-fixer\n\n⏭️ ${notice}\n`).write()
}
