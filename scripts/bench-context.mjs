// Bench of localization and the fix loop over the project's corpus of injected bugs (bugs.json):
//  - the share of groups whose first prompt contains the buggy line (aim ≥ 97%)
//  - median and largest prompt tokens (aim: median ≤ 6k)
//  - model calls per fixed group with a correct scripted model (aim 1.0), through the bundled action
//  - model calls on a cached re-run (aim 0), through the bundled action and the loopback cache service
// Uses the compiled code in lib/ (npm run bench compiles it) and dist/index.js.
//   node scripts/bench-context.mjs [--runs N]   (N: how many bugs to run through the action; default all)
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCacheServer } from '../__tests__/harness/cache-server.mjs'
import { startGitHubServer } from '../__tests__/harness/github-server.mjs'
import { applyingWrongAnswer, bugRegion, correctAnswer, createProjectRepo, injectBug } from '../__tests__/harness/git-repo.mjs'
import { startOpenAIServer } from '../__tests__/harness/openai-server.mjs'
import { runAction } from '../__tests__/harness/run-action.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const lib = name => import(new URL(`../lib/${name}`, import.meta.url).href)
const { readJUnitReports } = await lib('failures/read.js')
const { createNodeIdResolver } = await lib('failures/nodeid.js')
const { toFailures } = await lib('failures/failures.js')
const { detectConftestFailure } = await lib('failures/log.js')
const { groupFailures } = await lib('failures/group.js')
const { buildPrompt } = await lib('context/prompt.js')
const { findPytestRootDir } = await lib('layout.js')
const { readChangeUnderTest } = await lib('context/change-under-test.js')
const { Git } = await lib('publish/git.js')
const gitIdentity = {
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@example.com',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@example.com'
}

const bugs = JSON.parse(fs.readFileSync(path.join(root, '__tests__/fixtures/projects/bugs.json'), 'utf8'))
const runsArg = process.argv.indexOf('--runs')
const actionRuns = runsArg > 0 ? Number(process.argv[runsArg + 1]) : bugs.length
const testEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' }

async function promptsFor(bug) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ctx-'))
  fs.cpSync(path.join(root, '__tests__/fixtures/projects', bug.project), dir, { recursive: true })
  // as CI meets it: the bug is the last commit, the change under test
  const git = args => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: { ...testEnv, ...gitIdentity } })
  git(['init', '-q'])
  git(['add', '-A'])
  git(['commit', '-qm', 'project'])
  injectBug(dir, bug)
  git(['commit', '-qam', 'the change under test'])
  const junit = path.join(dir, '..', `${path.basename(dir)}.xml`)
  let exitCode = 0
  let output
  try {
    // the log as CI writes it: colored, with the short summary (the prompt gets it as input `log-file`)
    output = execFileSync('python3', ['-m', 'pytest', `--junitxml=${junit}`, '-p', 'no:cacheprovider', '--color=yes', '-ra'], {
      cwd: dir,
      env: testEnv,
      encoding: 'utf8',
      stdio: 'pipe'
    })
  } catch (error) {
    exitCode = error.status
    output = `${error.stdout}${error.stderr}`
  }
  const layout = { repoRoot: dir, workDir: dir, rootDir: findPytestRootDir(dir) }
  const read = await readJUnitReports(junit, dir, createNodeIdResolver(layout.rootDir))
  let failures = toFailures(read.results, layout)
  if (failures.length === 0) {
    const conftest = detectConftestFailure(exitCode, output, layout)
    failures = conftest ? [conftest] : []
  }
  const changeRead = await readChangeUnderTest(new Git(dir), { base: 'parent', why: 'the last commit' })
  if ('unavailable' in changeRead) throw new Error(changeRead.unavailable)
  const prompts = []
  for (const group of groupFailures(failures)) {
    const question = { group, layout, allowTestChanges: false, extraInstructions: '', previousAttempts: [], log: output }
    const prompt = await buildPrompt(question)
    const withChange = await buildPrompt({ ...question, change: changeRead.change })
    const raw = await buildPrompt({ ...question, rawOutput: true })
    prompts.push({ ...prompt, rawTokens: raw.tokens, withChange })
  }
  fs.rmSync(dir, { recursive: true, force: true })
  fs.rmSync(junit, { force: true })
  return prompts
}

