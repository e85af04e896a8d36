// Parse-time benchmark of the JUnit intake: a 50,000-testcase report shaped like pytest's (xunit2: classnames
// without files, 4% failures with long tracebacks, some captured output), parsed by the compiled code in lib/.
// Run `npx tsc -p tsconfig.json` first (npm run bench does). Budget: 0.5 s and 200 MB; --strict exits 1 over it.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { performance } from 'node:perf_hooks'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const { parseJUnitXml } = await import(new URL('../lib/failures/junit.js', import.meta.url).href)
const { createNodeIdResolver } = await import(new URL('../lib/failures/nodeid.js', import.meta.url).href)

const testcases = 50_000
const budget = { ms: 500, mb: 200 }
const modules = 500

function escape(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;')
}

function failureText(module, test, n) {
  return escape(
    `    def ${test}(self, value):\n>       assert compute(value) == ${n}\nE       assert ${n + 1} == ${n}\n` +
      `E        +  where ${n + 1} = compute(${n})\n\ntests/pkg_${module % 10}/test_mod_${module}.py:${20 + (n % 50)}: AssertionError`
  )
}

/** A pytest-like report and the files its classnames point at. */
function writeProject(root) {
  for (let m = 0; m < modules; m++) {
    const dir = path.join(root, 'tests', `pkg_${m % 10}`)
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, `test_mod_${m}.py`), 'class TestCompute:\n    pass\n')
  }
  const parts = ['<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">']
  parts.push(
    `<testsuite name="pytest" errors="0" failures="${testcases / 25}" skipped="0" tests="${testcases}" time="61.2" ` +
      'timestamp="2026-01-01T00:00:00.000000+00:00" hostname="runner">'
  )
  for (let i = 0; i < testcases; i++) {
    const m = i % modules
    const classname = i % 2 === 0 ? `tests.pkg_${m % 10}.test_mod_${m}.TestCompute` : `tests.pkg_${m % 10}.test_mod_${m}`
    const name = `test_case_${i}[value-${i % 7}/${i % 3}]`
    if (i % 25 === 0) {
      parts.push(
        `<testcase classname="${classname}" name="${name}" time="0.003"><failure message="${escape(`assert ${i + 1} == ${i}`)}">` +
          `${failureText(m, `test_case_${i}`, i)}</failure><system-out>${escape('log line <with> "markup" & more\n'.repeat(20))}</system-out></testcase>`
      )
    } else {
      parts.push(`<testcase classname="${classname}" name="${name}" time="0.001" />`)
    }
  }
  parts.push('</testsuite></testsuites>')
  fs.writeFileSync(path.join(root, 'junit.xml'), parts.join(''))
}

/** Parses the report in this (fresh) process and prints what it cost. */
function parseAndMeasure(root) {
  const xml = fs.readFileSync(path.join(root, 'junit.xml'), 'utf8')
  const rssBefore = process.memoryUsage().rss
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const results = parseJUnitXml(xml, 'junit.xml', createNodeIdResolver(root))
  const ms = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  const peakMb = process.resourceUsage().maxRSS / 1024
  const failed = results.filter(r => r.outcome === 'failed').length
  const within = ms <= budget.ms && peakMb <= budget.mb
  console.log(`junit intake: ${results.length} testcases (${failed} failed) from ${(xml.length / 1e6).toFixed(1)} MB of XML`)
  // CPU time too: on a busy machine the wall time says more about the neighbours than about the parser
  console.log(`parse time: ${ms.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (budget ${budget.ms} ms)`)
  console.log(
    `peak memory: ${peakMb.toFixed(0)} MB RSS, ${((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(0)} MB added by the parse (budget ${budget.mb} MB)`
  )
  console.log(within ? 'within budget' : 'OVER BUDGET')
  return within
}

const parseArg = process.argv.indexOf('--parse')
if (parseArg >= 0) {
  process.exitCode = parseAndMeasure(process.argv[parseArg + 1]) ? 0 : 2
} else {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-junit-'))
  try {
    writeProject(root)
    // a fresh process, so that peak memory is the parse's, not the generator's
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--parse', root], { stdio: 'inherit' })
    if (child.status !== 0 && process.argv.includes('--strict')) process.exitCode = 1
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}
