// Another run's JUnit report and console log, through the REST API: the artifact is listed by name and its zip
// downloaded (GitHub redirects to blob storage), the failed jobs' logs likewise. Needs `actions: read`.
import { unzipSync } from 'fflate'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Logger } from '../domain.js'
import { apiErrorMessage, type Octokit } from '../publish/github.js'

export interface Repository {
  owner: string
  repo: string
}

export type ArtifactDownload = { found: true; dir: string; files: string[] } | { found: false; why: string }

/** Downloads and unpacks the artifact `name` of run `runId` into `destDir`; not found says why. */
export async function downloadRunArtifact(
  octokit: Octokit,
  repository: Repository,
  runId: number,
  name: string,
  destDir: string
): Promise<ArtifactDownload> {
  let artifacts: Array<{ id: number; name: string; expired: boolean }>
  try {
    const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({ ...repository, run_id: runId, name, per_page: 100 })
    artifacts = data.artifacts
  } catch (error) {
    return {
      found: false,
      why: `the artifacts of run ${runId} could not be listed (${apiErrorMessage(error)}); give the workflow \`permissions: actions: read\``
    }
  }
  const artifact = artifacts.filter(item => item.name === name).find(item => !item.expired)
  if (artifact === undefined) {
    const expired = artifacts.some(item => item.name === name)
    return {
      found: false,
      why: expired
        ? `the artifact '${name}' of run ${runId} has expired`
        : `run ${runId} has no artifact named '${name}' (input 'artifact-name')`
    }
  }
  let zip: ArrayBuffer
  try {
    const { data } = await octokit.rest.actions.downloadArtifact({ ...repository, artifact_id: artifact.id, archive_format: 'zip' })
    zip = data as ArrayBuffer
  } catch (error) {
    return { found: false, why: `the artifact '${name}' of run ${runId} could not be downloaded (${apiErrorMessage(error)})` }
  }
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(new Uint8Array(zip))
  } catch (error) {
    return {
      found: false,
      why: `the artifact '${name}' of run ${runId} is not a readable zip (${error instanceof Error ? error.message : String(error)})`
    }
  }
  fs.rmSync(destDir, { recursive: true, force: true })
  fs.mkdirSync(destDir, { recursive: true })
  const files: string[] = []
  for (const [entry, content] of Object.entries(entries)) {
    if (entry.endsWith('/')) continue
    // an entry naming a place outside the folder (zip slip) is skipped, never written
    const target = path.resolve(destDir, entry)
    if (!target.startsWith(destDir + path.sep)) continue
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, content)
    files.push(path.relative(destDir, target))
  }
  return { found: true, dir: destDir, files: files.sort() }
}

/**
 * The console logs of the run's failed jobs, one after the other, without the timestamp GitHub puts before every
 * line; '' when there are none or they cannot be read (a warning says why).
 */
export async function failedJobLogs(octokit: Octokit, repository: Repository, runId: number, log: Logger): Promise<string> {
  let jobs: Array<{ id: number; name: string; conclusion: string | null }>
  try {
    const { data } = await octokit.rest.actions.listJobsForWorkflowRun({ ...repository, run_id: runId, filter: 'latest', per_page: 100 })
    jobs = data.jobs
  } catch (error) {
    log.warning(
      `Could not list the jobs of run ${runId} (${apiErrorMessage(error)}); going on without its log. Give the workflow \`permissions: actions: read\`.`
    )
    return ''
  }
  const parts: string[] = []
  for (const job of jobs.filter(item => item.conclusion === 'failure')) {
    try {
      const { data } = await octokit.rest.actions.downloadJobLogsForWorkflowRun({ ...repository, job_id: job.id })
      const text = typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8')
      parts.push(`##### job: ${job.name}\n${stripTimestamps(text)}`)
    } catch (error) {
      log.warning(`Could not download the log of job '${job.name}' of run ${runId} (${apiErrorMessage(error)}).`)
    }
  }
  return parts.join('\n')
}

/** GitHub's job logs start every line with an ISO timestamp and a space. */
export function stripTimestamps(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/gm, '')
}
