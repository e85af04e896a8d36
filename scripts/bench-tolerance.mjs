// Bench of answer-shape tolerance (issue 13) over the bug corpus (bugs.json) × the shapes of
// __tests__/harness/tolerance-corpus.mjs:
//  - applier: the share of bug × shape whose answer gives the fixed file byte for byte (aim 100%), and the share
//    of SEARCH parts matching two places that were refused (aim 100%)
//  - end to end: the share of bug × shape that became a verified fix through the bundled action, one attempt each
//    (aim 100%), and the share of subtly wrong fixes it published (aim 0%)
// Uses the compiled code in lib/ (npm run bench compiles it) and dist/index.js.
//   node scripts/bench-tolerance.mjs [--tolerance-runs N] [--tolerance-wrong N]
//   (N: how many bugs go through the action in every shape, default all; wrong fixes: default 4 bugs)
import { startGitHubServer } from '../__tests__/harness/github-server.mjs'
import { createProjectRepo, injectBug, readBugCatalog } from '../__tests__/harness/git-repo.mjs'
import { startOpenAIServer } from '../__tests__/harness/openai-server.mjs'
import { runAction } from '../__tests__/harness/run-action.mjs'
import { fixText, shapes, withDuplicatedRegion } from '../__tests__/harness/tolerance-corpus.mjs'

const lib = name => import(new URL(`../lib/${name}`, import.meta.url).href)
const { planEdits } = await lib('edits/apply.js')
const { parseEditBlocks } = await lib('edits/parse.js')

const bugs = readBugCatalog()
const argument = (name, fallback) => {
  const at = process.argv.indexOf(name)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}
const e2eBugs = argument('--tolerance-runs', bugs.length)
const wrongBugs = argument('--tolerance-wrong', 4)
const percent = (part, whole) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`)

// --- applier: every bug × shape, parse + plan, compared byte for byte
let exact = 0
let total = 0
let refused = 0
let ambiguous = 0
const misses = []
for (const bug of bugs) {
  const text = fixText(bug)
  const read = content => file => (file === bug.file ? content : null)
  const shown = { shownFiles: [bug.file], wholeFiles: [bug.file] }
  for (const shape of shapes) {
    total++
    const plan = planEdits(parseEditBlocks(shape.answer(text)).edits, read(text.buggyFile), shown)
    if (plan.ok && plan.changes.length === 1 && plan.changes[0].after === text.fixedFile) exact++
    else misses.push(`${bug.id} / ${shape.name}`)
    if (shape.name === 'whole file') continue
    ambiguous++
    const twice = planEdits(parseEditBlocks(shape.answer(text)).edits, read(withDuplicatedRegion(text)), shown)
    if (!twice.ok && /matches \d+ places/.test(twice.error)) refused++
  }
}
console.log(`applier: ${exact}/${total} bug × shape answers give the fixed file byte for byte (${percent(exact, total)})`)
console.log(`applier: ${refused}/${ambiguous} SEARCH parts matching two places refused (${percent(refused, ambiguous)})`)
for (const miss of misses.slice(0, 20)) console.log(`  not exact: ${miss}`)

// --- end to end through the bundled action, one attempt each
async function runOnce(bug, answer) {
  const model = await startOpenAIServer({ script: [{ content: answer }] })
  const github = await startGitHubServer()
  const project = await createProjectRepo(bug.project, { mutate: dir => injectBug(dir, bug) })
  let result
  try {
    result = await runAction({
      workspace: project.dir,
      inputs: {
        'api-key': 'sk-bench',
        'base-url': model.baseUrl,
        model: 'stand-in-model',
        cache: 'false',
        'max-attempts': '1',
        'flaky-reruns': '0',
        mode: 'dry-run'
      },
      env: { GITHUB_API_URL: github.apiUrl, GITHUB_TOKEN: 'ghs_bench', PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' },
      timeoutMs: 300_000
    })
    return result.outputs.result
  } finally {
    result?.cleanup()
    await model.close()
    await github.close()
    project.cleanup()
  }
}

const started = Date.now()
const byShape = new Map(shapes.map(shape => [shape.name, { fixed: 0, runs: 0 }]))
let fixed = 0
let runs = 0
for (const bug of bugs.slice(0, e2eBugs)) {
  const text = fixText(bug)
  for (const shape of shapes) {
    const outcome = await runOnce(bug, shape.answer(text))
    const tally = byShape.get(shape.name)
    tally.runs++
    runs++
    if (outcome === 'fixed') {
      tally.fixed++
      fixed++
    } else console.log(`  not fixed end to end: ${bug.id} / ${shape.name} (${outcome})`)
  }
}
console.log(
  `end to end: ${fixed}/${runs} bug × shape answers became a verified fix on attempt 1 (${percent(fixed, runs)}), ${((Date.now() - started) / 1000).toFixed(0)} s`
)
for (const [name, tally] of byShape) if (tally.runs > 0) console.log(`  ${name.padEnd(32)} ${tally.fixed}/${tally.runs}`)

let published = 0
let wrongRuns = 0
for (const bug of bugs.slice(0, wrongBugs)) {
  const text = fixText(bug, { wrong: true })
  for (const shape of shapes) {
    wrongRuns++
    if ((await runOnce(bug, shape.answer(text))) === 'fixed') {
      published++
      console.log(`  WRONG FIX ACCEPTED: ${bug.id} / ${shape.name}`)
    }
  }
}
console.log(`end to end: ${published}/${wrongRuns} subtly wrong fixes accepted (${percent(published, wrongRuns)}; aim 0%)`)