async function throughTheAction(bug, cache) {
  const model = await startOpenAIServer({ script: [{ content: correctAnswer(bug) }] })
  const github = await startGitHubServer()
  const project = await createProjectRepo(bug.project, { mutate: dir => injectBug(dir, bug) })
  const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-runner-'))
  const run = async runId => {
    fs.rmSync(runnerTemp, { recursive: true, force: true })
    fs.mkdirSync(runnerTemp)
    const result = await runAction({
      workspace: project.dir,
      inputs: { 'api-key': 'bench', 'base-url': model.baseUrl, model: 'scripted', cache: 'true', 'flaky-reruns': '0' },
      env: {
        GITHUB_API_URL: github.apiUrl,
        GITHUB_TOKEN: 'ghs_bench',
        PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1',
        RUNNER_TEMP: runnerTemp,
        GITHUB_RUN_ID: runId,
        GITHUB_SERVER_URL: 'https://github.com',
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_RESULTS_URL: cache.url,
        ACTIONS_RUNTIME_TOKEN: cache.token
      },
      timeoutMs: 300_000
    })
    const report = JSON.parse(fs.readFileSync(result.outputs.report, 'utf8'))
    result.cleanup()
    return report
  }
  try {
    const first = await run(`${Date.now()}1`)
    const callsFirst = model.requests.length
    const second = await run(`${Date.now()}2`)
    return {
      groups: first.groups.filter(group => group.status !== 'flaky').length,
      fixedGroups: first.groups.filter(group => group.status === 'fixed' && group.attempts.length > 0).length,
      result: first.result,
      calls: callsFirst,
      rerunCalls: model.requests.length - callsFirst,
      rerunResult: second.result
    }
  } finally {
    await model.close()
    await github.close()
    project.cleanup()
    fs.rmSync(runnerTemp, { recursive: true, force: true })
  }
}

/** The bundled action with a model that is always wrong: calls per bug, at most max-attempts when one bug is one group. */
async function withAWrongModel(bug, maxAttempts) {
  const model = await startOpenAIServer({ script: Array.from({ length: 3 * maxAttempts }, () => ({ content: applyingWrongAnswer(bug) })) })
  const project = await createProjectRepo(bug.project, { mutate: dir => injectBug(dir, bug) })
  try {
    const result = await runAction({
      workspace: project.dir,
      inputs: {
        'api-key': 'bench',
        'base-url': model.baseUrl,
        model: 'scripted',
        cache: 'false',
        'flaky-reruns': '0',
        'max-attempts': String(maxAttempts),
        mode: 'dry-run'
      },
      env: { PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' },
      timeoutMs: 300_000
    })
    const report = JSON.parse(fs.readFileSync(result.outputs.report, 'utf8'))
    result.cleanup()
    return { calls: model.requests.length, result: report.result }
  } finally {
    await model.close()
    project.cleanup()
  }
}

const median = values => {
  const sorted = [...values].sort((x, y) => x - y)
  return sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]
}

