// A run's checkpoint as one JSON file, written whole (tmp + rename) after every attempt, so a killed terminal or a
// cancelled job leaves the last one intact: .git/pytest-fixer/checkpoint.json on a laptop, a file among the cached
// model answers in the action (the Actions cache carries it to the re-run).
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Checkpoint, CheckpointStore } from '../fix/steering.js'

export function checkpointFile(file: string): CheckpointStore & { file: string } {
  const dir = path.dirname(file)
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
        fs.mkdirSync(dir, { recursive: true })
        const temporary = `${file}.${process.pid}.tmp`
        fs.writeFileSync(temporary, JSON.stringify(checkpoint))
        fs.renameSync(temporary, file)
      } catch {
        // a read-only folder: a resumed run starts over
      }
    },
    clear: () => fs.rmSync(file, { force: true })
  }
}
