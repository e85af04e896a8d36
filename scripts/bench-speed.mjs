// Bench of the run's speed (issue 14) over the bug corpus (bugs.json), through the bundled action in mode apply:
//  - wall time ÷ (one rerun of the failing tests + one full-suite run + the model's time), per bug and the median
//    (aim ≤ 1.2), with the plain test command and with a path in it (`python -m pytest <testpaths>`)
//  - with a scripted model that answers correctly with probability 0.3 per answer, the median model calls (HTTP
//    requests), tokens and wall time to a fix, for candidates 1 and 3 (at an endpoint that ignores n, and one
//    that honours it)
// Uses dist/index.js.   node scripts/bench-speed.mjs [--speed-runs N] [--only ratio|candidates] (N: how many bugs)
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import { applyingWrongAnswer, correctAnswer, createProjectRepo, injectBug, readBugCatalog } from '../__tests__/harness/git-repo.mjs'
import { startOpenAIServer } from '../__tests__/harness/openai-server.mjs'
import { runAction } from '../__tests__/harness/run-action.mjs'

const bugs = readBugCatalog()
const at = process.argv.indexOf('--speed-runs')
const runs = at > 0 ? Number(process.argv[at + 1]) : bugs.length
const env = { ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1', PYTHONDONTWRITEBYTECODE: '1' }
const median = values => {
  const sorted = [...values].sort((x, y) => x - y)
  return sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]
}

/** The least pytest work any tool must do: the failing tests once (a flake check), the whole suite once. */
function leastPytestMs(dir, failing, command) {
  const time = args => {
    const started = process.hrtime.bigint()
    try {
      execFileSync(command[0], [...command.slice(1), ...args, '-q', '-p', 'no:cacheprovider'], { cwd: dir, env, stdio: 'pipe' })
    } catch {
      // failing is expected
    }
    return Number(process.hrtime.bigint() - started) / 1e6
  }
  return time(failing) + time([])
}

/** A seeded generator: the same "luck" for candidates 1 and 3. */
function seeded(seed) {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

async function throughTheAction(bug, { script, inputs = {}, testCommand, honourN = false }) {
  const model = await startOpenAIServer({ script, honourN })
  const project = await createProjectRepo(bug.project, { mutate: dir => injectBug(dir, bug) })
  // the CI step that failed wrote its JUnit report, as a step with `if: failure()` finds it
  const command = (testCommand ?? 'python3 -m pytest').split(' ')
  try {
    execFileSync(command[0], [...command.slice(1), '--junitxml=pytest-results.xml', '-q', '-p', 'no:cacheprovider'], {
      cwd: project.dir,
      env,
      stdio: 'pipe'
    })
  } catch {
    // it fails: that is the point
  }
  try {
    const result = await runAction({
      workspace: project.dir,
      inputs: {
        'api-key': 'bench',
        'base-url': model.baseUrl,
        model: 'scripted',
        cache: 'false',
        mode: 'apply',
        'upload-report': 'false',
        'junit-xml': 'pytest-results.xml',
        ...(testCommand ? { 'test-command': testCommand } : {}),
        ...inputs
      },
      env,
      timeoutMs: 300_000
    })
    if (result.outputs.report === undefined) throw new Error(`no report: ${result.stdout}\n${result.stderr}`)
    const report = JSON.parse(fs.readFileSync(result.outputs.report, 'utf8'))
    const least = leastPytestMs(project.dir, bug.expectFailing, (testCommand ?? 'python3 -m pytest').split(' '))
    result.cleanup()
    return { report, wallMs: result.durationMs, leastMs: least + report.durationsMs.llm, calls: model.requests.length }
  } finally {
    await model.close()
    project.cleanup()
  }
}

const testPaths = { flat: 'tests', srclayout: 'tests', inpackage: 'geometry/tests', unittest_suite: 'tests', exporters: 'tests' }
/** `--only candidates` / `--only ratio`: one half of the bench */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined
for (const [label, commandOf] of only === 'candidates'
  ? []
  : [
      ['the plain test command', () => undefined],
      ['a path in test-command', bug => `python3 -m pytest ${testPaths[bug.project] ?? 'tests'}`]
    ]) {
  const ratios = []
  const worst = []
  for (const bug of bugs.slice(0, runs)) {
    const outcome = await throughTheAction(bug, { script: [{ content: correctAnswer(bug) }], testCommand: commandOf(bug) })
    const ratio = outcome.wallMs / outcome.leastMs
    ratios.push(ratio)
    worst.push([bug.id, ratio, outcome.report.result])
  }
  worst.sort((a, b) => b[1] - a[1])
  console.log(`Wall time ÷ (failing tests once + whole suite once + model time), ${label}, ${ratios.length} bugs:`)
  console.log(
    `  median ${median(ratios).toFixed(2)} (aim ≤ 1.2), best ${Math.min(...ratios).toFixed(2)}, worst ${worst
      .slice(0, 3)
      .map(([id, ratio, result]) => `${id} ${ratio.toFixed(2)} (${result})`)
      .join(', ')}`
  )
}

for (const [candidates, honourN] of only === 'ratio'
  ? []
  : [
      [1, false],
      [3, false],
      [3, true]
    ]) {
  const calls = []
  const tokens = []
  const wall = []
  let fixed = 0
  for (const [index, bug] of bugs.slice(0, runs).entries()) {
    const luck = seeded(1000 + index)
    const script = () => ({ content: luck() < 0.3 ? correctAnswer(bug) : applyingWrongAnswer(bug) })
    const outcome = await throughTheAction(bug, { script, honourN, inputs: { candidates: String(candidates), 'max-attempts': '5' } })
    if (outcome.report.result === 'fixed') fixed++
    calls.push(outcome.calls)
    tokens.push(outcome.report.llm.promptTokens + outcome.report.llm.completionTokens)
    wall.push(outcome.wallMs)
  }
  const endpoint = candidates === 1 ? '' : honourN ? ', an endpoint that honours n' : ', an endpoint that ignores n'
  console.log(`A model right 30% of the time, candidates ${candidates}${endpoint}, max-attempts 5, ${calls.length} bugs:`)
  console.log(
    `  fixed ${fixed}/${calls.length}; median model calls ${median(calls)}, tokens ${median(tokens)}, wall time ${(median(wall) / 1000).toFixed(1)} s`
  )
}