let groups = 0
let found = 0
const tokens = []
const rawTokens = []
const missed = []
let foundWithChange = 0
let rankedTop = 0
const changeTokens = []
const byReach = new Map()
for (const bug of bugs) {
  const lines = bugRegion(bug).changedLines
  const prompts = await promptsFor(bug)
  for (const prompt of prompts) {
    groups++
    tokens.push(prompt.tokens)
    rawTokens.push(prompt.rawTokens)
    const text = prompt.messages.map(message => message.content).join('\n')
    const hit = lines.every(line => text.includes(line.trim()))
    if (hit) found++
    else missed.push(bug.id)
    const changeText = prompt.withChange.messages.map(message => message.content).join('\n')
    if (lines.every(line => changeText.includes(line.trim()))) foundWithChange++
    changeTokens.push(prompt.withChange.tokens)
    // where the buggy file ranks among the files the prompt's code holds (0: first)
    const rank = (prompt.withChange.held ?? []).findIndex(code => code.file === bug.file)
    if (rank === 0 || rank === 1) rankedTop++
    // the hard reaches: how the failing test gets to the buggy code
    for (const reach of [bug.reach, bug.kind === 'changed-default-argument' ? 'default-argument' : undefined]) {
      if (reach === undefined) continue
      const tally = byReach.get(reach) ?? { found: 0, groups: 0 }
      tally.groups++
      if (hit) tally.found++
      byReach.set(reach, tally)
    }
  }
}
console.log(`Localization over ${bugs.length} injected bugs (${groups} groups):`)
console.log(
  `  first prompt contains the buggy line: ${found}/${groups} = ${((100 * found) / groups).toFixed(1)}% (aim ≥ 97%)${missed.length ? `; missed: ${[...new Set(missed)].join(', ')}` : ''}`
)
console.log(
  `  with the change under test in the prompt (the bug as the last commit): buggy line ${foundWithChange}/${groups}, the buggy file among the first two of the code in ${rankedTop}/${groups}, prompt tokens median ${median(changeTokens)}, largest ${Math.max(...changeTokens)}`
)
console.log(`  by reach: ${[...byReach].map(([reach, tally]) => `${reach} ${tally.found}/${tally.groups}`).join(', ')}`)
console.log(
  `  prompt tokens (with the colored console log as log-file): median ${median(tokens)}, largest ${Math.max(...tokens)} (aim: median ≤ 4000)`
)
const sum = values => values.reduce((total, value) => total + value, 0)
console.log(
  `  normalized test output and log: ${sum(tokens)} tokens over all first prompts, against ${sum(rawTokens)} as pytest wrote them: ${sum(rawTokens) - sum(tokens)} saved (${((100 * (sum(rawTokens) - sum(tokens))) / sum(rawTokens)).toFixed(1)}%; median raw prompt ${median(rawTokens)})`
)

if (!fs.existsSync(path.join(root, 'dist/index.js'))) {
  console.log('dist/index.js missing: run npm run bundle for the model-call figures')
  process.exit(0)
}
const cache = await startCacheServer()
let calls = 0
let fixedGroups = 0
let rerunCalls = 0
const notFixed = []
const groupsPerBug = []
for (const bug of bugs.slice(0, actionRuns)) {
  const outcome = await throughTheAction(bug, cache)
  groupsPerBug.push(outcome.groups)
  calls += outcome.calls
  fixedGroups += outcome.fixedGroups
  rerunCalls += outcome.rerunCalls
  if (outcome.result !== 'fixed') notFixed.push(`${bug.id} (${outcome.result})`)
}
await cache.close()
const runs = Math.min(actionRuns, bugs.length)
console.log(`The bundled action with a correct scripted model, ${runs} bugs:`)
console.log(`  fixed: ${runs - notFixed.length}/${runs}${notFixed.length ? `; not fixed: ${notFixed.join(', ')}` : ''}`)
console.log(
  `  model calls per fixed group: ${fixedGroups === 0 ? 'n/a' : (calls / fixedGroups).toFixed(2)} (${calls} calls, ${fixedGroups} groups fixed by a model answer; aim 1.0)`
)
console.log(`  model calls on the cached re-run: ${rerunCalls} (aim 0)`)
const oneGroup = groupsPerBug.filter(count => count === 1).length
console.log(
  `  groups per injected bug: one group for ${oneGroup}/${runs} = ${((100 * oneGroup) / Math.max(1, runs)).toFixed(1)}% of bugs (aim ≥ 90%), mean ${(sum(groupsPerBug) / Math.max(1, runs)).toFixed(2)}, most ${Math.max(0, ...groupsPerBug)}`
)
const maxAttempts = 3
const wrongCalls = []
const wrongResults = new Map()
for (const bug of bugs.slice(0, actionRuns)) {
  const outcome = await withAWrongModel(bug, maxAttempts)
  wrongCalls.push(outcome.calls)
  wrongResults.set(outcome.result, (wrongResults.get(outcome.result) ?? 0) + 1)
}
const over = wrongCalls.filter(count => count > maxAttempts).length
console.log(`The bundled action with an always-wrong scripted model (max-attempts ${maxAttempts}), ${runs} bugs:`)
console.log(
  `  model calls per bug: mean ${(sum(wrongCalls) / Math.max(1, runs)).toFixed(2)}, most ${Math.max(0, ...wrongCalls)}; more than max-attempts for ${over}/${runs} (aim 0); results: ${[...wrongResults].map(([result, count]) => `${result} ${count}`).join(', ')}`
)
