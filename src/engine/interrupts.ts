// Interruptions of the process (a cancelled job's SIGTERM, Ctrl-C, a closed terminal's SIGHUP) as the engine's
// InterruptSource.
import type { InterruptSource } from './ports.js'

export function processInterrupts(signals: NodeJS.Signals[]): InterruptSource {
  return stop => {
    const handler = (signal: NodeJS.Signals): void => stop(signal)
    for (const signal of signals) process.once(signal, handler)
    return () => {
      for (const signal of signals) process.removeListener(signal, handler)
    }
  }
}
