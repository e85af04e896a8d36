// A Logger that keeps every line, so tests can assert on what a user would read.
import type { Logger } from '../../src/domain.js'

export interface RecordingLog extends Logger {
  lines: string[]
  warnings: string[]
}

export function recordingLog(): RecordingLog {
  const lines: string[] = []
  const warnings: string[] = []
  return {
    lines,
    warnings,
    info: message => void lines.push(message),
    warning: message => {
      lines.push(message)
      warnings.push(message)
    },
    debug: message => void lines.push(message)
  }
}
