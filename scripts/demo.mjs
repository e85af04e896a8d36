#!/usr/bin/env node
// npm run demo: the bundled action (dist/index.js, under Node 24 like the runner) on the embedded sample project
// demo/sample, which has one bug that fails two tests. The model is the built-in scripted one, GitHub is the
// local stand-in, origin is a real bare git repository. No key, no network.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startGitHubServer } from '../__tests__/harness/github-server.mjs'
import { cloneBranch, createProjectRepo } from '../__tests__/harness/git-repo.mjs'
import { runAction } from '../__tests__/harness/run-action.mjs'
import { startScriptedModel } from './scripted-model.mjs'
import { execFileSync } from 'node:child_process'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const say = line => console.log(line)

if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) {
  console.error('dist/index.js is missing: run `npm run bundle` first.')
  process.exit(1)
}

const model = await startScriptedModel()
const github = await startGitHubServer()
// as in real life, the bug came with a commit: the project as it was, then the change that broke two tests
const buggyLine = 'item.unit_price + item.quantity'
const cart = path.join(root, 'demo', 'sample', 'shop', 'cart.py')
const before = fs.mkdtempSync(path.join(os.tmpdir(), 'pytest-fixer-demo-'))
fs.cpSync(path.join(root, 'demo', 'sample'), before, { recursive: true })
const goodCart = path.join(before, 'shop', 'cart.py')
fs.writeFileSync(goodCart, fs.readFileSync(cart, 'utf8').replace(buggyLine, 'item.unit_price * item.quantity'))
const project = await createProjectRepo(before, { mutate: dir => fs.copyFileSync(cart, path.join(dir, 'shop', 'cart.py')) })
fs.rmSync(before, { recursive: true, force: true })
try {
  say('pytest-fixer demo: a sample project whose tests fail, the bundled action, a scripted model.\n')
  const result = await runAction({
    workspace: project.dir,
    inputs: { 'api-key': 'demo-key-not-secret', 'base-url': model.baseUrl, model: 'scripted-demo-model', cache: 'false' },
    env: { GITHUB_API_URL: github.apiUrl, GITHUB_TOKEN: 'ghs_demotoken000000000000000000000000' }
  })
  const report = JSON.parse(fs.readFileSync(result.outputs.report, 'utf8'))
  say('1. The failures (real pytest run in the sample project):')
  for (const failure of report.failures) {
    const message = failure.message.split('\n')[0]
    say(`   ✗ ${failure.nodeId}  ${message.startsWith(failure.errorType) ? message : `${failure.errorType}: ${message}`}`)
  }
  say('')
  say('2. The fix the model proposed, as applied:')
  for (const line of report.patch.split('\n').filter(l => /^[-+][^-+]/.test(l))) say(`   ${line}`)
  say('')
  say('3. The verification:')
  for (const group of report.groups) {
    say(`   group ${group.fingerprint} (${group.tests.length} test(s)): ${group.status}`)
    for (const attempt of group.attempts)
      say(`     attempt ${attempt.number} (temperature ${attempt.temperature}): ${attempt.outcome}: ${attempt.reason}`)
    if (group.fixedBy) say(`     no model call: the fix of group ${group.fixedBy} already makes its tests pass`)
  }
  const checkout = await cloneBranch(project.originDir, result.outputs.branch)
  const onBranch = execFileSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], {
    cwd: checkout,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }
  })
  say(`   the pushed branch, checked out on its own: ${onBranch.trim().split('\n').pop()}\n`)
  say('4. The pull request:')
  const pr = github.state.pulls[0]
  say(`   #${result.outputs['pull-request-number']} ${result.outputs['pull-request-operation']}: "${pr.title}"`)
  say(`   ${pr.head.ref} → ${pr.base.ref}, labels: ${(pr.labels ?? []).map(label => label.name ?? label).join(', ')}`)
  say(`   ${result.outputs['pull-request-url']}\n`)
  say(
    `Result: ${result.outputs.result}. Model calls: ${report.llm.calls}. Working tree clean: ${execFileSync('git', ['status', '--porcelain'], { cwd: project.dir, encoding: 'utf8' }) === ''}.`
  )
  if (result.exitCode !== 0 || result.outputs.result !== 'fixed') {
    console.error(`\nThe demo did not end as expected (exit ${result.exitCode}).\n${result.stdout}\n${result.stderr}`)
    process.exitCode = 1
  }
} finally {
  await model.close()
  await github.close()
  project.cleanup()
}
