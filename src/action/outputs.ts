// What the action tells the workflow: its outputs, and a logger that writes through the redactor.
import * as core from '@actions/core'
import { Outputs } from '../constants.js'
import type { Logger, Report } from '../domain.js'
import type { SecretMasker } from '../engine/ports.js'
import type { Redactor } from '../redact.js'

export function setOutputs(report: Report, reportPath: string): void {
  core.setOutput(Outputs.Result, report.result)
  core.setOutput(Outputs.FixedTests, JSON.stringify(report.fixedTests))
  core.setOutput(Outputs.UnfixedTests, JSON.stringify(report.unfixedTests))
  core.setOutput(Outputs.FlakyTests, JSON.stringify(report.flakyTests))
  core.setOutput(Outputs.Branch, report.branch ?? '')
  core.setOutput(Outputs.PullRequestNumber, report.pullRequest.number === null ? '' : String(report.pullRequest.number))
  core.setOutput(Outputs.PullRequestUrl, report.pullRequest.url ?? '')
  core.setOutput(Outputs.PullRequestOperation, report.pullRequest.operation)
  core.setOutput(Outputs.Report, reportPath)
  core.setOutput(Outputs.CommitSha, report.commitSha ?? '')
  core.setOutput(Outputs.Model, report.model)
  core.setOutput(Outputs.Tokens, String(report.llm.promptTokens + report.llm.completionTokens))
}

export function actionLogger(redactor: Redactor): Logger {
  return {
    info: message => core.info(redactor.redact(message)),
    warning: message => core.warning(redactor.redact(message)),
    debug: message => core.debug(redactor.redact(message))
  }
}

/** core.setSecret, once per value (the edge masks before the trigger runs, the engine again with the plan's settings). */
export function onceMasker(): SecretMasker {
  const masked = new Set<string>()
  return {
    mask: secret => {
      if (masked.has(secret)) return
      masked.add(secret)
      core.setSecret(secret)
    }
  }
}
