// A workflow of its own on `workflow_run`: the failed run is someone else's, so its code, its report and its log
// are fetched and checked before the engine runs. A fork's run or a fix branch's run is refused with a notice.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { UserError, type Logger } from '../domain.js'
import type { Octokit } from '../publish/github.js'
import { downloadRunArtifact, failedJobLogs, type Repository } from './artifacts.js'
import type { FailedRun } from './event.js'

export interface FailedRunSettings {
  artifactName: string
  allowForks: boolean
  branchPrefix: string
  /** the user's junit-xml: inside the artifact, which files to read; empty: every .xml in it */
  junitXml: string
}

export type FailedRunPlan =
  | { proceed: false; notice: string }
  | {
      proceed: true
      /** where the failures come from: the artifact's reports, or '' to run test-command */
      junitXml: string
      /** the failed jobs' console log, '' when none */
      logFile: string
      baseBranch: string
      runUrl: string
      messages: string[]
    }

export interface FailedRunInput {
  run: FailedRun
  settings: FailedRunSettings
  repository: Repository
  /** the checked-out commit */
  headSha: string
  octokit: () => Octokit
  tempDir: string
  log: Logger
}

export async function prepareFailedRun(input: FailedRunInput): Promise<FailedRunPlan> {
  const { run, settings, log } = input
  const own = `${input.repository.owner}/${input.repository.repo}`
  if (run.headRepository !== '' && run.headRepository.toLowerCase() !== own.toLowerCase() && !settings.allowForks) {
    return {
      proceed: false,
      notice:
        `Not fixing run ${run.id}: its code comes from the fork ${run.headRepository}, and fixing it would run that code with this ` +
        `workflow's token. Set 'allow-forks: true' only if you trust every fork's code with that token.`
    }
  }
  if (run.headBranch.startsWith(settings.branchPrefix)) {
    return {
      proceed: false,
      notice: `Not fixing run ${run.id}: its branch '${run.headBranch}' is itself a pytest-fixer fix branch; no fix is stacked on a fix.`
    }
  }
  if (run.headBranch === '') {
    return {
      proceed: false,
      notice: `Not fixing run ${run.id}: it ran on no branch (a tag or a detached commit), so there is no branch to propose a fix to.`
    }
  }
  if (run.headSha !== '' && input.headSha !== run.headSha) {
    throw new UserError(
      `The checked-out commit ${input.headSha.slice(0, 12)} is not the failed run's commit ${run.headSha.slice(0, 12)}: a fix must be verified ` +
        `on the code that failed. Check it out with 'uses: actions/checkout@v4' and 'with: ref: \${{ github.event.workflow_run.head_sha }}'.`
    )
  }

  const messages = [
    `Fixing the failed run ${run.htmlUrl || run.id}${run.name ? ` of workflow '${run.name}'` : ''} on '${run.headBranch}' (commit ${run.headSha.slice(0, 7)}).`
  ]
  const octokit = input.octokit()
  const artifactDir = path.join(input.tempDir, 'pytest-fixer-failed-run', 'artifact')
  const download = await downloadRunArtifact(octokit, input.repository, run.id, settings.artifactName, artifactDir)
  let junitXml = ''
  if (download.found) {
    const xml = download.files.filter(file => file.toLowerCase().endsWith('.xml'))
    junitXml =
      settings.junitXml !== '' ? path.join(download.dir, settings.junitXml) : xml.map(file => path.join(download.dir, file)).join('\n')
    log.info(`Read artifact '${settings.artifactName}' of run ${run.id}: ${download.files.join(', ')}`)
    if (junitXml === '')
      messages.push(
        `The artifact '${settings.artifactName}' of run ${run.id} holds no .xml file; running 'test-command' to find the failures.`
      )
  } else {
    messages.push(`No JUnit report from run ${run.id}: ${download.why}. Running 'test-command' to find the failures.`)
  }
  log.info(messages[messages.length - 1])

  const logText = await failedJobLogs(octokit, input.repository, run.id, log)
  let logFile = ''
  if (logText !== '') {
    logFile = path.join(input.tempDir, 'pytest-fixer-failed-run', 'failed-jobs.log')
    fs.mkdirSync(path.dirname(logFile), { recursive: true })
    fs.writeFileSync(logFile, logText, 'utf8')
    log.info(`Read the log of the failed job(s) of run ${run.id} (${logText.split('\n').length} lines)`)
  }
  return { proceed: true, junitXml, logFile, baseBranch: run.headBranch, runUrl: run.htmlUrl, messages }
}
