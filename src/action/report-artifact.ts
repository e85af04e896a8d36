// The report outlives the job: uploaded as a workflow artifact, best-effort. A failed upload is a warning, never
// the step's failure: the run's outcome is in the outputs and the summary either way.
import { DefaultArtifactClient } from '@actions/artifact'
import * as path from 'node:path'
import type { Logger } from '../domain.js'

/** The artifact's name: one per job and attempt, so re-runs and other jobs of the run do not collide. */
export function reportArtifactName(env: NodeJS.ProcessEnv): string {
  const job = (env.GITHUB_JOB ?? '').replace(/[^A-Za-z0-9._-]+/g, '-') || 'job'
  return `pytest-fixer-report-${job}-${env.GITHUB_RUN_ATTEMPT || '1'}`
}

export async function uploadReportArtifact(reportPath: string, env: NodeJS.ProcessEnv, log: Logger): Promise<void> {
  if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
    log.info(`Not in a GitHub Actions job (no artifact service): the report stays at ${reportPath}.`)
    return
  }
  const name = reportArtifactName(env)
  try {
    const uploaded = await new DefaultArtifactClient().uploadArtifact(name, [reportPath], path.dirname(reportPath))
    log.info(`Uploaded the report as the artifact '${name}' (${uploaded.size ?? 0} bytes).`)
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    log.warning(`Could not upload the report as the artifact '${name}': ${message}. It is still at ${reportPath} until the job ends.`)
  }
}
