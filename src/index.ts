// The action's entry: the warm pytest starts first, then the action loads (a chunk of its own) and runs.
import { prewarmForAction } from './action/prewarm.js'

prewarmForAction(process.env)
const { run } = await import('./action/run.js')
await run()
