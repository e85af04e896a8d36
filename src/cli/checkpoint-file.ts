// The command line's checkpoint: .git/pytest-fixer/checkpoint.json, written whole (tmp + rename) after every
// attempt, so a killed terminal leaves the last one intact for --resume.
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Checkpoint, CheckpointStore } from '../fix/steering.js'

export function checkpointFile(stateDir: string): CheckpointStore & { file: string } {
  const file = path.join(stateDir, 'checkpoint.json')
  return {
    file,
    load: () => {
      try {
        const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Checkpoint>
        return parsed.version === 1 && typeof parsed.state === 'string' && Array.isArray(parsed.done) ? (parsed as Checkpoint) : undefined
      } catch {
        return undefined // none, or torn: the run starts over
      }
    },
    save: checkpoint => {
      try {
        fs.mkdirSync(stateDir, { recursive: true })
        const temporary = `${file}.${process.pid}.tmp`
        fs.writeFileSync(temporary, JSON.stringify(checkpoint))
        fs.renameSync(temporary, file)
      } catch {
        // a read-only .git: --resume will start over
      }
    },
    clear: () => fs.rmSync(file, { force: true })
  }
}
