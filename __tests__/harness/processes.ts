// Whether processes a test started are still running: by /proc (Linux), where a zombie counts as ended.
import * as fs from 'node:fs'

export function alive(pid: number): boolean {
  try {
    const state = /^State:\s+(\S)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return state !== undefined && state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

/** Those of `pids` still running after up to 2 s (a killed process may take a few milliseconds to be gone). */
export async function stillAlive(pids: number[]): Promise<number[]> {
  for (let waited = 0; waited < 2000 && pids.some(alive); waited += 100) await new Promise(resolve => setTimeout(resolve, 100))
  return pids.filter(alive)
}
