// What every test run shares, warm or cold: it runs in its own process group, which a timeout ends (SIGTERM, then
// SIGKILL after a grace period), and its output is kept to a bounded tail.
export const KILL_GRACE_MS = 3000
export const OUTPUT_LIMIT = 2 * 1024 * 1024

/** Signals a process group; nothing when it is gone already. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}
